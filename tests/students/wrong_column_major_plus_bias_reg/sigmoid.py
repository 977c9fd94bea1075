from numpy import *


def sigmoid(z):
    g = zeros(shape(z))
    g = 1 / (1 + exp(-z))
    return g
