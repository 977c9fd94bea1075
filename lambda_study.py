"""The lambda / MaxIter study of exercise 4 (handout sections 5 and 5.1).

What ``ex4_analysis.py`` runs, cell by cell: the stratified split of the
5000 digits into a training and a held-out part, the training of one
network per lambda with the weights recorded at several MaxIter
(checkpoints), in parallel processes, the table and the CSV of the
results, the figures and what they say about the handout's claim.

The networks use the functions you wrote (nnCostFunction,
randInitializeWeights, predictNeuralNetwork) through trainNeuralNetwork.
Before training, :func:`time_one_evaluation` times your nnCostFunction so
that the script can say how long the study will take.
"""
import argparse
import csv
import math
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import numpy as np

import ex4data
from ex4helpers import limit_blas_threads, parse_options, positive_int
import matplotlib.pyplot as plt  # after ex4helpers, which chose the backend
from displayData import displayData
from ex4i18n import N_, _, translated
from nnCostFunction import nnCostFunction
from predictNeuralNetwork import predictNeuralNetwork
from randInitializeWeights import randInitializeWeights
from trainNeuralNetwork import trainNeuralNetwork

DESCRIPTION = N_("Machine Learning exercise 4, final analysis: training and held-out "
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
CSV_NAME = "analysis.csv"
# The study's time estimate (measured with the reference, one BLAS thread):
EVALUATIONS_PER_ITERATION = 2.7   # fmin_cg: 2.2 an iteration over the first 50, about 3 later
                                  # (the default study: 5969 evaluations, 2220 iterations)
TYPICAL_EVALUATION = 0.005        # seconds, a vectorised nnCostFunction on 4000 digits
SLOW_EVALUATION = 0.05            # above this (10x), nnCostFunction is called slow
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
        raise argparse.ArgumentTypeError(_(
            "{what} must be a comma-separated list of numbers, found {text}",
            what=what, text=repr(text))) from None
    if not values:
        raise argparse.ArgumentTypeError(_("{what} must not be empty", what=what))
    return tuple(sorted(set(values)))


def _lambda_list(text):
    values = _number_list(text, float, "--lambdas")
    if not all(np.isfinite(v) and v >= 0 for v in values):
        raise argparse.ArgumentTypeError(_("lambda values must be finite and >= 0, found {text}",
                                           text=repr(text)))
    return values


def _typed_number(text):
    """What a number typed on the command line stands for: an int ("50"), else a
    float ("50.0", "1e3"), else the text itself (which positive_int refuses)."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _checkpoints(values, name):
    """The checkpoints as a sorted tuple of distinct positive ints (ValueError naming ``name``)."""
    values = [positive_int(value, f"each value of {name}") for value in values]   # its rule's words
    if not values:
        raise ValueError(_("{what} must not be empty", what=name))
    return tuple(sorted(set(values)))


def _checkpoint_list(text):
    try:
        return _checkpoints([_typed_number(part) for part in text.replace(" ", "").split(",")
                             if part], "--checkpoints")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int_option(option):
    """The argparse type of ``option``: a positive integer, by ex4helpers'
    positive_int (the rule of every size and count of the exercise)."""
    def parse(text):
        try:
            return positive_int(_typed_number(text), option)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _add_arguments(parser):
    parser.add_argument("--lambdas", type=_lambda_list, default=None, metavar="L1,L2,...",
                        help=_("the lambda grid (default: the settings cell's LAMBDAS, "
                               "{full}; quick: {quick})",
                               full=",".join(format(v, "g") for v in DEFAULT_LAMBDAS),
                               quick=",".join(format(v, "g") for v in QUICK_LAMBDAS)))
    parser.add_argument("--checkpoints", type=_checkpoint_list, default=None, metavar="K1,K2,...",
                        help=_("the MaxIter values recorded; one run per lambda goes to the "
                               "largest (default: the settings cell's CHECKPOINTS, {full}; "
                               "quick: {quick})", full=",".join(map(str, DEFAULT_CHECKPOINTS)),
                               quick=",".join(map(str, QUICK_CHECKPOINTS))))
    parser.add_argument("--heldout", type=_positive_int_option("--heldout"), default=None,
                        metavar="N",
                        help=_("number of held-out examples, taken in proportion from each "
                               "label (default: {default})", default=DEFAULT_HELDOUT))
    parser.add_argument("--seed", type=int, default=None,
                        help=_("seed of the split and of np.random for the initial weights "
                               "(default: {default})", default=DEFAULT_SEED))
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", default=None,
                      help=_("a reduced grid, for a first look (seconds)"))
    size.add_argument("--full", dest="quick", action="store_false",
                      help=_("the full grid, even if the settings cell says QUICK = True"))
    parser.add_argument("--processes", type=_positive_int_option("--processes"), default=None,
                        metavar="N",
                        help=_("processes training in parallel (default: one per core)"))
    parser.add_argument("--out", default=None, metavar="DIR",
                        help=_("where to write the figures and analysis.csv "
                               "(default: <figures>/analysis)"))


def analysis_options(argv=None, quick=False, lambdas=DEFAULT_LAMBDAS,
                     checkpoints=DEFAULT_CHECKPOINTS, heldout=DEFAULT_HELDOUT,
                     seed=DEFAULT_SEED, processes=None):
    """The study's settings: ex4_analysis.py's settings cell, overridden by
    the command line (ex4helpers' --no-pause and --figures, and the study's).

    ``quick`` (or ``--quick``) replaces the lambdas and checkpoints by the
    reduced grid, unless ``--lambdas`` / ``--checkpoints`` are given.
    ``options.lambdas`` and ``options.checkpoints`` are sorted tuples of
    distinct values, ``options.out`` the output folder as a Path,
    ``options.processes`` a positive int (default: the number of cores).
    Heldout, processes and checkpoints follow ex4helpers.positive_int's rule
    (500.0 is 500; 0, 2.5 and True are refused): a setting that breaks it
    raises its ValueError, naming it (HELDOUT, PROCESSES, CHECKPOINTS); an
    option, argparse's usage error, naming it (--heldout ...).
    """
    options = parse_options(translated(DESCRIPTION), argv=argv, add_arguments=_add_arguments)
    if options.quick is None:
        options.quick = bool(quick)
    if options.lambdas is None:
        options.lambdas = (QUICK_LAMBDAS if options.quick
                           else _lambda_list(",".join(str(v) for v in lambdas)))
    if options.checkpoints is None:
        options.checkpoints = (QUICK_CHECKPOINTS if options.quick
                               else _checkpoints(checkpoints, "CHECKPOINTS"))
    if options.heldout is None:
        options.heldout = positive_int(heldout, "HELDOUT")
    if options.seed is None:
        options.seed = int(seed)
    if options.processes is None:
        options.processes = (available_cores() if processes is None
                             else positive_int(processes, "PROCESSES"))
    options.out = Path(options.out) if options.out is not None else options.figures / "analysis"
    return options


def available_cores():
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                        # not on Linux
        return max(1, os.cpu_count() or 1)


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
        How many examples to hold out, 0 < n_heldout < m (a positive
        integer by ex4helpers.positive_int's rule: 100.0 is 100).
    seed : int
        Seed of the split.

    Returns
    -------
    train_idx, heldout_idx : ndarray of int64, sorted
        Row indices: disjoint, together all of 0..m-1.
    """
    y = np.asarray(y).ravel()
    m = y.size
    n_heldout = positive_int(n_heldout, "n_heldout")
    if n_heldout >= m:
        raise ValueError(_("n_heldout (the held-out size) must be less than the {m} examples, "
                           "found {found}", m=m, found=n_heldout))
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


class _AccuracyCurve:
    """The accuracy on fixed examples after every iteration, for the curves.

    The same predictions as predictNeuralNetwork (the label of the largest
    output; the output sigmoid, which keeps the order, is left out), by
    ex4data.feedforward, with the examples transposed once (``X`` kept as
    the transpose of a C-contiguous (n, m) array): half the time of a
    prediction, which otherwise costs about as much as an evaluation of
    nnCostFunction.
    """

    def __init__(self, X, y, sizes=SIZES):
        self.X = np.ascontiguousarray(np.asarray(X, dtype=np.float64).T).T    # (m, n), F-order
        self.y = np.asarray(y).ravel()
        self.sizes = sizes

    def __call__(self, nn_params):
        Theta1, Theta2 = reshape_weights(nn_params, self.sizes)
        _a2, z3 = ex4data.feedforward(Theta1, Theta2, self.X)                    # (m, K)
        return 100.0 * float(np.mean(np.argmax(z3, axis=1) + 1 == self.y))


def weights_sum_of_squares(nn_params, sizes=SIZES):
    """Sum of the squared weights without the bias columns (what lambda penalises)."""
    Theta1, Theta2 = reshape_weights(nn_params, sizes)
    return float(np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))


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

    train_accuracy = _AccuracyCurve(X_train, y_train, sizes)
    heldout_accuracy = _AccuracyCurve(X_heldout, y_heldout, sizes) if has_heldout else None

    def record(iteration, nn_params, cost):
        train_acc = train_accuracy(nn_params)
        heldout_acc = heldout_accuracy(nn_params) if has_heldout else None
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
                result.train_accuracy[k] = train_accuracy(final_params)
                if has_heldout:
                    result.heldout_accuracy[k] = heldout_accuracy(final_params)
    return result


