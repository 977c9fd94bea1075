"""Run a submission's parts in separate, limited processes.

One supervisor process a submission (child.py) imports NumPy and SciPy and
loads the course data once, then forks one process per part. Each part
runs in a scratch folder of its own that holds the student's files and the
provided modules, nothing else: neither the reference solution nor the
expected values. Limits: time per case (scheme.case_timing; the supervisor
kills a case that hangs and runs the part's other cases in a new process),
a budget per submission (what it leaves no time for is "not run"), output
captured with a cap, and on
Linux/macOS memory (address space), file size, and processes (a cgroup
where the grader may create one, else RLIMIT_NPROC where it applies).

Two isolation modes:
- ``bwrap`` (when bubblewrap is installed and works): the supervisor runs
  in a sandbox with no network, its own process namespace, a read-only
  view of the system and the Python installation, and only the scratch
  folders writable. The project (reference solution, hidden cases) is not
  in the sandbox at all, so reading it by absolute path fails.
- ``process`` (elsewhere): separate processes and the limits above. When
  the grader runs as root, the student's code runs as the user nobody,
  who can write only its scratch folder; otherwise it runs with the
  grader's own rights and could read or write what the grader can.

Whatever a part does (raise, hang, exit, print megabytes, kill itself or
the supervisor), the grader reads what was written and carries on: parts
not yet run when the supervisor died run again in a new one.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT_CAP = 20_000                # characters of the student's output kept
MEMORY_LIMIT = 4 * 1024 ** 3       # bytes of address space per process
FILE_SIZE_LIMIT = 64 * 1024 ** 2   # bytes per file written
PROCESS_LIMIT = 64                 # processes a submission may run at once
BACKSTOP = 30                      # seconds the grader waits beyond the budget's end
NOBODY = 65534                     # the user the student's code runs as, when the grader is root


def _is_root():
    return os.name == "posix" and os.geteuid() == 0


@dataclass
class RunResult:
    records: dict                       # case id -> the record child.py wrote
    status: str = "done"                # done / timeout / crashed / not run
    returncode: int = 0
    signal: int = 0
    seconds: float = 0.0
    output: str = ""                    # the first OUTPUT_CAP characters printed
    output_bytes: int = 0               # how many characters were printed
    notes: list = field(default_factory=list)
    internal_error: str = None          # the grader's traceback, when it failed itself


# --- isolation -----------------------------------------------------------------

_BWRAP_OK = None


def bwrap_available():
    """True when bubblewrap is installed and can start a sandbox here."""
    global _BWRAP_OK
    if _BWRAP_OK is None:
        _BWRAP_OK = False
        if os.name == "posix" and shutil.which("bwrap"):
            try:
                probe = subprocess.run(bwrap_prefix([]) + [sys.executable, "-I", "-c", "pass"],
                                       capture_output=True, timeout=30)
                _BWRAP_OK = probe.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                pass
    return _BWRAP_OK


def isolation_mode(requested="auto"):
    """"bwrap" or "process", and the sentence that says what it guarantees."""
    if requested in ("auto", "bwrap") and bwrap_available():
        return "bwrap", ("bubblewrap sandbox: no network, read-only system and Python, "
                         "only the scratch folder writable, the project out of sight")
    if requested == "bwrap":
        raise RuntimeError("--sandbox bwrap: bubblewrap (bwrap) is not installed or cannot "
                           "start a sandbox on this machine")
    why = "bubblewrap not requested" if requested == "process" else "bubblewrap not available"
    rights = ("the student's code runs as the user nobody: it can write only its scratch "
              "folder, but can read what every user can read" if _is_root() else
              "the student's code runs with the grader's own rights: it could read or write "
              "what the grader can")
    return "process", (f"separate processes with time, memory, file-size and process "
                       f"limits ({why}; {rights})")


def _python_paths():
    """The folders Python needs to run: its installation and its sys.path."""
    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).resolve().parent}
    for entry in sys.path:
        p = Path(entry or ".").resolve()
        if "site-packages" in p.parts or "dist-packages" in p.parts:
            paths.add(p)
    return sorted({p for p in paths if p.exists()}, key=lambda p: len(p.parts))


def bwrap_prefix(binds_rw, binds_ro=()):
    """The bwrap command line up to the program to run."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
           "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for top in ("usr", "bin", "lib", "lib64", "lib32", "sbin"):
        path = Path("/") / top
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            cmd += ["--ro-bind", str(path), str(path)]
    for p in ("/etc/ld.so.cache", "/etc/localtime"):
        if Path(p).exists():
            cmd += ["--ro-bind", p, p]
    for p in _python_paths():
        if not str(p).startswith("/usr/"):
            cmd += ["--ro-bind", str(p), str(p)]
    for p in binds_ro:
        cmd += ["--ro-bind", str(p), str(p)]
    for p in binds_rw:
        cmd += ["--bind", str(p), str(p)]
    return cmd


