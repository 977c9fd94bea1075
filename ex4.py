"""Machine Learning exercise 4: Neural Networks Learning.

The driver of the exercise: it steps through the handout, calling the
functions you write. Run it start to finish in a terminal::

    python ex4.py                  # pauses between steps in a terminal
    python ex4.py --no-pause       # runs straight through
    python ex4.py --maxiter 100 --lambda 0.5 --seed 7

or cell by cell in Spyder (each ``# %%`` cell runs with Ctrl+Enter; run the
first cell first). Figures are shown when there is a display and always
saved as PNG files in ``figures/``.

Files you complete (in this order):

    sigmoid.py                 sigmoid function (used everywhere)
    nnCostFunction.py          Part 1: feedforward and cost (+ regularisation)
    sigmoidGradient.py         gradient of the sigmoid
    randInitializeWeights.py   random initialisation of the weights
    nnCostFunction.py          Part 2: backpropagation (+ regularisation)
    predictNeuralNetwork.py    predictions of the trained network

Provided: debugInitializeWeights.py, computeNumericalGradient.py,
checkNNGradients.py, displayData.py, trainNeuralNetwork.py, and the data
helpers ex4data.py and ex4helpers.py.
"""
# %% Initialisation
import numpy as np

from ex4helpers import (DEFAULT_SEED, parse_options, pause, show_figure,
                        stop_quietly_on_not_implemented, NotImplementedYet)
from ex4helpers import limit_blas_threads
from ex4data import load_ex4data1, load_ex4weights, MissingCourseFile
from checkNNGradients import checkNNGradients
from displayData import displayData
from nnCostFunction import nnCostFunction
from predictNeuralNetwork import predictNeuralNetwork
from randInitializeWeights import randInitializeWeights
from sigmoidGradient import sigmoidGradient
from trainNeuralNetwork import trainNeuralNetwork



def _add_arguments(parser):
    parser.add_argument("--maxiter", type=int, default=50,
                        help="iterations of fmin_cg (default: %(default)s)")
    parser.add_argument("--lambda", dest="lambda_", type=float, default=1.0,
                        help="regularisation parameter for training (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="seed of np.random for the initial weights (default: %(default)s)")


options = parse_options("Machine Learning exercise 4: Neural Networks Learning",
                        add_arguments=_add_arguments)
stop_quietly_on_not_implemented()
limit_blas_threads()     # one BLAS thread: faster here, idle or busy (see ex4helpers.py)

# Setup the parameters you will use for this exercise
input_layer_size = 400   # 20x20 input images of digits
hidden_layer_size = 25   # 25 hidden units
num_labels = 10          # 10 labels, from 1 to 10 (the digit 0 has label 10)

# %% =========== Part 1: Loading and Visualizing Data =============
#  We start the exercise by first loading and visualizing the dataset.
#  You will be working with a dataset that contains handwritten digits.
print("Loading and Visualizing Data ...")

X, y = load_ex4data1()   # X (5000, 400) float64; y (5000,) int64, labels 1..10
m = X.shape[0]

# Randomly select 100 data points to display
rng = np.random.default_rng(options.seed)     # leaves np.random's state alone
sel = rng.permutation(m)[:100]
fig, _ = displayData(X[sel])
fig.suptitle("100 random training examples")
show_figure(fig, "ex4_training_examples", options)
pause(options)

# %% ================ Part 2: Loading Parameters ================
# Load some pre-initialized neural network parameters: Theta1 (25, 401)
# and Theta2 (10, 26).
print("\nLoading Saved Neural Network Parameters ...")
try:
    Theta1, Theta2 = load_ex4weights()
    # Unroll parameters
    nn_params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
except MissingCourseFile as exc:
    print(f"Skipping the steps that need the course weights: {exc}")
    Theta1 = Theta2 = nn_params = None

# %% ================ Part 3: Compute Cost (Feedforward) ================
#  For the neural network, you should first start by implementing the
#  feedforward part of the neural network that returns the cost only
#  (Part 1 of nnCostFunction.py). Check that it gives 0.287629 with the
#  fixed weights. Then implement backpropagation (Part 2).
print("\nFeedforward Using Neural Network ...")
if nn_params is None:
    print("(skipped: needs data/ex4weights.mat)")
else:
    lambda_ = 0   # Weight regularization parameter (we set this to 0 here).
    J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                          num_labels, X, y, lambda_)
    print(f"Cost at parameters (loaded from ex4weights): {J:f}\n"
          "(this value should be about 0.287629)")
pause(options)

# %% =============== Part 4: Implement Regularization ===============
#  Once your cost function implementation is correct, you should now
#  continue to implement the regularization with the cost.
print("\nChecking Cost Function (w/ Regularization) ...")
if nn_params is None:
    print("(skipped: needs data/ex4weights.mat)")
