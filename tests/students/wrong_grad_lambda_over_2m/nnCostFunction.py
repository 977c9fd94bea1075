"""Neural network cost function: J and its gradient for a 2-layer network."""
import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    m = X.shape[0]
    size1 = hidden_layer_size * (input_layer_size + 1)
    Theta1 = np.reshape(nn_params[:size1], (hidden_layer_size, input_layer_size + 1))
    Theta2 = np.reshape(nn_params[size1:], (num_labels, hidden_layer_size + 1))

    # forward propagation, all the examples at once
    A1 = np.hstack((np.ones((m, 1)), X))
    Z2 = A1.dot(Theta1.T)
    A2 = np.hstack((np.ones((m, 1)), sigmoid(Z2)))
    H = sigmoid(A2.dot(Theta2.T))

    # recode the labels: column k - 1 is 1 for label k
    Y = np.zeros((m, num_labels))
    for k in range(1, num_labels + 1):
        Y[:, k - 1] = (y == k)

    # same regularisation factor for the cost and for the gradient
    reg = lambda_ / (2 * m)
    J = (-1 / m) * np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))
    J = J + reg * (np.sum(np.square(Theta1[:, 1:])) + np.sum(np.square(Theta2[:, 1:])))

    # backpropagation
    D3 = H - Y
    D2 = D3.dot(Theta2[:, 1:]) * sigmoidGradient(Z2)
    Theta1_grad = D2.T.dot(A1) / m
    Theta2_grad = D3.T.dot(A2) / m
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + reg * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + reg * Theta2[:, 1:]

    grad = np.concatenate((Theta1_grad.flatten(), Theta2_grad.flatten()))
    return J, grad
