"""Shared forward pass, used by nnCostFunction and predictNeuralNetwork."""
import numpy as np
from sigmoid import sigmoid


def add_ones(A):
    """Put a column of ones (the bias unit) in front of A."""
    return np.hstack([np.ones((A.shape[0], 1)), A])


def forward(Theta1, Theta2, X):
    """Return a1, z2, a2, z3, a3 for all the examples at once."""
    a1 = add_ones(X)
    z2 = a1 @ Theta1.T
    a2 = add_ones(sigmoid(z2))
    z3 = a2 @ Theta2.T
    a3 = sigmoid(z3)
    return a1, z2, a2, z3, a3
