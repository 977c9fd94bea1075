"""Run a submission's parts in separate, limited processes.

One supervisor process a submission (child.py, running the package
isolated/) imports NumPy and SciPy and loads the course data once, then
forks one process per part. Each part runs in a scratch folder of its own
that holds the student's files and the provided modules, nothing else:
neither the reference solution nor the expected values. Limits: time per
case (scheme.case_timing; the supervisor kills a case that hangs and runs
the part's other cases in a new process), a budget per submission (what it
leaves no time for is "not run"), output captured with a cap, and on
Linux/macOS memory (address space), file size, and processes
(isolation.py, which also says what the two isolation modes, bwrap and
process, guarantee).

Whatever a part does (raise, hang, exit, print megabytes, kill itself or
the supervisor), the grader reads what was written and carries on: parts
not yet run when the supervisor died run again in a new one.

The modules: isolation.py (the modes and the limits), supervisor.py (the
supervisor processes and their pool), follow.py (following a run's events;
RunResult), time_limits.py (the cases' limits and the messages of a time
limit hit), and this one, which runs a submission's parts.
"""
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from . import scheme
from .follow import OUTPUT_CAP, RunResult, SubmissionRun, follow
from .isolated.request import PartRequest, Request
from .isolation import drop_to, isolation_mode, report_environment, resource_limits
from .supervisor import CHILD_SCRIPT, Supervisor
from .time_limits import apply_timing, plan_cases, student_modules_in_order

__all__ = ["run_parts", "student_modules"]


def run_parts(jobs, submission_dir, provided_dir, data_dir, sandbox="auto", preload=(),
              pool=None, budget=None):
    """Run the parts of one submission, each in a process of its own.

    Parameters
    ----------
    jobs : list of dict
        The parts: "key", "files" (the student's files it runs), "cases"
        (cases.py's dicts) and "timeout" (seconds for each case, or None
        for the limits of scheme.case_timing).
    submission_dir, provided_dir, data_dir : path
        The student's files, the provided modules, the course files.
    sandbox : {"auto", "bwrap", "process"}
        The isolation mode (`isolation_mode`), unless ``pool`` is given.
    preload : sequence of str
        Course data the supervisor loads before the first part.
    pool : SupervisorPool or None
        The pool (batches) whose supervisor serves this submission; without
        one, a supervisor is started for it alone.
    budget : float or None
        Seconds for the whole submission (default scheme.DEFAULT_BUDGET):
        the cases it leaves no time for are reported not run.

    Returns
    -------
    dict
        Part key -> RunResult.
    """
    budget = float(budget or scheme.DEFAULT_BUDGET)
    run = SubmissionRun(budget=budget, budget_end=time.monotonic() + budget,
                        plans={j["key"]: plan_cases(j) for j in jobs})
    mode = pool.mode if pool is not None else isolation_mode(sandbox)[0]
    data_dir = Path(data_dir).resolve()
    remaining, attempts = list(jobs), 0
    while remaining and attempts < len(jobs) + 1 and time.monotonic() < run.budget_end:
        attempts += 1
        sup = pool.get() if pool is not None else Supervisor(mode, data_dir)
        try:
            run_attempt(sup, remaining, run, submission_dir, provided_dir, data_dir, preload)
        finally:
            if pool is None:
                sup.close()
        remaining = [j for j in remaining if j["key"] not in run.results]
    for job in remaining:
        run.results[job["key"]] = never_run(job, run)
    return run.results


def run_attempt(sup, jobs, run, submission_dir, provided_dir, data_dir, preload):
    """Run ``jobs`` with the supervisor ``sup``, in a folder of its own,
    until they end or the supervisor dies; their results go to ``run``."""
    folder = Path(tempfile.mkdtemp(prefix="submission-", dir=sup.base))
    folder.chmod(0o711)
    try:
        folders = {j["key"]: lay_out(folder, j, submission_dir, provided_dir) for j in jobs}
        request = make_request(sup, jobs, folders, run, data_dir, preload)
        request_path, events_path = folder / "request.json", folder / "events.jsonl"
        request_path.write_text(request.to_json())
        if os.name == "posix":
            healthy = follow(sup.run(request_path, events_path), jobs, folders, events_path, run)
            if not healthy and sup.proc is not None:
                sup.stop()
        else:                           # no fork: one process per part
            run_one_by_one(sup, jobs, request, request_path, folders, events_path, run)
        if request.drop_to is not None:
            report_environment(sup.base)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_one_by_one(sup, jobs, request, request_path, folders, events_path, run):
    """Where there is no fork: a process for each part, one after the other."""
    for job in jobs:
        single = replace(request, parts=[p for p in request.parts if p.key == job["key"]])
        request_path.write_text(single.to_json())
        follow(sup.run(request_path, events_path, ["--no-fork"]), [job], folders, events_path, run)


def make_request(sup, jobs, folders, run, data_dir, preload):
    """The request for the supervisor ``sup``: the parts ``jobs``, laid out in ``folders``."""
    return Request(
        data_dir=str(data_dir), output_cap=OUTPUT_CAP, exit_seconds=scheme.EXIT_SECONDS,
        budget=max(0.0, run.budget_end - time.monotonic()), hung=run.hung,
        limits=resource_limits(sup.mode), cgroups=[str(g) for g in sup.groups],
        preload=list(preload), drop_to=drop_to(sup.mode),
        parts=[PartRequest(key=j["key"], dir=str(folders[j["key"]]),
                           import_limit=j.get("timeout") or scheme.IMPORT_SECONDS,
                           modules=student_modules_in_order(j["files"]),
                           cases=run.plans[j["key"]])
               for j in jobs])


def never_run(job, run):
    """The result of a part no supervisor ran: not run when the budget is
    used up, else crashed (the supervisor kept dying before any part)."""
    if time.monotonic() >= run.budget_end:    # no time left: every case not run
        result = RunResult(records={}, status="timeout")
        plan = run.plans[job["key"]]
        events = [{"event": "not_run", "case": c["id"], "reason": "budget"} for c in plan]
        apply_timing(result, job["key"], plan, events, run.budget)
        return result
    return RunResult(records={}, status="crashed",
                     notes=["the grading process could not run this part"])


def student_modules(submission_dir):
    """Every .py module at the top of the submission.

    The five files and any helper module handed in beside them
    (feedforward.py, utils.py...), so that every part sees all of the
    student's own files. The provided modules are the project's, whatever
    the submission holds.
    """
    folder = Path(submission_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.suffix == ".py" and p.is_file() and p.name not in scheme.PROVIDED_FILES
                  and p.name not in (CHILD_SCRIPT, "conftest.py") and p.stem.isidentifier())


def lay_out(base, job, submission_dir, provided_dir):
    """A part's scratch folder in ``base``: the student's files and the provided modules."""
    folder = Path(tempfile.mkdtemp(prefix=f"part-{job['key']}-", dir=base))
    for name in dict.fromkeys([*job["files"], *student_modules(submission_dir)]):
        source = Path(submission_dir) / name
        if source.is_file():
            shutil.copyfile(source, folder / name)
    for name in scheme.PROVIDED_FILES:
        shutil.copyfile(Path(provided_dir) / name, folder / name)
    return folder
