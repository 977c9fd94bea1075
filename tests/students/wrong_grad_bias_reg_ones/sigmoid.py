# -*- coding: utf-8 -*-
"""Fonction sigmoïde (exercice 4)."""
from scipy.special import expit


def sigmoid(z):
    # expit calcule 1 / (1 + exp(-z)) sans débordement
    return expit(z)