def make_cgroups():
    """A pids cgroup (v1 or v2) for one supervisor, where the grader may
    create one (usually as root); [] elsewhere."""
    name = f"ex4grade-{uuid.uuid4().hex[:12]}"
    candidates = [Path("/sys/fs/cgroup/pids")]
    unified = Path("/sys/fs/cgroup")
    try:
        if "pids" in (unified / "cgroup.controllers").read_text().split():
            candidates.append(unified)
    except OSError:
        pass
    for base in candidates:
        try:
            group = base / name
            group.mkdir()
            (group / "pids.max").write_text(str(PROCESS_LIMIT))
            return [group]
        except OSError:
            continue
    return []


def remove_cgroups(groups):
    for group in groups:
        for _ in range(100):
            try:
                pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
            except (OSError, ValueError):
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.02)


def process_limit(mode):
    """RLIMIT_NPROC for the student's processes. The kernel exempts root
    from it: as root, the code runs as nobody in process mode (so the limit
    applies to nobody's processes), and cgroups bound the sandbox."""
    if os.name != "posix":
        return {}
    if _is_root():
        return {"RLIMIT_NPROC": PROCESS_LIMIT} if mode == "process" else {}
    mine = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == os.geteuid():
                    mine += 1
            except OSError:
                pass
    return {"RLIMIT_NPROC": mine + PROCESS_LIMIT} if mine else {}


# --- running ---------------------------------------------------------------------

def student_modules(submission_dir):
    """Every .py module at the top of the submission: the five files and any
    helper module handed in beside them (feedforward.py, utils.py...), so
    that every part sees all of the student's own files. The provided
    modules are the project's, whatever the submission holds."""
    from .scheme import PROVIDED_FILES
    folder = Path(submission_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.suffix == ".py" and p.is_file() and p.name not in PROVIDED_FILES
                  and p.name not in ("child.py", "conftest.py") and p.stem.isidentifier())


def _lay_out(base, job, submission_dir, provided_dir):
    from .scheme import PROVIDED_FILES
    folder = Path(tempfile.mkdtemp(prefix=f"part-{job['key']}-", dir=base))
    for name in dict.fromkeys([*job["files"], *student_modules(submission_dir)]):
        source = Path(submission_dir) / name
        if source.is_file():
            shutil.copyfile(source, folder / name)
    for name in PROVIDED_FILES:
        shutil.copyfile(Path(provided_dir) / name, folder / name)
    return folder


def _read_jsonl(path):
    rows = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict):
                    rows.append(row)
    except OSError:
        pass
    return rows


def _collect(job, folder, seconds):
    """The RunResult of a part from what its process wrote."""
    wanted = {c["id"] for c in job["cases"]}
    records, output_chars = {}, None
    for row in _read_jsonl(folder / "results.jsonl"):
        if row.get("id") == "__end__":
            output_chars = row.get("output_chars")
        elif row.get("id") in wanted and row["id"] not in records:
            records[row["id"]] = row
    try:
        with open(folder / "output.log", "rb") as f:
            raw = f.read(OUTPUT_CAP * 4)
        size = (folder / "output.log").stat().st_size
    except OSError:
        raw, size = b"", 0
    output = raw.decode("utf-8", "replace")[:OUTPUT_CAP]
    printed = output_chars if isinstance(output_chars, int) else size
    return RunResult(records=records, seconds=seconds, output=output,
                     output_bytes=max(printed, len(output)))


