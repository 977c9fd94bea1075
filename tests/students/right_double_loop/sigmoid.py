import math
import numpy as np


def sigmoid(z):
    # fonction logistique, élément par élément ; tanh évite le débordement
    # de exp : 1 / (1 + exp(-z)) = (1 + tanh(z / 2)) / 2
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
