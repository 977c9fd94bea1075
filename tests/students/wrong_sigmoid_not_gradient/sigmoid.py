import numpy as np


def sigmoid(z):
    """Logistic function, stable for large |z|."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0, -z))
