import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    m = X.shape[0]
    ones = np.ones((m, 1))
    hidden = sigmoid(np.concatenate([ones, X], axis=1) @ Theta1.T)
    out = sigmoid(np.concatenate([ones, hidden], axis=1) @ Theta2.T)
    return 1 + out.argmax(axis=1)
