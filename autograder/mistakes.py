"""Known mistakes, modelled: what a wrong nnCostFunction or sigmoidGradient
returns, so that the grader can name the mistake when a student's values
match one of them. Instructors only: this file never ships in the release
(the release carries the values these give on the public cases).

The right cost and gradient are computed here step by step (:class:`Steps`,
the handout's sections 3.3, 3.4, 4.3 and 4.5). A :class:`Mistake` replaces
one step by its wrong version; two mistakes together replace two steps, so
two mistakes of the same step (the bias regularised, and the rows
regularised) never combine. Adding a mistake is one entry of
:data:`COST_MISTAKES` (a small function for its step) and one realistic
submission under tests/students/.
"""
import itertools
from dataclasses import dataclass, fields, replace

import numpy as np
from scipy.special import expit

from .diagnoses import Mistake, Variant


def sigmoid_gradient(z):
    s = expit(z)
    return s * (1 - s)


def _one_hot(y, K):
    return np.eye(K)[y - 1]


def _cross_entropy(Y, a3):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(-Y * np.log(a3) - (1 - Y) * np.log(1 - a3))


def _regularise_cost(J, lambda_, m, squares):
    return J + lambda_ / (2 * m) * squares


def _regularise_gradient(G, T, lambda_, m, kept):
    kept(G)[...] += lambda_ / m * kept(T)


@dataclass(frozen=True)
class Steps:
    """The steps of nnCostFunction, each right by default.

    order : how nn_params is unrolled ("C", row-major)
    hidden_bias : the hidden layer's bias unit, a2 = [bias, g(z2)]
    one_hot : (y, K) -> Y, the labels recoded, (m, K)
    cost_sum : (Y, a3) -> the unscaled sum of the cross-entropy terms
    scale : m -> the factor of the sums over the examples (1/m)
    kept : Theta -> the weights that are regularised (without the bias column)
    regularise_cost : (J, lambda_, m, sum of squares) -> the regularised J
    hidden_gradient : z2 -> g'(z2), the factor of delta2
    regularise_gradient : (G, Theta, lambda_, m, kept) -> None, in place
    theta2_grad : Theta2_grad -> the array unrolled
    """
    order: str = "C"
    hidden_bias: float = 1.0
    one_hot: object = _one_hot
    cost_sum: object = _cross_entropy
    scale: object = lambda m: 1.0 / m
    kept: object = lambda T: T[:, 1:]
    regularise_cost: object = _regularise_cost
    hidden_gradient: object = sigmoid_gradient
    regularise_gradient: object = _regularise_gradient
    theta2_grad: object = lambda G2: G2


def _forward(params, n, h, K, X, order, hidden_bias):
    """The weights and the forward pass: (T1, T2, a1, z2, a2, a3)."""
    T1 = params[:h * (n + 1)].reshape(h, n + 1, order=order)
    T2 = params[h * (n + 1):].reshape(K, h + 1, order=order)
    m = X.shape[0]
    a1 = np.column_stack([np.ones(m), X])
    z2 = a1 @ T1.T
    a2 = np.column_stack([np.full(m, hidden_bias), expit(z2)])
    a3 = expit(a2 @ T2.T)
    return T1, T2, a1, z2, a2, a3


def cost_and_grad(params, n, h, K, X, y, lambda_, steps=Steps(), forwards=None):
    """nnCostFunction computed with ``steps``: (J, unrolled grad).

    ``forwards``: a dict that keeps the forward passes between calls on the
    same inputs: the mistakes of the later steps share the right one.
    """
    params = np.asarray(params, dtype=np.float64).ravel()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1).astype(np.int64)
    m = X.shape[0]
    key = (steps.order, steps.hidden_bias)
    forwards = {} if forwards is None else forwards
    if key not in forwards:
        forwards[key] = _forward(params, n, h, K, X, *key)
    T1, T2, a1, z2, a2, a3 = forwards[key]
    Y = steps.one_hot(y, K)
    scale = steps.scale(m)
    J = scale * steps.cost_sum(Y, a3)
    squares = np.sum(steps.kept(T1) ** 2) + np.sum(steps.kept(T2) ** 2)
    J = steps.regularise_cost(J, lambda_, m, squares)
    d3 = a3 - Y
    d2 = (d3 @ T2[:, 1:]) * steps.hidden_gradient(z2)
    G1 = scale * d2.T @ a1
    G2 = scale * d3.T @ a2
    steps.regularise_gradient(G1, T1, lambda_, m, steps.kept)
    steps.regularise_gradient(G2, T2, lambda_, m, steps.kept)
    G2 = steps.theta2_grad(G2)
    return float(J), np.concatenate([G1.ravel(order=steps.order), G2.ravel(order=steps.order)])


