"""Process mode as root: the student's code runs as an unprivileged user.

Before the privileges are dropped, the supervisor checks what that user
can import (a Python installed in a folder only root may read, e.g. under
/root, gives "No module named 'gzip'") and imports what the student may
need with the grader's rights (the fallback); the scientific packages a
submission imports are imported for it before each submission (imports.py).
"""
import importlib
import importlib.util
import json
import os
import sys

from .imports import SCIENTIFIC_PACKAGES

# Modules a student may use, imported before the privileges are dropped
# (afterwards, a Python installed in a private folder may be unreadable).
COMMON_MODULES = ("math", "cmath", "random", "statistics", "fractions", "decimal", "itertools",
                  "functools", "collections", "copy", "time", "warnings", "numpy.linalg",
                  "scipy.optimize", "scipy.special", "scipy.io")

# What the student's code may import, checked for the unprivileged user
# before any student code runs (the grader's environment, never the student's
# fault): modules that are not installed are left out. These are imported as
# that user (and, when that fails, by the fallback); the other scientific
# packages are only located (found, their file readable: importing them all
# would cost seconds), and imported for a submission that imports them.
ENVIRONMENT_MODULES = ("numpy", "scipy", "scipy.io", "scipy.optimize", "scipy.special",
                       "matplotlib", "matplotlib.pyplot", "pandas")
LOCATED_MODULES = tuple(p for p in SCIENTIFIC_PACKAGES if p not in ENVIRONMENT_MODULES)

PROBE_FAILED = 70           # exit code of a probe that could not answer


def drop_privileges(scratch, uid):
    """Run as the user ``uid`` from now on, the owner of the scratch folder only."""
    for folder, _dirs, files in os.walk(scratch):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid)
    become(uid)


def become(uid):
    """Drop every group and become the user (and group) ``uid``."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def probe_imports(uid, modules, located=()):
    """The installed ``modules`` that the user ``uid`` cannot import.

    Tried in a forked process that drops its privileges first, as a part's
    process does; run it before importing those modules here.

    Parameters
    ----------
    uid : int
        The unprivileged user.
    modules : sequence of str
        Module names, imported as ``uid``; those not installed are left out.
    located : sequence of str
        Top-level package names only found as ``uid`` (their spec, their
        file readable), not imported; those not installed are left out.

    Returns
    -------
    dict
        Module -> the error of its import ("ModuleNotFoundError: ...").
    """
    installed, findable = _installed(modules), _installed(located)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        _probe_as(uid, installed, findable, read, write)
    os.close(write)
    answer = _read_all(read)
    os.waitpid(pid, 0)
    try:
        return json.loads(answer.decode())
    except ValueError:
        return {"python": "the probe as the unprivileged user did not answer"}


def _installed(modules):
    installed = []
    for name in modules:
        try:
            if name in sys.modules or importlib.util.find_spec(name) is not None:
                installed.append(name)
        except (ImportError, ValueError):
            pass
    return installed


def _probe_as(uid, modules, located, read, write):
    """In the forked process: import ``modules`` and locate ``located`` as
    ``uid``, write the errors to the pipe's end ``write`` as JSON, and exit."""
    code = 0
    try:
        os.close(read)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        become(uid)
        bad = {}
        for name in modules:
            try:
                importlib.import_module(name)
            except BaseException as exc:
                bad[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
        for name in located:
            problem = _not_locatable(name)
            if problem:
                bad[name] = problem
        os.write(write, json.dumps(bad).encode())
    except BaseException:
        code = PROBE_FAILED
    finally:
        os._exit(code)


def _not_locatable(name):
    """Why the top-level package ``name`` cannot be imported by this process's
    user, found without importing it ("" when its file is readable)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    if spec is None:
        return f"ModuleNotFoundError: No module named '{name}'"
    if spec.origin and os.path.isabs(spec.origin) and not os.access(spec.origin, os.R_OK):
        return f"PermissionError: {spec.origin} is not readable"
    return ""


def _read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def import_before_dropping(uid, problems):
    """Import what the student may need while the grader's rights last.

    The common modules, and the ``problems`` (`probe_imports`'s answer) of
    ENVIRONMENT_MODULES as a fallback (those of LOCATED_MODULES are imported
    for a submission that imports them, imports.py); then writes
    environment.json (in the current folder) for the grader: {"problems":
    ..., "still": the modules ``uid`` still cannot import, "on_demand": the
    packages imported for the submissions that import them}.
    """
    for name in COMMON_MODULES:
        importlib.import_module(name)
    fallback = [name for name in problems if name not in LOCATED_MODULES]
    for name in fallback:        # the fallback: imported with the grader's rights
        try:
            importlib.import_module(name)
        except Exception:
            pass
    still = probe_imports(uid, fallback) if fallback else {}
    with open("environment.json", "w") as f:
        json.dump({"problems": problems, "still": still,
                   "on_demand": [name for name in problems if name in LOCATED_MODULES]}, f)
