import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    m = X.shape[0]
    y = y.reshape(m, 1)          # a column vector, like in Octave

    # feedforward
    a1 = np.hstack((np.ones((m, 1)), X))
    z2 = a1 @ Theta1.T
    a2 = np.hstack((np.ones((m, 1)), sigmoid(z2)))
    a3 = sigmoid(a2 @ Theta2.T)

    # cost, one label at a time
    J = 0
    for k in range(num_labels):
        yk = (y == k + 1).astype(float)
        hk = a3[:, k]
        J = J + np.sum(-yk * np.log(hk) - (1 - yk) * np.log(1 - hk))
    J = J / m
    J = J + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # backpropagation
    Y = (y == np.arange(1, num_labels + 1)).astype(float)     # (m, K)
    d3 = a3 - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoidGradient(z2)
    Theta1_grad = d2.T @ a1 / m
    Theta2_grad = d3.T @ a2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
