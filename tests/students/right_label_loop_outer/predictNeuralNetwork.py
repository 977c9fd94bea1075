import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    m = len(X)
    p = np.zeros(m, dtype=int)
    for i in range(m):
        a1 = np.insert(X[i], 0, 1)
        a2 = np.insert(sigmoid(Theta1 @ a1), 0, 1)
        a3 = sigmoid(Theta2 @ a2)
        p[i] = np.argmax(a3) + 1
    return p
