import numpy as np
from sigmoid import sigmoid


def sigmoidGradient(z):
    # dérivée de la fonction sigmoïde
    g = sigmoid(z) * (1.0 - sigmoid(z))
    return g