class Supervisor:
    """A supervisor process (child.py) and the folder it works in.

    One-shot (``grade``): a new process for each submission. Persistent
    (``SupervisorPool``, for batches): one process that stays and serves the
    submissions one after the other, paying the imports and the course data
    once. A killed or stuck supervisor is replaced.
    """

    def __init__(self, mode, data_dir, persistent=False):
        self.mode, self.data_dir, self.persistent = mode, Path(data_dir).resolve(), persistent
        self.base = Path(tempfile.mkdtemp(prefix="ex4grade-"))
        self.base.chmod(0o711)             # the part folders inside are reachable (by nobody)
        self.groups = make_cgroups() if os.name == "posix" else []
        shutil.copyfile(HERE / "child.py", self.base / "child.py")
        self.proc = self._start(["--serve"]) if persistent else None

    def _start(self, args):
        command = [sys.executable, "-I", str(self.base / "child.py"), *args]
        if self.mode == "bwrap":
            command = (bwrap_prefix([self.base, *self.groups], [self.data_dir])
                       + ["--chdir", str(self.base)] + command)
        kwargs = ({"start_new_session": True} if os.name == "posix"
                  else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)})
        with open(self.base / "supervisor.log", "ab") as log:
            return subprocess.Popen(command, cwd=self.base, env=_environment(),
                                    stdin=subprocess.PIPE if args == ["--serve"] else subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, **kwargs)

    def run(self, request_path, events_path, extra=()):
        """Start the request; returns the process to follow."""
        if not self.persistent:
            self.proc = self._start([str(request_path), str(events_path), *extra])
            return self.proc
        try:
            self.proc.stdin.write(f"{request_path}\t{events_path}\n".encode())
            self.proc.stdin.flush()
        except OSError:                     # it died since the last submission
            pass
        return self.proc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        if self.proc is not None:
            _kill(self.proc)
            self.proc.wait()
        remove_cgroups(self.groups)
        shutil.rmtree(self.base, ignore_errors=True)


class SupervisorPool:
    """Persistent supervisors for a batch: one per worker thread."""

    def __init__(self, sandbox, data_dir):
        self.mode, self.text = isolation_mode(sandbox)
        self.data_dir = Path(data_dir).resolve()
        self._local = threading.local()
        self._all, self._lock = [], threading.Lock()

    def get(self):
        sup = getattr(self._local, "supervisor", None)
        if sup is None or not sup.alive():
            if sup is not None:
                sup.close()
            sup = Supervisor(self.mode, self.data_dir, persistent=os.name == "posix")
            self._local.supervisor = sup
            with self._lock:
                self._all.append(sup)
        return sup

    def close(self):
        with self._lock:
            for sup in self._all:
                sup.close()
            self._all.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# The student's modules, in the order they are imported before a part's
# cases (those imported by others first): a module that hangs at import is
# then named.
IMPORT_ORDER = ("sigmoid", "sigmoidGradient", "randInitializeWeights", "predictNeuralNetwork",
                "nnCostFunction")


def plan_cases(job):
    """The cases of a job as child.py runs them: with their time limit and
    size (scheme.case_timing), smallest problem first, so that a function
    that hangs does so on the smallest problem and the larger ones are not
    run."""
    from .scheme import case_timing
    planned = []
    for c in job["cases"]:
        timing = case_timing(c, job.get("timeout"))
        planned.append({"id": c["id"], "call": c["call"], **timing})
    return sorted(planned, key=lambda c: c["size"])


def run_parts(jobs, submission_dir, provided_dir, data_dir, sandbox="auto", preload=(),
              pool=None, budget=None):
    """Run the parts ``jobs`` (dicts: key, files, cases, timeout) of one submission.

    ``timeout``: seconds for each case (None: the limits of scheme.case_timing).
    ``budget``: seconds for the whole submission (default scheme.DEFAULT_BUDGET):
    the cases it leaves no time for are reported not run.
    ``pool``: a SupervisorPool (batches) whose supervisor serves this
    submission; without one, a supervisor is started for it alone.
    Returns {part key: RunResult}.
    """
    from .scheme import DEFAULT_BUDGET, IMPORT_SECONDS
    budget = float(budget or DEFAULT_BUDGET)
    budget_end = time.monotonic() + budget
    mode = pool.mode if pool is not None else isolation_mode(sandbox)[0]
    data_dir = Path(data_dir).resolve()
    plans = {j["key"]: plan_cases(j) for j in jobs}
    hung, timing = {}, {}
    results, remaining, attempts = {}, list(jobs), 0
    while remaining and attempts < len(jobs) + 1 and time.monotonic() < budget_end:
        attempts += 1
        sup = pool.get() if pool is not None else Supervisor(mode, data_dir)
        folder = Path(tempfile.mkdtemp(prefix="submission-", dir=sup.base))
        folder.chmod(0o711)
        try:
            folders = {j["key"]: _lay_out(folder, j, submission_dir, provided_dir)
                       for j in remaining}
            request = {
                "data_dir": str(data_dir), "output_cap": OUTPUT_CAP,
                "cgroups": [str(g) for g in sup.groups], "preload": list(preload),
                "drop_to": NOBODY if mode == "process" and _is_root() else None,
                "limits": {"RLIMIT_AS": MEMORY_LIMIT, "RLIMIT_FSIZE": FILE_SIZE_LIMIT,
                           "RLIMIT_CORE": 0, **process_limit(mode)},
                "budget": max(0.0, budget_end - time.monotonic()), "hung": hung,
                "parts": [{"key": j["key"], "dir": str(folders[j["key"]]),
                           "import_limit": j.get("timeout") or IMPORT_SECONDS,
                           "modules": [m for m in IMPORT_ORDER if f"{m}.py" in j["files"]],
                           "cases": plans[j["key"]]}
                          for j in remaining]}
            request_path, events_path = folder / "request.json", folder / "events.jsonl"
            request_path.write_text(json.dumps(request))
            follow = dict(folders=folders, events_path=events_path, results=results,
                          timing=timing, hung=hung, budget=budget, budget_end=budget_end)
            if os.name == "posix":
                healthy = _follow(sup.run(request_path, events_path), remaining, **follow)
                if not healthy and sup.proc is not None:
                    _kill(sup.proc)
                    sup.proc.wait()
            else:                           # no fork: one process per part
                for job in remaining:
                    single = dict(request, parts=[p for p in request["parts"]
                                                  if p["key"] == job["key"]])
                    request_path.write_text(json.dumps(single))
                    _follow(sup.run(request_path, events_path, ["--no-fork"]), [job], **follow)
            remaining = [j for j in remaining if j["key"] not in results]
            if request["drop_to"] is not None:
                report_environment(sup.base)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if pool is None:
                sup.close()
    for j in remaining:
        if time.monotonic() >= budget_end:    # no time left: every case not run
            result = RunResult(records={}, status="timeout")
            events = [{"event": "not_run", "case": c["id"], "reason": "budget"}
                      for c in plans[j["key"]]]
            _apply_timing(result, j, plans[j["key"]], events, budget)
            results[j["key"]] = result
        else:                             # the supervisor kept dying before any part
            results[j["key"]] = RunResult(records={}, status="crashed",
                                          notes=["the grading process could not run this part"])
    return results


