"""randInitializeWeights: random initial weights of one layer.

Machine Learning exercise 4 (Neural Networks Learning).
"""
import numpy as np


def randInitializeWeights(L_in, L_out, epsilon_init=0.12):
    """Randomly initialise the weights of a layer with ``L_in`` incoming and
    ``L_out`` outgoing connections, to break the symmetry while training.

    Contract: ``L_in`` and ``L_out`` are positive ints (ex4.py: 400, 25 then
    25, 10), ``epsilon_init`` is usually left at its default. The weights
    are uniform in [-epsilon, epsilon], where epsilon is the handout's 0.12
    (``epsilon_init``) or its footnote's ``sqrt(6) / sqrt(L_in + L_out)``:
    both are right.

    Parameters
    ----------
    L_in : int
        Number of units in the layer the weights come from (without bias).
    L_out : int
        Number of units in the layer the weights go to.
    epsilon_init : float, default 0.12
        Half-width of the interval: the weights are uniform in
        [-epsilon_init, epsilon_init]. The handout's footnote suggests
        ``epsilon_init = sqrt(6) / sqrt(L_in + L_out)``, which is about 0.12
        for the 400-25-10 network (0.119 for Theta1).

    Returns
    -------
    W : ndarray of shape (L_out, 1 + L_in), float64
        The first column multiplies the bias unit.

    Notes
    -----
    The values come from NumPy's *global* random generator
    (``np.random.rand``), as in the handout's snippet: call
    ``np.random.seed(s)`` first to make a run reproducible.

    Examples
    --------
    >>> np.random.seed(0)
    >>> randInitializeWeights(400, 25).shape
    (25, 401)
    """
    L_in, L_out = _positive_int(L_in, "L_in"), _positive_int(L_out, "L_out")
    if not epsilon_init > 0:
        raise ValueError(f"epsilon_init must be positive, found {epsilon_init!r}")

    # Instructions: initialise W randomly so that we break the symmetry
    # while training the neural network: uniform values in
    # [-epsilon_init, epsilon_init], drawn with np.random.rand.
    # BEGIN SOLUTION
    W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init
    # END SOLUTION

    return W


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
