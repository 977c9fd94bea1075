import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lmbda):
    '''
    Implements the neural network cost function for a two layer
    neural network which performs classification
    '''
    theta1 = nn_params[0:(hidden_layer_size * (input_layer_size + 1))].reshape(
        hidden_layer_size, (input_layer_size + 1))
    theta2 = nn_params[(hidden_layer_size * (input_layer_size + 1)):].reshape(
        num_labels, (hidden_layer_size + 1))
    m = X.shape[0]
    y = y.reshape(-1)

    a1 = np.c_[np.ones((m, 1)), X]
    z2 = np.dot(a1, theta1.T)
    a2 = np.c_[np.ones((m, 1)), sigmoid(z2)]
    z3 = np.dot(a2, theta2.T)
    a3 = sigmoid(z3)

    y_matrix = y.reshape(-1, 1)    # one column, broadcast over the K outputs

    J = -1.0 * (1.0 / m) * np.sum(np.log(a3) * y_matrix + np.log(1 - a3) * (1 - y_matrix))
    reg = (lmbda / (2.0 * m)) * (np.sum(np.square(theta1[:, 1:])) + np.sum(np.square(theta2[:, 1:])))
    J = J + reg

    d3 = a3 - y_matrix
    d2 = np.multiply(np.dot(d3, theta2[:, 1:]), sigmoidGradient(z2))

    delta1 = np.dot(d2.T, a1)
    delta2 = np.dot(d3.T, a2)

    theta1_ = np.c_[np.zeros((theta1.shape[0], 1)), theta1[:, 1:]]
    theta2_ = np.c_[np.zeros((theta2.shape[0], 1)), theta2[:, 1:]]

    theta1_grad = delta1 / m + (theta1_ * lmbda) / m
    theta2_grad = delta2 / m + (theta2_ * lmbda) / m

    grad = np.r_[theta1_grad.ravel(), theta2_grad.ravel()]
    return J, grad
