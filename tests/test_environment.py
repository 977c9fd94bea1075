"""Only the student's code sets the score: the grader's environment is never scored.

- In process mode as root, the scientific packages a submission imports
  are imported for it before the privileges drop (autograder/isolated/imports.py),
  so that a Python the user nobody cannot read grades as bubblewrap does.
- A part that fails all the same because of the grader's environment is
  "not graded (grading environment)": status "environment error", its CSV
  cell "not graded", graded again by the next run, exit code 3 with the fix.
- Every part's processes have their own temporary folder, in its scratch folder.
- The sandbox reads a copy of the grader's Matplotlib font list (none is
  built for each supervisor).
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder import batch, records, scheme, supervisor, verdict
from autograder.cases import public_cases
from autograder.diagnoses import NOT_IMPLEMENTED
from autograder.hints import GRADER_ENVIRONMENT
from autograder.feedback import report, table
from autograder.isolation import bwrap_available, bwrap_prefix
from autograder.isolated.imports import imported_names, import_for_submission, modules_to_import
from autograder.results import ENVIRONMENT_EXIT, CaseResult, PartResult, mark_environment_error
from commands import ENV, ROOT, autograder_command

IS_ROOT = os.name == "posix" and os.geteuid() == 0
COST, SG = scheme.part("cost"), scheme.part("sigmoid_gradient")
RIGHT = ROOT / "tests" / "students" / "right_vectorised_french"


# --- what a submission imports (ast) -------------------------------------------------

def test_imported_names_reads_every_form_of_import():
    source = (
        "import numpy as np\n"
        "import scipy\n"
        "import matplotlib.pyplot as plt\n"
        "from sklearn.preprocessing import OneHotEncoder\n"
        "from scipy import special\n"
        "from . import helper\n"
        "from utils import *\n"
        "def f(x):\n"
        "    import pandas\n"
        "    r = scipy.optimize.fmin_cg(x)\n"
        "    return np.linalg.norm(x) + np.sum(x) + special.expit(x)\n")
    assert imported_names(source) == {
        "numpy", "scipy", "matplotlib.pyplot", "sklearn.preprocessing",
        "sklearn.preprocessing.OneHotEncoder", "scipy.special", "utils", "pandas",
        "scipy.optimize", "numpy.linalg"}
    assert imported_names("def f(:\n") == set()          # a file that does not compile


def test_only_allow_listed_packages_and_never_the_students_own_modules(tmp_path):
    (tmp_path / "nnCostFunction.py").write_text(
        "import numpy as np\nimport yaml\nimport sklearn.preprocessing\nimport pandas\n"
        "import numpy.__main__\n")
    (tmp_path / "pandas.py").write_text("X = 1\n")          # the student's own "pandas"
    (tmp_path / "notes.txt").write_text("import matplotlib\n")
    assert modules_to_import(tmp_path) == ["numpy", "sklearn.preprocessing"]


# --- a Python that the user nobody cannot read ----------------------------------------

@pytest.fixture
def private_packages(monkeypatch):
    """Two packages in a folder only root may read, on sys.path: one the
    tests allow-list, one they do not."""
    base = Path(tempfile.mkdtemp(dir="/tmp"))                # /tmp: reachable by nobody
    private = base / "private"
    for name in ("ex4_scientific_probe", "ex4_other_probe"):
        (private / name).mkdir(parents=True)
        (private / name / "__init__.py").write_text("X = 1\n")
        (private / name / "sub.py").write_text("Y = 2\n")
    base.chmod(0o755)
    private.chmod(0o700)
    monkeypatch.syspath_prepend(str(private))
    yield base
    for name in list(sys.modules):
        if name.startswith(("ex4_scientific_probe", "ex4_other_probe")):
            del sys.modules[name]
    shutil.rmtree(base)


@pytest.mark.skipif(not IS_ROOT, reason="dropping privileges needs root")
def test_what_a_submission_imports_is_imported_before_the_privileges_drop(private_packages):
    from autograder.isolated.privileges import probe_imports
    from autograder.isolation import NOBODY
    part = private_packages / "part"
    part.mkdir()
    (part / "nnCostFunction.py").write_text(
        "import ex4_scientific_probe as sp\nimport ex4_other_probe\n"
        "def nnCostFunction():\n    return sp.sub.Y\n")
    tops = ["ex4_other_probe", "ex4_scientific_probe"]
    assert sorted(probe_imports(NOBODY, tops)) == tops          # nobody can import either
    assert "ex4_scientific_probe" not in sys.modules
    done = import_for_submission([str(part)], allowed=("ex4_scientific_probe",))
    assert done == ["ex4_scientific_probe", "ex4_scientific_probe.sub"]
    assert "ex4_other_probe" not in sys.modules                 # not allow-listed
    # the part's process, forked afterwards, finds them; the other one still not
    assert list(probe_imports(NOBODY, ["ex4_scientific_probe.sub", *tops])) == ["ex4_other_probe"]


# --- a part the grader's environment failed -------------------------------------------

def environment_failure(part):
    """A PartResult as grade.py makes it when every case raised
    ModuleNotFoundError for a module installed for the grader."""
    cases = [c for c in public_cases() if c.part == part.key][:2]
    diagnosis = GRADER_ENVIRONMENT.given(name="sklearn")
    result = PartResult(part, 0)
    result.cases = [CaseResult(c, False, ["  FAIL [public] x", "    your code raised "
                                          "ModuleNotFoundError: No module named 'sklearn'"],
                               diagnosis=diagnosis,
                               advice=f"    likely cause: {diagnosis.sentence}")
                    for c in cases]
    return result


def test_a_part_failed_by_the_environment_is_not_graded():
    failed, passed = environment_failure(COST), PartResult(SG, SG.points)
    passed.cases = [CaseResult(c, True, ["  ok"]) for c in public_cases() if c.part == SG.key]
    assert mark_environment_error(failed) and not mark_environment_error(passed)
    assert (failed.status, failed.missing_module, failed.passed) == (
        "environment error", "sklearn", False)
    judged = verdict.verdict([failed, passed])
    assert judged.status == "environment error"
    assert judged.reason.startswith(f"{COST.name}: not graded (grading environment): sklearn "
                                    "could not be imported")
    assert judged.diagnosis == "environment error"
    row = records.student_row("ann", [COST, SG], [failed, passed], 5, judged)
    assert (row[COST.name], row[SG.name], row["status"]) == ("not graded", "5", "environment error")
    text = report([failed, passed])
    assert f"{COST.name}: not graded (grading environment)" in text
    assert "- / 30   not graded (grading environment)" in table([failed, passed])
    assert "Total                            5 / 35   not final: 1 part not graded" in text
    # a student's own mistake stays a score
    wrong = environment_failure(COST)
    for c in wrong.cases:
        c.diagnosis = NOT_IMPLEMENTED
    assert not mark_environment_error(wrong) and wrong.status == "graded"


def test_a_batch_with_an_environment_error_exits_3_and_grades_it_again(tmp_path, monkeypatch):
    import autograder.grade
    for student in ("ann", "bob"):
        shutil.copytree(RIGHT, tmp_path / "subs" / student)
    calls = []

    def grade_submission(folder, **kwargs):
        calls.append(Path(folder).name)
        passed = PartResult(SG, SG.points, cases=[CaseResult(c, True, ["  ok"]) for c in
                                                  public_cases() if c.part == SG.key])
        if Path(folder).name == "bob":
            return [passed]
        failed = environment_failure(SG)
        mark_environment_error(failed)
        return [failed]

    monkeypatch.setattr(autograder.grade, "grade_submission", grade_submission)
    csv_path, out = tmp_path / "grades.csv", io.StringIO()
    code = batch.grade_all(tmp_path / "subs", csv_path, jobs=1, parts=["sigmoid_gradient"],
                           out=out, err=io.StringIO(), sandbox="process")
    assert code == ENVIRONMENT_EXIT == 3
    rows = records.read_csv(csv_path, records.columns([SG]))
    assert (rows["ann"]["status"], rows["ann"][SG.name]) == ("environment error", "not graded")
    assert (rows["bob"]["status"], rows["bob"][SG.name]) == ("graded", "5")
    assert "not graded because of the grading environment: 1 submission(s) (ann)" in out.getvalue()
    assert "then grade again" in out.getvalue()
    calls.clear()
    batch.grade_all(tmp_path / "subs", csv_path, jobs=1, parts=["sigmoid_gradient"],
                    out=io.StringIO(), err=io.StringIO(), sandbox="process")
    assert len(calls) == 1                       # ann only: bob's row is done


@pytest.fixture(scope="module")
def private_venv(tmp_path_factory):
    """A virtual environment in a folder only root may read (the system's
    packages visible), holding a package that nobody therefore cannot import."""
    base = tmp_path_factory.mktemp("private-python")
    base.chmod(0o700)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(venv)], check=True, capture_output=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    (site / "ex4_grader_only").mkdir()
    (site / "ex4_grader_only" / "__init__.py").write_text("def sig(z):\n    return z\n")
    return venv / "bin" / "python"


@pytest.mark.slow
@pytest.mark.skipif(not IS_ROOT, reason="dropping privileges needs root")
def test_grade_says_not_graded_and_exits_3_when_nobody_cannot_import(private_venv, tmp_path,
                                                                     course_data):
    folder = tmp_path / "submission"
    shutil.copytree(RIGHT, folder)
    text = (folder / "sigmoidGradient.py").read_text()
    (folder / "sigmoidGradient.py").write_text("import ex4_grader_only\n" + text)
    proc = subprocess.run([str(private_venv), "-m", "autograder", "grade", str(folder),
                           "--sandbox", "process", "--parts", "sigmoid_gradient"],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert re.search(r"^Sigmoid Gradient +- / 5 +not graded \(grading environment\)$",
                     proc.stdout, re.M), proc.stdout[:1000]
    assert "ex4_grader_only could not be imported by the process running your code" \
        in proc.stdout
    assert "grade: not graded because of the grading environment: Sigmoid Gradient " \
           "(ex4_grader_only could not be imported" in proc.stderr
    assert "chmod -R o+rX" in proc.stderr                 # the fix


# --- the temporary folder ---------------------------------------------------------------

@pytest.mark.slow
def test_a_submissions_temporary_files_land_in_its_scratch_folder(tmp_path, course_data):
    folder = tmp_path / "submission"
    shutil.copytree(RIGHT, folder)
    text = (folder / "sigmoidGradient.py").read_text()
    (folder / "sigmoidGradient.py").write_text(
        "import os\nimport tempfile\n\n"
        "with tempfile.NamedTemporaryFile('w', delete=False) as _note:\n"
        "    _note.write('cache')\n"
        "print('temporary file in my folder:', os.path.realpath(_note.name).startswith(\n"
        "    os.path.realpath(os.getcwd()) + os.sep),\n"
        "    os.environ['TMPDIR'] == tempfile.gettempdir())\n"
        + text)
    proc = autograder_command("grade", folder, "--sandbox", "process", "--parts",
                              "sigmoid_gradient", timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "temporary file in my folder: True True" in proc.stdout, proc.stdout[-2000:]
    assert re.search(r"^Sigmoid Gradient +5 / 5 +passed", proc.stdout, re.M)


# --- Matplotlib's font list ---------------------------------------------------------------

def test_the_font_list_is_found_where_matplotlib_keeps_it(tmp_path, monkeypatch):
    (tmp_path / "fontlist-v390.json").write_text("{}")
    (tmp_path / "other.json").write_text("{}")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path))
    assert supervisor.font_lists() == [tmp_path / "fontlist-v390.json"]
    monkeypatch.delenv("MPLCONFIGDIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert supervisor.font_lists() == []
    (tmp_path / "cache" / "matplotlib").mkdir(parents=True)
    (tmp_path / "cache" / "matplotlib" / "fontlist-v3.11.0.json").write_text("{}")
    assert supervisor.font_lists() == [tmp_path / "cache" / "matplotlib" / "fontlist-v3.11.0.json"]


def test_a_grader_without_a_font_list_has_matplotlib_build_one_once(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "grader"))
    supervisor.build_font_list.cache_clear()
    supervisor.copy_font_list(tmp_path / "sandbox")
    built = supervisor.font_lists()
    assert [p.name for p in built] == [p.name for p in (tmp_path / "sandbox").iterdir()] != []
    supervisor.build_font_list.cache_clear()


@pytest.mark.skipif(not bwrap_available(), reason="needs bubblewrap")
def test_the_sandbox_reads_the_graders_font_list_instead_of_building_one(tmp_path):
    """A student's module that imports matplotlib.pyplot: in the sandbox's
    empty temporary folder Matplotlib would build its font list again (fc-list
    and every font file read, about a second for each part), and write it.
    It reads the copy of the grader's instead, and leaves it as it is."""
    folder = tmp_path / ".matplotlib"
    supervisor.copy_font_list(folder)
    copied = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert [name for name in copied if name.startswith("fontlist-v")], "no font list copied"
    command = bwrap_prefix([tmp_path]) + [
        sys.executable, "-I", "-c",
        "import matplotlib.font_manager as f; print(len(f.fontManager.ttflist))"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env=supervisor.child_environment(folder), stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 0
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == copied
