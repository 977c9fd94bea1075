# -*- coding: utf-8 -*-
import numpy as np


def randInitializeWeights(L_in, L_out):
    """Poids initiaux aléatoires dans [-0.12, 0.12], de taille (L_out, 1 + L_in)."""
    eps = 0.12
    return np.random.uniform(-eps, eps, size=(L_out, 1 + L_in))
