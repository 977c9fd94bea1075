"""Realistic student submissions (tests/students/, written as whole files the
way students write them, not typed into the template) graded through the
real command, as an instructor would: ``python -m autograder grade-all
tests/students --csv FILE --json-dir DIR --jobs 2``, in a subprocess, then
each student's results.json read back.

tests/students/MANIFEST.json says, for each submission, the score of each
graded part, the verdict of each extra check, the words the feedback of a
part must show to name the mistake (groups of alternatives: each group
needs one of its words), and whether the report must be free of "Your code
printed". Every report must be free of scratch paths.

Two grade-all commands: every part but training, for all the submissions,
and the training check (50 iterations of fmin_cg on the course data) for the
vectorised ones ("training": "fast" in the manifest). The per-example loop
solutions ("slow": a minute each) are not trained here: their training
follows their gradient, graded in the backpropagation parts, and the time a
loop solution's training takes within its limits is tested once, with both
cores busy, in tests/test_budget.py. Two submissions are not trained ((m, m)
arrays, nan arithmetic: minutes each). Then ``python -m autograder grade`` on
a few, for its printed report, and ex4.py run start to finish with each
submission whose values are all right, as the student runs it.
"""
import json
import re

import pytest

from autograder import scheme
from commands import ROOT, autograder_command, python
from conftest import reference_costs

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("students")

STUDENTS = ROOT / "tests" / "students"
MANIFEST = json.loads((STUDENTS / "MANIFEST.json").read_text())["submissions"]
NAMES = sorted(MANIFEST)
NOT_TRAINING = [p.key for p in scheme.PARTS if p.key != "training"]
SCRATCH_MARKS = ("/tmp/", "ex4grade-")
# Feedback lines that name a mistake or an error: each at most once per part.
REPEATABLE = ("likely", "hint", "note", "your code raised", "your function")


def graded_total(name):
    return sum(v for k, v in MANIFEST[name]["expected"].items() if scheme.part(k).graded)


def grade_all(folder, out, parts, timeout, data):
    """Run grade-all on ``folder``; student name -> its results.json."""
    out.mkdir(parents=True, exist_ok=True)
    proc = autograder_command("grade-all", folder, "--csv", out / "grades.csv", "--json-dir",
                              out / "json", "--jobs", 2, "--data", data, "--parts", *parts,
                              timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    found = {p.stem: json.loads(p.read_text()) for p in (out / "json").glob("*.json")}
    return ResultsOf(found, proc.stdout[-3000:])


class ResultsOf(dict):
    """student -> results.json; a missing student fails with grade-all's output."""

    def __init__(self, found, output):
        super().__init__(found)
        self.output = output

    def __missing__(self, name):
        pytest.fail(f"grade-all wrote no results.json for {name}:\n{self.output}")


def linked_folder(path, names):
    """A folder of symbolic links to some of the submissions (grade-all
    grades a whole folder)."""
    path.mkdir(parents=True)
    for name in names:
        (path / name).symlink_to(STUDENTS / name, target_is_directory=True)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory, grading_data):
    """Every submission, every part but training: student -> results.json."""
    return grade_all(STUDENTS, tmp_path_factory.mktemp("students"), NOT_TRAINING, timeout=1200,
                     data=grading_data)


# The training check on the "fast" submissions whose training fails (each its
# own way; two that fail as another does are left out), and on a few whose
# training passes while it stresses the check: a helper module, nn_params
# changed in place, warnings, hard-coded 400-25-10 sizes, a gradient slightly
# off (the bias regularised). The other passing ones train as the reference
# does (tests/test_display_and_scripts.py), whose every value the grader has
# already checked.
TRAINING_PASSES = ("right_feedforward_helper", "wrong_mutates_params", "wrong_unstable_sigmoid",
                   "wrong_hardcoded_shapes", "wrong_regularize_bias")
TRAINING_FAILS_AS_ANOTHER = ("wrong_column_major_plus_bias_reg",      # as wrong_column_major
                             "wrong_labels_zero_based_compare",       # as wrong_labels_zero_based
                             "wrong_theta2_grad_not_over_m")   # as wrong_transposed_theta2_grad
TRAINED = [n for n in NAMES if MANIFEST[n]["training"] == "fast"
           and (n in TRAINING_PASSES or MANIFEST[n]["expected"]["training"] == "failed")
           and n not in TRAINING_FAILS_AS_ANOTHER]


