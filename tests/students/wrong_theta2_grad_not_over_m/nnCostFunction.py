# -*- coding: utf-8 -*-
"""Coût et gradient du réseau de neurones à deux couches."""
import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    # on remet les paramètres en forme de matrices
    n1 = hidden_layer_size * (input_layer_size + 1)
    Theta1 = nn_params[:n1].reshape(hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[n1:].reshape(num_labels, hidden_layer_size + 1)
    m = X.shape[0]

    # propagation avant
    a1 = np.c_[np.ones(m), X]
    z2 = a1 @ Theta1.T
    a2 = np.c_[np.ones(m), sigmoid(z2)]
    z3 = a2 @ Theta2.T
    a3 = sigmoid(z3)

    # étiquettes en "one-hot" : la ligne i a un 1 dans la colonne y[i] - 1
    Y = np.eye(num_labels)[y - 1]

    # coût non régularisé
    J = np.sum(-Y * np.log(a3) - (1 - Y) * np.log(1 - a3)) / m
    # régularisation (sans la colonne du biais)
    J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # rétropropagation
    d3 = a3 - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoidGradient(z2)
    Delta1 = d2.T @ a1
    Delta2 = d3.T @ a2

    Theta1_grad = Delta1 / m
    Theta2_grad = Delta2
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return J, grad
