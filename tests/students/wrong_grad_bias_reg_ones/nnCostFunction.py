import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    """Cost and gradient of the two-layer network (vectorised)."""
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    m = X.shape[0]

    # feedforward
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = a1 @ Theta1.T
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    a3 = sigmoid(a2 @ Theta2.T)

    # one-hot labels
    Y = np.zeros((m, num_labels))
    Y[np.arange(m), y - 1] = 1

    J = -np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3)) / m
    J = J + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # backpropagation
    delta3 = a3 - Y
    delta2 = (delta3 @ Theta2)[:, 1:] * sigmoidGradient(z2)
    Theta1_grad = delta2.T @ a1 / m
    Theta2_grad = delta3.T @ a2 / m

    # regularisation: the bias column is not regularised, so replace it
    # by the bias unit before adding lambda/m * Theta
    reg1 = np.hstack([np.ones((hidden_layer_size, 1)), Theta1[:, 1:]])
    reg2 = np.hstack([np.ones((num_labels, 1)), Theta2[:, 1:]])
    Theta1_grad = Theta1_grad + lambda_ / m * reg1
    Theta2_grad = Theta2_grad + lambda_ / m * reg2

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
