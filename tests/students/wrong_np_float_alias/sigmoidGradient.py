import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    '''
    Gradient of the sigmoid function at z
    '''
    return np.multiply(sigmoid(z), 1 - sigmoid(z))