def _train_one(args):
    """One lambda of the study, in a worker process (no printing there)."""
    limit_blas_threads()
    return train_with_checkpoints(*args)


@contextmanager
def _main_script_not_rerun():
    """Processes started with "spawn" (Windows, macOS) import the main script
    again unless it is hidden: ex4_analysis.py's cells would run in each one.
    The workers only need lambda_study, which they import by name."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__")
             if main is not None and k in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__spec__ = None
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def _start_method():
    """fork on Linux (fast, nothing imported again), spawn elsewhere."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def run_study(X_train, y_train, X_heldout, y_heldout, lambdas, checkpoints,
              seed=DEFAULT_SEED, sizes=SIZES, processes=1, progress=True,
              start_method=None):
    """One :func:`train_with_checkpoints` per lambda, all from the same initial weights.

    With ``processes`` > 1 the lambdas are trained in that many worker
    processes at once, each with one BLAS thread; the results are the same
    as in one process, in the order of ``lambdas``. ``progress``: print a
    line as each lambda finishes.
    """
    initial = initial_weights(seed, sizes)
    jobs = [(initial, X_train, y_train, lambda_, checkpoints, X_heldout, y_heldout, sizes)
            for lambda_ in lambdas]
    started = time.perf_counter()

    def report(run):
        if progress:
            last = run.checkpoints[-1]
            heldout = ("" if last not in run.heldout_accuracy
                       else _(", held-out {accuracy}%",
                              accuracy=format(run.heldout_accuracy[last], ".2f")))
            stop = ("" if run.stop_reason is None
                    else _("; fmin_cg stopped by itself after {iterations} iterations, "
                           "{reason}", iterations=run.stopped_at, reason=run.stop_reason))
            print("  " + _("lambda = {lambda_} done after {seconds} s: training {train}%"
                           "{heldout} at MaxIter {maxiter} ({evaluations} evaluations of "
                           "nnCostFunction{stop})", lambda_=format(run.lambda_, "<5g"),
                           seconds=format(time.perf_counter() - started, "5.1f"),
                           train=format(run.train_accuracy[last], ".2f"), heldout=heldout,
                           maxiter=last, evaluations=run.evaluations, stop=stop), flush=True)

    processes = max(1, min(int(processes), len(jobs)))
    if processes == 1:
        limits = limit_blas_threads()
        try:
            runs = []
            for job in jobs:
                runs.append(train_with_checkpoints(*job))
                report(runs[-1])
        finally:
            if limits is not None:
                limits.restore_original_limits()
        return runs
    context = multiprocessing.get_context(start_method or _start_method())
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        with _main_script_not_rerun():
            futures = {pool.submit(_train_one, job): i for i, job in enumerate(jobs)}
        runs = [None] * len(jobs)
        for future in as_completed(futures):
            runs[futures[future]] = future.result()
            report(runs[futures[future]])
    return runs


