# -*- coding: utf-8 -*-
from sigmoid import sigmoid


def sigmoidGradient(z):
    """Dérivée de la sigmoïde : g'(z) = g(z) (1 - g(z))."""
    s = sigmoid(z)
    return s * (1 - s)
