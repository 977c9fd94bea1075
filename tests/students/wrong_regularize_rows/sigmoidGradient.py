"""Gradient of the sigmoid."""
import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    """g'(z) = g(z) * (1 - g(z)), elementwise, for a scalar or an array."""
    z = np.asarray(z, dtype=np.float64)
    g = sigmoid(z)
    return g * (1.0 - g)
