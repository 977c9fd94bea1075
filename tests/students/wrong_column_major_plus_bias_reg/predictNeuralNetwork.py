from numpy import *
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    m = size(X, 0)
    num_labels = size(Theta2, 0)
    p = zeros(m)
    h1 = sigmoid(dot(hstack((ones((m, 1)), X)), Theta1.T))
    h2 = sigmoid(dot(hstack((ones((m, 1)), h1)), Theta2.T))
    p = argmax(h2, axis=1) + 1
    return p
