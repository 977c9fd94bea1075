"""Resource limits of the parts' processes, and what they leave running."""
import os
import signal
import time

KILL_ROUNDS = 50            # rounds of killing what is left in the cgroups
KILL_PAUSE = 0.01           # seconds between two rounds


def limit_resources(limits):
    """Cap this process's resources, before any student code runs.

    Parameters
    ----------
    limits : dict
        The name of an RLIMIT_ constant of the ``resource`` module -> its
        value (memory, file size, processes, core dumps); what applies to
        this process applies to what it starts. On Windows (no ``resource``)
        nothing is done, and a limit this system does not know is skipped.
    """
    try:
        import resource
    except ImportError:                   # Windows
        return
    for name, value in limits.items():
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (AttributeError, ValueError, OSError):
            pass


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
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
    for _ in range(KILL_ROUNDS):
        others = _other_members(cgroups)
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(KILL_PAUSE)


def _other_members(cgroups):
    """The processes of the cgroups but this one."""
    others = []
    for path in cgroups:
        try:
            with open(os.path.join(path, "cgroup.procs")) as f:
                others += [int(p) for p in f.read().split() if int(p) != os.getpid()]
        except (OSError, ValueError):
            pass
    return others
