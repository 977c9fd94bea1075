"""Runs a student's functions for the grader, in a separate process.

The grader lays out one scratch folder per part (the student's files and
the provided modules, nothing else) and runs ``python -I child.py REQUEST
EVENTS``. This process imports NumPy and SciPy and loads the course data
once, then runs each part in a forked process of its own, with limits on
memory, file size and processes, and its output captured with a cap. The
supervisor gives each case its time limit (it sees a case end when its
record is written): a case that hangs is killed, and the part's other cases
run in a new process, or are "not run" when they call a function that
already hung on a problem as large or smaller, or when the submission's
budget is used up. Each case's result is appended to the part's results.jsonl as
one JSON line as soon as it is known, so that a call that kills the process
(``os._exit``, a signal) loses only what comes after it. Nothing here
decides a score: the grader compares the values.

Only JSON crosses the process boundary (never pickle: the student's
process is not trusted). Arrays are ``{"__ndarray__": [...], "dtype": ...,
"shape": [...]}``.
"""
import json
import math
import os
import sys
import time
import traceback

MAX_ARRAY = 200_000        # elements; larger outputs are summarised, not sent


def encode(value):
    """A JSON-able form of value (numbers, arrays, lists, tuples, None)."""
    import numpy as np
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return {"__unsupported__": f"an array of dtype {value.dtype}",
                    "shape": list(value.shape)}
        if value.size > MAX_ARRAY:
            return {"__unsupported__": f"an array of {value.size} elements (too large)",
                    "shape": list(value.shape)}
        return {"__ndarray__": [_number(v) for v in value.ravel().tolist()],
                "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return encode(np.asarray(value))
    if isinstance(value, (bool, int, float)) or value is None:
        return {"__ndarray__": [_number(value)], "dtype": type(value).__name__,
                "shape": None}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        try:
            arr = np.asarray(value)
        except Exception:                                   # ragged...
            arr = None
        if arr is not None and arr.dtype.kind in "biuf":
            out = encode(arr)
            out["was_list"] = True
            return out
        return {"__unsupported__": "a list that is not a numeric array"}
    return {"__unsupported__": f"a value of type {type(value).__name__}"}


def _number(v):
    """JSON has no NaN/inf: spell them as strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)                                      # 'nan', 'inf', '-inf'
    return v


def decode(obj):
    """The inverse of encode for the grader's inputs (trusted direction)."""
    import numpy as np
    if isinstance(obj, dict) and "__ndarray__" in obj:
        data = [float(v) if isinstance(v, str) else v for v in obj["__ndarray__"]]
        if obj.get("shape") is None:
            return {"int": int, "float": float, "bool": bool}.get(obj["dtype"], float)(data[0])
        return np.array(data, dtype=obj["dtype"]).reshape(obj["shape"])
    if isinstance(obj, dict) and "__tuple__" in obj:
        return tuple(decode(v) for v in obj["__tuple__"])
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    return obj


class CourseData:
    """The course files, loaded on first use (arguments {"__course__": name})."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.cache = {}

    def get(self, name):
        import numpy as np
        import scipy.io
        if name not in self.cache:
            if name in ("X", "y"):
                d = scipy.io.loadmat(os.path.join(self.data_dir, "ex4data1.mat"))
                self.cache["X"] = np.ascontiguousarray(d["X"], dtype=np.float64)
                self.cache["y"] = d["y"].ravel().astype(np.int64)
            else:
                w = scipy.io.loadmat(os.path.join(self.data_dir, "ex4weights.mat"))
                t1, t2 = w["Theta1"].astype(np.float64), w["Theta2"].astype(np.float64)
                self.cache.update(Theta1=t1, Theta2=t2,
                                  params=np.concatenate([t1.ravel(), t2.ravel()]))
        return self.cache[name].copy()


def _resolve(obj, course):
    if isinstance(obj, dict) and "__course__" in obj:
        return course.get(obj["__course__"])
    return decode(obj)


def _student_error(exc, scratch):
    """Type, message, and the deepest line of the student's own files."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<"):          # <frozen importlib...>, <string>
            continue
        path = os.path.abspath(frame.filename)
        if os.path.dirname(path) == scratch and os.path.basename(path) != "child.py":
            where = {"file": os.path.basename(path), "line": frame.lineno,
                     "code": (frame.line or "").strip()}
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    elif isinstance(exc, KeyboardInterrupt):
        message = "the code raised KeyboardInterrupt"
    else:
        message = str(exc)[:2000]
    return {"type": type(exc).__name__, "message": message, "where": where}


def run_call(call, course):
    """One call of a student's function; returns (outputs, notes)."""
    import importlib
    import numpy as np
    kind = call["kind"]
    if kind == "call":
        module = importlib.import_module(call["module"])
        function = getattr(module, call["function"])
        args = [_resolve(a, course) for a in call["args"]]
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        value = function(*args)
        mutated, changes = [], []
        for i, (a, b) in enumerate(zip(args, before)):
            if b is None or (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)):
                continue
            mutated.append(call["arg_names"][i])
            changed = None
            if a.shape == b.shape:
                same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind in "fc" else a == b
                changed = int(np.sum(~same))
            changes.append({"name": call["arg_names"][i], "shape_before": list(b.shape),
                            "shape_after": list(a.shape), "changed": changed, "size": int(b.size)})
        return value, {"mutated": mutated, "mutations": changes}
    if kind == "randinit":
        from randInitializeWeights import randInitializeWeights
        draws = []
        for seed, L_in, L_out in call["draws"]:
            np.random.seed(seed)
            before = np.random.get_state()
            W = randInitializeWeights(L_in, L_out)
            after = np.random.get_state()
            moved = not (np.array_equal(before[1], after[1]) and before[2] == after[2])
            draws.append((W, moved))
        return tuple(w for w, _ in draws), {"global_generator_used": [m for _, m in draws]}
    if kind == "train":
        from randInitializeWeights import randInitializeWeights
        from trainNeuralNetwork import trainNeuralNetwork
        X, y = course.get("X"), course.get("y")
        np.random.seed(call["seed"])
        p0 = np.concatenate([np.ravel(randInitializeWeights(400, 25)),
                             np.ravel(randInitializeWeights(25, 10))])
        params, costs = trainNeuralNetwork(p0, 400, 25, 10, X, y, call["lambda"],
                                           maxiter=call["maxiter"], verbose=False)
        return (params, np.asarray(costs)), {}
    raise ValueError(f"unknown call kind {kind!r}")


