"""How long the test suite takes: ``python bench/bench_suite.py [--fast-only]``.

Runs, from the repository root and each in a new process, the two commands
of the README: ``python -m pytest`` (the whole suite, on the workers of
pytest.ini) and ``python -m pytest -m "not slow"`` (the fast tier), and
prints for each the seconds, the tests passed, failed and skipped, and the
load average before and after. The goal (docs/benchmarks.md): the whole
suite within about 5 minutes on 2 cores, the fast tier within about a
minute. The suite reads the course files as a fresh clone does unless
``EX4_ORIGINAL_DATA`` is set.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"the whole suite": [], "the fast tier": ["-m", "not slow"]}


def counts(output):
    """{"passed": n, "failed": n, "skipped": n, ...} of pytest's last line."""
    last = output.strip().splitlines()[-1] if output.strip() else ""
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", last)}


def run(args):
    """(seconds, counts, exit code) of ``python -m pytest ARGS`` at the root."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=ROOT, capture_output=True, text=True)
    return time.monotonic() - start, counts(proc.stdout), proc.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast-only", action="store_true", help="time the fast tier alone")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; EX4_ORIGINAL_DATA "
          f"{'set' if os.environ.get('EX4_ORIGINAL_DATA') else 'not set (a fresh clone)'}")
    print(f"{'command':<18}{'seconds':>9}  {'passed':>6} {'failed':>6} {'skipped':>7}  "
          f"load before -> after")
    code = 0
    for name, extra in COMMANDS.items():
        if args.fast_only and extra == []:
            continue
        before = os.getloadavg()[0]
        seconds, found, returncode = run(extra)
        code = code or returncode
        print(f"{name:<18}{seconds:>9.0f}  {found.get('passed', 0):>6} "
              f"{found.get('failed', 0):>6} {found.get('skipped', 0):>7}  "
              f"{before:.2f} -> {os.getloadavg()[0]:.2f}")
    return code


if __name__ == "__main__":
    sys.exit(main())
