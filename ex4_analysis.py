"""Machine Learning exercise 4, final analysis: what lambda and MaxIter change.

The handout ends by asking you to see for yourself how the regularisation
parameter lambda and the number of iterations (MaxIter) change what the
network learns. This script does the experiment for you, on top of the
functions you wrote for ex4.py:

1. it splits the 5000 digits into a training part and a held-out part
   (4000 / 1000 by default, stratified: each digit keeps its share);
2. for each lambda of a grid (0, 0.01, 0.1, 1, 3, 10) it trains the network
   ONCE with fmin_cg for the largest MaxIter (400), from the same initial
   weights, and records the training and held-out accuracy and the cost at
   each MaxIter checkpoint (25, 50, 100, 200, 400) on the way. A run stopped
   at MaxIter = k would give exactly the weights recorded at iteration k, so
   one run per lambda is enough;
3. it prints a table, writes it as ``analysis.csv``, draws five figures
   (saved as PNG next to the CSV) and checks the handout's claim: without
   regularisation and with enough iterations, the network fits its training
   set (nearly) perfectly while its accuracy on digits it has not seen does
   not follow.

Run it in a terminal::

    python ex4_analysis.py                 # the full study (about a minute)
    python ex4_analysis.py --no-pause      # without waiting for Enter
    python ex4_analysis.py --quick         # a reduced grid, a few seconds
    python ex4_analysis.py --lambdas 0,1,10 --checkpoints 50,100,800 --out my_run

or cell by cell in Spyder (each ``# %%`` cell runs with Ctrl+Enter; run the
first cell first: it defines the functions the other cells use). The steps
are guarded by ``if __name__ == "__main__":`` so that the tests can import
the functions without running the study; in Spyder, as in a terminal,
``__name__`` is ``"__main__"`` and the cells run normally.

Outputs (in ``--out DIR``, by default ``figures/analysis/``):
``1_accuracy_vs_iterations.png``, ``2_heldout_vs_lambda.png``,
``3_hidden_units.png``, ``4_cost_main_run.png``, ``5_misclassified.png``
and ``analysis.csv`` (one row per lambda and checkpoint, columns
``lambda,iterations,train_accuracy,heldout_accuracy,cost``, accuracies in
percent).
"""
# %% Initialisation: imports and the functions used by the next cells
import argparse
import csv
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from ex4helpers import (parse_options, pause, show_figure, plt,
                        stop_quietly_on_not_implemented, NotImplementedYet)
from ex4data import load_ex4data1
from displayData import displayData
from nnCostFunction import nnCostFunction
from predictNeuralNetwork import predictNeuralNetwork
from randInitializeWeights import randInitializeWeights
from trainNeuralNetwork import trainNeuralNetwork

DESCRIPTION = ("Machine Learning exercise 4, final analysis: training and held-out "
               "accuracy for several lambda and MaxIter")

# The network of the exercise
INPUT_LAYER_SIZE = 400   # 20x20 input images of digits
HIDDEN_LAYER_SIZE = 25   # 25 hidden units
NUM_LABELS = 10          # labels 1..10 (10 is the digit 0)
SIZES = (INPUT_LAYER_SIZE, HIDDEN_LAYER_SIZE, NUM_LABELS)

# The study's defaults (see --help)
DEFAULT_LAMBDAS = (0.0, 0.01, 0.1, 1.0, 3.0, 10.0)
DEFAULT_CHECKPOINTS = (25, 50, 100, 200, 400)
DEFAULT_HELDOUT = 1000   # held-out digits: 100 of each label; 4000 left to train on
DEFAULT_SEED = 0         # seeds the split (its own generator) and np.random (initial weights)
QUICK_LAMBDAS = (0.0, 1.0, 10.0)
QUICK_CHECKPOINTS = (10, 25, 50)

# The handout's main run (ex4.py): lambda = 1, MaxIter = 50
MAIN_LAMBDA = 1.0
MAIN_MAXITER = 50

FMIN_CG_GTOL = 1e-5      # scipy's default: fmin_cg stops when max |gradient| <= gtol
OVERFITTING_GAP = 2.0    # points between training and held-out accuracy called overfitting
PROGRESS_EVERY = 25      # a progress line every 25 iterations (and at each checkpoint)
CSV_NAME = "analysis.csv"
CSV_COLUMNS = ("lambda", "iterations", "train_accuracy", "heldout_accuracy", "cost")
FIGURE_NAMES = ("1_accuracy_vs_iterations", "2_heldout_vs_lambda", "3_hidden_units",
                "4_cost_main_run", "5_misclassified")


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------

