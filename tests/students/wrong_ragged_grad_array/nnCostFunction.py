import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    # Theta1 and Theta2 from the unrolled parameters
    Theta1 = np.reshape(nn_params[:hidden_layer_size * (input_layer_size + 1)],
                        (hidden_layer_size, input_layer_size + 1))
    Theta2 = np.reshape(nn_params[hidden_layer_size * (input_layer_size + 1):],
                        (num_labels, hidden_layer_size + 1))

    m = X.shape[0]
    J = 0
    Delta1 = np.zeros(Theta1.shape)
    Delta2 = np.zeros(Theta2.shape)

    for t in range(m):
        # feedforward pass for example t
        a1 = np.hstack((1, X[t]))
        z2 = np.dot(Theta1, a1)
        a2 = np.hstack((1, sigmoid(z2)))
        z3 = np.dot(Theta2, a2)
        a3 = sigmoid(z3)

        yk = np.zeros(num_labels)
        yk[y[t] - 1] = 1
        J += np.sum(-yk * np.log(a3) - (1 - yk) * np.log(1 - a3))

        # backpropagation for example t
        d3 = a3 - yk
        d2 = np.dot(Theta2[:, 1:].T, d3) * sigmoidGradient(z2)
        Delta1 += np.outer(d2, a1)
        Delta2 += np.outer(d3, a2)

    J = J / m + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    Theta1_grad = Delta1 / m
    Theta2_grad = Delta2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    # unroll the gradients
    grad = np.hstack(np.array([Theta1_grad.flatten(), Theta2_grad.flatten()]))
    return J, grad
