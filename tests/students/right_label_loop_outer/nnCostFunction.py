import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    t1_size = hidden_layer_size * (input_layer_size + 1)
    Theta1 = nn_params[:t1_size].reshape(hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[t1_size:].reshape(num_labels, hidden_layer_size + 1)
    m = X.shape[0]

    # recode y: one column per label
    Y = np.zeros((m, num_labels))
    for k in range(num_labels):
        Y[:, k] = (y == k + 1)

    # forward pass, all examples
    A1 = np.insert(X, 0, 1, axis=1)
    Z2 = A1 @ Theta1.T
    A2 = np.insert(sigmoid(Z2), 0, 1, axis=1)
    A3 = sigmoid(A2 @ Theta2.T)

    J = np.sum(-Y * np.log(A3) - (1 - Y) * np.log(1 - A3)) / m
    J = J + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # backpropagation, one example at a time
    Delta1 = np.zeros_like(Theta1)
    Delta2 = np.zeros_like(Theta2)
    for t in range(m):
        a1 = A1[t]
        z2 = np.insert(Z2[t], 0, 1)          # with the bias unit
        a2 = A2[t]
        a3 = A3[t]
        d3 = a3 - Y[t]
        d2 = (Theta2.T @ d3) * sigmoidGradient(z2)
        d2 = d2[1:]                          # skip the bias unit
        Delta2 += np.outer(d3, a2)
        Delta1 += np.outer(d2, a1)

    Theta1_grad = Delta1 / m
    Theta2_grad = Delta2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    grad = np.concatenate((Theta1_grad.reshape(-1), Theta2_grad.reshape(-1)))
    return J, grad