# --- the unprivileged user's environment -----------------------------------------

_ENV_REPORTED = set()


def report_environment(base):
    """Process mode as root: what the supervisor found (child.check_environment)
    about the modules the user nobody cannot import, said to the instructor
    on stderr, once per grader process. Returns {module: error}."""
    try:
        found = json.loads((Path(base) / "environment.json").read_text())
    except (OSError, ValueError):
        return {}
    problems, still = found.get("problems") or {}, found.get("still") or {}
    key = json.dumps(found, sort_keys=True)
    if problems and key not in _ENV_REPORTED:
        _ENV_REPORTED.add(key)
        print("grader environment: the user nobody (who runs the student's code in process "
              "mode as root) cannot import " + "; ".join(f"{k} ({v})" for k, v in problems.items())
              + f".\n  Python's installation ({sys.prefix}) is probably not readable by other "
              "users (e.g. under /root). Fix: make it readable (chmod -R o+rX), install Python "
              "system-wide, or grade with --sandbox bwrap.\n  Fallback: these modules are "
              "imported before the privileges are dropped"
              + (f"; still failing after that: {', '.join(still)}" if still else
                 ", after which they import")
              + ". A student's ModuleNotFoundError for a module installed here is reported as "
              "the grader's environment, not the student's fault.", file=sys.stderr)
    return problems


# --- time limits: what the student reads ---------------------------------------------

def _part_name(case_id):
    from .scheme import part
    try:
        return part(str(case_id).split("/")[0]).name
    except KeyError:
        return None


def _timing_message(ev, plan, budget, here=None):
    """The line of a case that timed out or was not run (``here``: the key
    of the part the case belongs to)."""
    if ev["event"] == "case_timeout":
        if ev.get("budget"):
            return (f"timed out: the grading budget of {budget:g} s for a submission ran out "
                    f"during this case")
        return (f"timed out: {plan['who']} did not return within {ev['limit']:g} s on "
                f"{plan['what']} (an infinite loop? a very slow loop?)")
    if ev["event"] == "import_timeout":
        if ev.get("budget"):
            return (f"timed out: the grading budget of {budget:g} s for a submission ran out "
                    f"while importing {ev.get('function')}.py")
        return (f"timed out: importing {ev.get('function')}.py did not finish within "
                f"{ev['limit']:g} s (code at the top level of the file that never ends?)")
    reason = ev.get("reason")
    if reason == "budget":
        return f"not run: the grading budget of {budget:g} s for a submission was used up"
    if reason == "import":
        return (f"not run: importing {ev.get('function')}.py did not finish within "
                f"{ev.get('limit', 0):g} s")
    on = str(ev.get("on") or "")
    where = _part_name(on) if on.split("/")[0] != here else None
    return (f"not run: {ev.get('function')} did not return on {ev.get('what', 'a problem')} "
            f"within {ev.get('limit', 0):g} s" + (f" (in {where})" if where else ""))


