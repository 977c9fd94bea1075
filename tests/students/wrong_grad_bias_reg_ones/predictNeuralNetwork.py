# -*- coding: utf-8 -*-
import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    """Prédit l'étiquette (1..K) de chaque ligne de X."""
    m = X.shape[0]
    # couche cachée
    a2 = sigmoid(np.c_[np.ones(m), X] @ Theta1.T)
    # couche de sortie
    a3 = sigmoid(np.c_[np.ones(m), a2] @ Theta2.T)
    # +1 car les étiquettes commencent à 1
    return a3.argmax(axis=1) + 1
