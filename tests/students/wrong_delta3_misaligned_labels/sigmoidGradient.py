import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    # returns the gradient of the sigmoid function evaluated at z
    # this should work regardless if z is a matrix or a vector
    g = sigmoid(z) * (1 - sigmoid(z))
    return g
