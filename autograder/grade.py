"""Grade one submission, part by part.

For each part: run its cases in a separate process (runner.py), compare the
values with the expected ones (oracle.py, checks.py) here, in the grader's
process, and write the feedback (feedback.py). A part is all or nothing, as
on Coursera: its points are given only when every one of its scored cases
passes.
"""
import sys
import traceback
from pathlib import Path

from . import scheme
from .cases import public_cases
from .course import ROOT, course_and_oracle, not_checked, on_own_weights
from .results import CaseResult, PartResult, mark_environment_error
from .follow import RunResult
from .isolation import MEMORY_LIMIT, isolation_mode
from .runner import run_parts
from .judge import check_case
from .texts import indented, said


def all_cases():
    """The public cases, and the hidden ones where hidden.py is (not in the release)."""
    cases = public_cases()
    try:
        from .hidden import hidden_cases
    except ImportError:                      # the student release has no hidden cases
        return cases
    return cases + hidden_cases()


def _prepare_part(part, cases, course, data_dir, submission_dir, timeout):
    """The PartResult of a part before it runs (its cases that cannot be
    checked, a missing file), and its job for the runner (None: not run)."""
    mine = [c for c in cases if c.part == part.key]
    unusable = {c.id: why for c in mine for why in [not_checked(c, course, data_dir)] if why}
    result = PartResult(part, 0)
    result.cases = [CaseResult(c, True, [said("  skip [public] {label}: {why}", label=c.label,
                                                  why=said("not checked: {why}",
                                                           why=unusable[c.id]))], skipped=True)
                    for c in mine if c.id in unusable]
    missing = [f for f in part.files if not (submission_dir / f).is_file()]
    if missing:
        result.status = "missing files"
        files = ", ".join(missing)
        result.messages.append(indented(
            said("missing files: {files} (0 for this part)", files=files) if len(missing) > 1
            else said("missing file: {files} (0 for this part)", files=files), "  "))
        return result, None
    runnable = [c for c in mine if c.id not in unusable]
    return result, {"key": part.key, "files": part.files, "cases": runnable, "timeout": timeout}


def _run(jobs, submission_dir, root, data_dir, mode, course, pool, budget):
    """key -> RunResult of each job; an exception of the runner itself makes
    every part "crashed" with an internal-error note, never an aborted grade."""
    if not jobs:
        return {}
    preload = sorted({"X", "params"} & set(course)) if any(
        c.needs for j in jobs for c in j["cases"]) else []
    wire = [dict(j, cases=[c.wire() for c in j["cases"]]) for j in jobs]
    try:
        return run_parts(wire, submission_dir, root, data_dir, sandbox=mode, preload=preload,
                         pool=pool, budget=budget)
    except Exception as exc:                       # noqa: BLE001  (the report comes first)
        text = traceback.format_exc()
        runs = {j["key"]: RunResult(records={}, status="crashed", notes=[said(
            "internal error in the grader while running this part ({error}): not a verdict "
            "on your code; your instructor has the details", error=type(exc).__name__)])
            for j in jobs}
        for run in runs.values():
            run.internal_error = text
        return runs


def _record_run(result, run):
    """The process's status, notes and output into the part's result."""
    result.seconds = run.seconds
    result.output, result.output_bytes = run.output, run.output_bytes
    if run.status == "timeout":                    # the notes say which case, how long
        result.status = "timeout"
    elif run.status == "crashed" and run.internal_error:
        result.status = "crashed"
        result.internal_errors.append(run.internal_error)
    elif run.status == "crashed":
        result.status = "crashed"
        how = said("signal {n}", n=str(run.signal)) if run.signal \
            else said("exit code {n}", n=str(run.returncode))
        result.messages.append(indented(said(
            "the process running your code stopped abruptly ({how}): os._exit, a kill "
            "signal, or a limit (memory {memory} GB, file size, processes) was reached",
            how=how, memory=str(MEMORY_LIMIT // 1024 ** 3)), "  "))
    result.messages += [indented(n, "  ") for n in run.notes]


def _training_cause(results):
    """A failed training with no diagnosis of its own, when a gradient part
    fails: the training follows the student's gradient."""
    training = results.get("training")
    gradient_parts = [results[k].part.name for k in ("backprop", "regularized_gradient")
                      if k in results and not results[k].passed]
    if (training is not None and not training.passed and training.status == "graded"
            and not training.diagnoses and gradient_parts):
        training.messages.append(indented(said(
            "likely cause: the training follows your nnCostFunction's gradient, and {parts} "
            "fails: fix backpropagation first (section 4.3)", parts=gradient_parts[0])
            if len(gradient_parts) == 1 else said(
            "likely cause: the training follows your nnCostFunction's gradient, and {first} "
            "and {second} fail: fix backpropagation first (section 4.3)",
            first=gradient_parts[0], second=gradient_parts[1]), "  "))


def grade_submission(submission_dir, root=ROOT, data_dir=None, parts=None, timeout=None,
                     progress=None, sandbox="auto", pool=None, budget=None):
    """Grade the student's files in ``submission_dir``; returns [PartResult].

    ``parts``: the keys of the parts to grade (default: all). ``timeout``:
    seconds for every case (default: a limit that fits each case's size,
    scheme.case_timing). ``budget``: seconds for the whole submission
    (default scheme.DEFAULT_BUDGET); what it leaves no time for is reported
    "not run". ``sandbox``: "auto" (bubblewrap where it works, else
    processes), "bwrap" or "process" (see runner.py). ``pool``: a
    supervisor.SupervisorPool that a batch keeps for all its submissions (its
    mode wins). ``progress``: called with each PartResult, in order.
    """
    submission_dir = Path(submission_dir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    data_dir = Path(data_dir) if data_dir else Path(root) / "data"
    course, missing_data, oracle = course_and_oracle(Path(root), data_dir)
    mode, mode_text = (pool.mode, pool.text) if pool is not None else isolation_mode(sandbox)
    cases = all_cases()
    if course.get("own_weights"):
        cases = [on_own_weights(c, course, oracle) for c in cases]
    chosen = [p for p in scheme.PARTS if not parts or p.key in parts]
    results, jobs = {}, []
    for part in chosen:
        results[part.key], job = _prepare_part(part, cases, course, data_dir, submission_dir,
                                               timeout)
        jobs += [job] if job else []
    runs = _run(jobs, submission_dir, root, data_dir, mode, course, pool, budget)
    for job in jobs:
        result, run = results[job["key"]], runs[job["key"]]
        _record_run(result, run)
        result.cases = [check_case(c, run.records.get(c.id), oracle, course)
                        for c in job["cases"]] + result.cases
        mark_environment_error(result)
    _training_cause(results)
    for part in chosen:
        result = results[part.key]
        result.score = part.points if result.passed else 0
        result.isolation, result.data_notes = mode_text, missing_data
        if progress:
            progress(result)
    return [results[p.key] for p in chosen]

