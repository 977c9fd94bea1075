"""Machine Learning exercise 4, final analysis: what lambda and MaxIter change.

The handout ends (sections 5 and 5.1) by asking you to see for yourself
how the regularisation parameter lambda and the number of iterations
(MaxIter) change what the network learns. This script does the experiment
with the functions you wrote for ex4.py; the work is in lambda_study.py:

1. it splits the 5000 digits into a training part and a held-out part
   (4000 / 1000 by default, stratified: each digit keeps its share);
2. for each lambda (0, 0.01, 0.1, 1, 3, 10) it trains the network ONCE with
   fmin_cg up to the largest MaxIter (400), from the same initial weights,
   and records the accuracies and the cost at each MaxIter checkpoint (25,
   50, 100, 200, 400) on the way: a run stopped at MaxIter = k would give
   exactly the weights recorded at iteration k. The lambdas are trained at
   the same time, one process per core;
3. it prints a table, writes it as analysis.csv, draws five figures (saved
   next to the CSV, in figures/analysis/) and checks the handout's claim.

In Spyder: edit the settings cell below, then Run file (F5), or run the
cells one after the other (Ctrl+Enter), the first ones first. In a
terminal, options override the settings::

    python ex4_analysis.py                 # the full study (about half a minute)
    python ex4_analysis.py --quick         # a reduced grid, a few seconds
    python ex4_analysis.py --lambdas 0,1,10 --checkpoints 50,100,800 --out my_run
"""
# %% Settings: edit them here (in Spyder), or override them with options
QUICK = False     # True: the quick study (lambda 0, 1, 10; MaxIter 10, 25, 50): seconds
LAMBDAS = [0, 0.01, 0.1, 1, 3, 10]     # the full study's lambdas (--lambdas)
CHECKPOINTS = [25, 50, 100, 200, 400]  # the MaxIter recorded (--checkpoints)
HELDOUT = 1000    # held-out digits, 100 of each label (--heldout)
SEED = 0          # seed of the split and of the initial weights, as ex4.py's (--seed)
PROCESSES = None  # lambdas trained at once; None: one per core (--processes)

# %% Initialisation: this folder, the imports, the options
import os
import sys

# Make this exercise's folder the one Python imports from and the working
# folder (Spyder's console may have started elsewhere).
exercise_folder = os.path.dirname(os.path.abspath(__file__))
if exercise_folder not in sys.path:
    sys.path.insert(0, exercise_folder)
os.chdir(exercise_folder)

import time  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402

import lambda_study as study  # noqa: E402
from ex4i18n import tr  # noqa: E402  (not _: Spyder's console and this script use _)
from ex4data import load_ex4data1  # noqa: E402
from ex4helpers import (pause, show_figure, stop_quietly_on_not_implemented,  # noqa: E402
                        NotImplementedYet)
from nnCostFunction import nnCostFunction  # noqa: E402
from predictNeuralNetwork import predictNeuralNetwork  # noqa: E402

options = study.analysis_options(quick=QUICK, lambdas=LAMBDAS, checkpoints=CHECKPOINTS,
                                 heldout=HELDOUT, seed=SEED, processes=PROCESSES)
stop_quietly_on_not_implemented()
saving = SimpleNamespace(figures=options.out)     # show_figure saves in the output folder
study_started = time.perf_counter()

# %% 5.1 The data, split into a training and a held-out part
print(tr("Loading the data and splitting it ..."))
X, y = load_ex4data1()   # X (5000, 400) float64; y (5000,) int64, labels 1..10
X_train, y_train, X_heldout, y_heldout = study.split_data(X, y, options.heldout, options.seed)
print(tr("{train} training examples, {heldout} held out (seed {seed}; "
         "held out per label 1..10: {per_label})", train=len(y_train), heldout=len(y_heldout),
         seed=options.seed, per_label=np.bincount(y_heldout, minlength=11)[1:].tolist()))
print(tr("lambdas: {lambdas} | MaxIter checkpoints: {checkpoints}",
         lambdas=", ".join(f"{v:g}" for v in options.lambdas),
         checkpoints=", ".join(map(str, options.checkpoints))))

# Backpropagation must be written (ex4.py, 4.3) before training.
_, _grad = nnCostFunction(np.full(3 * 3 + 3 * 4, 0.1), 2, 3, 3, np.ones((3, 2)), [1, 2, 3], 0)
if not np.any(_grad):
    raise NotImplementedYet(tr(
        "backpropagation is not implemented yet (nnCostFunction returns a gradient "
        "of zeros): complete Part 2 of nnCostFunction.py, then run ex4.py"))
print(study.study_plan(*study.time_one_iteration(X_train, y_train, X_heldout), options))
pause(options)

