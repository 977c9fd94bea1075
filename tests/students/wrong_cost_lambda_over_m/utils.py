# utils.py -- small helpers for ex4
import numpy as np


def add_bias(A):
    m = A.shape[0]
    return np.concatenate([np.ones((m, 1)), A], axis=1)


def one_hot(y, K):
    # y has labels 1..K
    y = np.asarray(y).reshape(-1)
    return (y[:, np.newaxis] == np.arange(1, K + 1)).astype(np.float64)


def roll(nn_params, n, h, K):
    T1 = nn_params[:h * (n + 1)].reshape((h, n + 1))
    T2 = nn_params[h * (n + 1):].reshape((K, h + 1))
    return T1, T2


def unroll(*mats):
    return np.hstack([M.reshape(-1) for M in mats])
