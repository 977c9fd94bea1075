import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    s = sigmoid(z)
    return s - s ** 2
