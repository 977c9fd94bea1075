"""Benchmark of nnCostFunction (exercise 4, 400-25-10 network, 5000 digits).

Run from the repository root or from bench/::

    python bench/bench_nn.py

It prints figures, with the goals next to them (PASS/MISS), and always exits
with status 0: it is not a test. Times are taken with timeit.repeat, one call
per run, in rounds that alternate between the things compared; the MINIMUM
over the runs (the least disturbed one, the most stable figure on a machine
shared with other jobs) is the figure compared with the goals, the median is
printed beside it as a measure of the noise.
"""
import os
import sys
import time
import timeit
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ex4data import MissingCourseFile, load_ex4data1, load_ex4weights  # noqa: E402
from nnCostFunction import nnCostFunction  # noqa: E402
from predictNeuralNetwork import predictNeuralNetwork  # noqa: E402
from randInitializeWeights import randInitializeWeights  # noqa: E402
from sigmoid import sigmoid  # noqa: E402
from sigmoidGradient import sigmoidGradient  # noqa: E402
from trainNeuralNetwork import trainNeuralNetwork  # noqa: E402

N_IN, N_HID, N_OUT = 400, 25, 10
LAMBDA = 1.0
SEED = 0          # ex4.py's default seed


def time_ms(functions, rounds=10, repeat=20):
    """{name: f} -> {name: (min, median) time of one call of f, in ms}.

    The calls are made in rounds that alternate between the functions, so
    that a busy spell of the machine does not fall on one of them only.
    """
    runs = {name: [] for name in functions}
    for _ in range(rounds):
        for name, f in functions.items():
            runs[name] += timeit.repeat(f, number=1, repeat=repeat)
    return {name: (min(r) * 1e3, float(np.median(r)) * 1e3) for name, r in runs.items()}


def unroll(Theta1, Theta2):
    return np.concatenate([Theta1.ravel(), Theta2.ravel()])


def loop_cost(nn_params, X, y, lambda_):
    """The handout's teaching form: one example at a time, outer products."""
    Theta1 = nn_params[:N_HID * (N_IN + 1)].reshape(N_HID, N_IN + 1)
    Theta2 = nn_params[N_HID * (N_IN + 1):].reshape(N_OUT, N_HID + 1)
    m = X.shape[0]
    J = 0.0
    Theta1_grad = np.zeros_like(Theta1)
    Theta2_grad = np.zeros_like(Theta2)
    for t in range(m):
        a1 = np.concatenate(([1.0], X[t]))              # forward pass
        z2 = Theta1 @ a1
        a2 = np.concatenate(([1.0], sigmoid(z2)))
        a3 = sigmoid(Theta2 @ a2)
        yt = np.zeros(N_OUT)
        yt[y[t] - 1] = 1
        J += np.sum(-yt * np.log(a3) - (1 - yt) * np.log(1 - a3))
        delta3 = a3 - yt                                  # backpropagation
        delta2 = (Theta2.T @ delta3)[1:] * sigmoidGradient(z2)
        Theta1_grad += np.outer(delta2, a1)
        Theta2_grad += np.outer(delta3, a2)
    J = J / m + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    Theta1_grad /= m
    Theta2_grad /= m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    return J, unroll(Theta1_grad, Theta2_grad)


def verdict(ok):
    return "PASS" if ok else "MISS"


def blas_summary():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} (numpy.show_config; threads unknown)"
    libs = [f"{i['internal_api']} {i['version']} ({i.get('architecture')}, "
            f"{i['num_threads']} threads, {i.get('threading_layer')})"
            for i in threadpool_info() if i["user_api"] == "blas"]
    return "; ".join(libs) or "no BLAS found by threadpoolctl"


