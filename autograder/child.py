"""The entry script of the grader's separate processes: ``python -I child.py ...``.

The grader copies this script and the package ``isolated/`` beside it into
a scratch folder, out of reach of the project, and runs ``python -I
child.py REQUEST EVENTS`` there (or ``--serve``, or ``--no-fork``:
isolated/supervise.py). With -I, Python puts neither this folder nor the
project on sys.path: the script makes the package beside it importable
itself, then takes its folder off sys.path again before any student code
runs.
"""
import os
import sys


def main():
    """Run the supervisor from the package beside this script, then exit
    through os._exit, so that a student's atexit handler or a lingering
    thread cannot change what the grader sees."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    from isolated.supervise import main as supervise
    sys.path.remove(here)
    os._exit(supervise(sys.argv[1:]))


if __name__ == "__main__":
    main()