def _best_time(function, repeats=3):
    """Seconds of one call of ``function`` (the best of ``repeats``), with one
    BLAS thread as in the study's workers."""
    limits = limit_blas_threads()
    try:
        best = math.inf
        for _repeat in range(repeats):
            started = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - started)
            if best > 1.0:                        # slow enough: no need to repeat
                break
    finally:
        if limits is not None:
            limits.restore_original_limits()
    return best


def time_one_evaluation(X, y, sizes=SIZES, lambda_=1.0):
    """Seconds of one evaluation of your nnCostFunction on (X, y)."""
    n, h, K = sizes
    params = initial_weights(DEFAULT_SEED, sizes)
    return _best_time(lambda: nnCostFunction(params, n, h, K, X, y, lambda_))


def time_one_iteration(X_train, y_train, X_heldout, sizes=SIZES):
    """(seconds of one evaluation, seconds of one iteration of the study).

    An iteration of fmin_cg evaluates the cost about
    EVALUATIONS_PER_ITERATION times, then the study records the training
    and held-out accuracies (the predictions on both parts).
    """
    evaluation = time_one_evaluation(X_train, y_train, sizes)
    params = initial_weights(DEFAULT_SEED, sizes)
    curves = (_AccuracyCurve(X_train, y_train, sizes),
              _AccuracyCurve(X_heldout, np.ones(len(X_heldout)), sizes))
    predictions = _best_time(lambda: [curve(params) for curve in curves])
    return evaluation, EVALUATIONS_PER_ITERATION * evaluation + predictions


