import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    # prédiction : propagation avant puis indice du maximum
    m = X.shape[0]
    X1 = np.column_stack((np.ones(m), X))
    h1 = sigmoid(X1 @ Theta1.T)
    h1 = np.column_stack((np.ones(m), h1))
    h2 = sigmoid(h1 @ Theta2.T)
    p = np.zeros(m)
    for i in range(m):
        p[i] = np.argmax(h2[i, :]) + 1   # les étiquettes vont de 1 à K
    return p