@pytest.fixture(scope="module")
def trained_fast(tmp_path_factory, grading_data):
    """The TRAINED submissions, the training check only: student -> results.json."""
    folder = linked_folder(tmp_path_factory.mktemp("training") / "submissions", TRAINED)
    return grade_all(folder, folder.parent / "out", ["training"], timeout=1800,
                     data=grading_data)


def part_tests(results, key):
    """(the part's main test, its visible feedback, all its feedback)."""
    name = scheme.part(key).name
    mine = [t for t in results["tests"] if t["name"] == name or t["name"].startswith(name + ":")]
    main = [t for t in mine if t["name"] == name]
    assert len(main) == 1, f"no single test named {name!r}: {[t['name'] for t in results['tests']]}"
    visible = "\n".join(t.get("output", "") for t in mine
                        if t.get("visibility", "visible") == "visible")
    return main[0], visible, "\n".join(t.get("output", "") for t in mine)


def check_parts(name, results, keys):
    want = MANIFEST[name]["expected"]
    wrong = []
    for key in keys:
        main, _, text = part_tests(results, key)
        part = scheme.part(key)
        got = main["score"] if part.graded else main["status"]
        if got != want[key]:
            wrong.append(f"{key}: expected {want[key]}, obtained {got}\n{text[:1500]}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


def check_diagnoses(name, results, keys):
    missing = []
    for key, groups in MANIFEST[name]["diagnoses"].items():
        if key not in keys:
            continue
        _, visible, _ = part_tests(results, key)
        low = visible.lower()
        for group in groups:
            if not any(word.lower() in low for word in group):
                missing.append(f"{key}: none of {group} in its visible feedback:\n{visible[:2000]}")
    assert not missing, f"{name}:\n" + "\n".join(missing)


def check_clean(name, results):
    text = "\n".join([results.get("output", "")] + [t.get("output", "") for t in results["tests"]])
    for mark in SCRATCH_MARKS:
        assert mark not in text, f"{name}: the report shows a scratch path ({mark!r}):\n" + \
            "\n".join(line for line in text.splitlines() if mark in line)[:2000]
    lines = text.splitlines()               # "the first ones:" is followed by them
    for line, after in zip(lines, lines[1:] + [""]):
        assert not (line.endswith("differ; the first ones:") and not after.startswith("      ")), \
            f"{name}: {line!r} and no value after it"
    for test in results["tests"]:           # before the due date: no values of a failing hidden case
        if test.get("visibility", "visible") != "visible":
            continue
        in_failing_hidden = False
        for line in test.get("output", "").splitlines():
            if re.match(r"\s*(ok|FAIL|skip)\s+\[", line):
                in_failing_hidden = re.match(r"\s*FAIL\s+\[hidden\]", line) is not None
            elif in_failing_hidden:
                assert not re.search(r"expected|obtained|differ", line), \
                    f"{name}, {test['name']}: a failing hidden case's values before the due date: {line}"
    for test in results["tests"]:           # a diagnosis is shown once per part, not per case
        lines = [line.strip() for line in test.get("output", "").splitlines()
                 if line.strip().startswith(REPEATABLE)]
        repeated = sorted({line for line in lines if lines.count(line) > 1})
        assert not repeated, f"{name}, {test['name']}: shown more than once: {repeated}"
    if MANIFEST[name]["quiet"]:
        assert "Your code printed" not in text, \
            f"{name}: a right solution's report has 'Your code printed':\n{text[-2000:]}"


def test_the_ex4_runs_are_right_valued_submissions():
    assert len(EX4_RUNS) == 5 and set(EX4_RUNS) <= set(RIGHT_VALUES)
    assert "right_feedforward_helper" in TRAINED


def test_manifest_covers_the_folders_and_the_scheme():
    folders = sorted(p.name for p in STUDENTS.iterdir() if p.is_dir())
    assert folders == NAMES
    keys = [p.key for p in scheme.PARTS]
    for name, entry in MANIFEST.items():
        assert sorted(entry["expected"]) == sorted(keys), name
        assert set(entry["diagnoses"]) <= set(keys), name
        assert entry["training"] in ("fast", "slow", "not graded"), name
    right = [n for n in NAMES if n.startswith("right_")]
    assert len(right) >= 8
    for name in right:
        entry = MANIFEST[name]
        assert sum(v for k, v in entry["expected"].items() if scheme.part(k).graded) == 100
        assert all(entry["expected"][p.key] == "passed" for p in scheme.PARTS if not p.graded)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_part_scores(name, graded):
    results = graded[name]
    check_parts(name, results, NOT_TRAINING)
    assert results["score"] == graded_total(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_diagnosis_names_the_mistake(name, graded):
    check_diagnoses(name, graded[name], NOT_TRAINING)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_report_is_clean(name, graded):
    check_clean(name, graded[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", TRAINED)
def test_training(name, trained_fast):
    check_parts(name, trained_fast[name], ["training"])
    check_diagnoses(name, trained_fast[name], ["training"])
    check_clean(name, trained_fast[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["right_feedforward_helper", "wrong_syntax_error",
                                  "wrong_mutates_params"])
def test_grade_command(name, tmp_path, grading_data):
    """The one-submission command an instructor types: its printed report
    and its results.json agree with the manifest, without scratch paths."""
    out = tmp_path / "results.json"
    proc = autograder_command("grade", STUDENTS / name, "--json", out, "--data", grading_data,
                              "--parts", *NOT_TRAINING)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())
    check_parts(name, results, NOT_TRAINING)
    check_diagnoses(name, results, NOT_TRAINING)
    check_clean(name, results)
    report = proc.stdout.split("\nresults written to ")[0]     # that line names our file
    for mark in SCRATCH_MARKS:
        assert mark not in report, [line for line in report.splitlines() if mark in line]
    assert re.search(rf"^Total +{graded_total(name)} / 100 *$", proc.stdout, re.M), proc.stdout[:1500]


# The submissions whose every value is right (the right ones, and the
# footnote's epsilon, the overflow warning, the changed nn_params).
RIGHT_VALUES = [n for n in NAMES if graded_total(n) == 100
                and MANIFEST[n]["expected"]["training"] == "passed"]
# ex4.py runs with those whose files differ in how they fit together (a
# helper module, one student file importing another, star imports, inputs
# changed in place, warnings); a single file, loop or vectorised, runs as the
# reference does.
EX4_RUNS = [n for n in RIGHT_VALUES if n in (
    "right_feedforward_helper", "right_predict_imports_cost", "right_star_import",
    "wrong_mutates_params", "wrong_unstable_sigmoid")]


@pytest.mark.slow
@pytest.mark.parametrize("name", EX4_RUNS)
def test_ex4_runs_to_the_end(name, tmp_path, grading_data):
    """What the student does: ex4.py with their files (and helpers) beside the
    provided ones, start to finish (3 iterations of training), with the
    handout's numbers on the way."""
    for provided in ("ex4.py",) + scheme.PROVIDED_FILES:
        (tmp_path / provided).write_text((ROOT / provided).read_text())
    for mine in (STUDENTS / name).glob("*.py"):
        (tmp_path / mine.name).write_text(mine.read_text())
    (tmp_path / "data").symlink_to(grading_data, target_is_directory=True)
    proc = python("ex4.py", "--no-pause", "--maxiter", 3, "--figures", tmp_path / "fig",
                  cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    out = proc.stdout
    J0, J1 = reference_costs(grading_data)          # 0.287629, 0.383770 at the course weights
    assert f"Cost at parameters (loaded from ex4weights): {J0:f}" in out
    assert "0.196612 0.235004 0.250000 0.235004 0.196612\n(this" in out
    regularized = f"Cost at parameters (loaded from ex4weights): {J1:f}" in out
    differences = [float(x) for x in re.findall(r"Relative Difference: (\S+)", out)]
    assert len(differences) == 2, out[-3000:]
    if MANIFEST[name]["changes_inputs"]:
        # nn_params changed in place (its bias weights zeroed): ex4.py's next
        # step, the regularised cost, sees other weights, and so does
        # checkNNGradients' numerical gradient: what the grader's note explains.
        assert not regularized and min(differences) > 1e-9, out[:3000]
    else:
        assert regularized and max(differences) < 1e-9, (differences, out[:1500])
    assert re.search(r"Training Set Accuracy: \d+\.\d+", out)
