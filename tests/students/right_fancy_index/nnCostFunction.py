import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    h, n, K = hidden_layer_size, input_layer_size, num_labels
    Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)
    Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)
    m = X.shape[0]
    rows = np.arange(m)
    cols = y - 1                      # the column of the right label, per example

    ones = np.ones((m, 1))
    a1 = np.concatenate([ones, X], axis=1)
    z2 = a1 @ Theta1.T
    a2 = np.concatenate([ones, sigmoid(z2)], axis=1)
    a3 = sigmoid(a2 @ Theta2.T)

    # no one-hot matrix: -log(h) for the right label, -log(1 - h) for the others
    J = (-np.log(a3[rows, cols]).sum()
         - np.log(1 - a3).sum() + np.log(1 - a3[rows, cols]).sum()) / m
    J += lambda_ / (2 * m) * ((Theta1[:, 1:] ** 2).sum() + (Theta2[:, 1:] ** 2).sum())

    # delta3 = a3 - Y without building Y
    d3 = a3.copy()
    d3[rows, cols] -= 1
    d2 = (d3 @ Theta2[:, 1:]) * sigmoidGradient(z2)

    Theta1_grad = d2.T @ a1 / m
    Theta2_grad = d3.T @ a2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    return J, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
