"""Sigmoid function for ex4."""
import numpy as np
from scipy.special import expit


def sigmoid(z):
    """Elementwise logistic function of z (scalar or array)."""
    return expit(np.asarray(z, dtype=np.float64))
