"""Known mistakes, modelled: what a wrong nnCostFunction or sigmoidGradient
returns, so that the grader can name the mistake when a student's values
match one of them. Instructors only: this file never ships in the release
(the release carries the values these give on the public cases).

Each mistake has a short name (a few words, CaseResult.diagnosis, what the
class report counts) and a sentence that says what to change.
"""
import itertools

import numpy as np
from scipy.special import expit


def _sg(z):
    s = expit(z)
    return s * (1 - s)


def _cost_and_grad(params, n, h, K, X, y, lambda_, *, column_major=False,
                   regularize_bias=False, no_one_over_m=False, cost_lambda_over_m=False,
                   no_cost_regularization=False, no_grad_regularization=False,
                   sigmoid_for_gradient=False, raw_labels=False, zero_based_labels=False,
                   gradient_of_activation=False, transposed_theta2_grad=False,
                   regularize_rows=False, sigmoid_of_bias=False, column_broadcast=False):
    order = "F" if column_major else "C"
    params = np.asarray(params, dtype=np.float64).ravel()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1).astype(np.int64)
    m = X.shape[0]
    T1 = params[:h * (n + 1)].reshape(h, n + 1, order=order)
    T2 = params[h * (n + 1):].reshape(K, h + 1, order=order)
    a1 = np.column_stack([np.ones(m), X])
    z2 = a1 @ T1.T
    bias = expit(1.0) if sigmoid_of_bias else 1.0      # sigmoid([1, z2]): the bias unit squashed
    a2 = np.column_stack([np.full(m, bias), expit(z2)])
    z3 = a2 @ T2.T
    a3 = expit(z3)
    if raw_labels:
        Y = np.repeat(y[:, None].astype(float), K, axis=1)
    elif zero_based_labels:                              # labels read as 0..K-1: label K matches none
        Y = (y[:, None] == np.arange(K)).astype(float)
    else:
        Y = np.eye(K)[y - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -Y * np.log(a3) - (1 - Y) * np.log(1 - a3)
    scale = 1.0 if no_one_over_m else 1.0 / m

    def kept(T):                                         # the weights that are regularised
        if regularize_bias:
            return T
        return T[1:] if regularize_rows else T[:, 1:]

    if column_broadcast:    # y (m, 1) times log(a3[:, k]) (m,): an (m, m) array per label
        with np.errstate(divide="ignore"):
            ones = Y.sum(axis=0)
            J = scale * float(np.sum(ones * -np.log(a3).sum(axis=0)
                                     + (m - ones) * -np.log(1 - a3).sum(axis=0)))
    else:
        J = scale * np.sum(terms)
    squares = np.sum(kept(T1) ** 2) + np.sum(kept(T2) ** 2)
    if not no_cost_regularization:
        J += (lambda_ / m if cost_lambda_over_m else lambda_ / (2 * m)) * squares
    d3 = a3 - Y
    if sigmoid_for_gradient:
        g = expit(z2)
    elif gradient_of_activation:                         # sigmoidGradient(a2), not of z2
        g = _sg(expit(z2))
    else:
        g = _sg(z2)
    d2 = (d3 @ T2[:, 1:]) * g
    G1 = scale * d2.T @ a1
    G2 = scale * d3.T @ a2
    if not no_grad_regularization:
        kept(G1)[...] += lambda_ / m * kept(T1)
        kept(G2)[...] += lambda_ / m * kept(T2)
    if transposed_theta2_grad:
        G2 = G2.T
    return float(J), np.concatenate([G1.ravel(order=order), G2.ravel(order=order)])


# name -> (short name, sentence shown to the student, options)
COST_MISTAKES = {
    "regularize_bias": (
        "bias weights regularised",
        "the bias weights are regularised: leave out the first column of Theta1 and "
        "Theta2 (Theta[:, 1:]) from the regularisation, in the cost and in the gradient",
        {"regularize_bias": True}),
    "regularize_rows": (
        "rows regularised instead of columns",
        "the regularisation leaves out the first row, Theta[1:]: the bias weights are the "
        "first column, Theta[:, 1:]",
        {"regularize_rows": True}),
    "no_one_over_m": (
        "1/m missing",
        "the 1/m factor is missing: divide the sum over the examples by m",
        {"no_one_over_m": True}),
    "cost_lambda_over_m": (
        "lambda/m instead of lambda/(2m)",
        "the cost's regularisation uses lambda/m: it is lambda/(2m) times the sum of squares",
        {"cost_lambda_over_m": True}),
    "no_cost_regularization": (
        "cost not regularised",
        "the cost is not regularised: add lambda/(2m) times the sum of the squared "
        "weights (without the bias columns)",
        {"no_cost_regularization": True}),
    "no_grad_regularization": (
        "gradient not regularised",
        "the gradient is not regularised: add (lambda/m) * Theta to the gradients, "
        "except for the first column",
        {"no_grad_regularization": True}),
    "column_major": (
        "column-major unrolling",
        "nn_params is unrolled column-major (order='F'): in this project Theta1 and Theta2 "
        "are reshaped and flattened in NumPy's default row-major order, "
        "nn_params[:h*(n+1)].reshape(h, n+1) and np.concatenate([Theta1.ravel(), Theta2.ravel()])",
        {"column_major": True}),
    "sigmoid_for_gradient": (
        "g(z) instead of g'(z)",
        "backpropagation multiplies by sigmoid(z2), g(z), where it needs the gradient "
        "g'(z) = sigmoidGradient(z2)",
        {"sigmoid_for_gradient": True}),
    "gradient_of_activation": (
        "sigmoidGradient of a2 instead of z2",
        "backpropagation uses sigmoidGradient(a2), the gradient at the activations: it "
        "needs g'(z2) = sigmoidGradient(z2) (or a2 * (1 - a2), which is the same)",
        {"gradient_of_activation": True}),
    "raw_labels": (
        "labels not one-hot",
        "the labels y are used as they are: recode them as one-hot vectors first "
        "(row i of Y has a 1 in column y[i] - 1 and 0 elsewhere)",
        {"raw_labels": True}),
    "zero_based_labels": (
        "labels used as 0..K-1",
        "the labels are read as 0..K-1 (the convention of other Python ports): here they "
        "are 1..K, so label k goes to column k - 1 of Y (np.eye(K)[y - 1])",
        {"zero_based_labels": True}),
    "sigmoid_of_bias": (
        "bias unit through the sigmoid",
        "the hidden layer's bias unit goes through the sigmoid (sigmoid(1) = 0.73): add the "
        "column of ones after the sigmoid, a2 = [1, sigmoid(z2)]",
        {"sigmoid_of_bias": True}),
    "column_broadcast": (
        "(m, 1) y broadcast into (m, m)",
        "y of shape (m, 1) meets an (m,) array (such as a3[:, k]) and NumPy broadcasts them "
        "silently into an (m, m) array: keep y 1-D (y = y.ravel()), or take the columns as "
        "(m, 1) arrays (a3[:, [k]])",
        {"column_broadcast": True}),
    "transposed_theta2_grad": (
        "Theta2_grad transposed",
        "Theta2_grad is unrolled transposed: it must have the shape of Theta2, (K, h + 1), "
        "before np.ravel",
        {"transposed_theta2_grad": True}),
}

# Pairs that cannot happen together (one undoes or contains the other).
_EXCLUSIVE = [{"no_cost_regularization", "cost_lambda_over_m"}, {"regularize_bias", "regularize_rows"},
              {"raw_labels", "zero_based_labels"}, {"sigmoid_for_gradient", "gradient_of_activation"}]

SIGMOID_GRADIENT_MISTAKES = {
    "sigmoid": ("g(z) instead of g'(z)",
                "this is g(z), the sigmoid itself: the gradient is g(z) * (1 - g(z))",
                lambda z: expit(z)),
    "z_times_one_minus_z": ("z * (1 - z)",
                            "this is z * (1 - z): apply the formula to g(z) = sigmoid(z), "
                            "g(z) * (1 - g(z))", lambda z: z * (1 - z)),
    "negated": ("sign wrong",
                "the sign is wrong: the gradient g(z) * (1 - g(z)) is never negative",
                lambda z: -expit(z) * (1 - expit(z))),
}


def cost_variants(n, h, K, params, X, y, lambda_):
    """name -> (short, sentence, (J, grad)) for every modelled mistake."""
    return {name: (short, text, _cost_and_grad(params, n, h, K, X, y, lambda_, **opts))
            for name, (short, text, opts) in COST_MISTAKES.items()}


def cost_pair_variants(n, h, K, params, X, y, lambda_):
    """"a+b" -> (short, sentence, (J, grad)) for two mistakes together."""
    out = {}
    for a, b in itertools.combinations(COST_MISTAKES, 2):
        if {a, b} in _EXCLUSIVE:
            continue
        sa, ta, oa = COST_MISTAKES[a]
        sb, tb, ob = COST_MISTAKES[b]
        out[f"{a}+{b}"] = (f"{sa} + {sb}", f"two mistakes together: {ta}; and {tb}",
                           _cost_and_grad(params, n, h, K, X, y, lambda_, **oa, **ob))
    return out


def sigmoid_gradient_variants(z):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return {name: (short, text, f(z))
                for name, (short, text, f) in SIGMOID_GRADIENT_MISTAKES.items()}
