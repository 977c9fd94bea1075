"""The supervisor: runs a submission's parts, each in forked processes of its own.

The grader runs ``python -I child.py REQUEST EVENTS`` (one request, then
exit), ``child.py --serve`` (a supervisor that stays, for a batch) or
``child.py REQUEST EVENTS --no-fork`` (Windows: one process per part). The
supervisor imports NumPy and SciPy and loads the course data once, then
runs each part in a forked process, with limits on memory, file size and
processes, and its output captured with a cap. It gives each case its
time limit (watch.py): a case that hangs is killed, and the part's other
cases run in a new process, or are "not run" when they call a function
that already hung on a problem as large or smaller, or when the
submission's budget is used up.

The events, one JSON line each in the events file the grader follows:
"start" and "end" of each part (with the last process's status), a case
that did not return within its limit ("case_timeout"), a module whose
import did not finish ("import_timeout"), a function now known to hang
("hung"), a case not run ("not_run", with its reason), and "done".
"""
import dataclasses
import importlib.util
import json
import os
import sys
import time
import traceback

from .course import CourseData
from .imports import import_for_submission
from .limits import join_cgroups, kill_leftovers
from .part import RESULTS_FILE, run_part
from .privileges import (ENVIRONMENT_MODULES, LOCATED_MODULES, import_before_dropping,
                         probe_imports)
from .request import Request
from .watch import watch_part

INTERNAL_ERROR = 70          # exit status of a process stopped by an error of the grader's code

_STATE = {}                  # "course": the CourseData, once per supervisor


def main(argv):
    """Run what the command line ``argv`` (after the script's name) asks; the exit code."""
    if argv == ["--serve"]:
        return serve()
    if hasattr(os, "fork") and "--no-fork" not in argv:
        return supervise(argv[0], argv[1])
    return run_without_fork(argv[0], argv[1])


def supervise(request_path, events_path):
    """One request, then exit: imports and course data are loaded once for
    all the parts of a submission; each part starts with a fork."""
    return run_request(Request.read(request_path), events_path)


def serve():
    """A supervisor that stays: it reads "REQUEST<TAB>EVENTS" lines on its
    standard input and runs each request, so that a batch pays the imports
    and the course data once per worker, not once per submission."""
    for line in sys.stdin:
        request_path, events_path = line.rstrip("\n").split("\t")
        run_request(Request.read(request_path), events_path)
    return 0


def run_without_fork(request_path, events_path):
    """No fork on Windows: the grader starts one process per part, which runs
    the part directly (same records, same events)."""
    request = Request.read(request_path)
    course = CourseData(request.data_dir)
    part = request.parts[0]
    with open(events_path, "a") as events:
        events.write(json.dumps({"event": "start", "part": part.key, "pid": os.getpid()}) + "\n")
    run_part(part, course, {}, request.output_cap)
    with open(events_path, "a") as events:
        events.write(json.dumps({"event": "end", "part": part.key, "exit": 0}) + "\n")
    return 0


def run_request(request, events_path):
    """Run each part of ``request``, one after the other, the events to ``events_path``."""
    course = prepare(request)
    budget_end = time.monotonic() + float(request.budget)
    hung = dict(request.hung)
    with open(events_path, "a") as events:
        def event(**fields):
            events.write(json.dumps(fields) + "\n")
            events.flush()

        for part in request.parts:
            event(event="start", part=part.key, pid=os.getpid())
            try:
                status = supervise_part(part, course, request, event, hung, budget_end)
            except Exception:                            # noqa: BLE001  a bug of the grader
                status = {"exit": INTERNAL_ERROR, "internal_error": traceback.format_exc()}
            event(event="end", part=part.key, **status)
        event(event="done")
    return 0


def prepare(request):
    """The course data, after what is done once per supervisor (`prepare_once`);
    when the student's code runs as another user, the scientific packages
    the submission imports are imported first, with the grader's rights
    (imports.py)."""
    if not _STATE:
        _STATE["course"] = prepare_once(request)
    course = _STATE["course"]
    for name in request.preload:
        course.get(name)
    if request.drop_to is not None:
        import_for_submission([part.dir for part in request.parts])
    return course


def prepare_once(request):
    """Join the cgroups, import NumPy and SciPy (after checking, when the
    student's code runs as another user, what that user can import), set
    the BLAS threads; returns the course data, not loaded yet."""
    join_cgroups(request.cgroups)
    problems = {}
    if request.drop_to is not None:  # before anything is imported here
        problems = probe_imports(request.drop_to, ENVIRONMENT_MODULES, LOCATED_MODULES)
    import numpy  # noqa: F401  (loaded once, before any student code)
    import scipy.io, scipy.optimize, scipy.special  # noqa: F401,E401
    provided_module(request.parts[0].dir, "ex4helpers").limit_blas_threads()  # the one choice
    if request.drop_to is not None:
        import_before_dropping(request.drop_to, problems)
    return CourseData(request.data_dir)


def provided_module(folder, name):
    """A provided module of the part's folder, loaded before any student code."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def supervise_part(part, course, request, event, hung, budget_end):
    """Run one part's cases in a forked process, each within its limit.

    A case that hangs is killed and the part's other cases go on in a new
    process. Returns the status of the last process ({"exit": code},
    {"signal": n} or {"timeout": True}).
    """
    todo, status = list(part.cases), {"exit": 0}
    while todo:
        runnable = runnable_cases(todo, part, hung, budget_end, event)
        if not runnable:
            break
        offset = results_size(part)                      # what earlier processes wrote
        pid = start_part_process(dataclasses.replace(part, cases=runnable), course, request)
        status, stopped = watch_part(pid, part, runnable, budget_end, event, hung,
                                     request.exit_seconds, offset)
        kill_leftovers(pid, request.cgroups)
        if stopped is None:                               # the process ended by itself
            break
        todo = runnable[stopped + 1:] if stopped >= 0 else runnable
    return status


def runnable_cases(cases, part, hung, budget_end, event):
    """The ``cases`` to run now; a "not_run" event for each of the others."""
    runnable = []
    for case in cases:
        reason = not_run_reason(case, part, hung, budget_end)
        if reason is None:
            runnable.append(case)
        else:
            event(event="not_run", part=part.key, case=case["id"], **reason)
    return runnable


def not_run_reason(case, part, hung, budget_end):
    """Why ``case`` is not to be run now (a dict for its event), or None."""
    for name in part.modules:
        if hung.get(name, {}).get("import"):
            return {"reason": "import", "function": name, **hung[name]}
    for name in case.get("functions", ()):
        known = hung.get(name)
        if known and known.get("size", 0) <= case.get("size", 0):
            return {"reason": "hung", "function": name, **known}
    if time.monotonic() >= budget_end:
        return {"reason": "budget"}
    return None


def results_size(part):
    """The size of the part's results file (0 before its first process)."""
    try:
        return os.path.getsize(os.path.join(part.dir, RESULTS_FILE))
    except OSError:
        return 0


def start_part_process(part, course, request):
    """Fork the process that runs ``part``'s cases (`run_part`), in a
    session of its own; returns its pid."""
    pid = os.fork()
    if pid != 0:
        return pid
    code = 0
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)                         # not the supervisor's requests
        sys.stdin = open(os.devnull)
        run_part(part, course, request.limits, request.output_cap, request.drop_to)
    except BaseException:
        code = INTERNAL_ERROR
    finally:
        os._exit(code)
