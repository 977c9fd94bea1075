import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    # Predict the label of an input given a trained neural network
    m = X.shape[0]
    h1 = sigmoid(np.dot(np.hstack((np.ones((m, 1)), X)), Theta1.T))
    h2 = sigmoid(np.dot(np.hstack((np.ones((m, 1)), h1)), Theta2.T))
    p = np.argmax(h2, axis=1) + 1
    return p
