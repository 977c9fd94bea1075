"""Cost function of the neural network (feedforward + backprop)."""
import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    """Return (J, grad) for the unrolled parameters nn_params."""
    nn_params = np.asarray(nn_params, dtype=np.float64).ravel()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1).astype(np.int64)
    lambda_ = float(lambda_)
    n, h, K = int(input_layer_size), int(hidden_layer_size), int(num_labels)
    m = X.shape[0]
    if y.shape[0] != m:
        raise ValueError(f"y has {y.shape[0]} labels, X has {m} rows")

    split = h * (n + 1)
    Theta1 = nn_params[:split].reshape(h, n + 1)
    Theta2 = nn_params[split:].reshape(K, h + 1)

    # Feedforward
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = np.einsum("ij,kj->ik", a1, Theta1)
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    z3 = np.einsum("ij,kj->ik", a2, Theta2)
    a3 = sigmoid(z3)

    # One-hot labels
    Y = np.zeros((m, K))
    Y[np.arange(m), y - 1] = 1.0

    J = -np.sum(Y * np.log(a3) + (1.0 - Y) * np.log(1.0 - a3)) / m
    J += (lambda_ / (2.0 * m)) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))

    # Backpropagation
    delta3 = a3 - Y
    delta2 = np.einsum("ik,kj->ij", delta3, Theta2[:, 1:]) * sigmoidGradient(z2)
    Theta1_grad = np.einsum("ij,ik->jk", delta2, a1) / m
    Theta2_grad = np.einsum("ij,ik->jk", delta3, a2) / m

    # Regularisation (no bias column)
    Theta1_grad[:, 1:] += (lambda_ / m) * Theta1[:, 1:]
    Theta2_grad[:, 1:] += (lambda_ / m) * Theta2[:, 1:]

    grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
    return float(J), grad
