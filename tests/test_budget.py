"""Grading within a time budget, and never without a report.

Through the real commands (``python -m autograder grade`` / ``grade-all`` /
the Gradescope zip's ``run_autograder``): a submission whose five functions
all hang is fully reported, every part at 0 with "timed out" or "not run",
well within the budget; a hung nnCostFunction alone costs only its parts;
a budget used up gives "not run" for what is left, and a complete report;
a zero gradient (fmin_cg stops at iteration 0) and a NaN gradient get a
report; the per-example loop solution still gets every point with both
cores busy; a class with hanging submissions ends in about (hanging x
budget / jobs). The times asserted are generous bounds, not measurements
(bench/bench_budget.py measures).
"""
import csv
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder import scheme
from autograder.isolated.watch import NewLines
from commands import ENV, ROOT, autograder_command
from submissions import LOOP_NN_COST_FUNCTION

FUNCTIONS = [name[:-3] for name in scheme.STUDENT_FILES]
HANGS = {"while_true": "    while True:\n        pass\n",
         "sleep": "    import time\n    time.sleep(10 ** 6)\n"}
COST_PARTS = ("cost", "regularized_cost", "backprop", "regularized_gradient")


def override(function, body):
    """Text appended to a reference module: ``function`` redefined with ``body``."""
    return f"\n\ndef {function}(*args, **kwargs):\n{body}"


def write_submission(folder, extra=None, files=None):
    """The reference's five files, with text appended (``extra``: file ->
    text) or whole files replaced (``files``: file -> text)."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    for name in scheme.STUDENT_FILES:
        text = (files or {}).get(name, (ROOT / name).read_text())
        (folder / name).write_text(text + (extra or {}).get(name, ""))
    return folder


def hanging(folder, kind, functions=FUNCTIONS):
    return write_submission(folder, {f"{f}.py": override(f, HANGS[kind]) for f in functions})


def grade(folder, tmp_path, data, *options, timeout=600):
    """Grade through the command with the data folder ``data`` (the
    ``grading_data`` fixture); (JSON of results.json, stdout, seconds)."""
    out = tmp_path / "results.json"
    start = time.monotonic()
    proc = autograder_command("grade", folder, "--json", out, "--data", data, *options,
                              timeout=timeout)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text()), proc.stdout, seconds


def visible(results):
    return {t["name"]: t for t in results["tests"] if t["visibility"] == "visible"}


def table_status(stdout, key):
    name = scheme.part(key).name
    match = re.search(rf"^{re.escape(name)} +\d+ / \d+ +(\w[\w ]*?) *$", stdout, re.M)
    assert match, stdout[:3000]
    return match.group(1)


def case_lines(test):
    """The verdict line of each case in a part's feedback ("    timed out: ...")."""
    return re.findall(r"^  (?:ok  |FAIL) \[\w+\] .*\n((?:    .*\n?)*)", test["output"], re.M)


# --- following a supervisor's events ------------------------------------------------------

def test_the_events_are_read_from_where_the_last_poll_stopped(tmp_path):
    """The grader polls the supervisor's events file: each poll gives the
    events appended since the previous one, once; a line being written waits
    for its end; a line that is not a JSON object is skipped."""
    path = tmp_path / "events.jsonl"
    events = NewLines(path)
    assert events.rows() == []                                  # not written yet
    path.write_text('{"event": "start", "part": "cost"}\n{"event": "case_ti')
    assert events.rows() == [{"event": "start", "part": "cost"}]
    assert events.rows() == []
    with open(path, "a") as f:
        f.write('meout", "part": "cost"}\nnot json\n[1, 2]\n{"event": "end", "part": "cost"}\n')
    assert events.rows() == [{"event": "case_timeout", "part": "cost"},
                             {"event": "end", "part": "cost"}]
    assert events.rows() == []


# --- hanging functions -------------------------------------------------------------------

@pytest.mark.slow
def test_a_hung_nnCostFunction_costs_only_its_parts(tmp_path, grading_data):
    # It sleeps: the busy-looping kind burns a core for each limit, and is
    # tested where a class holds it (test_grade_all_with_hanging_submissions).
    folder = hanging(tmp_path / "sub", "sleep", ["nnCostFunction"])
    results, stdout, seconds = grade(folder, tmp_path, grading_data)
    scores = {name: t["score"] for name, t in visible(results).items()}
    assert results["score"] == 5                                   # Sigmoid Gradient only
    for key in COST_PARTS + ("training",):
        assert scores[scheme.part(key).name] == 0
        assert table_status(stdout, key) == "timeout"
    for key in ("sigmoid_gradient", "sigmoid", "rand_init", "predict"):
        assert table_status(stdout, key) == "passed"
    assert seconds < scheme.DEFAULT_BUDGET


