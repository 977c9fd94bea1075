"""Random initialisation."""
import numpy as np


def randInitializeWeights(L_in, L_out):
    """Return W of shape (L_out, 1 + L_in), uniform in [-eps, eps].

    eps = sqrt(6) / sqrt(L_in + L_out), as the handout's footnote suggests.
    """
    epsilon_init = np.sqrt(6) / np.sqrt(L_in + L_out)
    return np.random.rand(int(L_out), 1 + int(L_in)) * 2 * epsilon_init - epsilon_init
