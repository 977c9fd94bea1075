"""debugInitializeWeights: fixed, repeatable weights for debugging.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here.
"""
import numpy as np


def debugInitializeWeights(fan_out, fan_in):
    """Initialise the weights of a layer with ``fan_in`` incoming and
    ``fan_out`` outgoing connections to fixed values, without randomness,
    so that gradient checks give the same numbers on every run.

    Parameters
    ----------
    fan_out : int
        Number of units in the layer the weights go to.
    fan_in : int
        Number of units in the layer the weights come from (without bias).

    Returns
    -------
    W : ndarray of shape (fan_out, 1 + fan_in), float64
        ``sin(1), sin(2), ...`` filled in column-major (MATLAB) order and
        divided by 10, exactly like the original Octave function. The first
        column multiplies the bias unit.

    Examples
    --------
    >>> debugInitializeWeights(2, 1).round(4)
    array([[ 0.0841,  0.0141],
           [ 0.0909, -0.0757]])
    """
    fan_out, fan_in = _positive_int(fan_out, "fan_out"), _positive_int(fan_in, "fan_in")
    n = fan_out * (1 + fan_in)
    return np.sin(np.arange(1, n + 1)).reshape(fan_out, 1 + fan_in, order="F") / 10


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
