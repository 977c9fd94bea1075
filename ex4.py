"""Machine Learning exercise 4: Neural Networks Learning.

The driver of the exercise: it steps through the handout (sections 3 to
5), calling the functions you write, and says for each value the handout
gives whether yours matches it (and if not, the likely mistake). Run it
start to finish in a terminal::

    python ex4.py                  # pauses between steps in a terminal
    python ex4.py --no-pause       # runs straight through
    python ex4.py --maxiter 100 --lambda 0.5 --seed 7
    python ex4.py --lang fr        # en français (or EX4_LANG=fr; see ex4i18n.py)

or in Spyder: Run file (F5), or cell by cell (each ``# %%`` cell is one
section of the handout; Ctrl+Enter runs the cell the cursor is in). Run the
first cell first. Figures are shown (Spyder's Plots pane) and always saved
as PNG files in ``figures/``.

Files you complete (in this order):

    sigmoid.py                 the sigmoid function (used everywhere)
    nnCostFunction.py          Part 1: feedforward and cost (3.3), regularised (3.4)
    sigmoidGradient.py         the gradient of the sigmoid (4.1)
    randInitializeWeights.py   random initialisation of the weights (4.2)
    nnCostFunction.py          Part 2: backpropagation (4.3), regularised (4.5)
    predictNeuralNetwork.py    the predictions of the trained network (4.6)

Provided: debugInitializeWeights.py, computeNumericalGradient.py,
checkNNGradients.py, displayData.py, trainNeuralNetwork.py, and the data
helpers ex4data.py and ex4helpers.py.
"""
# %% Initialisation: this folder, the imports and the sizes
import os
import sys

# Spyder's console may have started in another folder (your home folder):
# make this exercise's folder the one Python imports from and the working
# folder. __file__ is this file, also when Spyder runs a single cell.
exercise_folder = os.path.dirname(os.path.abspath(__file__))
if exercise_folder not in sys.path:
    sys.path.insert(0, exercise_folder)
os.chdir(exercise_folder)

import numpy as np  # noqa: E402

from ex4i18n import tr  # noqa: E402  (not _: Spyder's console and ex4.py use _)
from ex4helpers import (DEFAULT_SEED, parse_options, pause, show_figure,  # noqa: E402
                        stop_quietly_on_not_implemented, NotImplementedYet,
                        cost_verdict, sigmoid_gradient_verdict, gradient_check_verdict,
                        accuracy_verdict, limit_blas_threads)
from ex4data import load_ex4data1, load_ex4weights, find_course_file, MissingCourseFile  # noqa: E402
from checkNNGradients import checkNNGradients  # noqa: E402
from displayData import displayData  # noqa: E402
from nnCostFunction import nnCostFunction  # noqa: E402
from predictNeuralNetwork import predictNeuralNetwork  # noqa: E402
from randInitializeWeights import randInitializeWeights  # noqa: E402
from sigmoid import sigmoid  # noqa: E402
from sigmoidGradient import sigmoidGradient  # noqa: E402
from trainNeuralNetwork import trainNeuralNetwork  # noqa: E402


