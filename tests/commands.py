"""How the tests run the project's commands: one helper, one environment.

``python(...)`` runs the tests' own interpreter in a separate process, as a
user runs a command, and returns its CompletedProcess (output as text);
``autograder_command(...)`` is ``python -m autograder ...``.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The tests read the scripts' English, whatever the machine's language
# (ex4i18n.py): in this process and in the commands they run. The tests of
# the French (tests/test_french.py) ask for it.
os.environ["EX4_LANG"] = "en"
# Figures go to files (no window), and no bytecode is written into the project.
ENV = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")


def python(*args, cwd=ROOT, timeout=600, env=None, input=None):
    """``python ARGS`` in ``cwd``, with :data:`ENV`.

    Parameters
    ----------
    args : the arguments, converted with str (paths, numbers)
    cwd : the working folder (default: the project)
    timeout : seconds before subprocess.TimeoutExpired
    env : variables to set, on top of ENV; a value None removes the variable
    input : text for its standard input (default: none, as in CI)
    """
    variables = dict(ENV)
    for name, value in (env or {}).items():
        if value is None:
            variables.pop(name, None)
        else:
            variables[name] = str(value)
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=variables, input=input,
                          stdin=None if input is not None else subprocess.DEVNULL)


def autograder_command(*args, **options):
    """``python -m autograder ARGS`` (the options of :func:`python`)."""
    return python("-m", "autograder", *args, **options)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_screenshot(page, shot, width, height, profile, timeout=180):
    """Open ``page`` (a local HTML file) in headless Chromium and save a
    ``width`` x ``height`` screenshot to ``shot``, with no network: a proxy
    that refuses every request, and no network namespace at all where
    ``unshare -n`` works. ``profile``: a folder for Chromium's profile.
    Returns the CompletedProcess."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--proxy-server=127.0.0.1:9", f"--user-data-dir={profile}",
               f"--screenshot={shot}", f"--window-size={width},{height}", Path(page).as_uri()]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        command = [unshare, "-n"] + command          # no network at all
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, cwd=Path(shot).parent)
