"""computeNumericalGradient: the gradient of a function by finite differences.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here.
"""
import numpy as np


def computeNumericalGradient(J, theta, e=1e-4):
    """Approximate the gradient of ``J`` at ``theta`` by central differences.

    For each parameter i, one at a time::

        numgrad[i] = (J(theta + e * u_i) - J(theta - e * u_i)) / (2 * e)

    where u_i is the i-th unit vector. This is slow (2 evaluations of J per
    parameter): use it only to check a gradient on a small problem, never
    to train.

    Parameters
    ----------
    J : callable
        ``J(theta)`` returns the cost: a number, or a tuple whose first item
        is the cost (such as the ``(J, grad)`` of nnCostFunction).
    theta : array_like of any shape
        The point at which to approximate the gradient.
    e : float, default 1e-4
        The step; the approximation error is of order e**2.

    Returns
    -------
    numgrad : ndarray, float64, same shape as ``theta``

    Examples
    --------
    >>> computeNumericalGradient(lambda t: np.sum(t ** 2), np.array([1.0, -2.0])).round(8)
    array([ 2., -4.])
    """
    theta = np.array(theta, dtype=np.float64)        # a copy: theta is not changed
    numgrad = np.zeros_like(theta)
    flat_theta = theta.reshape(-1)                   # views of the copies
    flat_grad = numgrad.reshape(-1)
    for i in range(flat_theta.size):
        saved = flat_theta[i]
        flat_theta[i] = saved - e
        loss1 = _cost(J(theta))
        flat_theta[i] = saved + e
        loss2 = _cost(J(theta))
        flat_theta[i] = saved
        flat_grad[i] = (loss2 - loss1) / (2 * e)
    return numgrad


def _cost(value):
    """The cost out of J's return value: a number, or the first item of a tuple."""
    if isinstance(value, tuple):
        value = value[0]
    return float(value)
