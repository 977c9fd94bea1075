"""trainNeuralNetwork: learn the weights of the network with fmin_cg.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here. Needs ``nnCostFunction.py``. It plays the part of the
original's ``fmincg``: ``scipy.optimize.fmin_cg`` is SciPy's nonlinear
conjugate gradient.
"""
import numpy as np
from scipy.optimize import fmin_cg

from ex4i18n import _
from nnCostFunction import nnCostFunction


def trainNeuralNetwork(initial_nn_params, input_layer_size, hidden_layer_size,
                       num_labels, X, y, lambda_, maxiter=50, callback=None,
                       verbose=True, full_output=False):
    """Minimise nnCostFunction with ``scipy.optimize.fmin_cg``.

    fmin_cg asks for the cost and for the gradient in two separate calls,
    while nnCostFunction computes both at once: each point is evaluated
    once, and the second request is answered from that evaluation.

    Parameters
    ----------
    initial_nn_params : ndarray of shape (h * (n + 1) + K * (h + 1),)
        The starting weights, unrolled like nnCostFunction's ``nn_params``
        (usually from randInitializeWeights).
    input_layer_size, hidden_layer_size, num_labels : int
        n, h and K, as for nnCostFunction.
    X : ndarray of shape (m, n)
        The training examples.
    y : ndarray of shape (m,) or (m, 1)
        Their labels, 1..K.
    lambda_ : float
        The regularisation parameter.
    maxiter : int, default 50
        The number of iterations (the handout's MaxIter).
    callback : callable, optional
        ``callback(iteration, nn_params, cost)``, called after each
        iteration (iterations count from 1); ``nn_params`` is a copy.
    verbose : bool, default True
        Print ``Iteration N | Cost: <value>`` after each iteration.
    full_output : bool, default False
        Also return the number of evaluations of nnCostFunction.

    Returns
    -------
    nn_params : ndarray of shape (h * (n + 1) + K * (h + 1),)
        The learned weights, unrolled.
    costs : list of float
        The cost after each iteration.
    evaluations : int
        Only with ``full_output=True``: how many times nnCostFunction ran.
    """
    x0 = np.array(initial_nn_params, dtype=np.float64).ravel()
    maxiter = _positive_int(maxiter, "maxiter")
    args = (input_layer_size, hidden_layer_size, num_labels, X, y, lambda_)
    last = {"x": None, "J": None, "grad": None}
    evaluations = 0

    def evaluate(p):
        nonlocal evaluations
        if last["x"] is None or not np.array_equal(p, last["x"]):
            J, grad = nnCostFunction(p, *args)
            last.update(x=p.copy(), J=J, grad=grad)
            evaluations += 1
        return last["J"], last["grad"]

    costs = []

    def after_iteration(p):
        cost = evaluate(p)[0]
        costs.append(cost)
        if verbose:
            print(_("Iteration {iteration} | Cost: {cost}", iteration=format(len(costs), "4d"),
                    cost=format(cost, ".6e")), flush=True)
        if callback is not None:
            callback(len(costs), p.copy(), cost)

    evaluate(x0)                      # fails early, with nnCostFunction's own message
    nn_params = fmin_cg(lambda p: evaluate(p)[0], x0,
                        fprime=lambda p: evaluate(p)[1],
                        maxiter=maxiter, callback=after_iteration, disp=False)
    if full_output:
        return nn_params, costs, evaluations
    return nn_params, costs


def _positive_int(value, name):
    """``value`` as an int, or a ValueError naming ``name``.

    The rule for sizes and counts, the same in every module of the
    exercise: an int, a NumPy integer, or a float with a whole value (400.0,
    as MATLAB-style code gives it), at least 1. Never a bool: True is not a
    size. The message names the argument, the rule and the value found.
    """
    whole = (isinstance(value, (int, np.integer))
             or isinstance(value, (float, np.floating)) and float(value).is_integer())
    if not whole or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, found {value!r}")
    return int(value)
