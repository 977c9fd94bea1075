"""sigmoid: the logistic function, elementwise.

Machine Learning exercise 4 (Neural Networks Learning).
"""
import numpy as np
from scipy.special import expit


def sigmoid(z):
    """Compute the sigmoid (logistic) function of each element of ``z``.

    g(z) = 1 / (1 + exp(-z))

    Parameters
    ----------
    z : float, array_like of any shape
        The input values (a scalar, a vector or a matrix).

    Returns
    -------
    g : float or ndarray, same shape as ``z``
        Values in [0, 1], float64. ``sigmoid(0)`` is exactly 0.5.

    Notes
    -----
    Written naively, ``1 / (1 + np.exp(-z))`` is right but makes NumPy warn
    about an overflow for z < -709 (exp(-z) is inf, and 1 / inf is 0).
    ``scipy.special.expit`` computes the same function without overflowing,
    and fast: the network calls it on every evaluation of the cost.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid(np.array([-1000.0, 1000.0]))
    array([0., 1.])
    """
    z = np.asarray(z, dtype=np.float64)

    # Instructions: compute the sigmoid of each value of z (z can be a
    # matrix, a vector or a scalar) without an overflow warning for large |z|.
    # BEGIN SOLUTION
    g = expit(z)                      # 1 / (1 + exp(-z)), overflow-free
    # END SOLUTION

    return g[()] if g.ndim == 0 else g