def _column_broadcast_sum(Y, a3):
    """y (m, 1) times log(a3[:, k]) (m,): an (m, m) array per label, summed."""
    m = Y.shape[0]
    with np.errstate(divide="ignore"):
        ones = Y.sum(axis=0)
        return float(np.sum(ones * -np.log(a3).sum(axis=0)
                            + (m - ones) * -np.log(1 - a3).sum(axis=0)))


def _raw_labels(y, K):
    return np.repeat(y[:, None].astype(float), K, axis=1)


def _zero_based_labels(y, K):               # labels read as 0..K-1: label K matches none
    return (y[:, None] == np.arange(K)).astype(float)


def _cost_over_m(J, lambda_, m, squares):
    return J + lambda_ / m * squares


def _not_regularised(J, lambda_, m, squares):
    return J


def _gradient_not_regularised(G, T, lambda_, m, kept):
    return None


def _gradient_over_2m(G, T, lambda_, m, kept):
    kept(G)[...] += lambda_ / (2 * m) * kept(T)


def _mistake(key, short, sentence, section, step, wrong):
    return key, Mistake(short, sentence, section, step, wrong)


# key -> Mistake, in the order they are tried.
COST_MISTAKES = dict([
    _mistake("regularize_bias", "bias weights regularised",
             "the bias weights are regularised: leave out the first column of Theta1 and "
             "Theta2 (Theta[:, 1:]) from the regularisation, in the cost and in the gradient",
             "3.4", "kept", lambda T: T),
    _mistake("regularize_rows", "rows regularised instead of columns",
             "the regularisation leaves out the first row, Theta[1:]: the bias weights are the "
             "first column, Theta[:, 1:]", "3.4", "kept", lambda T: T[1:]),
    _mistake("no_one_over_m", "1/m missing",
             "the 1/m factor is missing: divide the sum over the examples by m",
             "3.3", "scale", lambda m: 1.0),
    _mistake("cost_lambda_over_m", "lambda/m instead of lambda/(2m)",
             "the cost's regularisation uses lambda/m: it is lambda/(2m) times the sum of "
             "squares", "3.4", "regularise_cost", _cost_over_m),
    _mistake("no_cost_regularization", "cost not regularised",
             "the cost is not regularised: add lambda/(2m) times the sum of the squared "
             "weights (without the bias columns)", "3.4", "regularise_cost", _not_regularised),
    _mistake("no_grad_regularization", "gradient not regularised",
             "the gradient is not regularised: add (lambda/m) * Theta to the gradients, "
             "except for the first column", "4.5", "regularise_gradient",
             _gradient_not_regularised),
    _mistake("grad_lambda_over_2m", "lambda/(2m) in the gradient",
             "the gradient's regularisation uses lambda/(2m), the cost's factor: the "
             "derivative of lambda/(2m) times the sum of squares is (lambda/m) * Theta "
             "(without the first column)", "4.5", "regularise_gradient", _gradient_over_2m),
    _mistake("column_major", "column-major unrolling",
             "nn_params is unrolled column-major (order='F'): in this project Theta1 and "
             "Theta2 are reshaped and flattened in NumPy's default row-major order, "
             "nn_params[:h*(n+1)].reshape(h, n+1) and "
             "np.concatenate([Theta1.ravel(), Theta2.ravel()])", "3.2", "order", "F"),
    _mistake("sigmoid_for_gradient", "g(z) instead of g'(z)",
             "backpropagation multiplies by sigmoid(z2), g(z), where it needs the gradient "
             "g'(z) = sigmoidGradient(z2)", "4.3", "hidden_gradient", expit),
    _mistake("gradient_of_activation", "sigmoidGradient of a2 instead of z2",
             "backpropagation uses sigmoidGradient(a2), the gradient at the activations: it "
             "needs g'(z2) = sigmoidGradient(z2) (or a2 * (1 - a2), which is the same)",
             "4.3", "hidden_gradient", lambda z2: sigmoid_gradient(expit(z2))),
    _mistake("raw_labels", "labels not one-hot",
             "the labels y are used as they are: recode them as one-hot vectors first "
             "(row i of Y has a 1 in column y[i] - 1 and 0 elsewhere)", "3.3", "one_hot",
             _raw_labels),
    _mistake("zero_based_labels", "labels used as 0..K-1",
             "the labels are read as 0..K-1 (the convention of other Python ports): here they "
             "are 1..K, so label k goes to column k - 1 of Y (np.eye(K)[y - 1])", "3.3",
             "one_hot", _zero_based_labels),
    _mistake("sigmoid_of_bias", "bias unit through the sigmoid",
             "the hidden layer's bias unit goes through the sigmoid (sigmoid(1) = 0.73): add "
             "the column of ones after the sigmoid, a2 = [1, sigmoid(z2)]", "3.3",
             "hidden_bias", float(expit(1.0))),
    _mistake("column_broadcast", "(m, 1) y broadcast into (m, m)",
             "y of shape (m, 1) meets an (m,) array (such as a3[:, k]) and NumPy broadcasts "
             "them silently into an (m, m) array: keep y 1-D (y = y.ravel()), or take the "
             "columns as (m, 1) arrays (a3[:, [k]])", "3.3", "cost_sum", _column_broadcast_sum),
    _mistake("transposed_theta2_grad", "Theta2_grad transposed",
             "Theta2_grad is unrolled transposed: it must have the shape of Theta2, "
             "(K, h + 1), before np.ravel", "4.3", "theta2_grad", lambda G2: G2.T),
])
assert {m.step for m in COST_MISTAKES.values()} <= {f.name for f in fields(Steps)}

