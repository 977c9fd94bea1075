import numpy as np


def randInitializeWeights(L_in, L_out):
    '''
    Randomly initialize the weights of a layer with L_in incoming connections
    and L_out outgoing connections
    '''
    eps = 0.12
    return np.random.rand(L_out, L_in + 1) * 2.0 * eps - eps