def call_recording_warnings(call, course, scratch):
    """run_call, with the warnings it raises recorded (category, message,
    file name and line: no scratch path) instead of printed, so that the
    grader can tell a warning caused by its own inputs from the student's."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, notes = run_call(call, course)
    seen = []
    for w in caught:
        path = os.path.abspath(str(w.filename))
        where = (os.path.basename(path) if os.path.dirname(path) == scratch
                 else "the library" if not str(w.filename).startswith("<") else str(w.filename))
        item = {"category": w.category.__name__, "message": str(w.message)[:300],
                "file": where, "line": w.lineno}
        if item not in seen:
            seen.append(item)
        if len(seen) >= 10:
            break
    if seen:
        notes = dict(notes, warnings=seen)
    return value, notes


def limit_resources(limits):
    """Unix: cap memory, file size, processes and core dumps of this process
    (and of what it starts), before any student code runs. Windows: nothing."""
    try:
        import resource
    except ImportError:                   # Windows
        return
    for name, value in limits.items():
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (AttributeError, ValueError, OSError):
            pass


class CappedWriter:
    """sys.stdout/stderr of a part: keeps the first ``cap`` characters,
    counts the rest. Printing megabytes costs time, not memory or disk."""

    def __init__(self, stream, cap):
        self.stream, self.cap, self.count = stream, cap, 0

    def write(self, text):
        text = str(text)
        room = self.cap - self.count
        if room > 0:
            self.stream.write(text[:room])
            self.stream.flush()
        self.count += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def run_part(part, course, limits, output_cap, drop_to=None):
    """In the forked process: run one part's cases, then exit."""
    scratch = part["dir"]
    os.chdir(scratch)
    sys.path.insert(0, scratch)
    # Appended to: after a case that hung, the part's other cases run in a new process.
    fd = os.open(os.path.join(scratch, "output.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    out = CappedWriter(os.fdopen(os.dup(fd), "w"), output_cap)
    sys.stdout = sys.stderr = out
    limit_resources(limits)
    if drop_to is not None:
        drop_privileges(scratch, drop_to)
    with open(os.path.join(scratch, "results.jsonl"), "a") as results:
        # The student's modules first, one by one, so that the supervisor
        # knows which one hangs at import; an import error is left for the
        # cases to report (importing again raises it again).
        for name in part.get("modules", ()):
            try:
                __import__(name)
            except BaseException:               # noqa: BLE001
                pass
            results.write(json.dumps({"id": "__import__", "module": name}) + "\n")
            results.flush()
        results.write(json.dumps({"id": "__ready__"}) + "\n")
        results.flush()
        for case in part["cases"]:
            record = {"id": case["id"]}
            try:
                value, notes = call_recording_warnings(case["call"], course, scratch)
                record.update(ok=True, value=encode(value), notes=notes)
            except BaseException as exc:        # SystemExit, KeyboardInterrupt too
                record.update(ok=False, error=_student_error(exc, scratch))
                if isinstance(exc, MemoryError):
                    record["error"]["message"] = "out of memory (MemoryError): the memory limit was reached"
            results.write(json.dumps(record) + "\n")
            results.flush()
        results.write(json.dumps({"id": "__end__", "output_chars": out.count}) + "\n")


# Modules a student may use, imported before the privileges are dropped
# (afterwards, a Python installed in a private folder may be unreadable).
COMMON_MODULES = ("math", "cmath", "random", "statistics", "fractions", "decimal", "itertools",
                  "functools", "collections", "copy", "time", "warnings", "numpy.linalg",
                  "scipy.optimize", "scipy.special", "scipy.io")


# What the student's code may import, checked for the unprivileged user
# before any student code runs (the grader's environment, never the student's
# fault): modules that are not installed are left out.
ENVIRONMENT_MODULES = ("numpy", "scipy", "scipy.io", "scipy.optimize", "scipy.special",
                       "matplotlib", "matplotlib.pyplot", "pandas")


def probe_imports(uid, modules):
    """{module: error} of the installed ``modules`` that the user ``uid``
    cannot import (a Python installed in a folder only root may read, e.g.
    under /root, gives "No module named 'gzip'"): tried in a forked process
    that drops its privileges first, as a part's process does."""
    import importlib.util
    installed = []
    for name in modules:
        try:
            if name in sys.modules or importlib.util.find_spec(name) is not None:
                installed.append(name)
        except (ImportError, ValueError):
            pass
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            import importlib
            bad = {}
            for name in installed:
                try:
                    importlib.import_module(name)
                except BaseException as exc:
                    bad[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
            os.write(write, json.dumps(bad).encode())
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(write)
    chunks = []
    while True:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode())
    except ValueError:
        return {"python": "the probe as the unprivileged user did not answer"}


def drop_privileges(scratch, uid):
    """Grader running as root, without a sandbox: run the student's code as
    an unprivileged user (nobody), who owns only the scratch folder."""
    for folder, _dirs, files in os.walk(scratch):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def join_cgroups(paths):
    """Put this process (and so what it starts) into the grader's cgroups."""
    for path in paths:
        try:
            with open(os.path.join(path, "cgroup.procs"), "w") as f:
                f.write("0")
        except OSError:
            pass


def kill_leftovers(pgid, cgroups):
    """Kill what a part left running: its process group, and every other
    process of the cgroups (those that left the group with setsid)."""
    import signal
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
    for _ in range(50):
        others = []
        for path in cgroups:
            try:
                with open(os.path.join(path, "cgroup.procs")) as f:
                    others += [int(p) for p in f.read().split() if int(p) != os.getpid()]
            except (OSError, ValueError):
                pass
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)


_STATE = {}


def _provided(folder, name):
    """A provided module of the part's folder, loaded before any student code."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(request):
    """Once per supervisor: cgroups, the imports, the course data."""
    if not _STATE:
        join_cgroups(request.get("cgroups", []))
        problems = {}
        if request.get("drop_to") is not None:  # before anything is imported here
            problems = probe_imports(request["drop_to"], ENVIRONMENT_MODULES)
        import numpy  # noqa: F401  (loaded once, before any student code)
        import scipy.io, scipy.optimize, scipy.special  # noqa: F401,E401
        _provided(request["parts"][0]["dir"], "ex4helpers").limit_blas_threads()  # the one choice
        if request.get("drop_to") is not None:
            import importlib
            for name in COMMON_MODULES:
                importlib.import_module(name)
            for name in problems:        # the fallback: imported with the grader's rights
                try:
                    importlib.import_module(name)
                except Exception:
                    pass
            still = probe_imports(request["drop_to"], list(problems)) if problems else {}
            with open("environment.json", "w") as f:
                json.dump({"problems": problems, "still": still}, f)
        _STATE["course"] = CourseData(request["data_dir"])
    course = _STATE["course"]
    for name in request.get("preload", []):
        course.get(name)
    return course


def run_request(request, events_path):
    """Run each part of a request in forked processes, one part after the
    other; the events go to ``events_path`` for the grader: start and end of
    each part, and the time limits at work: a case that did not return
    within its limit ("case_timeout"), a module whose import did not finish
    ("import_timeout"), a function now known to hang ("hung"), a case not
    run ("not_run") because a function it calls hung before on a problem as
    large or smaller, or because the submission's budget is used up."""
    course = prepare(request)
    budget_end = time.monotonic() + float(request.get("budget", 1e9))
    hung = dict(request.get("hung") or {})
    with open(events_path, "a") as events:
        def event(**fields):
            events.write(json.dumps(fields) + "\n")
            events.flush()

        for part in request["parts"]:
            event(event="start", part=part["key"], pid=os.getpid())
            try:
                status = supervise_part(part, course, request, event, hung, budget_end)
            except Exception:                            # noqa: BLE001  a bug of the grader
                status = {"exit": 70, "internal_error": traceback.format_exc()}
            event(event="end", part=part["key"], **status)
        event(event="done")
    return 0


def _not_run_reason(case, part, hung, budget_end):
    """Why ``case`` is not to be run now (a dict for its event), or None."""
    for name in part.get("modules", ()):
        if hung.get(name, {}).get("import"):
            return {"reason": "import", "function": name, **hung[name]}
    for name in case.get("functions", ()):
        known = hung.get(name)
        if known and known.get("size", 0) <= case.get("size", 0):
            return {"reason": "hung", "function": name, **known}
    if time.monotonic() >= budget_end:
        return {"reason": "budget"}
    return None


def supervise_part(part, course, request, event, hung, budget_end):
    """Run one part's cases in a forked process, each within its limit; a
    case that hangs is killed and the part's other cases go on in a new
    process. Returns the status of the last process ({"exit": code},
    {"signal": n} or {"timeout": True})."""
    key, todo, status = part["key"], list(part["cases"]), {"exit": 0}
    while todo:
        runnable = []
        for case in todo:
            reason = _not_run_reason(case, part, hung, budget_end)
            if reason is None:
                runnable.append(case)
            else:
                event(event="not_run", part=key, case=case["id"], **reason)
        if not runnable:
            break
        try:                                             # what earlier processes wrote
            offset = os.path.getsize(os.path.join(part["dir"], "results.jsonl"))
        except OSError:
            offset = 0
        pid = os.fork()
        if pid == 0:                                     # the part's process
            code = 0
            try:
                os.setsid()
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)                         # not the supervisor's requests
                sys.stdin = open(os.devnull)
                run_part(dict(part, cases=runnable), course, request.get("limits", {}),
                         request["output_cap"], request.get("drop_to"))
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        status, stopped = watch_part(pid, part, runnable, budget_end, event, hung, offset)
        kill_leftovers(pid, request.get("cgroups", []))
        if stopped is None:                               # the process ended by itself
            break
        todo = runnable[stopped + 1:] if stopped >= 0 else runnable
    return status


