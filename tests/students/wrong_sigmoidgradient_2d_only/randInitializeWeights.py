from numpy import *


def randInitializeWeights(L_in, L_out):
    W = zeros((L_out, 1 + L_in))
    # ====================== YOUR CODE HERE ======================
    epsilon_init = 0.12
    W = random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init
    # =========================================================================
    return W
