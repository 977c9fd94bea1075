import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    # On reconstruit Theta1 et Theta2 à partir du vecteur nn_params
    taille1 = hidden_layer_size * (input_layer_size + 1)
    Theta1 = np.reshape(nn_params[0:taille1], (hidden_layer_size, input_layer_size + 1))
    Theta2 = np.reshape(nn_params[taille1:], (num_labels, hidden_layer_size + 1))

    m = X.shape[0]
    J = 0.0
    Theta1_grad = np.zeros(Theta1.shape)
    Theta2_grad = np.zeros(Theta2.shape)

    for i in range(m):
        # propagation avant pour l'exemple i
        a1 = np.hstack(([1.0], X[i]))
        z2 = np.dot(Theta1, a1)
        a2 = np.hstack(([1.0], sigmoid(z2)))
        z3 = np.dot(Theta2, a2)
        a3 = sigmoid(z3)

        # coût : somme sur les K classes
        yk = np.zeros(num_labels)
        for k in range(num_labels):
            if y[i] == k + 1:
                yk[k] = 1.0
            J = J - yk[k] * np.log(a3[k]) - (1.0 - yk[k]) * np.log(1.0 - a3[k])

        # rétropropagation
        delta3 = a3 - yk
        delta2 = np.dot(Theta2[:, 1:].T, delta3) * sigmoidGradient(z2)
        Theta2_grad = Theta2_grad + np.outer(delta3, a2)
        Theta1_grad = Theta1_grad + np.outer(delta2, a1)

    J = J / m
    # régularisation : on ne régularise pas la première colonne (biais)
    J = J + (lambda_ / (2.0 * m)) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    Theta1_grad = Theta1_grad / m
    Theta2_grad = Theta2_grad / m
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]

    grad = np.concatenate((Theta1_grad.flatten(), Theta2_grad.flatten()))
    return J, grad
