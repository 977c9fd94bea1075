import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    # Reshape nn_params back into the parameters Theta1 and Theta2, the weight
    # matrices for our 2 layer neural network
    Theta1 = np.reshape(nn_params[:hidden_layer_size * (input_layer_size + 1)],
                        (hidden_layer_size, input_layer_size + 1))
    Theta2 = np.reshape(nn_params[hidden_layer_size * (input_layer_size + 1):],
                        (num_labels, hidden_layer_size + 1))

    m = X.shape[0]
    J = 0
    Theta1_grad = np.zeros(Theta1.shape)
    Theta2_grad = np.zeros(Theta2.shape)

    # recode all the labels as vectors of 0s and 1s (one row per example)
    Y = np.zeros((m, num_labels))
    for i in range(m):
        Y[i, y[i] - 1] = 1

    # Part 1 + Part 2: loop over the training examples
    for i in range(m):
        # forward propagation
        a1 = np.concatenate(([1], X[i, :]))
        z2 = Theta1 @ a1
        a2 = np.concatenate(([1], sigmoid(z2)))
        z3 = Theta2 @ a2
        a3 = sigmoid(z3)

        J = J + np.sum(-Y[i] * np.log(a3) - (1 - Y[i]) * np.log(1 - a3))

        # backpropagation (t = 1..m in the handout, i - 1 here)
        delta3 = a3 - Y[i - 1]
        delta2 = (Theta2.T @ delta3)[1:] * sigmoidGradient(z2)
        Theta1_grad = Theta1_grad + np.outer(delta2, a1)
        Theta2_grad = Theta2_grad + np.outer(delta3, a2)

    J = J / m
    Theta1_grad = Theta1_grad / m
    Theta2_grad = Theta2_grad / m

    # Part 3: regularization (not the bias column)
    reg = (lambda_ / (2 * m)) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    J = J + reg
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]

    # Unroll gradients
    grad = np.concatenate((Theta1_grad.flatten(), Theta2_grad.flatten()))
    return J, grad