# %% 5.1 Train once per lambda, recording the checkpoints
#  Every lambda starts from the same initial weights (np.random.seed(seed)
#  then randInitializeWeights, as ex4.py): the differences come from lambda.
print("\n" + tr("Training one network per lambda, {processes} at a time (the weights are "
                "recorded at each checkpoint) ...",
                processes=min(options.processes, len(options.lambdas))))
runs = study.run_study(X_train, y_train, X_heldout, y_heldout, options.lambdas,
                       options.checkpoints, seed=options.seed, processes=options.processes)
pause(options)

# %% The table of the results, and analysis.csv
print("\n" + tr("Results (accuracies in percent; the cost includes the regularisation "
                "term):") + "\n")
print(study.format_table(runs))
csv_path = study.write_csv(options.out / study.CSV_NAME, runs)
print("\n" + tr("(results written to {path})", path=csv_path))
pause(options)

# %% Figure 1: accuracy against the number of iterations
show_figure(study.plot_accuracy_vs_iterations(runs), study.FIGURE_NAMES[0], saving)
pause(options)

# %% Figure 2: accuracy against lambda
show_figure(study.plot_heldout_vs_lambda(runs), study.FIGURE_NAMES[1], saving)
last = options.checkpoints[-1]
best_run = max(runs, key=lambda run: run.heldout_accuracy[last])
print(tr("Best held-out accuracy after {iterations} iterations: {accuracy}% with "
         "lambda = {lambda_}", iterations=last,
         accuracy=format(best_run.heldout_accuracy[last], ".2f"),
         lambda_=format(best_run.lambda_, "g")))
pause(options)

# %% Figure 3: the hidden units, smallest and largest lambda
run_small = min(runs, key=lambda run: run.lambda_)
run_large = max(runs, key=lambda run: run.lambda_)
show_figure(study.plot_hidden_units(run_small, run_large), study.FIGURE_NAMES[2], saving)
print(tr("Sum of the squared weights (without bias) after {iterations} iterations: {sums}",
         iterations=last,
         sums=", ".join(f"lambda = {run.lambda_:g}: "
                        f"{study.weights_sum_of_squares(run.params[last]):.0f}"
                        for run in runs)))
pause(options)

# %% Figure 4: the cost during ex4.py's run (lambda = 1, MaxIter = 50)
main_costs, main_train, main_heldout = study.main_run(runs, X_train, y_train, X_heldout,
                                                      y_heldout, options.seed)
show_figure(study.plot_cost(main_costs, study.MAIN_LAMBDA), study.FIGURE_NAMES[3], saving)
print(tr("Main run (lambda = {lambda_}, MaxIter = {maxiter}): final cost {cost}, training "
         "accuracy {train}%, held-out {heldout}%", lambda_=format(study.MAIN_LAMBDA, "g"),
         maxiter=len(main_costs), cost=format(main_costs[-1], ".6f"),
         train=format(main_train, ".2f"),
         heldout=format(main_heldout, ".2f")) + "\n"
      + tr("(ex4.py trains on all 5000 digits: about 95.3% +- 1% on the training set, "
           "as the handout says)"))
pause(options)

# %% Figure 5: held-out digits the best network gets wrong
y_pred = predictNeuralNetwork(*study.reshape_weights(best_run.params[last]), X_heldout)
n_wrong = int(np.sum(y_pred != y_heldout))
show_figure(study.plot_misclassified(
    X_heldout, y_heldout, y_pred,
    tr("Held-out digits misclassified with λ = {lambda_} after {iterations} iterations "
       "({wrong} of {total}; at most 36 shown)", lambda_=format(best_run.lambda_, "g"),
       iterations=last, wrong=n_wrong, total=len(y_heldout)), seed=options.seed),
    study.FIGURE_NAMES[4], saving)
pause(options)

# %% 5.2 The handout's claim: overfitting without regularisation
print()
run_zero = next((run for run in runs if run.lambda_ == 0), None)
if run_zero is None:
    print(tr("(lambda = 0 is not in the grid: add it to LAMBDAS to see the overfitting)"))
else:
    print(study.overfitting_summary(run_zero, len(y_train)))
    if best_run is not run_zero:
        print(tr("With lambda = {lambda_}, the held-out accuracy after {iterations} "
                 "iterations is {accuracy}% instead of {accuracy_zero}%.",
                 lambda_=format(best_run.lambda_, "g"), iterations=last,
                 accuracy=format(best_run.heldout_accuracy[last], ".2f"),
                 accuracy_zero=format(run_zero.heldout_accuracy[last], ".2f")))
print("\n" + tr("Study finished in {seconds} s ({lambdas} lambdas x {iterations} "
                "iterations, {evaluations} evaluations of nnCostFunction).",
                seconds=format(time.perf_counter() - study_started, ".1f"),
                lambdas=len(options.lambdas), iterations=last,
                evaluations=sum(run.evaluations for run in runs)))
print(tr("Figures and {csv} are in {folder}", csv=study.CSV_NAME, folder=options.out.resolve()))
