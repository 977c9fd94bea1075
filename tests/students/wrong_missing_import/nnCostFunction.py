import numpy as np
from sigmoid import sigmoid


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    """Cost and gradient of the two-layer network (vectorised)."""
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    m = X.shape[0]

    # one-hot encoding of the labels 1..K
    Y = np.zeros((m, num_labels))
    Y[np.arange(m), y - 1] = 1

    # feedforward
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = a1.dot(Theta1.T)
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    z3 = a2.dot(Theta2.T)
    h = sigmoid(z3)

    J = (1 / m) * np.sum(-Y * np.log(h) - (1 - Y) * np.log(1 - h))
    J += (lambda_ / (2 * m)) * (np.sum(np.square(Theta1[:, 1:]))
                                + np.sum(np.square(Theta2[:, 1:])))

    # backpropagation
    d3 = h - Y
    d2 = d3.dot(Theta2[:, 1:]) * sigmoidGradient(z2)
    Theta1_grad = d2.T.dot(a1) / m
    Theta2_grad = d3.T.dot(a2) / m
    Theta1_grad[:, 1:] += (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] += (lambda_ / m) * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
