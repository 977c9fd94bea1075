import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    z = np.array(z, dtype=float)
    return sigmoid(z) * (1 - sigmoid(z))
