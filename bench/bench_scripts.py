"""The scripts' wall-clock time, idle and on a busy machine, BLAS threads
capped or not.

    python bench/bench_scripts.py [--skip-analysis] [--skip-grader] [--repeat N]

Runs ``python ex4.py --no-pause``, ``python ex4_analysis.py --quick`` and
``python ex4_analysis.py`` (both with ``--out`` a temporary folder), and
the grading of the reference (``python -m autograder grade .``), each:

- idle, then under a load of ``--load`` busy processes (default 2): each
  one a NumPy process multiplying small matrices in a loop, with NumPy's
  default number of BLAS threads, as a second Spyder kernel or a notebook
  would be;
- with the scripts' own choice of BLAS threads (``limit_blas_threads`` in
  ex4helpers.py: one thread), then not capped (``OPENBLAS_NUM_THREADS``
  set to the number of cores, which that function leaves alone).

Prints one line per run: the command, the load, the threads, the seconds
(minimum of ``--repeat`` runs) and the 1-minute load average when it
started. ``MPLBACKEND=Agg`` throughout. Other processes of the machine
count in the load average: on a shared machine "idle" is only as idle as
the machine is.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORES = os.cpu_count() or 1
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "GOTO_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

BUSY = """
import numpy as np
a = np.random.default_rng(0).random(({n}, {n}))
while True:
    b = a @ a
"""


def clean_env(**extra):
    """The environment without any BLAS thread variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.update(MPLBACKEND="Agg", **extra)
    return env


def start_load(count, size):
    """``count`` busy NumPy processes (default BLAS threads)."""
    return [subprocess.Popen([sys.executable, "-c", BUSY.format(n=size)], env=clean_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def stop_load(processes):
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def time_run(args, env, timeout):
    """Seconds of one run of ``python ARGS`` in the project folder."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"python {' '.join(args)} failed ({proc.returncode}):\n"
                         f"{proc.stderr[-2000:]}")
    return seconds


def commands(options, out):
    found = [("ex4.py", ["ex4.py", "--no-pause", "--figures", str(out / "figures")])]
    if not options.skip_analysis:
        found += [("ex4_analysis.py --quick",
                   ["ex4_analysis.py", "--quick", "--out", str(out / "quick")]),
                  ("ex4_analysis.py", ["ex4_analysis.py", "--out", str(out / "analysis")])]
    if not options.skip_grader:
        found += [("grade the reference", ["-m", "autograder", "grade", str(ROOT),
                                           "--sandbox", "process"])]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-analysis", action="store_true",
                        help="do not run ex4_analysis.py (it takes the longest)")
    parser.add_argument("--skip-grader", action="store_true",
                        help="do not grade the reference")
    parser.add_argument("--repeat", type=int, default=1, help="runs per line (minimum kept)")
    parser.add_argument("--load", type=int, default=2, help="busy processes (default 2)")
    parser.add_argument("--size", type=int, default=200,
                        help="the busy processes' matrix size (default 200)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a run may take")
    options = parser.parse_args(argv)

    threads = [("capped (1)", clean_env()),
               (f"not capped ({CORES})", clean_env(OPENBLAS_NUM_THREADS=str(CORES)))]
    print(f"{CORES} cores; busy load: {options.load} NumPy processes, {options.size}x"
          f"{options.size} products in a loop; minimum of {options.repeat} run(s)")
    print(f"{'command':<26}{'machine':<9}{'BLAS threads':<17}{'seconds':>9}{'load avg':>10}")
    with tempfile.TemporaryDirectory(prefix="bench_scripts-") as tmp:
        for name, args in commands(options, Path(tmp)):
            for machine in ("idle", "busy"):
                load = start_load(options.load, options.size) if machine == "busy" else []
                try:
                    if load:
                        time.sleep(2)                 # the load is up
                    for words, env in threads:
                        average = os.getloadavg()[0]
                        best = min(time_run(args, env, options.timeout)
                                   for _ in range(options.repeat))
                        print(f"{name:<26}{machine:<9}{words:<17}{best:>9.1f}{average:>10.2f}",
                              flush=True)
                finally:
                    stop_load(load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
