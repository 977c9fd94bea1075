"""The isolation of the student's code: the two modes and their limits.

- ``bwrap`` (when bubblewrap is installed and works): the supervisor runs
  in a sandbox with no network, its own process namespace, a read-only
  view of the system and the Python installation, and only the scratch
  folders writable. The project (reference solution, hidden cases) is not
  in the sandbox at all, so reading it by absolute path fails.
- ``process`` (elsewhere): separate processes and the limits below. When
  the grader runs as root, the student's code runs as the user nobody,
  who can write its scratch folder and the folders every user may write
  (such as /tmp), and read what every user can read; otherwise it runs with the
  grader's own rights and could read or write what the grader can.

Limits, on Linux/macOS: memory (address space), file size, and processes
(a cgroup where the grader may create one, else RLIMIT_NPROC where it
applies).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from . import scheme

MEMORY_LIMIT = 4 * 1024 ** 3       # bytes of address space per process
FILE_SIZE_LIMIT = 64 * 1024 ** 2   # bytes per file written
PROCESS_LIMIT = 64                 # processes a submission may run at once
NOBODY = 65534                     # the user the student's code runs as, when the grader is root
CGROUP_REMOVE_TRIES = 100          # tries at removing a cgroup whose processes are being killed
CGROUP_REMOVE_PAUSE = 0.02         # seconds between two tries


def is_root():
    """True when the grader runs as root (on a Unix)."""
    return os.name == "posix" and os.geteuid() == 0


# --- the modes ---------------------------------------------------------------------------

_BWRAP_OK = None


def bwrap_available():
    """True when bubblewrap is installed and can start a sandbox here."""
    global _BWRAP_OK
    if _BWRAP_OK is None:
        _BWRAP_OK = False
        if os.name == "posix" and shutil.which("bwrap"):
            try:
                probe = subprocess.run(bwrap_prefix([]) + [sys.executable, "-I", "-c", "pass"],
                                       capture_output=True, timeout=scheme.SANDBOX_PROBE_SECONDS)
                _BWRAP_OK = probe.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                pass
    return _BWRAP_OK


def isolation_mode(requested="auto"):
    """The isolation mode to use, and the sentence that says what it guarantees.

    Parameters
    ----------
    requested : {"auto", "bwrap", "process"}
        --sandbox: "auto" is bwrap where it works, else process.

    Returns
    -------
    mode : str
        "bwrap" or "process".
    text : str
        What the mode guarantees, for the output.

    Raises
    ------
    RuntimeError
        bwrap was requested and cannot start a sandbox here.
    """
    if requested in ("auto", "bwrap") and bwrap_available():
        return "bwrap", ("bubblewrap sandbox: no network, read-only system and Python, "
                         "only the scratch folder writable, the project out of sight")
    if requested == "bwrap":
        raise RuntimeError("--sandbox bwrap: bubblewrap (bwrap) is not installed or cannot "
                           "start a sandbox on this machine")
    why = "bubblewrap not requested" if requested == "process" else "bubblewrap not available"
    rights = ("the student's code runs as the user nobody: it can write its scratch folder "
              "and the folders every user may write (such as /tmp), and read what every user "
              "can read" if is_root() else
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
    """The bwrap command line up to the program to run.

    Parameters
    ----------
    binds_rw : sequence of path
        Folders the sandbox may write (the scratch folder, the cgroups).
    binds_ro : sequence of path
        Folders it may read besides the system and Python (the course data).
    """
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


# --- limits --------------------------------------------------------------------------------

def resource_limits(mode):
    """The resource limits of the parts' processes in ``mode``: the name of
    an RLIMIT_ constant -> its value (isolated/limits.py sets them)."""
    return {"RLIMIT_AS": MEMORY_LIMIT, "RLIMIT_FSIZE": FILE_SIZE_LIMIT, "RLIMIT_CORE": 0,
            **process_limit(mode)}


def process_limit(mode):
    """RLIMIT_NPROC for the student's processes. The kernel exempts root
    from it: as root, the code runs as nobody in process mode (so the limit
    applies to nobody's processes), and cgroups bound the sandbox."""
    if os.name != "posix":
        return {}
    if is_root():
        return {"RLIMIT_NPROC": PROCESS_LIMIT} if mode == "process" else {}
    mine = _processes_of(os.geteuid())
    return {"RLIMIT_NPROC": mine + PROCESS_LIMIT} if mine else {}


def _processes_of(uid):
    """How many processes the user ``uid`` runs (0 without /proc)."""
    count = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def drop_to(mode):
    """The user the student's code runs as: nobody in process mode as root, else None."""
    return NOBODY if mode == "process" and is_root() else None


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
    """Kill the processes of each cgroup, and remove it."""
    for group in groups:
        for _ in range(CGROUP_REMOVE_TRIES):
            _kill_members(group)
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(CGROUP_REMOVE_PAUSE)


def _kill_members(group):
    try:
        pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        pids = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --- the unprivileged user's environment -----------------------------------------------

_ENV_REPORTED = set()


def environment_fix():
    """What the instructor does about a Python that the user nobody cannot read."""
    return (f"Python's installation ({sys.prefix}) is probably not readable by other users "
            "(e.g. under /root). Fix: make it readable (chmod -R o+rX), install Python "
            "system-wide, or grade with --sandbox bwrap")


def environment_advice(mode):
    """What the instructor does when the student's process could not import a
    module that the grader's Python has, in the isolation ``mode``."""
    if drop_to(mode) is not None:
        return environment_fix()
    where = " in a sandbox that sees the system and Python only" if mode == "bwrap" else ""
    return (f"the student's code runs with `python -I` (PYTHONPATH and the user's site-packages "
            f"are ignored){where}: install the module in the Python that runs the grader "
            f"({sys.prefix})")


def not_graded_note(what, mode):
    """The instructor's note on parts not graded because of the grader's
    environment: ``what`` they are, and the fix."""
    return (f"not graded because of the grading environment: {what}.\n  "
            f"{environment_advice(mode)}; then grade again (grade-all grades these rows again).")


def report_environment(base):
    """Tell the instructor which modules the user nobody cannot import.

    Process mode as root: what the supervisor found (its environment.json,
    isolated/privileges.py) is said on stderr, once per grader process.

    Parameters
    ----------
    base : path
        The supervisor's folder.

    Returns
    -------
    dict
        Module -> the error of its import as nobody.
    """
    try:
        found = json.loads((Path(base) / "environment.json").read_text())
    except (OSError, ValueError):
        return {}
    problems, still = found.get("problems") or {}, found.get("still") or {}
    on_demand = found.get("on_demand") or []
    key = json.dumps(found, sort_keys=True)
    if problems and key not in _ENV_REPORTED:
        _ENV_REPORTED.add(key)
        fallback = [name for name in problems if name not in on_demand]
        print("grader environment: the user nobody (who runs the student's code in process "
              "mode as root) cannot import " + "; ".join(f"{k} ({v})" for k, v in problems.items())
              + f".\n  {environment_fix()}.\n  Fallback: "
              + (f"{', '.join(fallback)} imported before the privileges are dropped"
                 + (f" (still failing after that: {', '.join(still)})" if still else
                    ", after which they import") if fallback else "")
              + ("; " if fallback and on_demand else "")
              + (f"{', '.join(on_demand)} imported for a submission that imports them"
                 if on_demand else "")
              + ". A student's ModuleNotFoundError for another module installed here is not "
              "scored: the part is reported \"not graded (grading environment)\".",
              file=sys.stderr)
    return problems
