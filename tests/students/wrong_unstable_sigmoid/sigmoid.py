"""Sigmoid function for ex4."""
import numpy as np


def sigmoid(z):
    """Elementwise logistic function of z (scalar or array)."""
    z = np.asarray(z, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))
