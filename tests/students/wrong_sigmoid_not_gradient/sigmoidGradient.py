import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    """Derivative of the sigmoid at z (any shape)."""
    g = sigmoid(z)
    return g * (1 - g)