else:
    lambda_ = 1
    J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                          num_labels, X, y, lambda_)
    print(f"Cost at parameters (loaded from ex4weights): {J:f}\n"
          "(this value should be about 0.383770)")
pause(options)

# %% ================ Part 5: Sigmoid Gradient  ================
#  Before you start implementing the neural network, you will first
#  implement the gradient for the sigmoid function (sigmoidGradient.py).
print("\nEvaluating sigmoid gradient...")
g = sigmoidGradient(np.array([-1, -0.5, 0, 0.5, 1]))
print("Sigmoid gradient evaluated at [-1 -0.5 0 0.5 1]:")
print("  " + " ".join(f"{v:f}" for v in g))
print("(this value should be 0.196612 0.235004 0.250000 0.235004 0.196612)")
pause(options)

# %% ================ Part 6: Initializing Parameters ================
#  In this part of the exercise, you will be starting to implement a two
#  layer neural network that classifies digits. You will start by
#  implementing a function to initialize the weights of the neural network
#  (randInitializeWeights.py).
print("\nInitializing Neural Network Parameters ...")
np.random.seed(options.seed)    # the seed makes the whole training reproducible
initial_Theta1 = randInitializeWeights(input_layer_size, hidden_layer_size)
initial_Theta2 = randInitializeWeights(hidden_layer_size, num_labels)
# Unroll parameters
initial_nn_params = np.concatenate([initial_Theta1.ravel(), initial_Theta2.ravel()])
print(f"Theta1 {initial_Theta1.shape} and Theta2 {initial_Theta2.shape}, "
      f"values in [{initial_nn_params.min():.4f}, {initial_nn_params.max():.4f}] "
      f"(seed {options.seed})")

# %% =============== Part 7: Implement Backpropagation ===============
#  Once your cost matches up with ours, you should proceed to implement the
#  backpropagation algorithm for the neural network (Part 2 of
#  nnCostFunction.py) that returns the partial derivatives of the
#  parameters. checkNNGradients compares them with numerical gradients.
print("\nChecking Backpropagation...")
_, _grad = nnCostFunction(np.full(3 * 3 + 3 * 4, 0.1), 2, 3, 3, np.ones((3, 2)),
                          np.array([1, 2, 3]), 0.0)
if not np.any(_grad):
    raise NotImplementedYet(
        "backpropagation is not implemented yet (nnCostFunction returns a gradient "
        "of zeros): complete Part 2 of nnCostFunction.py")
diff = checkNNGradients()
pause(options)

# %% =============== Part 8: Implement Regularization ===============
#  Once your backpropagation implementation is correct, you should now
#  continue to implement the regularization with the gradient.
print("\nChecking Backpropagation (w/ Regularization) ...")
lambda_ = 3
diff = checkNNGradients(lambda_)
if nn_params is None:
    print("(cost at the course weights skipped: needs data/ex4weights.mat)")
else:
    debug_J, _ = nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                                num_labels, X, y, lambda_)
    print(f"\nCost at (fixed) debugging parameters (w/ lambda = {lambda_:g}): {debug_J:f}\n"
          "(for lambda = 3, this value should be about 0.576051)")
pause(options)

# %% =================== Part 9: Training NN ===================
#  You have now implemented all the code necessary to train a neural
#  network. trainNeuralNetwork uses scipy.optimize.fmin_cg, which works
#  like the course's fmincg: give it the cost and the gradient, and it
#  finds the minimum. Try more iterations (--maxiter) or another lambda.
print("\nTraining Neural Network...")
nn_params_trained, costs = trainNeuralNetwork(
    initial_nn_params, input_layer_size, hidden_layer_size, num_labels,
    X, y, options.lambda_, maxiter=options.maxiter)

# Obtain Theta1 and Theta2 back from nn_params
n1 = hidden_layer_size * (input_layer_size + 1)
Theta1_trained = nn_params_trained[:n1].reshape(hidden_layer_size, input_layer_size + 1)
Theta2_trained = nn_params_trained[n1:].reshape(num_labels, hidden_layer_size + 1)
pause(options)

# %% ================= Part 10: Visualize Weights =================
#  You can now "visualize" what the neural network is learning by
#  displaying the hidden units to see what features they are capturing.
print("\nVisualizing Neural Network...")
fig, _ = displayData(Theta1_trained[:, 1:])
fig.suptitle("Hidden units (Theta1 without its bias column)")
show_figure(fig, "ex4_hidden_units", options)
pause(options)

# %% ================= Part 11: Implement Predict =================
#  After training the neural network, we would like to use it to predict
#  the labels. predictNeuralNetwork computes the training set accuracy.
pred = predictNeuralNetwork(Theta1_trained, Theta2_trained, X)
print(f"\nTraining Set Accuracy: {np.mean(pred == y) * 100:g}")
print("(about 95.3% after 50 iterations with lambda = 1, +-1% from the random initialisation)")
