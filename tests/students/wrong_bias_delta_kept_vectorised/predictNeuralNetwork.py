"""Prediction with a trained network."""
import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    """Labels 1..K predicted for each row of X."""
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    Theta1 = np.asarray(Theta1, dtype=np.float64)
    Theta2 = np.asarray(Theta2, dtype=np.float64)
    m = X.shape[0]
    a1 = np.hstack([np.ones((m, 1)), X])
    a2 = np.hstack([np.ones((m, 1)), sigmoid(a1 @ Theta1.T)])
    a3 = sigmoid(a2 @ Theta2.T)
    return np.argmax(a3, axis=1).astype(int) + 1
