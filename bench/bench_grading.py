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
- the same in CPU time (user + system: this process's from getrusage, its
  descendants' sampled from /proc, Linux): less dependent on what else the
  machine runs, it gives the batch's time on idle cores (CPU time / jobs)
  and the share of the CPU spent in start-ups and imports (processes x CPU
  time of one start-up, measured with getrusage).

The goal: 100 submissions in under 2 minutes on a 2-core
machine. The figures depend on the machine's load: the load average is
printed too.
"""
import argparse
import os
import resource
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
from autograder.batch import default_jobs  # noqa: E402
from autograder.records import columns, read_csv, selected_parts  # noqa: E402
from autograder.stopping import children_tree  # noqa: E402

IMPORTS = "import numpy, scipy.io, scipy.optimize"


def cpu_seconds():
    """CPU time (user + system) of this process and of its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class DescendantsCPU:
    """CPU time of every descendant of this process, sampled from /proc every
    20 ms (the last moments of each process are missed: an underestimate).
    getrusage cannot see them: the sandbox's processes are killed, not waited
    for, by their parents."""

    def __init__(self, period=0.02):
        self.period, self.seen, self.stop = period, {}, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self):
        for pid in children_tree(os.getpid()):
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().decode("ascii", "replace").rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            key = (pid, fields[19])                    # pid, start time
            ticks = int(fields[11]) + int(fields[12])  # utime + stime
            self.seen[key] = max(self.seen.get(key, 0), ticks)

    def run(self):
        while not self.stop.wait(self.period):
            self.sample()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self):
        return sum(self.seen.values()) / os.sysconf("SC_CLK_TCK")


def startup_seconds(code, repeat=5):
    """(median wall seconds, median CPU seconds) of ``python -I -c code``."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([sys.executable, "-I", "-c", code], check=True)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


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
    bare, bare_cpu = startup_seconds("pass")
    imports, imports_cpu = startup_seconds(IMPORTS)
    print(f"one Python start-up: {bare:.3f} s bare, {imports:.3f} s with `{IMPORTS}` "
          f"({imports_cpu:.3f} s of CPU; medians of 5)")

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
        own = resource.getrusage(resource.RUSAGE_SELF)
        with PopenCounter() as counter, DescendantsCPU() as children:
            start = time.perf_counter()
            code = autograder_main(argv)
            seconds = time.perf_counter() - start
        end = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (end.ru_utime + end.ru_stime - own.ru_utime - own.ru_stime) + children.seconds
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
    print(f"CPU time (the grader and its children): {cpu:.1f} s, "
          f"{cpu / args.n:.2f} s per submission -> {cpu / args.jobs:.1f} s for the batch on "
          f"{args.jobs} idle cores; start-up and imports: {counter.count * imports_cpu:.1f} s "
          f"of CPU, {counter.count * imports_cpu / cpu:.0%} of it")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