def _add_arguments(parser):
    parser.add_argument("--maxiter", type=int, default=50,
                        help=tr("iterations of fmin_cg (default: %(default)s)"))
    parser.add_argument("--lambda", dest="lambda_", type=float, default=1.0,
                        help=tr("regularisation parameter for training (default: %(default)s)"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=tr("seed of np.random for the initial weights "
                               "(default: %(default)s)"))


options = parse_options(tr("Machine Learning exercise 4: Neural Networks Learning"),
                        add_arguments=_add_arguments)
stop_quietly_on_not_implemented()   # an unwritten function: one line, no traceback
limit_blas_threads()     # one BLAS thread: faster here, idle or busy (see ex4helpers.py)

# Setup the parameters you will use for this exercise
input_layer_size = 400   # 20x20 input images of digits
hidden_layer_size = 25   # 25 hidden units
num_labels = 10          # 10 labels, from 1 to 10 (the digit 0 has label 10)

# %% 3.1 Visualizing the data
#  We start the exercise by first loading and visualizing the dataset.
#  You will be working with a dataset that contains handwritten digits.
print(tr("Loading and Visualizing Data ..."))
print(tr("(from {path})", path=os.path.relpath(find_course_file("ex4data1.mat"))))
X, y = load_ex4data1()   # X (5000, 400) float64; y (5000,) int64, labels 1..10
m = X.shape[0]

# Randomly select 100 data points to display
rng = np.random.default_rng(options.seed)     # leaves np.random's state alone
sel = rng.permutation(m)[:100]
fig, _ = displayData(X[sel])
fig.suptitle(tr("100 random training examples"))
show_figure(fig, "ex4_training_examples", options)
pause(options)

# %% 3.2 Model representation: the course's trained weights
# Load some pre-initialized neural network parameters: Theta1 (25, 401)
# and Theta2 (10, 26).
print("\n" + tr("Loading Saved Neural Network Parameters ..."))
try:
    Theta1, Theta2 = load_ex4weights()
    print(tr("(from {path})", path=os.path.relpath(find_course_file("ex4weights.mat"))))
    # Unroll parameters
    nn_params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
except MissingCourseFile as exc:
    print(tr("Skipping the steps that need the course weights: {reason}", reason=exc))
    Theta1 = Theta2 = nn_params = None

# %% 3.3 Feedforward and cost function
#  First sigmoid.py: the network computes g(z) = 1 / (1 + e^-z) everywhere.
#  Then the feedforward part of nnCostFunction.py (its Part 1) that returns
#  the cost: with the course weights it gives 0.287629.
print("\n" + tr("Checking the sigmoid function ..."))
shown = " ".join(f"{v:f}" for v in sigmoid(np.array([-5.0, 0.0, 5.0])))
print(f"sigmoid([-5 0 5]) = {shown}\n"
      + tr("(this value should be {expected})", expected="0.006693 0.500000 0.993307"))
print(tr("Verdict: right, to the 6 printed decimals.")
      if shown == "0.006693 0.500000 0.993307"
      else tr("Verdict: wrong: g(z) = 1 / (1 + e^-z), elementwise."))

print("\n" + tr("Feedforward Using Neural Network ..."))
if nn_params is None:
    print(tr("(skipped: needs {path})", path="data/ex4weights.mat"))
else:
    lambda_ = 0   # Weight regularization parameter (we set this to 0 here).
    J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                          num_labels, X, y, lambda_)
    print(tr("Cost at parameters (loaded from ex4weights): {cost}", cost=format(J, "f")) + "\n"
          + tr("(this value should be about {expected})", expected="0.287629"))
    print(cost_verdict(J, lambda_))
pause(options)

# %% 3.4 Regularized cost function
#  Once your cost function implementation is correct, you should now
#  continue to implement the regularization with the cost.
print("\n" + tr("Checking Cost Function (w/ Regularization) ..."))
if nn_params is None:
    print(tr("(skipped: needs {path})", path="data/ex4weights.mat"))
else:
    lambda_ = 1
    J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                          num_labels, X, y, lambda_)
    print(tr("Cost at parameters (loaded from ex4weights): {cost}", cost=format(J, "f")) + "\n"
          + tr("(this value should be about {expected})", expected="0.383770"))
    print(cost_verdict(J, lambda_))
pause(options)

# %% 4.1 Sigmoid gradient
#  Before you start implementing backpropagation, you will first
#  implement the gradient for the sigmoid function (sigmoidGradient.py).
print("\n" + tr("Evaluating sigmoid gradient..."))
g = sigmoidGradient(np.array([-1, -0.5, 0, 0.5, 1]))
print(tr("Sigmoid gradient evaluated at {points}:", points="[-1 -0.5 0 0.5 1]"))
print("  " + " ".join(f"{v:f}" for v in g))
print(tr("(this value should be {expected})",
        expected="0.196612 0.235004 0.250000 0.235004 0.196612"))
print(sigmoid_gradient_verdict(g))
pause(options)