def _apply_timing(result, job, plan, events, budget):
    """Turn a part's time-limit events into records of its cases (read by
    grade.check_case) and notes of the part; the part is then a timeout."""
    by_id = {c["id"]: c for c in plan}
    timed_out, not_run = [], {}
    for ev in events:
        if ev.get("event") == "import_timeout":
            timed_out.append(_timing_message(ev, {}, budget, job["key"]))
            continue
        case = by_id.get(ev.get("case"))
        if case is None or ev.get("case") in result.records:
            continue
        message = _timing_message(ev, case, budget, job["key"])
        kind = "timeout" if ev["event"] == "case_timeout" else "not run"
        result.records[case["id"]] = {"id": case["id"], "ok": False, "timing": kind,
                                      "message": message}
        if kind == "timeout":
            timed_out.append(message)
        else:
            not_run[message] = not_run.get(message, 0) + 1
    notes = list(dict.fromkeys(timed_out))
    for message, count in not_run.items():     # "not run (4 cases): ..."
        notes.append(message.replace("not run:", f"not run ({count} case{'s' * (count > 1)}):", 1))
    if notes:
        if result.status != "crashed":
            result.status = "timeout"
        result.notes = notes + result.notes


def _environment():
    env = {key: value for key, value in os.environ.items()
           if key in ("PATH", "SYSTEMROOT", "LANG", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                      "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    # BLAS threads: child.py calls ex4helpers.limit_blas_threads (an explicit variable wins).
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
               HOME=tempfile.gettempdir())
    return env


def _kill(proc):
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass


def _follow(proc, jobs, folders, events_path, results, timing, hung, budget, budget_end):
    """Follow a supervisor's events until every part of ``jobs`` has ended.

    The supervisor enforces the time limit of each case; this is the
    backstop: a supervisor still busy BACKSTOP seconds after the budget's
    end is killed. Returns True when the supervisor is still healthy (it
    may serve the next submission), False when it died or was stuck (then
    the part it was running is a crash or a timeout, and the parts it never
    started are left for a new supervisor, with what is known of the
    functions that hang).
    """
    by_key = {j["key"]: j for j in jobs}
    plans = {j["key"]: plan_cases(j) for j in jobs}
    started, current, seen = {}, None, 0
    start_of_run = time.monotonic()
    while True:
        exited = proc.poll() is not None
        events = _read_jsonl(events_path)
        for ev in events[seen:]:
            kind, key = ev.get("event"), ev.get("part")
            if kind == "hung" and isinstance(ev.get("function"), str):
                hung[ev["function"]] = {k: ev[k] for k in ("size", "limit", "on", "what", "import")
                                        if k in ev}
                continue
            if key not in by_key:
                continue
            if kind == "start":
                started.setdefault(key, time.monotonic())
                current = key
            elif kind in ("case_timeout", "import_timeout", "not_run"):
                timing.setdefault(key, []).append(ev)
            elif kind == "end" and key not in results:
                result = _collect(by_key[key], folders[key],
                                  time.monotonic() - started.get(key, start_of_run))
                if isinstance(ev.get("internal_error"), str):
                    result.status = "crashed"
                    result.internal_error = ev["internal_error"]
                    result.notes.append("internal error in the grader while running this part: "
                                        "not a verdict on your code; your instructor has the "
                                        "details")
                elif ev.get("signal") or ev.get("exit"):
                    result.status = "crashed"
                    result.returncode = ev.get("exit") or 0
                    result.signal = ev.get("signal") or 0
                _apply_timing(result, by_key[key], plans[key], timing.get(key, []), budget)
                results[key] = result
                current = None
        seen = len(events)
        if all(k in results for k in by_key):
            if os.name != "posix" or not exited:
                return True
            break
        stuck = time.monotonic() > budget_end + BACKSTOP
        if exited or stuck:
            break
        time.sleep(0.01)
    _kill(proc)
    proc.wait()
    if current is not None and current not in results:      # died or stuck during a part
        result = _collect(by_key[current], folders[current], time.monotonic() - started[current])
        result.status = "timeout" if stuck else "crashed"
        result.returncode = proc.returncode or 0
        _apply_timing(result, by_key[current], plans[current], timing.get(current, []), budget)
        if stuck:
            result.notes.append(f"the grading budget of {budget:g} s for a submission ran out "
                                "during this part")
        results[current] = result
    return False
