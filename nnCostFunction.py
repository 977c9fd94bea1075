"""nnCostFunction: cost and gradient of a two-layer neural network.

Machine Learning exercise 4 (Neural Networks Learning). Needs ``sigmoid.py``
and ``sigmoidGradient.py``.
"""
import numpy as np

from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient  # noqa: F401 (step 2 of the instructions)


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    """Regularised cross-entropy cost of a two-layer network, and its
    gradient by backpropagation.

    The network: input layer (n = ``input_layer_size`` units) -> hidden
    layer (h = ``hidden_layer_size`` units) -> output layer
    (K = ``num_labels`` units), sigmoid activations, a bias unit added in
    front of the input and of the hidden layer.

    Contract: ``nn_params`` is a float64 1-D array, ``X`` a float64 array
    of shape (m, n), ``y`` an int64 array of shape (m,) with labels 1..K,
    ``lambda_`` a float and the sizes ints, for any n, h, K and m (not only
    400-25-10). The inputs are not modified: a reshape of ``nn_params`` is a
    view of it, so ``.copy()`` before editing Theta1 or Theta2 in place (the
    caller may use ``nn_params`` again after the call, as ex4.py does).

    Parameters
    ----------
    nn_params : ndarray of shape (h * (n + 1) + K * (h + 1),), float64
        The weights "unrolled" into one vector: first ``Theta1`` (h, n + 1),
        then ``Theta2`` (K, h + 1), each flattened in NumPy's default
        row-major order, i.e.
        ``np.concatenate([Theta1.ravel(), Theta2.ravel()])``.
    input_layer_size : int
        n, the number of input features (400 for the 20x20 digits).
    hidden_layer_size : int
        h, the number of hidden units (25 in the exercise).
    num_labels : int
        K, the number of labels (10 in the exercise).
    X : ndarray of shape (m, n), float64
        The examples, one per row.
    y : ndarray of shape (m,), int64
        The labels, integers 1..K (with the course's digits, label 10 means
        the digit 0). Not 0..K-1: label k is column k - 1 of the one-hot Y.
        (``y = np.asarray(y).ravel().astype(int)`` turns labels of shape
        (m, 1), or float labels, into this form.)
    lambda_ : float
        The regularisation parameter (>= 0). The bias weights (the first
        column of each Theta) are not regularised.

    Returns
    -------
    J : float
        The cost:
        ``1/m sum_i sum_k [-Y_ik log(h_ik) - (1 - Y_ik) log(1 - h_ik)]
        + lambda/(2m) (sum Theta1[:, 1:]**2 + sum Theta2[:, 1:]**2)``,
        where Y is the one-hot recoding of y.
    grad : ndarray of shape (h * (n + 1) + K * (h + 1),)
        The partial derivatives of J, unrolled like ``nn_params``.

    Raises
    ------
    ValueError
        If ``nn_params`` has the wrong length, ``X`` the wrong shape, ``y``
        the wrong length or a label outside 1..K, or ``lambda_`` < 0.

    Notes
    -----
    log(h) and log(1 - h) are computed from the output layer's input z3 as
    -softplus(-z3) and -softplus(z3), softplus(z) = log(1 + exp(z)) (never as
    log(sigmoid(z3))): the cost stays finite even when the outputs saturate
    to exactly 0 or 1 in floating point.

    Examples
    --------
    >>> Theta1 = np.zeros((2, 3)); Theta2 = np.zeros((3, 3))
    >>> J, grad = nnCostFunction(np.zeros(15), 2, 2, 3, np.ones((4, 2)),
    ...                          np.array([1, 2, 3, 1]), 0.0)
    >>> round(J, 6)  # 3 outputs at 0.5: 3 * log(2)
    2.079442
    >>> grad.shape
    (15,)
    """
    n, h, K = (_positive_int(input_layer_size, "input_layer_size"),
               _positive_int(hidden_layer_size, "hidden_layer_size"),
               _positive_int(num_labels, "num_labels"))
    nn_params = np.asarray(nn_params, dtype=np.float64).ravel()
    expected = h * (n + 1) + K * (h + 1)
    if nn_params.size != expected:
        raise ValueError(
            f"nn_params must have h*(n+1) + K*(h+1) = {h}*{n + 1} + {K}*{h + 1}"
            f" = {expected} elements, found {nn_params.size}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != n:
        raise ValueError(
            f"X must have shape (m, input_layer_size) = (m, {n}), "
            f"found shape {X.shape}")
    m = X.shape[0]
    y = _labels(y, m, K)
    if not (np.isfinite(lambda_) and lambda_ >= 0):
        raise ValueError(f"lambda_ must be a number >= 0, found {lambda_!r}")

    # Reshape nn_params back into the parameters Theta1 and Theta2.
    Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)
    Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)

    # Part 1: feedforward the network and return the cost in J, regularised
    # when lambda_ > 0.
    # Instructions: add the column of ones (the bias unit) in front of X and
    # compute the hidden activations a2, add the bias unit to them and
    # compute the outputs h = a3 of shape (m, K). Recode the labels as
    # one-hot vectors: row i of Y has a 1 in column y[i] - 1 and zeros
    # elsewhere (beware: y holds labels 1..K, Python indices start at 0).
    # J is the sum over the m examples and the K outputs of
    # -Y log(h) - (1 - Y) log(1 - h), divided by m. Then add
    # lambda_ / (2m) times the sum of the squares of the weights, leaving
    # out the first column (the bias weights) of Theta1 and Theta2.
    # BEGIN SOLUTION
    # The bias column is handled apart (Theta[:, 0] + ... instead of
    # [1, X] @ Theta.T) so that X is never copied: the two products with X
    # are the whole cost of an evaluation.
    z2 = (Theta1[:, 1:] @ X.T).T + Theta1[:, 0]                # (m, h); = X @ Theta1[:, 1:].T, faster
    a2 = sigmoid(z2)
    z3 = a2 @ Theta2[:, 1:].T + Theta2[:, 0]                   # (m, K)
    a3 = sigmoid(z3)
    Y = np.eye(K)[y - 1]                                       # (m, K) one-hot
    # With softplus(z) = log(1 + exp(z)), written so that exp never overflows:
    # -log(h) = softplus(-z3) = softplus(z3) - z3 and -log(1 - h) = softplus(z3),
    # so the cost is sum(softplus(z3)) - sum(Y * z3), finite even where a3
    # rounds to exactly 0 or 1 (where log(a3) would be -inf).
    softplus = np.maximum(z3, 0) + np.log1p(np.exp(-np.abs(z3)))
    J = (np.sum(softplus) - np.sum(Y * z3)) / m
    J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    # END SOLUTION

    # Part 2: backpropagation, the gradients Theta1_grad and Theta2_grad
    # (shaped like Theta1 and Theta2), regularised when lambda_ > 0.
    # Instructions: for each example t (a loop over t = 0..m-1, or all at
    # once with matrices), with a1, z2, a2, z3, a3 from the feedforward:
    #   1. delta3 = a3 - Y_t                     (the output error, K values)
    #   2. delta2 = (Theta2.T @ delta3) * sigmoidGradient of [1, z2] ;
    #      drop the bias unit's entry (delta2[1:], h values)
    #   3. accumulate Theta1_grad += outer(delta2, a1) and
    #      Theta2_grad += outer(delta3, a2) (a1, a2 with their bias units)
    # then divide both by m. Regularisation: add (lambda_ / m) * Theta to
    # each gradient, except for the first column (the bias weights).
    # Check it with checkNNGradients() before training.
    # BEGIN SOLUTION
    # STUB: Theta1_grad = np.zeros_like(Theta1)
    # STUB: Theta2_grad = np.zeros_like(Theta2)
    delta3 = a3 - Y                                            # (m, K)
    # sigmoidGradient(z2) is a2 * (1 - a2): reuse a2 rather than evaluate
    # the sigmoid of z2 a second time.
    delta2 = (delta3 @ Theta2[:, 1:]) * (a2 * (1 - a2))        # (m, h)
    Theta1_grad = np.empty_like(Theta1)
    Theta1_grad[:, 0] = delta2.sum(axis=0) / m
    Theta1_grad[:, 1:] = delta2.T @ X / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad = np.empty_like(Theta2)
    Theta2_grad[:, 0] = delta3.sum(axis=0) / m
    Theta2_grad[:, 1:] = delta3.T @ a2 / m
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    # END SOLUTION

    # Unroll the gradients (same order as nn_params).
    grad = np.concatenate([np.ravel(Theta1_grad), np.ravel(Theta2_grad)])
    return float(J), grad


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


def _labels(y, m, K):
    """Return y as an int64 vector of m labels in 1..K, or raise ValueError.

    Accepts shape (m,) or (m, 1) and any integer or float dtype. Converting
    to int64 first also avoids the unsigned wrap-around of the uint8 labels
    that scipy.io.loadmat returns (1 - y would give 255...).
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != m:
        raise ValueError(
            f"y must have shape (m,) or (m, 1) with m = {m} (the rows of X), "
            f"found shape {y.shape}")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)
            or y.dtype == bool):
        raise ValueError(f"y must hold numeric labels 1..{K}, found dtype {y.dtype}")
    labels = y.astype(np.int64)
    bad = (labels != y) | (labels < 1) | (labels > K)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        found = y[i].item()
        if isinstance(found, float) and found.is_integer():
            found = int(found)
        raise ValueError(
            f"y must hold integer labels 1..num_labels = 1..{K} (in the course "
            f"data the digit 0 has label 10), found {found!r} at index {i}")
    return labels