def estimate_seconds(seconds_per_iteration, lambdas, checkpoints, processes):
    """The study's expected duration: max(checkpoints) iterations per lambda,
    ``processes`` lambdas at a time."""
    rounds = math.ceil(len(lambdas) / max(1, min(processes, len(lambdas))))
    return rounds * max(checkpoints) * seconds_per_iteration


def study_plan(seconds_per_evaluation, seconds_per_iteration, options):
    """What the script says before training: the estimate, and a warning
    when nnCostFunction is slow (e.g. the per-example loop form)."""
    processes = max(1, min(options.processes, len(options.lambdas)))
    seconds = estimate_seconds(seconds_per_iteration, options.lambdas, options.checkpoints,
                               processes)
    at_once = (_("{processes} processes at once", processes=processes) if processes > 1
               else _("1 process"))
    text = _("One evaluation of your nnCostFunction takes {ms} ms here: the study "
             "({lambdas} lambdas x {iterations} iterations, {at_once}) should take about "
             "{duration}.", ms=format(seconds_per_evaluation * 1000, ".1f"),
             lambdas=len(options.lambdas), iterations=max(options.checkpoints),
             at_once=at_once, duration=ex4data.format_duration(seconds))
    if seconds_per_evaluation > SLOW_EVALUATION:
        text += "\n" + _("Your nnCostFunction is slow: a vectorised one takes about {ms} ms "
                         "here, the loop over the examples about 40 times more. Run the "
                         "quick study (QUICK = True in the settings cell, or --quick), or "
                         "vectorise nnCostFunction (matrix products over all the examples "
                         "at once) and run it again.", ms=format(TYPICAL_EVALUATION * 1000, ".0f"))
    return text


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
    train, heldout, cost = _("train %"), _("held-out %"), _("cost")
    lines = [f"{'lambda':>7} | {'MaxIter':>7} | {train:>8} | {heldout:>10} | {cost:>10}",
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
        return _("fmin_cg did not iterate: nothing to say.")
    best = float(train.max())
    reached = first_iteration_reaching(train, best)
    wrong = int(round((100.0 - best) * n_train / 100.0))
    if best >= 100.0 - 1e-9:
        text = _("With lambda = {lambda_}, the training accuracy reaches 100% (all "
                 "{n_train} training digits right) at iteration {reached} of {iterations}.",
                 lambda_=format(run.lambda_, "g"), n_train=n_train, reached=reached,
                 iterations=train.size)
    else:
        text = _("With lambda = {lambda_}, the training accuracy does not reach 100%: "
                 "at best {best}% ({wrong} of {n_train} training digits still wrong), "
                 "first reached at iteration {reached} of {iterations}.",
                 lambda_=format(run.lambda_, "g"), best=format(best, ".2f"), wrong=wrong,
                 n_train=n_train, reached=reached, iterations=train.size)
    if heldout.size:
        at_reached = float(heldout[reached - 1])
        best_heldout = float(heldout.max())
        best_at = int(np.argmax(heldout)) + 1
        if best - at_reached >= OVERFITTING_GAP:
            text += "\n" + _("The held-out accuracy does not follow: {at_reached}% at that "
                             "iteration, {last}% at the end, and never more than {best}% "
                             "(iteration {best_at}).", at_reached=format(at_reached, ".2f"),
                             last=format(float(heldout[-1]), ".2f"),
                             best=format(best_heldout, ".2f"),
                             best_at=best_at)
            if best >= 99.9:
                text += " " + _("The network learns its training digits by heart, it does "
                                "not get better on digits it has not seen.")
        else:
            text += "\n" + _("So far the held-out accuracy follows ({accuracy}% at that "
                             "iteration): the network has not begun to overfit.",
                             accuracy=format(at_reached, ".2f"))
    if best < 100.0 - 1e-9:
        text += "\n" + _("Train longer to see the training accuracy get closer to 100% (a "
                         "larger last checkpoint in CHECKPOINTS, or --checkpoints "
                         "25,50,100,200,400).")
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
                label += " " + _("(stopped at {iteration})", iteration=len(history))
            ax.plot(iterations, history, color=color, lw=1.2, label=label)
            ax.plot(checkpoints, [at[k] for k in checkpoints], "o", color=color, ms=4)
            lowest = min(lowest, min(at[k] for k in checkpoints))
    for ax, title in zip(axes, (_("Training accuracy"), _("Held-out accuracy"))):
        ax.set_xscale("log")
        ax.set_xticks(checkpoints)
        ax.set_xticklabels([str(k) for k in checkpoints])
        ax.minorticks_off()
        ax.set_xlim(max(1, checkpoints[0] // 2), checkpoints[-1] * 1.1)
        ax.set_xlabel(_("iterations of fmin_cg (MaxIter); dots: checkpoints"))
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(_("accuracy (%)"))
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
    ax.plot(lambdas, train, "s--", color="0.55", label=_("training"))
    ax.plot(lambdas, heldout, "o-", color="C0", label=_("held-out"))
    best = int(np.argmax(heldout))
    ax.annotate(_("best: {accuracy}%", accuracy=format(heldout[best], ".1f")),
                (lambdas[best], heldout[best]),
                textcoords="offset points", xytext=(0, 8), ha="center", color="C0")
    positive = lambdas[lambdas > 0]
    if positive.size:
        # symlog: logarithmic above the smallest positive lambda, linear below,
        # so that lambda = 0 gets its own place one step to the left.
        ax.set_xscale("symlog", linthresh=float(positive.min()), linscale=0.6)
    ax.set_xticks(lambdas)
    ax.set_xticklabels([f"{v:g}" for v in lambdas])
    ax.minorticks_off()
    ax.set_xlabel(_("λ (log scale; 0 at the left)"))
    ax.set_ylabel(_("accuracy (%)"))
    ax.set_title(_("Accuracy against λ after {iterations} iterations", iterations=k))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def plot_hidden_units(run_small, run_large, sizes=SIZES):
    """Figure 3: the hidden units (Theta1 without bias) for a small and a large lambda."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
    for ax, run in zip(axes, (run_small, run_large)):
        k = run.checkpoints[-1]
        Theta1, _Theta2 = reshape_weights(run.params[k], sizes)
        displayData(Theta1[:, 1:], ax=ax)
        ax.set_title(_("λ = {lambda_}, {iterations} iterations\nsum of squared weights {sum}",
                       lambda_=format(run.lambda_, "g"), iterations=k,
                       sum=format(weights_sum_of_squares(run.params[k], sizes), ".0f")),
                     fontsize=10)
    fig.suptitle(_("The 25 hidden units (rows of Theta1 without the bias)"))
    fig.tight_layout()
    return fig


def plot_cost(costs, lambda_):
    """Figure 4: the cost after each iteration of the main run."""
    fig, ax = plt.subplots(figsize=(6, 4))
    iterations = np.arange(1, len(costs) + 1)
    ax.plot(iterations, costs, ".-", color="C3")
    ax.set_yscale("log")
    ax.set_xlabel(_("iteration"))
    ax.set_ylabel(_("cost J (log scale)"))
    ax.set_title(_("Cost per iteration, λ = {lambda_}, MaxIter = {maxiter}",
                   lambda_=format(lambda_, "g"), maxiter=len(costs)))
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
        axes[0, 0].text(0.5, 0.5, _("no misclassified digit"), ha="center", va="center")
    fig.suptitle(title + "\n" + _("(true digit → predicted digit)"), fontsize=10)
    fig.tight_layout()
    return fig




# ---------------------------------------------------------------------------
# The main run, and the split's data
# ---------------------------------------------------------------------------

def split_data(X, y, n_heldout, seed=DEFAULT_SEED):
    """(X_train, y_train, X_heldout, y_heldout) of :func:`stratified_split`."""
    train_idx, heldout_idx = stratified_split(y, n_heldout, seed)
    return X[train_idx], y[train_idx], X[heldout_idx], y[heldout_idx]


def main_run(runs, X_train, y_train, X_heldout, y_heldout, seed=DEFAULT_SEED):
    """ex4.py's run (lambda = 1, MaxIter = 50) on the training part.

    Its iterations are the first 50 of the study's lambda = 1 run when there
    is one; otherwise it is trained here. Returns (costs, training accuracy,
    held-out accuracy).
    """
    run = next((run for run in runs if run.lambda_ == MAIN_LAMBDA
                and len(run.costs) >= MAIN_MAXITER), None)
    if run is not None:
        return (run.costs[:MAIN_MAXITER], run.train_history[MAIN_MAXITER - 1],
                run.heldout_history[MAIN_MAXITER - 1])
    params, costs = trainNeuralNetwork(initial_weights(seed), *SIZES, X_train, y_train,
                                       MAIN_LAMBDA, maxiter=MAIN_MAXITER, verbose=False)
    return costs, accuracy(params, X_train, y_train), accuracy(params, X_heldout, y_heldout)
