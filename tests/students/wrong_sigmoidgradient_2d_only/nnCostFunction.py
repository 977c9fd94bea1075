from numpy import *
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    Theta1 = reshape(nn_params[0:hidden_layer_size * (input_layer_size + 1)],
                     (hidden_layer_size, input_layer_size + 1))
    Theta2 = reshape(nn_params[hidden_layer_size * (input_layer_size + 1):],
                     (num_labels, hidden_layer_size + 1))
    m = size(X, 0)

    J = 0
    Theta1_grad = zeros(shape(Theta1))
    Theta2_grad = zeros(shape(Theta2))

    # ====================== YOUR CODE HERE ======================
    # Part 1: feedforward
    a1 = hstack((ones((m, 1)), X))
    z2 = dot(a1, Theta1.T)
    a2 = hstack((ones((m, 1)), sigmoid(z2)))
    z3 = dot(a2, Theta2.T)
    a3 = sigmoid(z3)

    ybin = zeros((m, num_labels))
    for k in range(1, num_labels + 1):
        ybin[:, k - 1] = (y == k)

    J = (1.0 / m) * sum(sum(-ybin * log(a3) - (1 - ybin) * log(1 - a3)))
    J = J + (lambda_ / (2.0 * m)) * (sum(sum(Theta1[:, 1:] ** 2)) + sum(sum(Theta2[:, 1:] ** 2)))

    # Part 2: backpropagation
    d3 = a3 - ybin
    d2 = dot(d3, Theta2[:, 1:]) * sigmoidGradient(z2)
    Theta1_grad = (1.0 / m) * dot(d2.T, a1)
    Theta2_grad = (1.0 / m) * dot(d3.T, a2)

    # Part 3: regularization
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]
    # =========================================================================

    grad = concatenate((Theta1_grad.ravel(), Theta2_grad.ravel()))
    return J, grad
