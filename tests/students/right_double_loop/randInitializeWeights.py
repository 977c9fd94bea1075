import numpy as np


def randInitializeWeights(L_in, L_out):
    # initialisation aléatoire des poids pour casser la symétrie
    epsilon_init = 0.12
    W = np.zeros((L_out, 1 + L_in))
    W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init
    return W
