import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    # gradient of the sigmoid at z, elementwise (np.multiply: z may be a np.matrix)
    g = sigmoid(z)
    return np.multiply(g, 1 - g)
