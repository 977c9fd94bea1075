"""predictNeuralNetwork: labels predicted by a trained two-layer network.

Machine Learning exercise 4 (Neural Networks Learning). Needs ``sigmoid.py``.
"""
import numpy as np

from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    """Predict the label of each example of ``X`` with a trained network.

    The network has one hidden layer: input (n units) -> hidden (h units)
    -> output (K units), sigmoid activations, a bias unit added in front
    of the input and of the hidden layer.

    Contract: ``Theta1``, ``Theta2`` and ``X`` are float64 arrays, for any
    sizes n, h, K and m (not only 400-25-10). The inputs are not modified.

    Parameters
    ----------
    Theta1 : ndarray of shape (h, 1 + n)
        Weights from the input layer (with bias) to the hidden layer.
    Theta2 : ndarray of shape (K, 1 + h)
        Weights from the hidden layer (with bias) to the output layer.
    X : ndarray of shape (m, n)
        One example per row (a single example of shape (n,) is accepted).

    Returns
    -------
    p : ndarray of shape (m,), int64
        The predicted labels, in 1..K: the index (1-based) of the output
        unit with the largest activation. With the course's digits, label 10
        means the digit 0.

    Examples
    --------
    >>> Theta1 = np.zeros((2, 3)); Theta2 = np.array([[0., 0, 0], [1, 0, 0], [0, 0, 0]])
    >>> predictNeuralNetwork(Theta1, Theta2, np.ones((4, 2)))
    array([2, 2, 2, 2])
    """
    Theta1 = np.asarray(Theta1, dtype=np.float64)
    Theta2 = np.asarray(Theta2, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[np.newaxis, :]
    if Theta1.ndim != 2 or Theta2.ndim != 2 or X.ndim != 2:
        raise ValueError(
            "Theta1, Theta2 and X must be 2-D arrays, found shapes "
            f"{Theta1.shape}, {Theta2.shape} and {X.shape}")
    if Theta1.shape[1] != X.shape[1] + 1:
        raise ValueError(
            f"Theta1 must have 1 + n = {X.shape[1] + 1} columns for X with "
            f"n = {X.shape[1]} features, found Theta1 of shape {Theta1.shape}")
    if Theta2.shape[1] != Theta1.shape[0] + 1:
        raise ValueError(
            f"Theta2 must have 1 + h = {Theta1.shape[0] + 1} columns for "
            f"h = {Theta1.shape[0]} hidden units, found Theta2 of shape {Theta2.shape}")
    m = X.shape[0]

    # Instructions: feed X forward through the network (add the column of
    # ones for the bias unit in front of X and of the hidden activations),
    # then set p to the label of the largest output unit of each example.
    # np.argmax returns 0-based indices: the labels are 1..K.
    # BEGIN SOLUTION
    a2 = sigmoid(np.column_stack([np.ones(m), X]) @ Theta1.T)
    a3 = sigmoid(np.column_stack([np.ones(m), a2]) @ Theta2.T)
    p = np.argmax(a3, axis=1) + 1
    # END SOLUTION

    return np.asarray(p, dtype=np.int64).reshape(m)
