"""The student release: stubs in place of the solution regions, nothing of
the reference solution, a working self-check, and ex4.py stopping with one
clear line at the first unwritten function.
"""
import json
import re
import shutil
import sys
import zipfile

import numpy as np
import pytest

from autograder import scheme
from autograder.release import BEGIN, END, STUB, make_release, solution_regions, stub_source
from commands import ROOT, python
from conftest import write_weights

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("release")



def run(args, cwd, timeout=600):
    return python(*args, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="module")
def release(student_release):
    return student_release


def region_lines(text):
    """The solution lines (code, not comments or STUB lines) of a source."""
    lines = text.splitlines()
    found = []
    for start, end in solution_regions(text):
        for line in lines[start + 1:end]:
            s = line.strip()
            if s and not s.startswith("#"):
                found.append(s)
    return found


def without_regions(text, stubbed):
    """The text with each region (reference) or YOUR CODE HERE block (release) cut out."""
    lines, out, skipping = text.splitlines(), [], False
    for line in lines:
        if (not stubbed and BEGIN.match(line)) or (stubbed and "YOUR CODE HERE" in line):
            out.append("<region>")
            skipping = True
        elif skipping and ((not stubbed and END.match(line))
                           or (stubbed and re.match(r"^\s*# =+$", line))):
            skipping = False
        elif not skipping:
            out.append(line)
    return out


def test_release_layout(release):
    folder, archive = release
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for f in scheme.STUDENT_FILES + scheme.PROVIDED_FILES + ("ex4.py", "ex4_analysis.py",
                                                             "lambda_study.py",
                                                             "autograder/handout_mistakes.json",
                                                             "README.md", "ANSWERS.md",
                                                             "requirements.txt", "data/ex4data1.mat",
                                                             "tests/test_submission.py",
                                                             "autograder/public_expected.json"):
        assert f in names, f
    if (ROOT / "data" / "ex4weights.mat").exists():
        assert "data/ex4weights.mat" in names
    for instructor_only in ("autograder/release.py", "autograder/hidden.py",
                            "autograder/mistakes.py", "tests/test_release.py",
                            "tests/test_reference.py", "tests/submissions.py",
                            "docs/analysis.md"):
        assert instructor_only not in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    with zipfile.ZipFile(archive) as z:
        zipped = {n.split("/", 1)[1] for n in z.namelist()}
    assert zipped == names


def test_release_readme_and_requirements_are_the_students(release):
    """README.md is docs/students.md, and links only to files of the release;
    requirements.txt is requirements/student.txt, standalone, without the
    instructor's or the test suite's packages."""
    folder, _ = release
    readme = (folder / "README.md").read_text()
    assert readme == (ROOT / "docs" / "students.md").read_text()
    for target in re.findall(r"\]\(([^)\s]+)\)", readme):
        if not re.match(r"[a-z]+:|#", target):
            assert (folder / target.split("#")[0]).exists(), f"README links to {target}"
    requirements = (folder / "requirements.txt").read_text()
    assert requirements == (ROOT / "requirements" / "student.txt").read_text()
    packages = {re.split(r"[<>=!~ \[;]", line.strip())[0].lower()
                for line in requirements.splitlines() if line.strip() and line[0] != "#"}
    assert {"numpy", "scipy", "matplotlib", "mlxtend", "threadpoolctl", "pytest"} <= packages
    assert not {p for p in packages if p.startswith("-")}, "the release has no requirements/"
    assert not packages & {"copydetect", "jinja2", "spyder-kernels", "jupyter_client"}


def test_release_differs_only_inside_solution_regions(release):
    folder, _ = release
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder)
        original = ROOT / rel
        assert original.exists(), f"{rel} is not a file of the project"
        if rel.name in scheme.STUDENT_FILES:
            assert without_regions(path.read_text(), True) == \
                without_regions(original.read_text(), False), rel
        else:
            assert path.read_bytes() == original.read_bytes(), rel


def test_release_holds_no_line_of_the_solution(release):
    folder, _ = release
    solution = set()
    for name in scheme.STUDENT_FILES:
        solution.update(region_lines((ROOT / name).read_text()))
    assert len(solution) > 20
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".json", ".txt", ".ini"):
            text = path.read_text()
            leaked = [line for line in solution if line in text]
            assert not leaked, f"{path.relative_to(folder)} holds solution lines: {leaked[:3]}"


def test_stubs_import_and_raise_not_implemented(release):
    folder, _ = release
    code = """
import numpy as np

calls = {
    "sigmoid": lambda f: f(np.zeros(3)),
    "sigmoidGradient": lambda f: f(np.zeros(3)),
    "randInitializeWeights": lambda f: f(3, 2),
    "predictNeuralNetwork": lambda f: f(np.zeros((2, 3)), np.zeros((3, 3)), np.zeros((4, 2))),
    "nnCostFunction": lambda f: f(np.zeros(15), 2, 2, 3, np.zeros((4, 2)), [1, 2, 3, 1], 0),
}
for name, call in calls.items():
    f = getattr(__import__(name), name)
    try:
        call(f)
    except NotImplementedError as exc:
        print(name, "->", exc)
    else:
        print(name, "-> returned")
"""
    result = run(["-c", code], folder)
    assert result.returncode == 0, result.stderr
    for name in scheme.STUDENT_FILES:
        stem = name[:-3]
        assert f"{stem} -> {stem} is not implemented yet: complete {name}" in result.stdout


