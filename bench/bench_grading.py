"""How fast a class is graded: ``python bench/bench_grading.py [--n 100] [--jobs N]``.

Grades N copies of the reference solution (all the parts, training
included) through the real ``python -m autograder grade-all`` path (its
``main``, in this process, into a temporary CSV), with ``--jobs`` = the
number of cores by default, and prints:

- the total seconds and the seconds per submission (wall clock);
- the share of the machine's time spent starting Python and importing
  numpy/scipy in the grader's child processes. Estimated as

      (Python processes started) x (time of one start-up) / (wall x jobs)

  where the processes are counted by wrapping subprocess.Popen during the
  batch (a command holding this Python's path: directly, or behind a
  sandbox launcher such as bwrap), and one start-up is the median of 5 runs
  of ``python -I -c "import numpy, scipy.io, scipy.optimize"``, measured
  alone before the batch. Processes forked from a started one (the parts,
  when the runner forks them) import nothing and are not counted.

The goal of the issue: 100 submissions in under 2 minutes on a 2-core
machine. The figures depend on the machine's load: the load average is
printed too.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import scheme  # noqa: E402
from autograder.__main__ import main as autograder_main  # noqa: E402
from autograder.batch import default_jobs, read_csv, columns, selected_parts  # noqa: E402

IMPORTS = "import numpy, scipy.io, scipy.optimize"


def startup_seconds(code, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class PopenCounter:
    """Counts the Python processes started through subprocess.Popen."""

    def __init__(self):
        self.count, self.lock, self.original = 0, threading.Lock(), subprocess.Popen.__init__

    def __enter__(self):
        counter, original = self, self.original

        def init(popen, args, *a, **k):
            words = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
            if any(str(w) == sys.executable or os.path.basename(str(w)).startswith("python")
                   for w in words):
                with counter.lock:
                    counter.count += 1
            original(popen, args, *a, **k)

        subprocess.Popen.__init__ = init
        return self

    def __exit__(self, *exc):
        subprocess.Popen.__init__ = self.original


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="submissions (default: 100)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="submissions at a time (default: the cores, %(default)s)")
    parser.add_argument("--parts", nargs="+", metavar="PART", help="only these parts")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.n} copies of the reference, --jobs {args.jobs}, {os.cpu_count()} cores, "
          f"load average {load:.2f} at the start")
    bare = startup_seconds("pass")
    imports = startup_seconds(IMPORTS)
    print(f"one Python start-up: {bare:.3f} s bare, {imports:.3f} s with `{IMPORTS}` "
          f"(median of 5)")

    work = Path(tempfile.mkdtemp(prefix="ex4bench-"))
    try:
        subs = work / "submissions"
        for i in range(args.n):
            folder = subs / f"student{i:03d}"
            folder.mkdir(parents=True)
            for name in scheme.STUDENT_FILES:
                shutil.copyfile(ROOT / name, folder / name)
        csv_path = work / "grades.csv"
        argv = ["grade-all", str(subs), "--csv", str(csv_path), "--jobs", str(args.jobs)]
        if args.parts:
            argv += ["--parts", *args.parts]
        with PopenCounter() as counter:
            start = time.perf_counter()
            code = autograder_main(argv)
            seconds = time.perf_counter() - start
        rows = read_csv(csv_path, columns(selected_parts(args.parts)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    full = sum(p.points for p in selected_parts(args.parts))
    right = sum(1 for r in rows.values() if float(r["total"]) == full and r["status"] == "graded")
    per = seconds / args.n
    per_submission = counter.count / args.n
    share = counter.count * imports / (seconds * args.jobs)
    print()
    print(f"exit code {code}; {len(rows)} rows, {right} with {full:g} / {full:g}")
    print(f"total {seconds:.1f} s, {per:.2f} s per submission "
          f"({per * args.jobs:.2f} s of one core each), goal: {args.n} in under 120 s "
          f"-> {'met' if seconds < 120 * args.n / 100 else 'NOT met'} "
          f"(scaled to {args.n} submissions)")
    print(f"Python processes started: {counter.count} ({per_submission:.1f} per submission); "
          f"start-up and imports: {counter.count * imports:.1f} s of core time, "
          f"{share:.0%} of the batch's ({seconds:.1f} s x {args.jobs} jobs)")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