def _number_list(text, kind, what):
    """Parse "0,0.1,1" into a sorted tuple of distinct numbers (argparse type)."""
    try:
        values = [kind(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{what} must be a comma-separated list of numbers, found {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError(f"{what} must not be empty")
    return tuple(sorted(set(values)))


def _lambda_list(text):
    values = _number_list(text, float, "--lambdas")
    if not all(np.isfinite(v) and v >= 0 for v in values):
        raise argparse.ArgumentTypeError(f"lambda values must be finite and >= 0, found {text!r}")
    return values


def _checkpoint_list(text):
    values = _number_list(text, int, "--checkpoints")
    if values[0] < 1:
        raise argparse.ArgumentTypeError(f"checkpoints must be positive integers, found {text!r}")
    return values


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, found {text!r}")
    return value


def _add_arguments(parser):
    parser.add_argument("--lambdas", type=_lambda_list, default=None, metavar="L1,L2,...",
                        help="the lambda grid (default: "
                             + ",".join(f"{v:g}" for v in DEFAULT_LAMBDAS) + "; with --quick: "
                             + ",".join(f"{v:g}" for v in QUICK_LAMBDAS) + ")")
    parser.add_argument("--checkpoints", type=_checkpoint_list, default=None, metavar="K1,K2,...",
                        help="the MaxIter values recorded; one run per lambda goes to the "
                             "largest (default: " + ",".join(map(str, DEFAULT_CHECKPOINTS))
                             + "; with --quick: " + ",".join(map(str, QUICK_CHECKPOINTS)) + ")")
    parser.add_argument("--heldout", type=_positive_int, default=DEFAULT_HELDOUT, metavar="N",
                        help="number of held-out examples, taken in proportion from each "
                             "label (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="seed of the split and of np.random for the initial weights "
                             "(default: %(default)s)")
    parser.add_argument("--quick", action="store_true",
                        help="a reduced grid (for tests and a first look)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="where to write the figures and analysis.csv "
                             "(default: <figures>/analysis)")


def analysis_options(argv=None):
    """The script's options: ex4helpers' (--no-pause, --figures) and its own.

    ``options.lambdas`` and ``options.checkpoints`` are sorted tuples (the
    defaults, or the reduced grid with ``--quick``, unless given), and
    ``options.out`` the output folder as a Path.
    """
    options = parse_options(DESCRIPTION, argv=argv, add_arguments=_add_arguments)
    if options.lambdas is None:
        options.lambdas = QUICK_LAMBDAS if options.quick else DEFAULT_LAMBDAS
    if options.checkpoints is None:
        options.checkpoints = QUICK_CHECKPOINTS if options.quick else DEFAULT_CHECKPOINTS
    options.out = Path(options.out) if options.out is not None else options.figures / "analysis"
    return options


# ---------------------------------------------------------------------------
# Data and training
# ---------------------------------------------------------------------------

def stratified_split(y, n_heldout, seed=DEFAULT_SEED):
    """Split the examples into a training part and a held-out part, stratified.

    Each label gives the held-out part its share of ``n_heldout`` (500 of
    each label in 5000 and ``n_heldout = 1000``: 100 of each), the shares
    rounded by largest remainder so that they add up to ``n_heldout``. Which
    examples of a label are held out is drawn with
    ``np.random.default_rng(seed)``: the same seed gives the same split, and
    NumPy's global generator (used for the initial weights) is left alone.

    Parameters
    ----------
    y : array_like of shape (m,) or (m, 1)
        The labels.
    n_heldout : int
        How many examples to hold out, 0 < n_heldout < m.
    seed : int
        Seed of the split.

    Returns
    -------
    train_idx, heldout_idx : ndarray of int64, sorted
        Row indices: disjoint, together all of 0..m-1.
    """
    y = np.asarray(y).ravel()
    m = y.size
    if isinstance(n_heldout, bool) or int(n_heldout) != n_heldout or not 0 < n_heldout < m:
        raise ValueError(f"the held-out size must be an integer in 1..{m - 1}, "
                         f"found {n_heldout!r}")
    n_heldout = int(n_heldout)
    labels, counts = np.unique(y, return_counts=True)
    exact = counts * n_heldout / m
    take = np.floor(exact).astype(np.int64)
    # Largest remainders first; ties go to the smaller label (stable sort).
    extra = np.argsort(-(exact - take), kind="stable")[:n_heldout - take.sum()]
    take[extra] += 1

    rng = np.random.default_rng(seed)
    heldout = [rng.permutation(np.flatnonzero(y == label))[:k]
               for label, k in zip(labels, take)]
    heldout_idx = np.sort(np.concatenate(heldout)).astype(np.int64)
    train_idx = np.setdiff1d(np.arange(m, dtype=np.int64), heldout_idx)
    return train_idx, heldout_idx


def initial_weights(seed=DEFAULT_SEED, sizes=SIZES):
    """The unrolled initial weights, seeded as in ex4.py.

    ``np.random.seed(seed)``, then randInitializeWeights for Theta1 and
    Theta2: ex4.py with ``--seed`` starts from the same weights.
    """
    n, h, K = sizes
    np.random.seed(seed)
    Theta1 = randInitializeWeights(n, h)
    Theta2 = randInitializeWeights(h, K)
    return np.concatenate([Theta1.ravel(), Theta2.ravel()])


def reshape_weights(nn_params, sizes=SIZES):
    """(Theta1, Theta2) from the unrolled weights (views, not copies)."""
    n, h, K = sizes
    split = h * (n + 1)
    return nn_params[:split].reshape(h, n + 1), nn_params[split:].reshape(K, h + 1)


def accuracy(nn_params, X, y, sizes=SIZES):
    """Percentage of the examples of X whose label the network predicts right."""
    Theta1, Theta2 = reshape_weights(nn_params, sizes)
    return 100.0 * float(np.mean(predictNeuralNetwork(Theta1, Theta2, X) == y))


def weights_sum_of_squares(nn_params, sizes=SIZES):
    """Sum of the squared weights without the bias columns (what lambda penalises)."""
    Theta1, Theta2 = reshape_weights(nn_params, sizes)
    return float(np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))


def print_progress(lambda_, iteration, maxiter, cost, train_accuracy, heldout_accuracy,
                   at_checkpoint):
    """Default progress report: a line every PROGRESS_EVERY iterations and at checkpoints."""
    if at_checkpoint or iteration % PROGRESS_EVERY == 0:
        heldout = "" if heldout_accuracy is None else f" | held-out {heldout_accuracy:6.2f}%"
        mark = "  <- checkpoint" if at_checkpoint else ""
        print(f"  lambda = {lambda_:<5g} | iteration {iteration:4d}/{maxiter} | "
              f"cost {cost:.6f} | train {train_accuracy:6.2f}%{heldout}{mark}", flush=True)


def train_with_checkpoints(initial_nn_params, X_train, y_train, lambda_, checkpoints,
                           X_heldout=None, y_heldout=None, sizes=SIZES, progress=None):
    """Train once with fmin_cg and record the network at several MaxIter.

    One call of trainNeuralNetwork with ``maxiter = max(checkpoints)``; its
    callback records, after every iteration, the cost and the training (and
    held-out) accuracy, and keeps a copy of the weights at each checkpoint.
    fmin_cg's iterations do not depend on maxiter, so the weights recorded
    at iteration k are those of a separate run with ``maxiter = k`` from the
    same initial weights.

    If fmin_cg stops before a checkpoint (converged, or no more progress in
    the line search), a run with that MaxIter would stop at the same point:
    the checkpoint gets the last weights, and ``result.stopped_at`` says
    after how many iterations it stopped.

    Parameters
    ----------
    initial_nn_params : ndarray
        The unrolled initial weights (see :func:`initial_weights`).
    X_train, y_train : ndarray
        The examples trained on, and their labels 1..K.
    lambda_ : float
        The regularisation parameter.
    checkpoints : sequence of int
        The MaxIter values to record (positive).
    X_heldout, y_heldout : ndarray, optional
        Examples not trained on, for the held-out accuracy.
    sizes : (n, h, K)
        The layer sizes.
    progress : callable, optional
        ``progress(lambda_, iteration, maxiter, cost, train_accuracy,
        heldout_accuracy, at_checkpoint)`` after every iteration (the
        held-out accuracy is None without held-out examples).

    Returns
    -------
    SimpleNamespace
        ``lambda_``, ``checkpoints`` (sorted), ``params``, ``cost``,
        ``train_accuracy``, ``heldout_accuracy`` (dicts keyed by checkpoint;
        the held-out one is empty without held-out examples), ``costs``,
        ``train_history``, ``heldout_history`` (one value per iteration),
        ``final_params``, ``stopped_at`` (iterations done), ``stop_reason``
        (None, or why fmin_cg stopped before the last checkpoint),
        ``evaluations`` (of nnCostFunction) and ``seconds``.
    """
    checkpoints = sorted({int(k) for k in checkpoints})
    if not checkpoints or checkpoints[0] < 1:
        raise ValueError(f"checkpoints must be positive integers, found {checkpoints!r}")
    maxiter = checkpoints[-1]
    wanted = set(checkpoints)
    has_heldout = X_heldout is not None and len(X_heldout) > 0
    n, h, K = sizes
    result = SimpleNamespace(lambda_=float(lambda_), checkpoints=checkpoints, params={},
                             cost={}, train_accuracy={}, heldout_accuracy={}, costs=[],
                             train_history=[], heldout_history=[])

    def record(iteration, nn_params, cost):
        train_acc = accuracy(nn_params, X_train, y_train, sizes)
        heldout_acc = accuracy(nn_params, X_heldout, y_heldout, sizes) if has_heldout else None
        result.costs.append(float(cost))
        result.train_history.append(train_acc)
        if has_heldout:
            result.heldout_history.append(heldout_acc)
        if iteration in wanted:
            result.params[iteration] = nn_params          # already a copy
            result.cost[iteration] = float(cost)
            result.train_accuracy[iteration] = train_acc
            if has_heldout:
                result.heldout_accuracy[iteration] = heldout_acc
        if progress is not None:
            progress(lambda_, iteration, maxiter, float(cost), train_acc, heldout_acc,
                     iteration in wanted)

    started = time.perf_counter()
    final_params, costs, evaluations = trainNeuralNetwork(
        initial_nn_params, n, h, K, X_train, y_train, lambda_, maxiter=maxiter,
        callback=record, verbose=False, full_output=True)
    result.seconds = time.perf_counter() - started
    result.final_params = final_params
    result.evaluations = evaluations
    result.stopped_at = len(costs)

    # Checkpoints after an early stop: the last weights (a run with that
    # MaxIter would have stopped at the same point).
    result.stop_reason = None
    if result.stopped_at < maxiter:
        last_cost, last_grad = nnCostFunction(final_params, n, h, K, X_train, y_train, lambda_)
        if costs:
            last_cost = costs[-1]
        gradient = float(np.max(np.abs(last_grad)))
        if gradient <= FMIN_CG_GTOL:
            result.stop_reason = (f"converged: largest gradient component {gradient:.1e} "
                                  f"<= fmin_cg's gtol {FMIN_CG_GTOL:g}")
        else:
            result.stop_reason = (f"the line search could not lower the cost any more "
                                  f"(largest gradient component {gradient:.1e})")
        for k in checkpoints:
            if k > result.stopped_at:
                result.params[k] = final_params.copy()
                result.cost[k] = float(last_cost)
                result.train_accuracy[k] = accuracy(final_params, X_train, y_train, sizes)
                if has_heldout:
                    result.heldout_accuracy[k] = accuracy(final_params, X_heldout, y_heldout,
                                                          sizes)
    return result


def run_study(X_train, y_train, X_heldout, y_heldout, lambdas, checkpoints,
              seed=DEFAULT_SEED, sizes=SIZES, progress=print_progress):
    """One :func:`train_with_checkpoints` per lambda, all from the same initial weights."""
    initial = initial_weights(seed, sizes)
    runs = []
    for lambda_ in lambdas:
        if progress is not None:
            print(f"\nTraining with lambda = {lambda_:g} "
                  f"(MaxIter up to {max(checkpoints)}) ...", flush=True)
        run = train_with_checkpoints(initial, X_train, y_train, lambda_, checkpoints,
                                     X_heldout, y_heldout, sizes, progress)
        if progress is not None:
            stop = ("" if run.stop_reason is None
                    else f"; fmin_cg stopped by itself after {run.stopped_at} iterations, "
                         f"{run.stop_reason}")
            print(f"  done in {run.seconds:.1f} s ({run.evaluations} evaluations of "
                  f"nnCostFunction{stop})", flush=True)
        runs.append(run)
    return runs


# ---------------------------------------------------------------------------
# Results: table, CSV, the handout's claim
# ---------------------------------------------------------------------------

def result_rows(runs):
    """One dict per lambda and checkpoint, with the CSV's columns."""
    rows = []
    for run in runs:
        for k in run.checkpoints:
            rows.append({"lambda": run.lambda_, "iterations": k,
                         "train_accuracy": run.train_accuracy[k],
                         "heldout_accuracy": run.heldout_accuracy.get(k, float("nan")),
                         "cost": run.cost[k]})
    return rows


def write_csv(path, runs):
    """Write the results as CSV (accuracies in percent); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for row in result_rows(runs):
            writer.writerow([f"{row['lambda']:g}", row["iterations"],
                             f"{row['train_accuracy']:.3f}", f"{row['heldout_accuracy']:.3f}",
                             f"{row['cost']:.8g}"])
    return path


def format_table(runs):
    """The results as a text table: one line per lambda and checkpoint."""
    lines = [f"{'lambda':>7} | {'MaxIter':>7} | {'train %':>8} | {'held-out %':>10} | "
             f"{'cost':>10}",
             "-" * 55]
    for i, row in enumerate(result_rows(runs)):
        if i and row["iterations"] == runs[0].checkpoints[0]:
            lines.append("")
        lines.append(f"{row['lambda']:>7g} | {row['iterations']:>7d} | "
                     f"{row['train_accuracy']:>8.2f} | {row['heldout_accuracy']:>10.2f} | "
                     f"{row['cost']:>10.6f}")
    return "\n".join(lines)


def first_iteration_reaching(history, target):
    """First iteration (counted from 1) at which ``history`` reaches ``target``, or None."""
    hits = np.flatnonzero(np.asarray(history) >= target - 1e-9)
    return int(hits[0]) + 1 if hits.size else None


def overfitting_summary(run, n_train):
    """What the run with lambda = 0 shows about the handout's claim, in words."""
    train = np.asarray(run.train_history)
    heldout = np.asarray(run.heldout_history)
    if train.size == 0:
        return "fmin_cg did not iterate: nothing to say."
    best = float(train.max())
    reached = first_iteration_reaching(train, best)
    wrong = int(round((100.0 - best) * n_train / 100.0))
    if best >= 100.0 - 1e-9:
        text = (f"With lambda = {run.lambda_:g}, the training accuracy reaches 100% (all "
                f"{n_train} training digits right) at iteration {reached}")
    else:
        text = (f"With lambda = {run.lambda_:g}, the training accuracy does not reach 100%: "
                f"at best {best:.2f}% ({wrong} of {n_train} training digits still wrong), "
                f"first reached at iteration {reached}")
    text += f" of {train.size}."
    if heldout.size:
        at_reached = float(heldout[reached - 1])
        best_heldout = float(heldout.max())
        best_at = int(np.argmax(heldout)) + 1
        if best - at_reached >= OVERFITTING_GAP:
            text += (f"\nThe held-out accuracy does not follow: {at_reached:.2f}% at that "
                     f"iteration, {float(heldout[-1]):.2f}% at the end, and never more than "
                     f"{best_heldout:.2f}% (iteration {best_at}).")
            if best >= 99.9:
                text += (" The network learns its training digits by heart, it does not "
                         "get better on digits it has not seen.")
        else:
            text += (f"\nSo far the held-out accuracy follows ({at_reached:.2f}% at that "
                     f"iteration): the network has not begun to overfit.")
    if best < 100.0 - 1e-9:
        text += ("\nTrain longer to see the training accuracy get closer to 100% "
                 "(a larger last checkpoint, e.g. --checkpoints 25,50,100,200,400).")
    return text


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

def _lambda_colors(runs):
    cmap = plt.get_cmap("viridis")
    return [cmap(i / max(len(runs) - 1, 1) * 0.9) for i in range(len(runs))]


def plot_accuracy_vs_iterations(runs):
    """Figure 1: training and held-out accuracy per iteration, one line per lambda."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    checkpoints = runs[0].checkpoints
    lowest = 100.0
    for run, color in zip(runs, _lambda_colors(runs)):
        for ax, history, at in ((axes[0], run.train_history, run.train_accuracy),
                                (axes[1], run.heldout_history, run.heldout_accuracy)):
            if not history:
                continue
            iterations = np.arange(1, len(history) + 1)
            label = f"λ = {run.lambda_:g}"
            if len(history) < checkpoints[-1]:
                label += f" (stopped at {len(history)})"
            ax.plot(iterations, history, color=color, lw=1.2, label=label)
            ax.plot(checkpoints, [at[k] for k in checkpoints], "o", color=color, ms=4)
            lowest = min(lowest, min(at[k] for k in checkpoints))
    for ax, title in zip(axes, ("Training accuracy", "Held-out accuracy")):
        ax.set_xscale("log")
        ax.set_xticks(checkpoints)
        ax.set_xticklabels([str(k) for k in checkpoints])
        ax.minorticks_off()
        ax.set_xlim(max(1, checkpoints[0] // 2), checkpoints[-1] * 1.1)
        ax.set_xlabel("iterations of fmin_cg (MaxIter); dots: checkpoints")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("accuracy (%)")
    axes[0].set_ylim(max(0.0, lowest - 3), 100.5)
    axes[0].legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_heldout_vs_lambda(runs):
    """Figure 2: accuracy against lambda at the largest MaxIter (lambda = 0 at the left)."""
    k = runs[0].checkpoints[-1]
    lambdas = np.array([run.lambda_ for run in runs])
    heldout = np.array([run.heldout_accuracy[k] for run in runs])
    train = np.array([run.train_accuracy[k] for run in runs])
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(lambdas, train, "s--", color="0.55", label="training")
    ax.plot(lambdas, heldout, "o-", color="C0", label="held-out")
    best = int(np.argmax(heldout))
    ax.annotate(f"best: {heldout[best]:.1f}%", (lambdas[best], heldout[best]),
                textcoords="offset points", xytext=(0, 8), ha="center", color="C0")
    positive = lambdas[lambdas > 0]
    if positive.size:
        # symlog: logarithmic above the smallest positive lambda, linear below,
        # so that lambda = 0 gets its own place one step to the left.
        ax.set_xscale("symlog", linthresh=float(positive.min()), linscale=0.6)
    ax.set_xticks(lambdas)
    ax.set_xticklabels([f"{v:g}" for v in lambdas])
    ax.minorticks_off()
    ax.set_xlabel("λ (log scale; 0 at the left)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(f"Accuracy against λ after {k} iterations")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def plot_hidden_units(run_small, run_large, sizes=SIZES):
    """Figure 3: the hidden units (Theta1 without bias) for a small and a large lambda."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
    for ax, run in zip(axes, (run_small, run_large)):
        k = run.checkpoints[-1]
        Theta1, _ = reshape_weights(run.params[k], sizes)
        displayData(Theta1[:, 1:], ax=ax)
        ax.set_title(f"λ = {run.lambda_:g}, {k} iterations\n"
                     f"sum of squared weights {weights_sum_of_squares(run.params[k], sizes):.0f}",
                     fontsize=10)
    fig.suptitle("The 25 hidden units (rows of Theta1 without the bias)")
    fig.tight_layout()
    return fig


def plot_cost(costs, lambda_):
    """Figure 4: the cost after each iteration of the main run."""
    fig, ax = plt.subplots(figsize=(6, 4))
    iterations = np.arange(1, len(costs) + 1)
    ax.plot(iterations, costs, ".-", color="C3")
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J (log scale)")
    ax.set_title(f"Cost per iteration, λ = {lambda_:g}, MaxIter = {len(costs)}")
    ax.annotate(f"{costs[-1]:.4f}", (iterations[-1], costs[-1]), textcoords="offset points",
                xytext=(-5, 8), ha="right")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_misclassified(X, y_true, y_pred, title, max_examples=36, seed=DEFAULT_SEED):
    """Figure 5: a grid of misclassified digits, titled "true -> predicted".

    At most ``max_examples`` of them, drawn at random (``seed``) when there
    are more, and shown in the order of the true digit.
    """
    wrong = np.flatnonzero(y_pred != y_true)
    if len(wrong) > max_examples:
        wrong = np.random.default_rng(seed).choice(wrong, max_examples, replace=False)
    wrong = wrong[np.lexsort((wrong, y_true[wrong] % 10))]
    cols = min(9, max(len(wrong), 1))
    rows = max(int(np.ceil(len(wrong) / cols)), 1)
    fig, axes = plt.subplots(rows, cols, figsize=(1.05 * cols, 1.25 * rows + 0.6),
                             squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, i in zip(axes.ravel(), wrong):
        displayData(X[i], ax=ax)
        # label 10 is the digit 0
        ax.set_title(f"{y_true[i] % 10} → {y_pred[i] % 10}", fontsize=9,
                     color="C3")
    if not len(wrong):
        axes[0, 0].text(0.5, 0.5, "no misclassified digit", ha="center", va="center")
    fig.suptitle(title + "\n(true digit → predicted digit)", fontsize=10)
    fig.tight_layout()
    return fig


# %% =========== Part 1: Options, data and the stratified split ===========
if __name__ == "__main__":
    options = analysis_options()
    stop_quietly_on_not_implemented()
    saving = SimpleNamespace(figures=options.out)     # show_figure saves in --out
    study_started = time.perf_counter()

    print("Loading the data and splitting it ...")
    X, y = load_ex4data1()   # X (5000, 400) float64; y (5000,) int64, labels 1..10
    train_idx, heldout_idx = stratified_split(y, options.heldout, options.seed)
    X_train, y_train = X[train_idx], y[train_idx]
    X_heldout, y_heldout = X[heldout_idx], y[heldout_idx]
    per_label = np.bincount(y_heldout, minlength=NUM_LABELS + 1)[1:]
    print(f"{len(train_idx)} training examples, {len(heldout_idx)} held out "
          f"(seed {options.seed}; held out per label 1..10: {per_label.tolist()})")
    print("lambda grid: " + ", ".join(f"{v:g}" for v in options.lambdas)
          + " | MaxIter checkpoints: " + ", ".join(map(str, options.checkpoints)))

    # Backpropagation must be written (ex4.py, Part 7) before training.
    _, _grad = nnCostFunction(np.full(3 * 3 + 3 * 4, 0.1), 2, 3, 3, np.ones((3, 2)), [1, 2, 3], 0)
    if not np.any(_grad):
        raise NotImplementedYet(
            "backpropagation is not implemented yet (nnCostFunction returns a gradient "
            "of zeros): complete Part 2 of nnCostFunction.py, then run ex4.py")
    pause(options)

# %% =========== Part 2: Train once per lambda, record the checkpoints ===========
#  Every lambda starts from the same initial weights (np.random.seed(seed)
#  then randInitializeWeights, as ex4.py): the differences come from lambda.
if __name__ == "__main__":
    print("\nTraining one network per lambda (the weights are recorded at each checkpoint) ...")
    runs = run_study(X_train, y_train, X_heldout, y_heldout, options.lambdas,
                     options.checkpoints, seed=options.seed)
    pause(options)

# %% =========== Part 3: Table of the results, and analysis.csv ===========
if __name__ == "__main__":
    print("\nResults (accuracies in percent; the cost includes the regularisation term):\n")
    print(format_table(runs))
    csv_path = write_csv(options.out / CSV_NAME, runs)
    print(f"\n(results written to {csv_path})")
    pause(options)

# %% =========== Part 4: Accuracy against the number of iterations ===========
if __name__ == "__main__":
    fig = plot_accuracy_vs_iterations(runs)
    show_figure(fig, FIGURE_NAMES[0], saving)
    pause(options)

# %% =========== Part 5: Accuracy against lambda ===========
if __name__ == "__main__":
    fig = plot_heldout_vs_lambda(runs)
    show_figure(fig, FIGURE_NAMES[1], saving)
    last = options.checkpoints[-1]
    best_run = max(runs, key=lambda run: run.heldout_accuracy[last])
    print(f"Best held-out accuracy after {last} iterations: "
          f"{best_run.heldout_accuracy[last]:.2f}% with lambda = {best_run.lambda_:g}")
    pause(options)

# %% =========== Part 6: Hidden units, small and large lambda ===========
if __name__ == "__main__":
    run_small = min(runs, key=lambda run: run.lambda_)
    run_large = max(runs, key=lambda run: run.lambda_)
    fig = plot_hidden_units(run_small, run_large)
    show_figure(fig, FIGURE_NAMES[2], saving)
    print("Sum of the squared weights (without bias) after "
          f"{options.checkpoints[-1]} iterations: "
          + ", ".join(f"lambda = {run.lambda_:g}: "
                      f"{weights_sum_of_squares(run.params[run.checkpoints[-1]]):.0f}"
                      for run in runs))
    pause(options)

# %% =========== Part 7: The cost during the main run (lambda = 1, MaxIter = 50) ===========
#  ex4.py's run: lambda = 1 and 50 iterations, here on the training part.
#  Its first 50 iterations are those of the lambda = 1 run of the study.
if __name__ == "__main__":
    main_run = next((run for run in runs if run.lambda_ == MAIN_LAMBDA
                     and len(run.costs) >= MAIN_MAXITER), None)
    if main_run is not None:
        main_costs = main_run.costs[:MAIN_MAXITER]
        main_train = main_run.train_history[MAIN_MAXITER - 1]
        main_heldout = main_run.heldout_history[MAIN_MAXITER - 1]
    else:     # lambda = 1 not in the grid, or fewer than 50 iterations: train it
        print(f"\nTraining the main run (lambda = {MAIN_LAMBDA:g}, MaxIter = {MAIN_MAXITER}) ...")
        main_params, main_costs = trainNeuralNetwork(
            initial_weights(options.seed), *SIZES, X_train, y_train, MAIN_LAMBDA,
            maxiter=MAIN_MAXITER, verbose=False)
        main_train = accuracy(main_params, X_train, y_train)
        main_heldout = accuracy(main_params, X_heldout, y_heldout)
    fig = plot_cost(main_costs, MAIN_LAMBDA)
    show_figure(fig, FIGURE_NAMES[3], saving)
    print(f"Main run (lambda = {MAIN_LAMBDA:g}, MaxIter = {len(main_costs)}): final cost "
          f"{main_costs[-1]:.6f}, training accuracy {main_train:.2f}%, held-out "
          f"{main_heldout:.2f}%\n(ex4.py trains on all 5000 digits: about 95.3% +- 1% "
          "on the training set, as the handout says)")
    pause(options)

# %% =========== Part 8: Held-out digits the best network gets wrong ===========
if __name__ == "__main__":
    best_params = best_run.params[last]
    y_pred = predictNeuralNetwork(*reshape_weights(best_params), X_heldout)
    n_wrong = int(np.sum(y_pred != y_heldout))
    fig = plot_misclassified(
        X_heldout, y_heldout, y_pred,
        f"Held-out digits misclassified with λ = {best_run.lambda_:g} after {last} "
        f"iterations ({n_wrong} of {len(y_heldout)}; at most 36 shown)", seed=options.seed)
    show_figure(fig, FIGURE_NAMES[4], saving)
    pause(options)

# %% =========== Part 9: The handout's claim: overfitting without regularisation ===========
if __name__ == "__main__":
    print()
    run_zero = next((run for run in runs if run.lambda_ == 0), None)
    if run_zero is None:
        print("(lambda = 0 is not in the grid: add it with --lambdas to see the overfitting)")
    else:
        print(overfitting_summary(run_zero, len(y_train)))
        if best_run is not run_zero:
            print(f"With lambda = {best_run.lambda_:g}, the held-out accuracy after {last} "
                  f"iterations is {best_run.heldout_accuracy[last]:.2f}% instead of "
                  f"{run_zero.heldout_accuracy[last]:.2f}%.")

# %% =========== Closing note ===========
if __name__ == "__main__":
    seconds = time.perf_counter() - study_started
    print(f"\nStudy finished in {seconds:.1f} s "
          f"({len(options.lambdas)} lambdas x {options.checkpoints[-1]} iterations, "
          f"{sum(run.evaluations for run in runs)} evaluations of nnCostFunction).")
    print(f"Figures and {CSV_NAME} are in {options.out.resolve()}")