SIGMOID_GRADIENT_MISTAKES = {
    "sigmoid": Mistake("g(z) instead of g'(z)",
                       "this is g(z), the sigmoid itself: the gradient is g(z) * (1 - g(z))",
                       "4.1", wrong=expit),
    "z_times_one_minus_z": Mistake("z * (1 - z)",
                                   "this is z * (1 - z): apply the formula to g(z) = "
                                   "sigmoid(z), g(z) * (1 - g(z))", "4.1",
                                   wrong=lambda z: z * (1 - z)),
    "negated": Mistake("sign wrong",
                       "the sign is wrong: the gradient g(z) * (1 - g(z)) is never negative",
                       "4.1", wrong=lambda z: -expit(z) * (1 - expit(z))),
}


def together(a, b):
    """The diagnosis of two mistakes together."""
    return Mistake(f"{a.short} + {b.short}", f"two mistakes together: {a.sentence}; and "
                   f"{b.sentence}", a.section)


def cost_variants(n, h, K, params, X, y, lambda_):
    """key -> Variant (the mistake, its (J, grad)) for every modelled mistake."""
    forwards = {}
    return {key: Variant(m, cost_and_grad(params, n, h, K, X, y, lambda_,
                                          replace(Steps(), **{m.step: m.wrong}), forwards))
            for key, m in COST_MISTAKES.items()}


def cost_pair_variants(n, h, K, params, X, y, lambda_):
    """"a+b" -> Variant for two mistakes of different steps together."""
    out, forwards = {}, {}
    for (ka, a), (kb, b) in itertools.combinations(COST_MISTAKES.items(), 2):
        if a.step == b.step:
            continue
        steps = replace(Steps(), **{a.step: a.wrong, b.step: b.wrong})
        out[f"{ka}+{kb}"] = Variant(together(a, b),
                                    cost_and_grad(params, n, h, K, X, y, lambda_, steps,
                                                  forwards))
    return out


def sigmoid_gradient_variants(z):
    """key -> Variant for every modelled mistake of sigmoidGradient."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return {key: Variant(m, m.wrong(z)) for key, m in SIGMOID_GRADIENT_MISTAKES.items()}
