import numpy as np


def sigmoid(z):
    '''
    Sigmoid function
    '''
    return np.divide(1.0, 1.0 + np.exp(-z))
