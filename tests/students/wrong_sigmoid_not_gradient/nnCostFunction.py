import numpy as np
from feedforward import forward
from sigmoid import sigmoid


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    """Cost and gradient of the 2-layer network."""
    # make the inputs what I expect
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).ravel().astype(int)
    nn_params = np.asarray(nn_params, dtype=float).ravel()

    n, h, K = input_layer_size, hidden_layer_size, num_labels
    Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)
    Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)
    m = len(y)

    a1, z2, a2, z3, a3 = forward(Theta1, Theta2, X)

    Y = np.zeros((m, K))
    Y[np.arange(m), y - 1] = 1

    cost = -(Y * np.log(a3) + (1 - Y) * np.log(1 - a3)).sum() / m
    reg = lambda_ / (2 * m) * ((Theta1[:, 1:] ** 2).sum() + (Theta2[:, 1:] ** 2).sum())
    J = cost + reg

    delta3 = a3 - Y
    delta2 = (delta3 @ Theta2)[:, 1:] * sigmoid(z2)

    Theta1_grad = delta2.T @ a1 / m
    Theta2_grad = delta3.T @ a2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    return J, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
