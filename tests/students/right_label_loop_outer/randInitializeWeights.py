import numpy as np


def randInitializeWeights(L_in, L_out):
    # INIT_EPSILON = 0.12 as suggested in the handout
    INIT_EPSILON = 0.12
    return np.random.rand(L_out, L_in + 1) * (2 * INIT_EPSILON) - INIT_EPSILON
