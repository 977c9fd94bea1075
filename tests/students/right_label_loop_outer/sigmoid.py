import numpy as np
import warnings


def sigmoid(z):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-z))
