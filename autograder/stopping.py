"""Stopping a class batch: SIGTERM as Ctrl-C, and the grading processes it leaves.

When a batch is interrupted, its worker threads are told to stop, but the
grading processes they started (the supervisors and the parts' processes,
running the student's code) may still run: :func:`kill_children` kills
every descendant of this process.
"""
import os
import signal
import threading


def children_tree(root_pid):
    """The pids of every descendant of ``root_pid``.

    Read from Linux's /proc; [] elsewhere.
    """
    parents = _parents()
    found, todo = [], [root_pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _parents():
    """parent pid -> [child pids] of every process of /proc ({} without /proc)."""
    parents = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    return parents


def kill_children():
    """Kill the grading processes this process started (and theirs)."""
    for pid in children_tree(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def stop_on_signals():
    """Make SIGTERM stop the batch as Ctrl-C does (a KeyboardInterrupt), and
    SIGINT stop it even where it was started with SIGINT ignored (a command
    started in the background by a shell without job control: Python then
    leaves SIGINT ignored, and ``kill -INT`` would do nothing).

    Returns
    -------
    callable
        Restores the previous handlers (does nothing off the main thread,
        where signal handlers cannot be set).
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        old = {signal.SIGTERM: signal.signal(signal.SIGTERM, handler),
               signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler)}
    except (ValueError, OSError):
        return lambda: None

    def restore():
        for signum, previous in old.items():
            signal.signal(signum, previous)
    return restore