@pytest.mark.slow
def test_a_used_up_budget_reports_the_rest_as_not_run(tmp_path, grading_data):
    """Each call of nnCostFunction sleeps 1 s: right, but the 15 s budget
    runs out during the cost parts; what is left is "not run"."""
    slow = ("\n\n_reference = nnCostFunction\n\n\ndef nnCostFunction(*args, **kwargs):\n"
            "    import time\n    time.sleep(1.0)\n    return _reference(*args, **kwargs)\n")
    folder = write_submission(tmp_path / "sub", {"nnCostFunction.py": slow})
    results, stdout, seconds = grade(folder, tmp_path, grading_data, "--budget", 15)
    tests = visible(results)
    assert set(tests) == {p.name for p in scheme.PARTS}
    everything = "\n".join(t["output"] for t in results["tests"])
    assert "not run: the grading budget of 15 s for a submission was used up" in everything
    assert "ok   [public] J of nnCostFunction(t, 2, 4, 4, Xm, ym, 0)" in everything  # 1 s: fits
    assert tests[scheme.part("training").name]["score"] == 0
    assert table_status(stdout, "training") == "timeout"
    assert seconds < 15 + 90                     # the budget, and starting, reporting, load


# --- reports on legal but odd submissions -------------------------------------------------

ZERO = "    import numpy as np\n    return 1.0, np.zeros(np.size(args[0]))\n"
NAN = "    import numpy as np\n    return 1.0, np.full(np.size(args[0]), np.nan)\n"


@pytest.mark.slow
@pytest.mark.parametrize("body, words", [(ZERO, "grad is all zeros"), (NAN, "grad holds nan")],
                         ids=["zero_gradient", "nan_gradient"])
def test_a_zero_or_nan_gradient_gets_a_report(body, words, tmp_path, grading_data):
    """fmin_cg stops at iteration 0: the training check once crashed on costs[-1]."""
    folder = write_submission(tmp_path / "sub",
                              {"nnCostFunction.py": override("nnCostFunction", body)})
    results, stdout, _ = grade(folder, tmp_path, grading_data, "--parts", "backprop", "training")
    tests = visible(results)
    backprop, training = (tests[scheme.part(k).name] for k in ("backprop", "training"))
    assert backprop["score"] == 0 and words in backprop["output"], backprop["output"]
    assert training["status"] == "failed"
    assert "fmin_cg stopped before its first iteration" in training["output"], training["output"]
    assert "training accuracy 10.00%" in training["output"]    # one label for every digit
    assert "internal error" not in stdout


def test_an_exception_in_the_checking_code_is_a_failed_case_not_an_aborted_grade(
        monkeypatch, grading_data):
    from autograder import checks, feedback
    from autograder import grade as grading

    def broken(*args):
        raise ZeroDivisionError("a bug of the grader")

    monkeypatch.setitem(checks.CHECKS, "J", broken)
    results = grading.grade_submission(ROOT, data_dir=grading_data,
                                       parts=["cost", "sigmoid_gradient"])
    by_key = {r.part.key: r for r in results}
    cost = by_key["cost"]
    assert cost.score == 0
    broken_cases = [c for c in cost.cases if c.case.check == "J"]
    # Every J case of the part (submit.m's, the 6-5-11 one, the hidden ones
    # and the robustness notes) went through the broken check.
    assert len(broken_cases) == len([c for c in grading.all_cases()
                                     if c.part == "cost" and c.check == "J"]) >= 4
    for c in broken_cases:
        assert not c.passed
        assert "internal error in the grader while checking this case (ZeroDivisionError)" \
            in "\n".join(c.lines)
        assert "a bug of the grader" in c.internal_error            # the traceback
    assert by_key["sigmoid_gradient"].score == 5                    # graded on
    document = feedback.gradescope_json(results, 1.0)
    test = next(t for t in document["tests"] if t["name"] == cost.part.name)
    assert "ZeroDivisionError: a bug of the grader" in test["extra_data"]["internal_errors"][0]
    assert "Traceback" not in test["output"]                         # not for the student


def test_a_grader_that_cannot_grade_still_writes_results_json(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ex4data1.mat").write_bytes(b"not a MATLAB file")
    out = tmp_path / "results.json"
    proc = autograder_command("grade", ROOT, "--json", out, "--data", data, timeout=300)
    assert proc.returncode == 1
    results = json.loads(out.read_text())
    assert results["score"] == 0 and results["tests"] == []
    assert "The autograder failed" in results["output"]
    assert "Traceback" in results["extra_data"]["internal_error"]


# --- right but slow ------------------------------------------------------------------------

@pytest.mark.slow
def test_the_loop_solution_gets_every_point_within_the_default_limits(tmp_path, grading_data):
    """The handout's per-example loop form, the slowest right solution: every
    part, its training (a minute) included, within the default limits. How
    long it takes, idle and with both cores busy, is bench/bench_budget.py's
    measure (docs/benchmarks.md); the limits are set far above it."""
    folder = write_submission(tmp_path / "sub", files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION})
    results, stdout, _ = grade(folder, tmp_path, grading_data)
    assert results["score"] == 100, stdout[:4000]
    for part in scheme.PARTS:
        assert table_status(stdout, part.key) == "passed", stdout[:4000]
    assert "timed out" not in stdout and "not run" not in stdout


# --- a class --------------------------------------------------------------------------------