@pytest.mark.slow
def test_grading_the_release_gives_zero_without_crashing(release, tmp_path, grading_data):
    folder, _ = release
    out = tmp_path / "results.json"
    result = run(["-m", "autograder", "grade", str(folder), "--json", str(out),
                  "--data", str(grading_data)], ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["score"] == 0
    graded = {t["name"]: t for t in data["tests"] if t["visibility"] == "visible"}
    for part in scheme.PARTS:
        assert graded[part.name]["score"] == 0
        assert "not implemented yet" in graded[part.name]["output"]
    for key, function in (("cost", "nnCostFunction"), ("sigmoid_gradient", "sigmoidGradient"),
                          ("sigmoid", "sigmoid")):        # the stub that stops the part
        assert f"{function} is not implemented yet" in graded[scheme.part(key).name]["output"]
    assert "Total" in result.stdout and "0 / 100" in result.stdout


@pytest.mark.slow
def test_release_self_check_grades_the_students_files(release, tmp_path):
    """`python -m pytest` in the release: 0 for the stubs; full marks once the
    student's files are right (here: the reference, copied in a copy)."""
    folder, _ = release
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], folder)
    assert result.returncode == 1
    assert "0 / 100" in result.stdout and "not implemented yet" in result.stdout
    assert f"{len(scheme.PARTS)} failed" in result.stdout
    done = tmp_path / "done"
    shutil.copytree(folder, done)
    for name in scheme.STUDENT_FILES:
        shutil.copyfile(ROOT / name, done / name)
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], done)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "100 / 100" in result.stdout and f"{len(scheme.PARTS)} passed" in result.stdout


@pytest.mark.slow
def test_release_ex4_stops_with_one_line_then_runs_on(release, tmp_path, made_weights):
    folder = tmp_path / "student"
    shutil.copytree(release[0], folder)
    weights = folder / "data" / "ex4weights.mat"
    if not weights.exists():                  # a fresh clone: weights made by the tests
        write_weights(weights.parent, *made_weights)
    from ex4data import load_ex4data1, load_ex4weights
    from nnCostFunction import nnCostFunction
    Theta1, Theta2 = load_ex4weights(weights)
    J, _ = nnCostFunction(np.concatenate([Theta1.ravel(), Theta2.ravel()]), 400, 25, 10,
                          *load_ex4data1(verbose=False), 0)
    result = run(["ex4.py", "--no-pause"], folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # The first stop is the README's first file, sigmoid.py.
    assert result.stderr.strip() == "Stopped: sigmoid is not implemented yet: complete sigmoid.py"
    shutil.copyfile(ROOT / "sigmoid.py", folder / "sigmoid.py")
    result = run(["ex4.py", "--no-pause"], folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "sigmoid([-5 0 5]) = 0.006693 0.500000 0.993307" in result.stdout
    assert result.stderr.strip() == ("Stopped: nnCostFunction is not implemented yet: "
                                     "complete nnCostFunction.py")
    # The student writes sigmoid and Part 1 of nnCostFunction (the cost): the
    # script prints the costs and stops at the next unwritten file.
    reference = (ROOT / "nnCostFunction.py").read_text()
    cost_only = stub_source(re.sub(r"^[ \t]*# (BEGIN|END) SOLUTION\n", "", reference,
                                   count=2, flags=re.M), "nnCostFunction.py")
    assert "np.zeros_like(Theta1)" in cost_only and "softplus" in cost_only
    (folder / "nnCostFunction.py").write_text(cost_only)
    shutil.copyfile(ROOT / "sigmoid.py", folder / "sigmoid.py")
    result = run(["ex4.py", "--no-pause"], folder)
    assert f"Cost at parameters (loaded from ex4weights): {J:f}" in result.stdout  # 0.287629
    assert result.stderr.strip() == ("Stopped: sigmoidGradient is not implemented yet: "
                                     "complete sigmoidGradient.py")
    # Backpropagation still a stub (zero gradient): one line, naming Part 2.
    for name in ("sigmoidGradient.py", "randInitializeWeights.py"):
        shutil.copyfile(ROOT / name, folder / name)
    result = run(["ex4.py", "--no-pause"], folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "Stopped: backpropagation is not implemented yet (nnCostFunction returns a gradient "
        "of zeros): complete Part 2 of nnCostFunction.py")


def test_stub_source_keeps_stub_lines_and_rejects_broken_markers():
    text = "def f():\n    # BEGIN SOLUTION\n    # STUB: x = 0\n    x = 42\n    # END SOLUTION\n    return x\n"
    out = stub_source(text, "f.py")
    assert "x = 0" in out and "x = 42" not in out and "YOUR CODE HERE" in out
    assert STUB.match("    # STUB: y = 1").group("code") == "y = 1"
    from autograder.release import ReleaseError
    with pytest.raises(ReleaseError, match="never ends"):
        solution_regions("# BEGIN SOLUTION\nx = 1\n")
    with pytest.raises(ReleaseError, match="no solution region"):
        stub_source("x = 1\n", "g.py")


def test_release_refuses_to_overwrite_a_foreign_folder(tmp_path):
    from autograder.release import ReleaseError
    (tmp_path / "keep.txt").write_text("precious")
    with pytest.raises(ReleaseError, match="not an earlier release"):
        make_release(tmp_path, verbose=False)
    assert (tmp_path / "keep.txt").read_text() == "precious"


def test_child_limits_degrade_where_resource_is_missing(monkeypatch):
    """On Windows there is no resource module: the limits are skipped."""
    from autograder.isolated import limits
    monkeypatch.setitem(sys.modules, "resource", None)       # import resource -> ImportError
    limits.limit_resources({"RLIMIT_AS": 1})                  # no error
