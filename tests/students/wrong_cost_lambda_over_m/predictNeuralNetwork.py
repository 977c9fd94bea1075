import numpy as np
from sigmoid import sigmoid
from utils import add_bias


def predictNeuralNetwork(Theta1, Theta2, X):
    h1 = sigmoid(add_bias(X) @ Theta1.T)
    h2 = sigmoid(add_bias(h1) @ Theta2.T)
    return np.argmax(h2, axis=1) + 1
