"""The supervisor processes (child.py) that run the student's code, and their pool."""
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .isolation import bwrap_prefix, isolation_mode, make_cgroups, remove_cgroups

HERE = Path(__file__).resolve().parent
CHILD_SCRIPT = "child.py"          # the entry script, copied into the supervisor's folder
CHILD_PACKAGE = "isolated"         # the code it runs, copied beside it
MATPLOTLIB_FOLDER = ".matplotlib"  # in the supervisor's folder: its MPLCONFIGDIR


class Supervisor:
    """A supervisor process (child.py) and the folder it works in.

    One-shot (``grade``): a new process for each submission. Persistent
    (``SupervisorPool``, for batches): one process that stays and serves the
    submissions one after the other, paying the imports and the course data
    once. A killed or stuck supervisor is replaced.

    Parameters
    ----------
    mode : {"bwrap", "process"}
        The isolation mode.
    data_dir : path
        The folder of the course files.
    persistent : bool
        Whether the process stays and serves several submissions.
    """

    def __init__(self, mode, data_dir, persistent=False):
        self.mode, self.data_dir, self.persistent = mode, Path(data_dir).resolve(), persistent
        self.base = Path(tempfile.mkdtemp(prefix="ex4grade-"))
        self.base.chmod(0o711)             # the part folders inside are reachable (by nobody)
        self.groups = make_cgroups() if os.name == "posix" else []
        install_child(self.base)
        copy_font_list(self.base / MATPLOTLIB_FOLDER)
        self.proc = self._start(["--serve"]) if persistent else None

    def _start(self, args):
        command = [sys.executable, "-I", str(self.base / CHILD_SCRIPT), *args]
        if self.mode == "bwrap":
            command = (bwrap_prefix([self.base, *self.groups], [self.data_dir])
                       + ["--chdir", str(self.base)] + command)
        kwargs = ({"start_new_session": True} if os.name == "posix"
                  else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)})
        with open(self.base / "supervisor.log", "ab") as log:
            return subprocess.Popen(command, cwd=self.base,
                                    env=child_environment(self.base / MATPLOTLIB_FOLDER),
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
        """Whether the process runs (a persistent one may serve the next submission)."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """Kill the process and its process group (a new one serves the next request)."""
        kill_process_group(self.proc)
        self.proc.wait()

    def close(self):
        """Kill the process and what it left, remove its cgroups and its folder."""
        if self.proc is not None:
            self.stop()
        remove_cgroups(self.groups)
        shutil.rmtree(self.base, ignore_errors=True)


class SupervisorPool:
    """Persistent supervisors for a batch: one per worker thread.

    Parameters
    ----------
    sandbox : {"auto", "bwrap", "process"}
        The isolation requested (`isolation_mode`).
    data_dir : path
        The folder of the course files.
    """

    def __init__(self, sandbox, data_dir):
        self.mode, self.text = isolation_mode(sandbox)
        self.data_dir = Path(data_dir).resolve()
        self._local = threading.local()
        self._all, self._lock = [], threading.Lock()

    def get(self):
        """This thread's supervisor, a new one when it has none or it died."""
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
        """Close every supervisor of the pool."""
        with self._lock:
            for sup in self._all:
                sup.close()
            self._all.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def install_child(base):
    """Copy the entry script and the package it runs into the folder ``base``."""
    shutil.copyfile(HERE / CHILD_SCRIPT, base / CHILD_SCRIPT)
    shutil.copytree(HERE / CHILD_PACKAGE, base / CHILD_PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def child_environment(matplotlib_folder):
    """The environment variables of a supervisor: the few it needs, none of
    the grader's others; Matplotlib's configuration and cache folder is
    ``matplotlib_folder`` (see `copy_font_list`)."""
    env = {key: value for key, value in os.environ.items()
           if key in ("PATH", "SYSTEMROOT", "LANG", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                      "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    # BLAS threads: the supervisor calls ex4helpers.limit_blas_threads (an explicit variable wins).
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
               HOME=tempfile.gettempdir(), MPLCONFIGDIR=str(matplotlib_folder))
    return env


def copy_font_list(folder):
    """Copy the grader's Matplotlib font list into ``folder``, the supervisor's
    Matplotlib cache folder, made here.

    A student's module that imports matplotlib.pyplot makes Matplotlib read
    the list of the machine's fonts from its cache folder, or else build it
    (fc-list and every font file read: about a second), in each of the
    part's processes. The sandbox starts with an empty temporary folder, so
    each would build it again.
    The list only names the system's font files, which the sandbox reads as
    the grader does. Where the grader has no list yet, Matplotlib builds it
    once, in a process of its own, in the grader's cache folder.
    """
    folder.mkdir(exist_ok=True)
    lists = font_lists() or build_font_list()
    for path in lists:
        shutil.copyfile(path, folder / path.name)


@functools.lru_cache(maxsize=None)
def build_font_list():
    """Have Matplotlib build the grader's font list, in a process of its own,
    once per grader process (where it cannot, the sandbox builds its own, as
    without a list to copy). Returns the font lists found afterwards."""
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                       capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        pass
    return tuple(font_lists())


def font_lists():
    """The font lists of the grader's Matplotlib cache folder (the folder
    ``matplotlib.get_cachedir()`` names, found without importing it)."""
    if os.environ.get("MPLCONFIGDIR"):
        cache = Path(os.environ["MPLCONFIGDIR"])
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    return sorted(cache.glob("fontlist-v*.json"))


def kill_process_group(proc):
    """Kill ``proc`` and its process group (the process alone on Windows)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
