import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    # matrices, so that * is the matrix product as in Octave
    Theta1 = np.matrix(np.reshape(nn_params[:hidden_layer_size * (input_layer_size + 1)],
                                  (hidden_layer_size, input_layer_size + 1)))
    Theta2 = np.matrix(np.reshape(nn_params[hidden_layer_size * (input_layer_size + 1):],
                                  (num_labels, hidden_layer_size + 1)))
    m = X.shape[0]
    X = np.matrix(X)

    # Y(i, :) is the label of example i as a row of 0s and 1s
    Y = np.matrix(np.zeros((m, num_labels)))
    for i in range(m):
        Y[i, y[i] - 1] = 1

    # feedforward
    a1 = np.hstack((np.ones((m, 1)), X))
    z2 = a1 * Theta1.T
    a2 = np.hstack((np.ones((m, 1)), sigmoid(z2)))
    z3 = a2 * Theta2.T
    h = sigmoid(z3)

    J = np.sum(np.multiply(-Y, np.log(h)) - np.multiply(1 - Y, np.log(1 - h))) / m
    J = J + lambda_ / (2 * m) * (np.sum(np.power(Theta1[:, 1:], 2))
                                 + np.sum(np.power(Theta2[:, 1:], 2)))

    # backpropagation
    d3 = h - Y
    d2 = np.multiply(d3 * Theta2[:, 1:], sigmoidGradient(z2))
    Theta1_grad = d2.T * a1 / m
    Theta2_grad = d3.T * a2 / m
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + lambda_ / m * Theta2[:, 1:]

    grad = np.concatenate((np.asarray(Theta1_grad).flatten(), np.asarray(Theta2_grad).flatten()))
    return float(J), grad
