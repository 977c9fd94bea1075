from numpy import *
from sigmoid import sigmoid


def sigmoidGradient(z):
    # SIGMOIDGRADIENT returns the gradient of the sigmoid function
    # evaluated at z
    g = zeros((size(z, 0), size(z, 1)))

    # ====================== YOUR CODE HERE ======================
    g[:, :] = sigmoid(z) * (1 - sigmoid(z))
    # =============================================================
    return g
