"""Known mistakes, modelled: what a wrong nnCostFunction or sigmoidGradient
returns, so that the grader can name the mistake when a student's values
match one of them. Instructors only: this file never ships in the release
(the release carries the values these give on the public cases).
"""
import numpy as np
from scipy.special import expit


def _cost_and_grad(params, n, h, K, X, y, lambda_, *, column_major=False,
                   regularize_bias=False, no_one_over_m=False, cost_lambda_over_m=False,
                   no_cost_regularization=False, no_grad_regularization=False,
                   sigmoid_for_gradient=False, raw_labels=False):
    order = "F" if column_major else "C"
    params = np.asarray(params, dtype=np.float64).ravel()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1).astype(np.int64)
    m = X.shape[0]
    T1 = params[:h * (n + 1)].reshape(h, n + 1, order=order)
    T2 = params[h * (n + 1):].reshape(K, h + 1, order=order)
    a1 = np.column_stack([np.ones(m), X])
    z2 = a1 @ T1.T
    a2 = np.column_stack([np.ones(m), expit(z2)])
    z3 = a2 @ T2.T
    a3 = expit(z3)
    if raw_labels:
        Y = np.repeat(y[:, None].astype(float), K, axis=1)
    else:
        Y = np.eye(K)[y - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -Y * np.log(a3) - (1 - Y) * np.log(1 - a3)
    scale = 1.0 if no_one_over_m else 1.0 / m
    J = scale * np.sum(terms)
    first = 0 if regularize_bias else 1
    squares = np.sum(T1[:, first:] ** 2) + np.sum(T2[:, first:] ** 2)
    if not no_cost_regularization:
        J += (lambda_ / m if cost_lambda_over_m else lambda_ / (2 * m)) * squares
    d3 = a3 - Y
    g = expit(z2) if sigmoid_for_gradient else expit(z2) * (1 - expit(z2))
    d2 = (d3 @ T2[:, 1:]) * g
    G1 = scale * d2.T @ a1
    G2 = scale * d3.T @ a2
    if not no_grad_regularization:
        G1[:, first:] += lambda_ / m * T1[:, first:]
        G2[:, first:] += lambda_ / m * T2[:, first:]
    return float(J), np.concatenate([G1.ravel(order=order), G2.ravel(order=order)])


# name -> (diagnosis shown to the student, options); the parts they apply to
COST_MISTAKES = {
    "regularize_bias": (
        "the bias weights are regularised: leave out the first column of Theta1 and "
        "Theta2 (Theta[:, 1:]) from the regularisation, in the cost and in the gradient",
        {"regularize_bias": True}),
    "no_one_over_m": (
        "the 1/m factor is missing: divide the sum over the examples by m",
        {"no_one_over_m": True}),
    "cost_lambda_over_m": (
        "the cost's regularisation uses lambda/m: it is lambda/(2m) times the sum of squares",
        {"cost_lambda_over_m": True}),
    "no_cost_regularization": (
        "the cost is not regularised: add lambda/(2m) times the sum of the squared "
        "weights (without the bias columns)",
        {"no_cost_regularization": True}),
    "no_grad_regularization": (
        "the gradient is not regularised: add (lambda/m) * Theta to the gradients, "
        "except for the first column",
        {"no_grad_regularization": True}),
    "column_major": (
        "nn_params is unrolled column-major (order='F'): in this project Theta1 and Theta2 "
        "are reshaped and flattened in NumPy's default row-major order, "
        "nn_params[:h*(n+1)].reshape(h, n+1) and np.concatenate([Theta1.ravel(), Theta2.ravel()])",
        {"column_major": True}),
    "sigmoid_for_gradient": (
        "backpropagation multiplies by sigmoid(z2), g(z), where it needs the gradient "
        "g'(z) = sigmoidGradient(z2)",
        {"sigmoid_for_gradient": True}),
    "raw_labels": (
        "the labels y are used as they are: recode them as one-hot vectors first "
        "(row i of Y has a 1 in column y[i] - 1 and 0 elsewhere)",
        {"raw_labels": True}),
}

SIGMOID_GRADIENT_MISTAKES = {
    "sigmoid": ("this is g(z), the sigmoid itself: the gradient is g(z) * (1 - g(z))",
                lambda z: expit(z)),
    "z_times_one_minus_z": ("this is z * (1 - z): apply the formula to g(z) = sigmoid(z), "
                            "g(z) * (1 - g(z))", lambda z: z * (1 - z)),
    "negated": ("the sign is wrong: the gradient g(z) * (1 - g(z)) is never negative",
                lambda z: -expit(z) * (1 - expit(z))),
}


def cost_variants(n, h, K, params, X, y, lambda_):
    """name -> (diagnosis, (J, grad)) for every modelled mistake."""
    return {name: (text, _cost_and_grad(params, n, h, K, X, y, lambda_, **opts))
            for name, (text, opts) in COST_MISTAKES.items()}


def sigmoid_gradient_variants(z):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return {name: (text, f(z)) for name, (text, f) in SIGMOID_GRADIENT_MISTAKES.items()}
