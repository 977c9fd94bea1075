"""Random initialisation."""
import numpy as np


def randInitializeWeights(L_in, L_out):
    """Return W of shape (L_out, 1 + L_in), uniform in [-0.12, 0.12]."""
    epsilon_init = 0.12
    return np.random.rand(int(L_out), 1 + int(L_in)) * 2 * epsilon_init - epsilon_init
