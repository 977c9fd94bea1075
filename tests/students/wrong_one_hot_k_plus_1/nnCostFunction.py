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

    # one-hot labels: row i is the identity row of its label
    Y = np.eye(y.max() + 1)[y]

    # forward pass
    A1 = np.column_stack([np.ones(m), X])
    Z2 = A1 @ Theta1.T
    A2 = np.column_stack([np.ones(m), sigmoid(Z2)])
    Z3 = A2 @ Theta2.T
    A3 = sigmoid(Z3)

    J = np.sum(-Y * np.log(A3) - (1 - Y) * np.log(1 - A3)) / m
    J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # backward pass
    D3 = A3 - Y
    D2 = (D3 @ Theta2[:, 1:]) * sigmoidGradient(Z2)
    Theta1_grad = D2.T @ A1 / m
    Theta2_grad = D3.T @ A2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
