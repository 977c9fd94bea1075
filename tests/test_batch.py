"""Grading a class (``python -m autograder grade-all``) and the Gradescope zip.

A batch of mixed submissions (right, wrong, hostile, zipped, empty, not a
zip) gives the expected CSV; an interrupted batch (SIGINT, SIGKILL) leaves a
valid CSV of complete rows and, run again, ends with the same CSV as an
uninterrupted run; ``--force`` regrades; the Gradescope zip's run_autograder
grades a submission laid out as on Gradescope.
"""
import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import batch, gradescope, records, safezip, scheme, submissions, verdict
from autograder.__main__ import build_parser, time_limits
from commands import ENV, ROOT, autograder_command

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("batch")


BIAS_OLD = "np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2)"
BIAS_NEW = "np.sum(Theta1 ** 2) + np.sum(Theta2 ** 2)"
EXIT = "\n\nimport os as _os\n\n\ndef nnCostFunction(*args, **kwargs):\n    _os._exit(3)\n"
# Waits for ever when regularised only: "cost" passes, "regularized_cost"
# times out. (It sleeps: the busy-looping kind is tested with the time
# limits, in tests/test_budget.py and tests/test_hostile.py.)
LOOP = ("\n\nimport time as _time\n\n_reference = nnCostFunction\n\n\n"
        "def nnCostFunction(*args, **kwargs):\n"
        "    if args[-1] != 0:\n        while True:\n            _time.sleep(1)\n"
        "    return _reference(*args, **kwargs)\n")

COST, REG, SG, SIG = (scheme.part(k).name for k in ("cost", "regularized_cost",
                                                     "sigmoid_gradient", "sigmoid"))
MIXED_PARTS = ["cost", "regularized_cost", "sigmoid_gradient", "sigmoid"]


def reference_text(name):
    return (ROOT / name).read_text()


def wrong_cost():
    text = reference_text("nnCostFunction.py")
    assert text.count(BIAS_OLD) == 1, "the reference's regularisation line changed"
    return text.replace(BIAS_OLD, BIAS_NEW)


