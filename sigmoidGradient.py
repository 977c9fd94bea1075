"""sigmoidGradient: the derivative of the sigmoid function, elementwise.

Machine Learning exercise 4 (Neural Networks Learning). Needs ``sigmoid.py``.
"""
import numpy as np

from sigmoid import sigmoid


def sigmoidGradient(z):
    """Return the gradient of the sigmoid function evaluated at ``z``.

    g'(z) = d/dz sigmoid(z) = g(z) * (1 - g(z)),  with g = sigmoid.

    Contract: ``z`` is a float64 array of any shape (a 0-d array for a
    scalar, a vector, a matrix, 3-D or more); the result has the same
    shape. ``z`` is not modified. The operations are elementwise: ``*``, not
    ``.dot`` or ``@`` (the matrix product).

    Parameters
    ----------
    z : ndarray of any shape, float64
        The points at which to evaluate the gradient (a 0-d array, a vector,
        a matrix or more dimensions). A Python float works too with
        ``np.asarray`` below.

    Returns
    -------
    g : float or ndarray, same shape as ``z``
        Values in [0, 0.25], float64. ``sigmoidGradient(0)`` is exactly 0.25;
        for large |z| the gradient goes to 0.

    Examples
    --------
    >>> float(sigmoidGradient(0))
    0.25
    >>> sigmoidGradient(np.array([-1.0, 0.0, 1.0])).round(6)
    array([0.196612, 0.25    , 0.196612])
    """
    z = np.asarray(z, dtype=np.float64)

    # Instructions: compute the gradient of the sigmoid function at each
    # value of z (z can be a matrix, a vector or a scalar). Use sigmoid().
    # BEGIN SOLUTION
    s = sigmoid(z)
    g = s * (1.0 - s)
    # END SOLUTION

    return g[()] if np.ndim(g) == 0 else g
