import numpy as np


def randInitializeWeights(L_in, L_out):
    epsilon_init = 0.12
    # rand is in [0, 1): scale to [-epsilon_init, epsilon_init)
    return epsilon_init * (2 * np.random.rand(L_out, L_in + 1) - 1)