@pytest.mark.slow
def test_grade_all_with_hanging_submissions_ends_in_about_hanging_x_budget_over_jobs(
        tmp_path, grading_data):
    subs = tmp_path / "class"
    subs.mkdir()
    kinds = ["while_true", "sleep"]              # a busy loop and a sleep, one each
    for i, kind in enumerate(kinds):
        hanging(subs / f"hang{i}", kind)
    write_submission(subs / "right")
    budget, jobs = 10, 2
    start = time.monotonic()
    proc = autograder_command("grade-all", subs, "--csv", tmp_path / "grades.csv",
                              "--json-dir", tmp_path / "json", "--budget", budget, "--jobs",
                              jobs, "--data", grading_data, timeout=900)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert set(rows) == {f"hang{i}" for i in range(len(kinds))} | {"right"}
    for i in range(len(kinds)):
        row = rows[f"hang{i}"]
        assert (row["total"], row["status"]) == ("0", "timeout"), row
        output = json.loads((tmp_path / "json" / f"hang{i}.json").read_text())["output"]
        # 5 s for nnCostFunction, then sigmoidGradient until the budget ends.
        assert f"the grading budget of {budget} s for a submission" in output
    assert (rows["right"]["total"], rows["right"]["status"]) == ("100", "graded"), rows["right"]
    # 2 x 10 / 2 = 10 s for the hanging ones; the right one, starting the
    # supervisors and a loaded machine get a wide margin.
    assert seconds < len(kinds) * budget / jobs + 120, proc.stdout


# --- Gradescope --------------------------------------------------------------------------------

@pytest.mark.slow
def test_run_autograder_grades_an_all_hanging_submission_within_gradescope_limit(
        tmp_path, grading_data):
    """Gradescope's run_autograder on a submission whose five functions sleep
    forever: the whole report, within Gradescope's default limit. (The
    busy-looping kind: test_hostile, test_grade_all_with_hanging_submissions.)"""
    out = tmp_path / "gs.zip"
    built = autograder_command("gradescope", out, "--data", grading_data, timeout=300)
    assert built.returncode == 0, built.stderr
    root = tmp_path / "gs"
    with zipfile.ZipFile(out) as z:
        script = z.read("run_autograder").decode()
        z.extractall(root / "source")
    assert f'BUDGET="${{AUTOGRADER_BUDGET:-{scheme.DEFAULT_BUDGET}}}"' in script
    assert '--budget "$BUDGET"' in script
    hanging(root / "submission", "sleep")
    shutil.copyfile(root / "source" / "run_autograder", root / "run_autograder")
    start = time.monotonic()
    proc = subprocess.run(["bash", str(root / "run_autograder")], capture_output=True, text=True,
                          env=dict(ENV, AUTOGRADER_ROOT=str(root),
                                   AUTOGRADER_PYTHON=sys.executable),
                          timeout=900, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    check_all_hanging(results)
    assert seconds < 600                              # Gradescope's default limit


def check_all_hanging(results):
    """The report of a submission whose five functions all hang: complete,
    every case saying why it has no value."""
    tests = visible(results)
    assert set(tests) == {p.name for p in scheme.PARTS}           # the report is complete
    assert results["score"] == 0
    for part in scheme.PARTS:
        test = tests[part.name]
        assert test["score"] == 0 and test["status"] == "failed", test["output"]
        # Every case says why it has no value: timed out, or not run.
        # A message repeated across cases is shown once, with "(in N of M
        # cases)": the other cases' details are then empty.
        verdicts = case_lines(test)
        shown = [v for v in verdicts if v]
        assert shown and all(re.match(r"    (timed out|not run): ", v) for v in shown), \
            test["output"]
        assert not re.search(r"^  ok  ", test["output"], re.M), test["output"]
    cost = tests[scheme.part("cost").name]["output"]
    assert ("timed out: nnCostFunction did not return within 5 s on a 7-example problem"
            in cost), cost
    assert "not run: nnCostFunction did not return on a 7-example problem within 5 s" in cost
    training = tests[scheme.part("training").name]["output"]
    assert "not run: nnCostFunction did not return on a 5-example problem within 5 s" in training


@pytest.mark.slow
def test_a_module_that_hangs_at_import_costs_one_limit(tmp_path, grading_data):
    """sigmoidGradient.py never finishes importing: every part that needs it
    is reported, the others are graded."""
    folder = write_submission(tmp_path / "sub",
                              {"sigmoidGradient.py": "\nwhile True:\n    pass\n"})
    results, stdout, _ = grade(folder, tmp_path, grading_data, "--timeout", 4)
    tests = visible(results)
    assert results["score"] == 0
    cost = tests[scheme.part("cost").name]["output"]
    assert "timed out: importing sigmoidGradient.py did not finish within 4 s" in cost, cost
    for key in COST_PARTS + ("sigmoid_gradient", "training"):
        assert table_status(stdout, key) == "timeout"
        assert "importing sigmoidGradient.py did not finish within 4 s" in \
            tests[scheme.part(key).name]["output"]
    for key in ("sigmoid", "rand_init", "predict"):
        assert table_status(stdout, key) == "passed"
