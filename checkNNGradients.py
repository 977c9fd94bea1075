"""checkNNGradients: compare backpropagation with numerical gradients.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here. Needs ``nnCostFunction.py``, ``debugInitializeWeights.py``
and ``computeNumericalGradient.py``.
"""
import numpy as np

from computeNumericalGradient import computeNumericalGradient
from debugInitializeWeights import debugInitializeWeights
from nnCostFunction import nnCostFunction


def checkNNGradients(lambda_=0, verbose=True):
    """Check the gradients of nnCostFunction on a small network.

    Builds the original's small problem (3 inputs, 5 hidden units, 3
    labels, m = 5 examples; weights and inputs from debugInitializeWeights,
    labels ``y = 1 + (1..m mod 3)``), computes the gradient by
    backpropagation (nnCostFunction) and by finite differences
    (computeNumericalGradient), prints them side by side and returns their
    relative difference.

    Parameters
    ----------
    lambda_ : float, default 0
        The regularisation parameter passed to nnCostFunction.
    verbose : bool, default True
        Print the two gradients and the relative difference.

    Returns
    -------
    diff : float
        ``norm(numgrad - grad) / norm(numgrad + grad)``. With a correct
        backpropagation it is below 1e-9 (about 1e-11 in practice).
    """
    input_layer_size = 3
    hidden_layer_size = 5
    num_labels = 3
    m = 5

    # "Random" test data, the same on every run.
    Theta1 = debugInitializeWeights(hidden_layer_size, input_layer_size)
    Theta2 = debugInitializeWeights(num_labels, hidden_layer_size)
    X = debugInitializeWeights(m, input_layer_size - 1)
    y = 1 + np.arange(1, m + 1) % num_labels

    nn_params = np.concatenate([Theta1.ravel(), Theta2.ravel()])

    def cost(p):
        return nnCostFunction(p, input_layer_size, hidden_layer_size,
                              num_labels, X, y, lambda_)

    _, grad = cost(nn_params)
    grad = np.asarray(grad, dtype=np.float64).ravel()
    numgrad = computeNumericalGradient(cost, nn_params)
    if grad.shape != numgrad.shape:
        raise ValueError(
            f"nnCostFunction's gradient must have {numgrad.size} elements "
            f"(one per parameter), found shape {grad.shape}")

    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    if verbose:
        print(" Numerical gradient   Analytical gradient")
        for a, b in zip(numgrad, grad):
            print(f"{a:19.10f}  {b:19.10f}")
        print("The above two columns you get should be very similar.\n"
              "(Left: your numerical gradient, Right: analytical gradient)\n")
        print("If your backpropagation implementation is correct, then\n"
              "the relative difference will be small (less than 1e-9).\n")
        print(f"Relative Difference: {diff:g}")
    return diff