# %% 4.2 Random initialization
#  In this part of the exercise, you will be starting to implement a two
#  layer neural network that classifies digits. You will start by
#  implementing a function to initialize the weights of the neural network
#  (randInitializeWeights.py).
print("\n" + tr("Initializing Neural Network Parameters ..."))
np.random.seed(options.seed)    # the seed makes the whole training reproducible
initial_Theta1 = randInitializeWeights(input_layer_size, hidden_layer_size)
initial_Theta2 = randInitializeWeights(hidden_layer_size, num_labels)
# Unroll parameters
initial_nn_params = np.concatenate([initial_Theta1.ravel(), initial_Theta2.ravel()])
print(tr("Theta1 {shape1} and Theta2 {shape2}, values in [{low}, {high}] (seed {seed})",
        shape1=initial_Theta1.shape, shape2=initial_Theta2.shape,
        low=format(initial_nn_params.min(), ".4f"), high=format(initial_nn_params.max(), ".4f"),
        seed=options.seed))

# %% 4.3 Backpropagation and 4.4 Gradient checking
#  Once your cost matches up with ours, you should proceed to implement the
#  backpropagation algorithm for the neural network (Part 2 of
#  nnCostFunction.py) that returns the partial derivatives of the
#  parameters. checkNNGradients compares them with numerical gradients.
print("\n" + tr("Checking Backpropagation..."))
_, _grad = nnCostFunction(np.full(3 * 3 + 3 * 4, 0.1), 2, 3, 3, np.ones((3, 2)),
                          np.array([1, 2, 3]), 0.0)
if not np.any(_grad):
    raise NotImplementedYet(tr(
        "backpropagation is not implemented yet (nnCostFunction returns a gradient "
        "of zeros): complete Part 2 of nnCostFunction.py"))
diff = checkNNGradients()
print(gradient_check_verdict(diff, 0))
pause(options)

# %% 4.5 Regularized neural networks
#  Once your backpropagation implementation is correct, you should now
#  continue to implement the regularization with the gradient.
print("\n" + tr("Checking Backpropagation (w/ Regularization) ..."))
lambda_ = 3
diff = checkNNGradients(lambda_)
print(gradient_check_verdict(diff, lambda_))
if nn_params is None:
    print(tr("(cost at the course weights skipped: needs {path})", path="data/ex4weights.mat"))
else:
    debug_J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                                num_labels, X, y, lambda_)
    print("\n" + tr("Cost at (fixed) debugging parameters (w/ lambda = {lambda_}): {cost}",
                    lambda_=format(lambda_, "g"), cost=format(debug_J, "f")) + "\n"
          + tr("(for lambda = 3, this value should be about {expected})", expected="0.576051"))
    print(cost_verdict(debug_J, lambda_))
pause(options)

# %% 4.6 Learning parameters using fmin_cg
#  You have now implemented all the code necessary to train a neural
#  network. trainNeuralNetwork uses scipy.optimize.fmin_cg, which works
#  like the course's fmincg: give it the cost and the gradient, and it
#  finds the minimum. Try more iterations (--maxiter) or another lambda.
print("\n" + tr("Training Neural Network..."))
nn_params_trained, costs = trainNeuralNetwork(
    initial_nn_params, input_layer_size, hidden_layer_size, num_labels,
    X, y, options.lambda_, maxiter=options.maxiter)

# Obtain Theta1 and Theta2 back from nn_params
n1 = hidden_layer_size * (input_layer_size + 1)
Theta1_trained = nn_params_trained[:n1].reshape(hidden_layer_size, input_layer_size + 1)
Theta2_trained = nn_params_trained[n1:].reshape(num_labels, hidden_layer_size + 1)
pause(options)

# %% 5 Visualizing the hidden layer
#  You can now "visualize" what the neural network is learning by
#  displaying the hidden units to see what features they are capturing.
print("\n" + tr("Visualizing Neural Network..."))
fig, _ = displayData(Theta1_trained[:, 1:])
fig.suptitle(tr("Hidden units (Theta1 without its bias column)"))
show_figure(fig, "ex4_hidden_units", options)
pause(options)

# %% 4.6 (end) Training set accuracy: predictNeuralNetwork.py
#  After training the neural network, we would like to use it to predict
#  the labels. predictNeuralNetwork computes the training set accuracy.
pred = predictNeuralNetwork(Theta1_trained, Theta2_trained, X)
accuracy = np.mean(pred == y) * 100
print("\n" + tr("Training Set Accuracy: {accuracy}", accuracy=format(accuracy, "g")))
print(tr("(about 95.3% after 50 iterations with lambda = 1, +-1% from the random "
        "initialisation)"))
print(accuracy_verdict(accuracy, options.maxiter, options.lambda_))