def watch_part(pid, part, runnable, budget_end, event, hung, offset=0):
    """Follow a part's process: its results file (from ``offset``) tells
    which case runs since when. Returns (status, None) when it ended by itself, (status, i)
    when case i was killed at its limit, (status, -1) when an import was."""
    import signal
    path = os.path.join(part["dir"], "results.jsonl")
    ids = [c["id"] for c in runnable]
    modules = list(part.get("modules", ()))
    imported, seen, ready, index = set(), set(), False, 0
    started = since = time.monotonic()
    pending = b""
    while True:
        done, raw = os.waitpid(pid, os.WNOHANG)
        try:                                             # the lines written since last time
            with open(path, "rb") as f:
                f.seek(offset)
                chunk = f.read()
            offset += len(chunk)
        except OSError:
            chunk = b""
        pending += chunk
        *lines, pending = pending.split(b"\n")
        now = time.monotonic()
        for line in lines:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if not isinstance(row, dict):
                continue
            if row.get("id") == "__import__":
                imported.add(row.get("module"))
            elif row.get("id") == "__ready__" and not ready:
                ready, since = True, now
            elif row.get("id") in ids:
                seen.add(row["id"])
        while ready and index < len(ids) and ids[index] in seen:
            index, since = index + 1, now
        if done:
            return ({"exit": os.WEXITSTATUS(raw)} if os.WIFEXITED(raw)
                    else {"signal": os.WTERMSIG(raw)}), None
        if not ready:
            limit = part.get("import_limit", 30)
        elif index < len(ids):
            limit = runnable[index]["limit"]
        else:
            limit = 5                                    # all written: it is exiting
        if now < min(since + limit, budget_end):
            time.sleep(0.005)
            continue
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        cut = budget_end <= since + limit                # the budget ran out first
        if not ready:
            module = next((m for m in modules if m not in imported),
                          modules[-1] if modules else None)
            event(event="import_timeout", part=part["key"], function=module, limit=limit,
                  budget=cut)
            if module is not None and not cut:
                hung[module] = {"import": True, "limit": limit, "on": None,
                                "what": f"importing {module}.py"}
                event(event="hung", function=module, **hung[module])
            return {"timeout": True}, -1
        if index >= len(ids):
            return {"exit": 0}, None
        case = runnable[index]
        event(event="case_timeout", part=part["key"], case=case["id"], limit=limit, budget=cut)
        for name in [] if cut else case.get("blame", ()):
            if name not in hung or hung[name].get("size", 0) > case["size"]:
                hung[name] = {"size": case["size"], "limit": limit, "on": case["id"],
                              "what": case.get("what", "")}
                event(event="hung", function=name, **hung[name])
        return {"timeout": True}, index