def write_student(folder, replace=None, leave_out=()):
    """The reference's five files in ``folder``, with files replaced/left out."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in scheme.STUDENT_FILES:
        if name in leave_out:
            continue
        text = (replace or {}).get(name, reference_text(name))
        (folder / name).write_text(text)
    return folder


def grade_all(args, timeout=300):
    return autograder_command("grade-all", *args, timeout=timeout)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def columns(parts):
    return (["student"] + [scheme.part(k).name for k in parts]
            + ["total", "status", "reason", "diagnosis"])


# --- the mixed batch -------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed(tmp_path_factory, grading_data):
    base = tmp_path_factory.mktemp("mixed")
    subs = base / "submissions"
    write_student(subs / "ref")
    write_student(subs / "wrong", {"nnCostFunction.py": wrong_cost()})
    write_student(subs / "exit", {"nnCostFunction.py": reference_text("nnCostFunction.py") + EXIT})
    write_student(subs / "loop", {"nnCostFunction.py": reference_text("nnCostFunction.py") + LOOP})
    (subs / "empty").mkdir()
    (subs / "notzip.zip").write_bytes(b"PK this is not a zip file\n" * 10)
    (subs / "notes.txt").write_text("not a submission")
    # Zipped as students do: a nested folder, macOS debris, a file that is not code,
    # and an entry trying to escape the extraction folder.
    inner = write_student(base / "zipsrc" / "Downloads" / "ex4")
    (inner / "README.txt").write_text("my submission")
    with zipfile.ZipFile(subs / "zipped.zip", "w") as z:
        for path in sorted((base / "zipsrc").rglob("*")):
            z.write(path, path.relative_to(base / "zipsrc"))
        z.writestr("__MACOSX/Downloads/ex4/._nnCostFunction.py", b"\x00\x05\x16\x07 junk")
        z.writestr("../escaped.py", "print('out')\n")
    csv_path, json_dir = base / "grades.csv", base / "json"
    start = time.monotonic()
    proc = grade_all([subs, "--csv", csv_path, "--json-dir", json_dir, "--jobs", 2,
                      "--timeout", 8, "--parts", *MIXED_PARTS, "--data", grading_data])
    return SimpleNamespace(base=base, subs=subs, csv=csv_path, json=json_dir, proc=proc,
                           seconds=time.monotonic() - start, data=grading_data)


@pytest.mark.slow
def test_mixed_batch_gives_the_expected_csv(mixed):
    assert mixed.proc.returncode == 0, mixed.proc.stderr
    fields, rows = read_rows(mixed.csv)
    assert fields == columns(MIXED_PARTS)
    got = [(r["student"], r[COST], r[REG], r[SG], r[SIG], r["total"], r["status"]) for r in rows]
    assert got == [
        ("empty", "0", "0", "0", "failed", "0", "missing files"),
        ("exit", "0", "0", "5", "passed", "5", "crashed"),
        ("loop", "30", "0", "5", "passed", "35", "timeout"),
        ("notzip", "0", "0", "0", "failed", "0", "missing files"),
        ("ref", "30", "15", "5", "passed", "50", "graded"),
        ("wrong", "30", "0", "5", "passed", "35", "graded"),
        ("zipped", "30", "15", "5", "passed", "50", "graded"),
    ]
    reasons = {r["student"]: r["reason"] for r in rows}
    diagnoses = {r["student"]: r["diagnosis"] for r in rows}
    assert reasons["ref"] == reasons["zipped"] == diagnoses["ref"] == diagnoses["zipped"] == ""
    # a student who lost points while every part ran: the part and why
    assert diagnoses["wrong"] and "bias" in diagnoses["wrong"]
    assert reasons["wrong"] == f"{REG}: {diagnoses['wrong']}"
    assert reasons["exit"].startswith(f"{COST}: ") and diagnoses["exit"] == "crashed"
    assert reasons["loop"].startswith(f"{REG}: ") and "8" in reasons["loop"]
    assert diagnoses["loop"] == "timeout"
    assert "none of the student files" in reasons["empty"]
    assert "not a valid zip file" in reasons["notzip"]
    assert diagnoses["empty"] == diagnoses["notzip"] == "missing files"
    assert "notes.txt" in mixed.proc.stderr                     # listed as ignored
    assert "Status: graded 3, missing files 2, timeout 1, crashed 1" in mixed.proc.stdout
    assert not (mixed.base / "escaped.py").exists()


@pytest.mark.slow
def test_mixed_batch_writes_one_results_json_per_student(mixed):
    names = sorted(p.name for p in mixed.json.iterdir())
    assert names == [f"{s}.json" for s in ("empty", "exit", "loop", "notzip", "ref", "wrong",
                                           "zipped")]
    wrong = json.loads((mixed.json / "wrong.json").read_text())
    assert wrong["score"] == 35 and wrong["status"] == "graded"
    assert {t["name"]: t["score"] for t in wrong["tests"]
            if not t["name"].endswith("hidden cases")} == {COST: 30, REG: 0, SG: 5, SIG: 0}
    zipped = json.loads((mixed.json / "zipped.json").read_text())
    assert any("Downloads/ex4" in n for n in zipped["submission_notes"])
    assert any("unsafe path" in n and "escaped.py" in n for n in zipped["submission_notes"])
    notzip = json.loads((mixed.json / "notzip.json").read_text())
    assert notzip["score"] == 0 and "not a valid zip file" in notzip["output"]


@pytest.mark.slow
def test_a_rerun_grades_nothing_and_force_regrades(mixed):
    before = mixed.csv.read_text()
    fields, rows = read_rows(mixed.csv)
    # Tamper with a row: a rerun keeps it (the student is done), --force corrects it.
    rows[[r["student"] for r in rows].index("ref")]["total"] = "99"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    mixed.csv.write_text(out.getvalue())
    args = [mixed.subs, "--csv", mixed.csv, "--json-dir", mixed.json, "--jobs", 2,
            "--timeout", 8, "--parts", *MIXED_PARTS, "--data", mixed.data]
    rerun = grade_all(args)
    assert rerun.returncode == 0, rerun.stderr
    assert "0 to grade, 7 already in" in rerun.stderr
    assert mixed.csv.read_text() == out.getvalue()
    details = records.details_path(mixed.csv)
    assert len(details.read_text().splitlines()) == 7             # nothing appended
    forced = grade_all(args + ["--force", "--jobs", 2])
    assert forced.returncode == 0, forced.stderr
    assert "7 to grade" in forced.stderr
    assert mixed.csv.read_text() == before
    assert len(details.read_text().splitlines()) == 7             # rewritten, not appended


@pytest.mark.slow
def test_a_csv_with_other_columns_is_not_overwritten(mixed, tmp_path):
    other = tmp_path / "other.csv"
    shutil.copyfile(mixed.csv, other)
    proc = grade_all([mixed.subs, "--csv", other, "--parts", "sigmoid_gradient"])
    assert proc.returncode == 2 and "other columns" in proc.stderr
    assert other.read_text() == mixed.csv.read_text()


# --- interrupted batches ------------------------------------------------------------------

RESUME_PARTS = ["regularized_cost", "sigmoid_gradient"]
RESUME_STUDENTS = ["s1", "s2", "s3", "s4", "s5", "s6"]


@pytest.fixture(scope="module")
def resumable(tmp_path_factory, grading_data):
    base = tmp_path_factory.mktemp("resume")
    for i, name in enumerate(RESUME_STUDENTS):
        if i % 3 == 1:
            write_student(base / "subs" / name, {"nnCostFunction.py": wrong_cost()})
        else:
            write_student(base / "subs" / name)
    expected = base / "expected.csv"
    proc = grade_all([base / "subs", "--csv", expected, "--jobs", 2, "--parts", *RESUME_PARTS,
                      "--data", grading_data])
    assert proc.returncode == 0, proc.stderr
    return SimpleNamespace(base=base, subs=base / "subs", expected=expected, data=grading_data)


@pytest.mark.slow
def test_the_uninterrupted_run(resumable):
    fields, rows = read_rows(resumable.expected)
    assert fields == columns(RESUME_PARTS)
    assert [(r["student"], r[REG], r[SG], r["status"]) for r in rows] == [
        (name, "0" if i % 3 == 1 else "15", "5", "graded")
        for i, name in enumerate(RESUME_STUDENTS)]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.slow
def test_an_interrupted_batch_resumes_to_the_same_csv(resumable, tmp_path, sig):
    csv_path = tmp_path / "grades.csv"
    args = [sys.executable, "-m", "autograder", "grade-all", str(resumable.subs),
            "--csv", str(csv_path), "--jobs", "1", "--parts", *RESUME_PARTS,
            "--data", str(resumable.data)]
    scratch = tmp_path / "tmp"          # where a killed batch leaves its scratch folders
    scratch.mkdir()
    # Started as a shell without job control starts a command in the
    # background: SIGINT ignored. The batch stops on it all the same.
    proc = subprocess.Popen(args, cwd=ROOT, env=dict(ENV, TMPDIR=str(scratch)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if csv_path.exists() and len(read_rows(csv_path)[1]) >= 1:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        proc.send_signal(sig)
        sent = time.monotonic()
        stdout, stderr = proc.communicate(timeout=60)
        stopped_in = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if sig == signal.SIGINT:
        assert proc.returncode == 130, stderr
        assert "interrupted" in stderr
        assert stopped_in < 15
        assert not list(scratch.iterdir())          # cleaned up
    else:
        assert proc.returncode == -signal.SIGKILL
    # A valid CSV of complete rows, each as in the uninterrupted run.
    fields, rows = read_rows(csv_path)
    expected_fields, expected_rows = read_rows(resumable.expected)
    assert fields == expected_fields
    assert 1 <= len(rows) < len(RESUME_STUDENTS)
    by_student = {r["student"]: r for r in expected_rows}
    for row in rows:
        assert row == by_student[row["student"]]
    # Run again: only the rest is graded, and the CSV ends as the uninterrupted one.
    rerun = grade_all(args[4:] + ["--jobs", "2"])
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(RESUME_STUDENTS) - len(rows)} to grade, {len(rows)} already in" in rerun.stderr
    assert csv_path.read_text() == resumable.expected.read_text()
    assert not list(tmp_path.glob(".grades.csv.*.tmp"))


# --- submissions: zips, folders, statuses (no grading) ------------------------------------

def make_zip(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_safe_extract_writes_only_py_files_inside(tmp_path):
    archive = make_zip(tmp_path / "s.zip", {
        "a/sigmoid.py": "x = 1\n", "../../up.py": "x\n", "/abs/root.py": "x\n",
        "C:/win.py": "x\n", "a\\b\\back.py": "y = 2\n", "a/data.bin": b"\x00" * 10,
        "__MACOSX/a/._sigmoid.py": "junk", "a/._sigmoid.py": "junk", ".hidden/x.py": "x\n"})
    dest = tmp_path / "deep" / "dest"
    dest.mkdir(parents=True)
    notes = safezip.safe_extract(archive, dest)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["deep/dest/a/b/back.py", "deep/dest/a/sigmoid.py", "s.zip"]
    assert sum("unsafe path" in n for n in notes) == 3


def test_safe_extract_refuses_what_is_not_a_zip_or_too_big(tmp_path, monkeypatch):
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(safezip.SubmissionError, match="not a valid zip file"):
        safezip.safe_extract(tmp_path / "bad.zip", tmp_path)
    bomb = make_zip(tmp_path / "bomb.zip", {"big.py": "#" * 5000})
    monkeypatch.setattr(safezip, "ZIP_MAX_BYTES", 4000)
    with pytest.raises(safezip.SubmissionError, match="uncompressed"):
        safezip.safe_extract(bomb, tmp_path / "out")
    monkeypatch.setattr(safezip, "ZIP_MAX_MEMBERS", 3)
    many = make_zip(tmp_path / "many.zip", {f"f{i}.py": "" for i in range(4)})
    with pytest.raises(safezip.SubmissionError, match="entries"):
        safezip.safe_extract(many, tmp_path / "out2")


def test_locate_finds_the_folder_with_the_most_student_files(tmp_path):
    for name in scheme.STUDENT_FILES[:2]:                 # a stale copy at the top
        (tmp_path / name).write_text("")
    for sub in ("old/ex4", "new", "__MACOSX/new2"):
        (tmp_path / sub).mkdir(parents=True)
    for name in scheme.STUDENT_FILES:
        (tmp_path / "new" / name).write_text("")
        (tmp_path / "old" / "ex4" / name).write_text("")
        (tmp_path / "__MACOSX" / "new2" / name).write_text("")
    assert submissions.locate(tmp_path) == (tmp_path / "new", 5)   # most files, then shallowest
    assert submissions.locate(tmp_path / "old") == (tmp_path / "old" / "ex4", 5)
    (tmp_path / "empty").mkdir()
    assert submissions.locate(tmp_path / "empty")[1] == 0


def test_a_folder_holding_one_zip_is_graded_from_the_zip(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    make_zip(folder / "upload.zip", {f"hw/{n}": "" for n in scheme.STUDENT_FILES})
    found, notes = submissions.prepare(folder, tmp_path / "scratch")
    assert found == tmp_path / "scratch" / "inner" / "hw"
    assert "graded the files of upload.zip" in notes


def test_list_submissions_names_and_ignores(tmp_path):
    for name in ("alice", "bob", ".hidden", "__MACOSX"):
        (tmp_path / name).mkdir()
    for name in ("bob.zip", "carol.ZIP", "dave.zip"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "grades.csv").write_text("")
    (tmp_path / "readme.md").write_text("")
    subs, ignored = submissions.list_submissions(tmp_path, exclude=[tmp_path / "grades.csv"])
    assert [s.student for s in subs] == ["alice", "bob", "bob.zip", "carol", "dave"]
    assert ignored == ["readme.md"]


def test_status_precedence_and_reason():
    def result(key, status, *messages):
        return SimpleNamespace(part=scheme.part(key), status=status, messages=list(messages))
    ok = result("sigmoid", "graded")
    assert verdict.student_status([ok, ok]) == ("graded", "")
    missing = result("rand_init", "missing files", "  missing file: randInitializeWeights.py")
    timeout = result("cost", "timeout", "", "  timeout: the part did not finish\nmore")
    crashed = result("predict", "crashed", "  the process stopped")
    assert verdict.student_status([ok, missing]) == (
        "missing files", f"{scheme.part('rand_init').name}: missing file: randInitializeWeights.py")
    assert verdict.student_status([missing, timeout, ok]) == (
        "timeout", f"{COST}: timeout: the part did not finish")
    assert verdict.student_status([missing, timeout, crashed])[0] == "crashed"


def test_failure_summary_names_the_first_failing_part_and_its_diagnosis():
    def case(passed, *lines):
        return SimpleNamespace(passed=passed, skipped=False, lines=["  FAIL [public] x", *lines])

    def result(key, status="graded", passed=True, diagnoses=(), cases=(), messages=()):
        return SimpleNamespace(part=scheme.part(key), status=status, passed=passed,
                               diagnoses=list(diagnoses), cases=list(cases),
                               messages=list(messages))
    ok = result("cost")
    extra = result("predict", passed=False, diagnoses=["the labels are 0-based"])
    wrong = result("regularized_cost", passed=False, cases=[case(False, "    expected J = 1")])
    assert verdict.failure_summary([ok], "graded") == ("", "")
    # graded parts before the extra checks; no diagnosis: the first failing line
    assert verdict.failure_summary([ok, extra, wrong], "graded") == (f"{REG}: expected J = 1", "")
    assert verdict.failure_summary([ok, extra], "graded") == (
        f"{scheme.part('predict').name}: the labels are 0-based", "the labels are 0-based")
    # a part whose file does not compile
    assert verdict.failure_summary([wrong], "graded", {"nnCostFunction.py"}) == (
        f"{REG}: syntax error in nnCostFunction.py", "syntax error in nnCostFunction.py")
    wrong.diagnoses = ["your code raised SyntaxError"]                # the root cause wins
    assert verdict.failure_summary([wrong], "graded", {"nnCostFunction.py"})[1] == \
        "syntax error in nnCostFunction.py"
    # another status: the reason stays student_status's, the diagnosis is the status
    late = result("cost", status="timeout", passed=False, diagnoses=["timeout"])
    assert verdict.failure_summary([wrong, late], "timeout") == (None, "timeout")
    assert verdict.short("the bias weights are regularised: leave out the first column") == \
        "the bias weights are regularised"
    assert len(verdict.short("x" * 200)) == 80


def test_syntax_errors_and_details_survive_a_cut_line(tmp_path):
    (tmp_path / "a.py").write_text("def f(:\n")
    (tmp_path / "b.py").write_text("x = 1\n")
    assert verdict.syntax_errors(tmp_path) == [
        verdict.BrokenFile("a.py", 1, "SyntaxError: invalid syntax")]
    path = records.details_path(tmp_path / "grades.csv")
    assert path.name == "grades.details.jsonl"
    records.append_details(path, {"student": "ann", "total": 1})
    records.append_details(path, {"student": "ann", "total": 2})
    with open(path, "a") as f:
        f.write('{"student": "bob", "tot')                   # cut by a kill
    assert records.read_details(path) == {"ann": {"student": "ann", "total": 2}}


@pytest.mark.slow
def test_a_grader_failure_gives_a_row_and_is_graded_again(tmp_path, monkeypatch, course_data):
    import autograder.grade
    write_student(tmp_path / "subs" / "ann")
    csv_path = tmp_path / "grades.csv"

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(autograder.grade, "grade_submission", broken)
    out, err = io.StringIO(), io.StringIO()
    assert batch.grade_all(tmp_path / "subs", csv_path, jobs=1, parts=["sigmoid_gradient"],
                           out=out, err=err) == 0
    assert read_rows(csv_path)[1] == [{"student": "ann", SG: "0", "total": "0",
                                       "status": "crashed",
                                       "reason": "grader error: RuntimeError: boom",
                                       "diagnosis": "grader error"}]
    assert "The grader failed on 1 submission(s) (ann)" in out.getvalue()
    monkeypatch.undo()
    assert batch.grade_all(tmp_path / "subs", csv_path, jobs=1, parts=["sigmoid_gradient"],
                           out=out, err=err) == 0
    assert [(r["student"], r[SG], r["status"]) for r in read_rows(csv_path)[1]] == [
        ("ann", "5", "graded")]


def test_command_line_errors(tmp_path):
    proc = grade_all([tmp_path / "nothing", "--csv", tmp_path / "g.csv"], timeout=60)
    assert proc.returncode == 2 and "must be a folder" in proc.stderr
    proc = grade_all([tmp_path, "--csv", tmp_path / "g.csv", "--parts", "nope"], timeout=60)
    assert proc.returncode == 2 and "unknown part" in proc.stderr
    assert not (tmp_path / "g.csv").exists()


# --- the time limits on the command line ---------------------------------------------------

def test_limits_prints_the_limits_the_grader_computes():
    proc = autograder_command("limits", timeout=60)
    assert proc.returncode == 0, proc.stderr
    small, course, training, imports, budget = time_limits()
    assert course.seconds == round(scheme.CASE_SECONDS + 5000 * scheme.SECONDS_PER_EXAMPLE)
    assert training.seconds == scheme.case_timing({"call": {"kind": "train", "maxiter": 50}})[
        "limit"]
    assert small.seconds == scheme.CASE_SECONDS
    assert (imports.seconds, budget.seconds) == (scheme.IMPORT_SECONDS, scheme.DEFAULT_BUDGET)
    for limit in (small, course, training, imports, budget):
        assert f"{limit.seconds:>3g} s  {limit.what}\n" in proc.stdout


def test_help_texts_take_the_limits_from_the_scheme(capsys):
    def command_help(name):
        with pytest.raises(SystemExit):
            build_parser().parse_args([name, "--help"])
        return " ".join(capsys.readouterr().out.split())

    _, course, training, _, budget = time_limits()
    assert f"{course.seconds:g} s for the 5000 examples" in command_help("grade")
    assert f"{training.seconds:g} s for training" in command_help("grade")
    for name in ("grade", "grade-all", "gradescope"):
        assert f"(default: {budget.seconds:g}" in command_help(name), name


def test_gradescope_templates_are_filled_from_the_scheme():
    values = gradescope.template_values(123)
    script = gradescope.fill_template(
        (gradescope.TEMPLATES / "run_autograder").read_bytes(), values).decode()
    assert 'BUDGET="${AUTOGRADER_BUDGET:-123}"' in script
    assert f"{scheme.DEFAULT_BUDGET:g}" in script and "@" not in script.replace('"$@"', "")
    with pytest.raises(gradescope.BuildError, match="NOPE"):
        gradescope.fill_template(b"x @NOPE@ y", values)


# --- Gradescope ---------------------------------------------------------------------------

def run_autograder(root, **variables):
    """Start the zip's run_autograder as Gradescope does: a copy in ROOT
    (``variables``: more of its environment, e.g. AUTOGRADER_LANG)."""
    shutil.copyfile(root / "source" / "run_autograder", root / "run_autograder")
    env = dict(ENV, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, **variables)
    return subprocess.Popen(["bash", str(root / "run_autograder")], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


@pytest.mark.slow
def test_a_gradescope_zip_in_french_gives_french_feedback(tmp_path, grading_data):
    """``gradescope --lang fr``: run_autograder writes the students' feedback in
    French (the zip holds the compiled catalog); AUTOGRADER_LANG overrides it."""
    out = tmp_path / "ex4-gradescope.zip"
    built = autograder_command("gradescope", out, "--data", grading_data, "--lang", "fr",
                               timeout=300)
    assert built.returncode == 0, built.stderr
    root = tmp_path / "gs"
    with zipfile.ZipFile(out) as z:
        assert "locales/fr/LC_MESSAGES/ex4.mo" in z.namelist()
        assert 'FEEDBACK_LANG="${AUTOGRADER_LANG:-fr}"' in z.read("run_autograder").decode()
        z.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "submission" / "notes.txt").write_text("oops")        # nothing to grade: fast
    cost = scheme.part("cost")
    for variables, name, words in [
            ({}, f"{cost.name} (propagation avant et fonction de coût)",
             "fichiers manquants : nnCostFunction.py"),
            ({"AUTOGRADER_LANG": "en"}, cost.name, "missing files: nnCostFunction.py")]:
        proc = run_autograder(root, **variables)
        output = proc.communicate(timeout=300)[0]
        assert proc.returncode == 0, output
        results = json.loads((root / "results" / "results.json").read_text())
        test = results["tests"][0]
        assert (results["score"], test["name"]) == (0, name), output
        assert words in test["output"], test["output"]


@pytest.mark.slow
def test_gradescope_zip_grades_a_submission_as_on_gradescope(tmp_path, grading_data):
    out = tmp_path / "ex4-gradescope.zip"
    built = autograder_command("gradescope", out, "--data", grading_data, timeout=300)
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(out) as z:
        infos = {i.filename: i for i in z.infolist()}
        names = set(infos)
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
        needed = {"setup.sh", "run_autograder", "requirements.txt", "autograder/__main__.py",
                  "autograder/grade.py", "autograder/hidden.py", "autograder/gradescope.py",
                  "data/ex4data1.mat", "data/ex4weights.mat"}
        needed |= set(scheme.STUDENT_FILES) | set(scheme.PROVIDED_FILES)
        assert needed <= names, needed - names
        assert not [n for n in names if "__pycache__" in n or n.endswith("public_expected.json")]
        assert "pip install" in z.read("setup.sh").decode()
        # setup.sh installs requirements.txt alone: no line may include another file
        requirements = z.read("requirements.txt").decode().splitlines()
        assert "numpy" in " ".join(requirements)
        assert not [line for line in requirements if line.strip().startswith("-")], requirements
        for script in gradescope.SCRIPTS:                     # every placeholder filled
            assert not gradescope.PLACEHOLDER.search(z.read(script)), script
        layouts = {}
        for case in ("top", "nested", "empty"):
            root = tmp_path / case
            z.extractall(root / "source")
            (root / "submission").mkdir()
            layouts[case] = root
    for script in ("setup.sh", "run_autograder"):     # extractall drops the modes
        for root in layouts.values():
            os.chmod(root / "source" / script, 0o755)
    write_student(layouts["top"] / "submission")
    write_student(layouts["nested"] / "submission" / "my ex4",
                  {"nnCostFunction.py": wrong_cost()})
    (layouts["empty"] / "submission" / "notes.txt").write_text("oops")
    procs = {case: run_autograder(root) for case, root in layouts.items()}
    outputs = {case: p.communicate(timeout=600)[0] for case, p in procs.items()}
    results = {}
    for case, root in layouts.items():
        assert procs[case].returncode == 0, outputs[case]
        results[case] = json.loads((root / "results" / "results.json").read_text())
    assert results["top"]["score"] == 100
    assert results["nested"]["score"] == 75          # the bias column regularised
    failed = {t["name"] for t in results["nested"]["tests"] if t["score"] < t["max_score"]}
    assert failed == {REG, scheme.part("regularized_gradient").name}
    assert "my ex4" in results["nested"]["output"]
    assert results["empty"]["score"] == 0
    assert "none of the student files" in results["empty"]["output"]
    visible = {t.get("visibility") for r in results.values() for t in r["tests"]}
    assert visible <= {"visible", "after_due_date"}


def test_gradescope_run_writes_results_json_when_the_grader_fails(tmp_path, monkeypatch):
    """Gradescope's run on a grader that raises: a results.json all the same,
    score 0, saying it is not the student's code, the traceback for the
    instructor; exit code 1."""
    import autograder.grade
    def broken(*args, **kwargs):
        raise RuntimeError("the course files are damaged")
    monkeypatch.setattr(autograder.grade, "grade_submission", broken)
    write_student(tmp_path / "submission")
    out = tmp_path / "results" / "results.json"
    assert gradescope.run_submission(tmp_path / "submission", out) == 1
    results = json.loads(out.read_text())
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"] == ("The autograder failed (RuntimeError: the course files are "
                                 "damaged). This is not about your code: tell your instructor.")
    assert "RuntimeError" in results["extra_data"]["internal_error"]
