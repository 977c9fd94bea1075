import numpy as np
from feedforward import forward


def predictNeuralNetwork(Theta1, Theta2, X):
    """Labels 1..K of the examples (rows) of X."""
    X = np.atleast_2d(X)
    *_, a3 = forward(Theta1, Theta2, X)
    return np.argmax(a3, axis=1) + 1
