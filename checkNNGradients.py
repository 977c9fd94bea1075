"""checkNNGradients: compare backpropagation with numerical gradients.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here. Needs ``nnCostFunction.py``, ``debugInitializeWeights.py``
and ``computeNumericalGradient.py``.
"""
import numpy as np

from computeNumericalGradient import computeNumericalGradient
from debugInitializeWeights import _positive_int, debugInitializeWeights
from ex4i18n import _


def debug_problem(input_layer_size=3, hidden_layer_size=5, num_labels=3, m=5):
    """The original's small problem for gradient checking: fixed weights,
    examples and labels, the same on every run.

    Parameters
    ----------
    input_layer_size : int, default 3
        n, the number of input features; at least 2.
    hidden_layer_size : int, default 5
        h, the number of hidden units.
    num_labels : int, default 3
        K, the number of labels.
    m : int, default 5
        The number of examples.

    Returns
    -------
    nn_params : ndarray of shape (h * (n + 1) + K * (h + 1),), float64
        ``Theta1 = debugInitializeWeights(h, n)`` (h, n + 1) and
        ``Theta2 = debugInitializeWeights(K, h)`` (K, h + 1), unrolled like
        nnCostFunction's ``nn_params`` (row-major, Theta1 first).
    X : ndarray of shape (m, n), float64
        ``debugInitializeWeights(m, n - 1)``: values ``sin(1..m*n) / 10``.
    y : ndarray of shape (m,), int64
        ``1 + (1..m mod K)``: with the defaults, ``[2, 3, 1, 2, 3]``.

    Raises
    ------
    ValueError
        If a size is not a positive integer (the rule of debugInitializeWeights),
        or ``input_layer_size`` is 1 (X comes from debugInitializeWeights(m, n - 1)).

    Examples
    --------
    >>> nn_params, X, y = debug_problem()
    >>> nn_params.shape, X.shape, y.tolist()
    ((38,), (5, 3), [2, 3, 1, 2, 3])
    """
    n = _positive_int(input_layer_size, "input_layer_size")
    h = _positive_int(hidden_layer_size, "hidden_layer_size")
    K = _positive_int(num_labels, "num_labels")
    m = _positive_int(m, "m")
    if n < 2:
        raise ValueError(f"input_layer_size must be at least 2 (X is "
                         f"debugInitializeWeights(m, input_layer_size - 1)), found {n}")

    # "Random" test data, the same on every run.
    Theta1 = debugInitializeWeights(h, n)
    Theta2 = debugInitializeWeights(K, h)
    X = debugInitializeWeights(m, n - 1)
    y = 1 + np.arange(1, m + 1) % K

    nn_params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
    return nn_params, X, y.astype(np.int64)


def checkNNGradients(lambda_=0, verbose=True):
    """Check the gradients of nnCostFunction on a small network.

    Builds the original's small problem with :func:`debug_problem` (3
    inputs, 5 hidden units, 3 labels, m = 5 examples; weights and inputs
    from debugInitializeWeights, labels ``y = 1 + (1..m mod 3)``), computes
    the gradient by backpropagation (nnCostFunction) and by finite
    differences (computeNumericalGradient), prints them side by side and
    returns their relative difference.

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
    # Imported here, not at the top: debug_problem needs no nnCostFunction,
    # so importing this module for it never runs nnCostFunction.py.
    from nnCostFunction import nnCostFunction

    input_layer_size = 3
    hidden_layer_size = 5
    num_labels = 3
    nn_params, X, y = debug_problem(input_layer_size, hidden_layer_size, num_labels)

    def cost(p):
        return nnCostFunction(p, input_layer_size, hidden_layer_size,
                              num_labels, X, y, lambda_)

    _J, grad = cost(nn_params)
    grad = np.asarray(grad, dtype=np.float64).ravel()
    numgrad = computeNumericalGradient(cost, nn_params)
    if grad.shape != numgrad.shape:
        raise ValueError(_(
            "nnCostFunction's gradient must have {size} elements (one per parameter), "
            "found shape {shape}", size=numgrad.size, shape=grad.shape))

    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    if verbose:
        print(_(" Numerical gradient   Analytical gradient"))
        for a, b in zip(numgrad, grad):
            print(f"{a:19.10f}  {b:19.10f}")
        print(_("The above two columns you get should be very similar.\n"
                "(Left: your numerical gradient, Right: analytical gradient)") + "\n")
        print(_("If your backpropagation implementation is correct, then\n"
                "the relative difference will be small (less than 1e-9).") + "\n")
        print(_("Relative Difference: {diff}", diff=format(diff, "g")))
    return diff
