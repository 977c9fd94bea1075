"""How long grading takes when submissions hang, and when they are slow but right.

Run from the repository root or from bench/::

    python bench/bench_budget.py               # about 5 minutes
    python bench/bench_budget.py --skip-class  # without the class of 65 (about 2 minutes)

It prints, with the load average of the machine before and after each
figure (the machine may be shared):

- the per-example loop form of nnCostFunction (tests/submissions.py), the
  slowest right solution the time limits are made for: one evaluation on the
  5000 examples, and 50 iterations of fmin_cg, in this process;
- ``python -m autograder grade`` (default limits and budget) on: a
  submission whose five functions all hang (``while True``), one whose
  nnCostFunction alone hangs, the loop solution;
- ``python -m autograder grade-all --jobs 2`` on a class of 60 right
  submissions (the reference) and 5 all-hanging ones.

It always exits with status 0: it is not a test (tests/test_budget.py is).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from autograder import scheme  # noqa: E402
from submissions import LOOP_NN_COST_FUNCTION  # noqa: E402

ENV = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
HANG = "\n\ndef {f}(*args, **kwargs):\n    while True:\n        pass\n"


def load():
    return "load %.1f %.1f %.1f" % os.getloadavg()


def write(folder, hang=(), files=None):
    folder.mkdir(parents=True)
    for name in scheme.STUDENT_FILES:
        text = (files or {}).get(name, (ROOT / name).read_text())
        if name[:-3] in hang:
            text += HANG.format(f=name[:-3])
        (folder / name).write_text(text)
    return folder


def loop_form():
    """Seconds of one evaluation on the 5000 examples (best of 3) and of
    50 fmin_cg iterations, with the loop form, in this process."""
    import numpy as np
    import types
    import ex4data
    import trainNeuralNetwork
    from randInitializeWeights import randInitializeWeights
    module = types.ModuleType("loop_nnCostFunction")
    exec(LOOP_NN_COST_FUNCTION, module.__dict__)
    X, y = ex4data.load_ex4data1(verbose=False)
    np.random.seed(0)
    p0 = np.concatenate([randInitializeWeights(400, 25).ravel(),
                         randInitializeWeights(25, 10).ravel()])
    one = []
    for _ in range(3):
        start = time.perf_counter()
        module.nnCostFunction(p0, 400, 25, 10, X, y, 1.0)
        one.append(time.perf_counter() - start)
    trainNeuralNetwork.nnCostFunction = module.nnCostFunction
    start = time.perf_counter()
    _, costs, evaluations = trainNeuralNetwork.trainNeuralNetwork(
        p0, 400, 25, 10, X, y, 1.0, maxiter=50, verbose=False, full_output=True)
    return min(one), time.perf_counter() - start, evaluations


def grade(folder, out):
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--json", str(out)],
                   cwd=ROOT, env=ENV, capture_output=True, timeout=1800)
    seconds = time.monotonic() - start
    return seconds, json.loads(Path(out).read_text())["score"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-class", action="store_true",
                        help="leave out the class of 60 right and 5 hanging submissions")
    args = parser.parse_args(argv)
    print(f"limits: {scheme.CASE_SECONDS:g} s a case + {scheme.SECONDS_PER_EXAMPLE * 1000:g} ms "
          f"per example (5000 examples: {scheme.CASE_SECONDS + 5000 * scheme.SECONDS_PER_EXAMPLE:g}"
          f" s); training {scheme.case_timing({'call': {'kind': 'train', 'maxiter': 50}})['limit']:g}"
          f" s; budget {scheme.DEFAULT_BUDGET} s a submission; {os.cpu_count()} cores")
    before = load()
    one, train, evaluations = loop_form()
    print(f"loop form: one evaluation, 5000 examples {one:.2f} s; 50 fmin_cg iterations "
          f"{train:.1f} s ({evaluations} evaluations)   [{before} -> {load()}]")
    with tempfile.TemporaryDirectory(prefix="bench-budget-") as tmp:
        tmp = Path(tmp)
        subs = {
            "all five functions hang": write(tmp / "all_hang", hang=[n[:-3] for n in
                                                                   scheme.STUDENT_FILES]),
            "nnCostFunction alone hangs": write(tmp / "cost_hangs", hang=["nnCostFunction"]),
            "the loop solution (right)": write(tmp / "loop",
                                               files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION}),
        }
        for what, folder in subs.items():
            before = load()
            seconds, score = grade(folder, tmp / "results.json")
            print(f"grade, {what}: {seconds:.1f} s, score {score:g}   [{before} -> {load()}]")
        if args.skip_class:
            return 0
        klass = tmp / "class"
        for i in range(60):
            write(klass / f"right{i:02d}")
        for i in range(5):
            shutil.copytree(subs["all five functions hang"], klass / f"hang{i}")
        before = load()
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(klass), "--csv",
                        str(tmp / "grades.csv"), "--jobs", "2"], cwd=ROOT, env=ENV,
                       capture_output=True, timeout=7200)
        seconds = time.monotonic() - start
        rows = (tmp / "grades.csv").read_text().splitlines()[1:]
        print(f"grade-all --jobs 2, 60 right + 5 all-hanging: {seconds:.1f} s "
              f"({len(rows)} rows, {sum(',100,graded,' in r for r in rows)} at 100)   "
              f"[{before} -> {load()}]")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
