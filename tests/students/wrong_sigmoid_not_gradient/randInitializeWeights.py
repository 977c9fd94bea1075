import numpy as np


def randInitializeWeights(L_in, L_out):
    """Weights of shape (L_out, L_in + 1), uniform in [-0.12, 0.12]."""
    epsilon = 0.12
    return (2 * np.random.rand(L_out, L_in + 1) - 1) * epsilon