def supervise(request_path, events_path):
    """One request, then exit: imports and course data are loaded once for
    all the parts of a submission; each part starts with a fork."""
    with open(request_path) as f:
        return run_request(json.load(f), events_path)


def serve():
    """A supervisor that stays: it reads "REQUEST<TAB>EVENTS" lines on its
    standard input and runs each request, so that a batch pays the imports
    and the course data once per worker, not once per submission."""
    for line in sys.stdin:
        request_path, events_path = line.rstrip("\n").split("\t")
        with open(request_path) as f:
            run_request(json.load(f), events_path)
    return 0


def main_windows(request_path, events_path):
    """No fork on Windows: the grader starts one process per part, which runs
    the part directly (same records, same events)."""
    with open(request_path) as f:
        request = json.load(f)
    course = CourseData(request["data_dir"])
    part = request["parts"][0]
    with open(events_path, "a") as events:
        events.write(json.dumps({"event": "start", "part": part["key"], "pid": os.getpid()}) + "\n")
    run_part(part, course, {}, request["output_cap"])
    with open(events_path, "a") as events:
        events.write(json.dumps({"event": "end", "part": part["key"], "exit": 0}) + "\n")
    return 0


if __name__ == "__main__":
    # Exit through os._exit so that a student's atexit handler or a
    # lingering thread cannot change what the grader sees.
    if sys.argv[1:] == ["--serve"]:
        code = serve()
    else:
        runner = supervise if hasattr(os, "fork") and "--no-fork" not in sys.argv else main_windows
        code = runner(sys.argv[1], sys.argv[2])
    os._exit(code)
