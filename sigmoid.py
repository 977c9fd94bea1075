"""sigmoid: the logistic function, elementwise.

Machine Learning exercise 4 (Neural Networks Learning).
"""
import numpy as np


def sigmoid(z):
    """Compute the sigmoid (logistic) function of each element of ``z``.

    g(z) = 1 / (1 + exp(-z))

    Contract: ``z`` is a float64 array of any shape (a 0-d array for a
    scalar); the result has the same shape, and must not warn for values up
    to |z| = 800 (no overflow warning). ``z`` is not modified
    (``np.exp(-z)`` makes a new array; ``np.exp(-z, out=z)`` would change
    the caller's).

    Parameters
    ----------
    z : ndarray of any shape, float64
        The input values (a 0-d array, a vector, a matrix or more
        dimensions). A Python float works too with ``np.asarray`` below.

    Returns
    -------
    g : float or ndarray, same shape as ``z``
        Values in [0, 1], float64. ``sigmoid(0)`` is exactly 0.5.

    Notes
    -----
    For z < -709, ``np.exp(-z)`` overflows to inf and NumPy warns; the
    result, 1 / inf = 0, is right all the same, so the warning is silenced
    (``scipy.special.expit`` computes the same values, more slowly).

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
    with np.errstate(over="ignore"):          # exp(-z) = inf: g = 1 / inf = 0
        g = 1.0 / (1.0 + np.exp(-z))
    # END SOLUTION

    return g[()] if g.ndim == 0 else g
