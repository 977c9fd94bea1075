"""A fresh clone, without the course weights (data/ex4weights.mat cannot be
rebuilt and is not ours to commit): the grader still grades every part,
says which cases it could not check and why; on weights that are not the
course's it compares with the reference's values at those weights; the
tests skip only what needs the course weights (at most MAX_SKIPS), and
fail instead under EX4_REQUIRE_COURSE_FILES=1, never because CI=true.
"""
import shutil

import numpy as np
import pytest

from autograder import course, feedback, grade
from autograder.oracle import TableOracle
from commands import ROOT, python
from conftest import MAX_SKIPS, REQUIRE_VARIABLE

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("fresh_clone")

PARTS = ["cost", "regularized_cost", "predict"]          # the parts with cases on the weights


@pytest.fixture(scope="module")
def data_only(tmp_path_factory, course_data):
    """A data folder with ex4data1.mat and no ex4weights.mat."""
    folder = tmp_path_factory.mktemp("data_only")
    shutil.copyfile(ROOT / "data" / "ex4data1.mat", folder / "ex4data1.mat")
    return folder


def test_grading_without_the_course_weights_says_what_it_skipped(data_only):
    results = grade.grade_submission(ROOT, data_dir=data_only, parts=PARTS, sandbox="process")
    assert [r.part.key for r in results] == PARTS
    assert [r.score for r in results] == [30, 15, 0]
    assert all(r.passed for r in results)
    # The report names no path of the grader's machine (data_only is outside it).
    missing = "not checked: ex4weights.mat of the grader's data folder is missing (copy it " \
              "from the course materials)"
    skipped = {r.part.key: [c for c in r.cases if c.skipped] for r in results}
    assert {k: [c.case.id for c in v] for k, v in skipped.items()} == {
        "cost": ["cost/course"], "regularized_cost": ["regularized_cost/course"],
        "predict": ["predict/course"]}
    for key, cases in skipped.items():
        assert cases[0].lines == [f"  skip [public] {cases[0].case.label}: {missing}"]
    # Each part still ran cases of its own: the prediction on a small network.
    checked = {r.part.key: [c.case.id for c in r.cases if not c.skipped] for r in results}
    assert "predict/small" in checked["predict"] and "cost/submit" in checked["cost"]
    text = feedback.report(results)
    assert "Not available (the cases that need it were not checked): " \
           "the course weights, ex4weights.mat of the grader's data folder (copy it from the " \
           "course materials)" in text


def test_grading_on_weights_that_are_not_the_courses(made_data, made_weights, course_data):
    """The reference's values at those weights replace the handout's."""
    from nnCostFunction import nnCostFunction
    from predictNeuralNetwork import predictNeuralNetwork
    X, y = course_data
    params = np.concatenate([w.ravel() for w in made_weights])
    J0 = nnCostFunction(params, 400, 25, 10, X, y, 0)[0]
    J1 = nnCostFunction(params, 400, 25, 10, X, y, 1)[0]
    accuracy = np.mean(predictNeuralNetwork(*made_weights, X) == y) * 100
    assert round(J0, 6) != 0.287629 and round(accuracy, 2) != 97.52
    results = grade.grade_submission(ROOT, data_dir=made_data, parts=PARTS, sandbox="process")
    assert [r.score for r in results] == [30, 15, 0] and all(r.passed for r in results)
    lines = {c.case.id: c.lines for r in results for c in r.cases}
    assert not any(c.skipped for r in results for c in r.cases)
    assert lines["cost/course"][0].endswith(
        f"J at the weights of data/ex4weights.mat (not the course's) on the course data, "
        f"lambda = 0 (the reference: {J0:.6f})")
    assert lines["cost/course"][1] == f"    expected J = {J0:.6f}, obtained J = {J0:.6f}"
    assert f"(the reference: {J1:.6f})" in lines["regularized_cost/course"][0]
    assert f"(the reference: {accuracy:.2f}%)" in lines["predict/course"][0]
    assert results[0].data_notes == ["the course's weights: ex4weights.mat of the grader's data "
                                     "folder holds other weights (see the cases on it)"]


