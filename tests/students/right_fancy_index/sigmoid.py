import numpy as np


def sigmoid(z):
    # 1 / (1 + e^-z), written with exp(-|z|) so that it never overflows
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
