import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient
from utils import add_bias, one_hot, roll, unroll


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    Theta1, Theta2 = roll(nn_params, input_layer_size, hidden_layer_size, num_labels)
    m = X.shape[0]

    # feedforward
    A1 = add_bias(X)
    Z2 = A1.dot(Theta1.T)
    A2 = add_bias(sigmoid(Z2))
    Z3 = A2.dot(Theta2.T)
    H = sigmoid(Z3)
    Y = one_hot(y, num_labels)

    J = (-1 / m) * np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))
    J = J + lambda_ / m * (np.sum(np.square(Theta1[:, 1:])) + np.sum(np.square(Theta2[:, 1:])))

    # backprop
    D3 = H - Y
    D2 = D3.dot(Theta2[:, 1:]) * sigmoidGradient(Z2)
    Theta1_grad = D2.T.dot(A1) / m
    Theta2_grad = D3.T.dot(A2) / m

    # regularise everything but the bias column
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]

    return J, unroll(Theta1_grad, Theta2_grad)
