import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def feedforward(Theta1, Theta2, X):
    """a1, z2, a2, a3 of the network for the examples in the rows of X"""
    m = X.shape[0]
    a1 = np.column_stack([np.ones(m), X])
    z2 = a1 @ Theta1.T
    a2 = sigmoid(np.column_stack([np.ones(m), z2]))
    a3 = sigmoid(a2 @ Theta2.T)
    return a1, z2, a2, a3


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    end1 = hidden_layer_size * (input_layer_size + 1)
    Theta1 = nn_params[:end1].reshape(hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[end1:].reshape(num_labels, hidden_layer_size + 1)
    m = X.shape[0]

    a1, z2, a2, a3 = feedforward(Theta1, Theta2, X)

    y_matrix = np.zeros((m, num_labels))
    for i in range(m):
        y_matrix[i, y[i] - 1] = 1

    J = (1 / m) * np.sum(-y_matrix * np.log(a3) - (1 - y_matrix) * np.log(1 - a3))
    J += (lambda_ / (2 * m)) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    d3 = a3 - y_matrix
    d2 = d3 @ Theta2[:, 1:] * sigmoidGradient(z2)

    Theta1_grad = (1 / m) * (d2.T @ a1)
    Theta2_grad = (1 / m) * (d3.T @ a2)
    Theta1_grad[:, 1:] += (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] += (lambda_ / m) * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
