import numpy as np
from nnCostFunction import feedforward


def predictNeuralNetwork(Theta1, Theta2, X):
    # same forward pass as in the cost function
    _, _, _, a3 = feedforward(Theta1, Theta2, X)
    return np.argmax(a3, axis=1) + 1