def test_without_the_reference_other_weights_are_not_checked(made_data, course_data):
    """The student release has no reference: on weights that are not the
    course's, the handout's values cannot be checked, and are not."""
    files, _ = course.load_course(made_data)
    assert files["own_weights"]
    case = next(c for c in grade.all_cases() if c.id == "cost/course")
    table_oracle = TableOracle.__new__(TableOracle)
    assert course.on_own_weights(case, files, table_oracle) is case
    assert course.not_checked(case, files, made_data) == (
        "ex4weights.mat of the grader's data folder is not the course's file (copy it from the "
        "course materials)")
    # Inside the grader's folder, the path from it.
    assert course.shown_path(ROOT / "data", "ex4weights.mat") == "data/ex4weights.mat"


# --- the test suite's own switches ---------------------------------------------------

@pytest.fixture(scope="module")
def bare_project(tmp_path_factory, course_data):
    """A copy of the project's modules and conftest, data/ with ex4data1.mat
    only: a fresh clone, as far as the course files go."""
    folder = tmp_path_factory.mktemp("bare")
    for path in ROOT.glob("*.py"):
        shutil.copy(path, folder)
    shutil.copy(ROOT / "pytest.ini", folder)
    shutil.copytree(ROOT / "autograder", folder / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", folder / "tests")
    (folder / "data").mkdir()
    shutil.copy(ROOT / "data" / "ex4data1.mat", folder / "data")
    (folder / "tests" / "test_weights.py").write_text(
        "def test_weights(course_weights):\n    assert course_weights[0].shape == (25, 401)\n")
    return folder


def run_pytest(folder, *args, **env):
    """pytest in the copy ``folder``, in one process, without the course-file variables."""
    unset = dict.fromkeys(("CI", REQUIRE_VARIABLE, "EX4_DATA_DIR", "EX4_ORIGINAL_DATA"))
    return python("-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-n", 0, *args,
                  cwd=folder, env={**unset, **env}, timeout=300)


@pytest.mark.parametrize("env", [{}, {"CI": "true"}], ids=["plain", "CI=true"])
@pytest.mark.slow
def test_a_missing_course_file_skips_with_its_place(bare_project, env):
    proc = run_pytest(bare_project, "tests/test_weights.py", **env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "1 skipped" in proc.stdout
    assert "needs the course weights data/ex4weights.mat: copy it from the course materials " \
           "(exercise 4) into data/" in proc.stdout


@pytest.mark.slow
def test_the_variable_makes_a_missing_course_file_fail(bare_project):
    proc = run_pytest(bare_project, "tests/test_weights.py", **{REQUIRE_VARIABLE: "1"})
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "1 error" in proc.stdout                  # failed in its fixture
    assert f"{REQUIRE_VARIABLE}=1: the course files are required" in proc.stdout


@pytest.mark.parametrize("skips, code", [(MAX_SKIPS, 0), (MAX_SKIPS + 1, 1)])
@pytest.mark.slow
def test_more_than_max_skips_fails_the_run(bare_project, skips, code):
    (bare_project / "tests" / "test_skips.py").write_text(
        "import pytest\n\n\n@pytest.mark.parametrize('i', range(%d))\n"
        "def test_skipped(i):\n    pytest.skip('for want of something')\n\n\n"
        "def test_runs():\n    assert 1 + 1 == 2\n" % skips)
    proc = run_pytest(bare_project, "tests/test_skips.py")
    assert proc.returncode == code, proc.stdout[-3000:]
    assert f"1 passed, {skips} skipped" in proc.stdout
    warning = f"{skips} tests skipped, at most {MAX_SKIPS} may"
    assert (warning in proc.stdout) == (code == 1)