def main():
    print(f"Python {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"BLAS: {blas_summary()}")
    print(f"cores: os.cpu_count() = {os.cpu_count()}, "
          f"usable (sched_getaffinity) = {len(os.sched_getaffinity(0))}")
    print(f"OPENBLAS_CORETYPE = {os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(f"load average (1 min) = {load:.2f}" + (
        f" (above the {cores} cores: other jobs may inflate the times, see the medians)"
        if load > cores else ""))

    X, y = load_ex4data1()
    m = X.shape[0]
    np.random.seed(SEED)
    initial = unroll(randInitializeWeights(N_IN, N_HID), randInitializeWeights(N_HID, N_OUT))
    try:
        Theta1, Theta2 = load_ex4weights()
        params, which = unroll(Theta1, Theta2), "course weights"
    except MissingCourseFile:
        params, which = initial, f"random weights (seed {SEED})"
    print(f"data: X {X.shape} {X.dtype}, "
          f"{'Fortran' if np.isfortran(X) else 'C'}-ordered; {which}; lambda = {LAMBDA:g}")
    print("times: min (the figure used) and median of 200 runs, timeit.repeat, in ms\n")

    def evaluate():
        return nnCostFunction(params, N_IN, N_HID, N_OUT, X, y, LAMBDA)

    W = params[:N_HID * (N_IN + 1)].reshape(N_HID, N_IN + 1)[:, 1:]
    delta2 = np.random.default_rng(SEED).standard_normal((m, N_HID))
    t = time_ms({"evaluation": evaluate,
                 "X @ W.T": lambda: X @ W.T,
                 "delta2.T @ X": lambda: delta2.T @ X,
                 "(W @ X.T).T": lambda: (W @ X.T).T})
    best = {name: v[0] for name, v in t.items()}
    floor = best["X @ W.T"] + best["delta2.T @ X"]
    ratio = best["evaluation"] / floor
    print("                                      min   median")
    for label, name in [("nnCostFunction evaluation", "evaluation"),
                        ("floor: X @ Theta1[:, 1:].T", "X @ W.T"),
                        ("       delta2.T @ X", "delta2.T @ X")]:
        print(f"{label:32s} {t[name][0]:8.3f} {t[name][1]:8.3f} ms")
    print(f"       sum of the mins           {floor:8.3f} ms")
    print(f"ratio evaluation / floor (mins)  {ratio:8.2f}    goal <= 1.3   {verdict(ratio <= 1.3)}")
    print(f"(for information: the first product in the other order, "
          f"(Theta1[:, 1:] @ X.T).T, takes {best['(W @ X.T).T']:.3f} ms)")

    J, grad = evaluate()
    J_loop, grad_loop = loop_cost(params, X, y, LAMBDA)
    dJ = abs(J_loop - J) / abs(J)
    dgrad = np.max(np.abs(grad_loop - grad))
    print(f"\nloop form vs nnCostFunction: |dJ|/J = {dJ:.1e}, max |dgrad| = {dgrad:.1e}"
          f"    goal <= 1e-10   {verdict(dJ <= 1e-10 and dgrad <= 1e-10)}")
    t_loop = time_ms({"loop": lambda: loop_cost(params, X, y, LAMBDA)}, rounds=1, repeat=5)["loop"][0]
    speedup = t_loop / best["evaluation"]
    print(f"per-example loop form (min of 5) {t_loop:8.1f} ms")
    print(f"ratio loop / evaluation          {speedup:8.1f}    goal >= 15    {verdict(speedup >= 15)}")

    start = time.perf_counter()
    trained, costs, evaluations = trainNeuralNetwork(
        initial, N_IN, N_HID, N_OUT, X, y, LAMBDA, maxiter=50, verbose=False, full_output=True)
    wall = time.perf_counter() - start
    Theta1 = trained[:N_HID * (N_IN + 1)].reshape(N_HID, N_IN + 1)
    Theta2 = trained[N_HID * (N_IN + 1):].reshape(N_OUT, N_HID + 1)
    accuracy = np.mean(predictNeuralNetwork(Theta1, Theta2, X) == y) * 100
    print(f"\nfmin_cg, 50 iterations (seed {SEED}, lambda {LAMBDA:g}): one run")
    print(f"wall time                        {wall:8.3f} s")
    print(f"evaluations of nnCostFunction    {evaluations:8d}    goal about 110-120, one per "
          f"point (<= 120)   {verdict(evaluations <= 120)}")
    print(f"final cost                       {costs[-1]:8.6f}")
    print(f"training accuracy                {accuracy:8.2f} %  (handout: about 95.3 +- 1)")


if __name__ == "__main__":
    main()
