"""Hidden cases (instructors only: never in the student release).

Scored cases pass what ex4.py passes: X float64 (m, n), y int64 of shape
(m,) with labels 1..K, nn_params a float64 1-D array, lambda_ a float, and
arrays to sigmoid and sigmoidGradient (a 0-d array for a scalar). They vary
what defeats hard-coding: the layer sizes, K (3, 6, 11), m, lambda and the
weights, so that an answer written for submit.m's inputs or for 10 labels
fails.

Robustness cases (``scored`` False, 0 points) pass other forms that ex4.py
never passes (y float or of shape (m, 1), uint8 labels, Python scalars):
when they fail, the feedback gives a note with the one-line fix, and the
part keeps its points. The inputs are drawn from a fixed seed: the same on
every run.
"""
import numpy as np

from .cases import Case, cost_call, function_call
from .texts import composed, said

Y_FIX = "y = np.asarray(y).ravel().astype(int)"
Z_FIX = said("z = np.asarray(z, dtype=float) at the top of the function")
Y_GRADED = said("y as int64 labels of shape (m,)")
Z_GRADED = said("z as a float64 array (a 0-d array for a scalar)")


def _network(rng, n, h, K, m):
    params = rng.normal(scale=0.8, size=h * (n + 1) + K * (h + 1))
    X = rng.normal(size=(m, n))
    y = np.concatenate([np.arange(1, K + 1), rng.integers(1, K + 1, size=m - K)])
    return params, X, rng.permutation(y).astype(np.int64)


def hidden_cases():
    """Every hidden case; the inputs come from one fixed seed, drawn in this order."""
    rng = np.random.default_rng(20241127)
    cases = cost_function_cases(rng) + elementwise_cases(rng) + [prediction_case(rng)]
    return [case.but(visibility="hidden") for case in cases]


def cost_function_cases(rng):
    """nnCostFunction on three networks of other sizes and K, and its robustness notes."""
    networks = {"a": (*_network(rng, 5, 3, 3, 7), said("5-3-3 network (K = 3), m = 7")),
                "b": (*_network(rng, 4, 6, 6, 12), said("4-6-6 network (K = 6), m = 12")),
                "c": (*_network(rng, 9, 2, 11, 15), said("9-2-11 network (K = 11), m = 15"))}
    sizes = {"a": (5, 3, 3), "b": (4, 6, 6), "c": (9, 2, 11)}
    cases = []
    for part, check, lambdas in (("cost", "J", (0,)), ("regularized_cost", "J", (0.7, 4)),
                                 ("backprop", "J_grad", (0,)),
                                 ("regularized_gradient", "J_grad", (2.3,))):
        for key, (p, X, y, words) in networks.items():
            n, h, K = sizes[key]
            for lam in lambdas:
                what = "J" if check == "J" else said("J and grad")
                cases.append(Case(id=f"{part}/hidden_{key}_{lam}", part=part, check=check,
                                  label=composed("{what}, {words}, lambda = {lam}", what=what,
                                                 words=words, lam=f"{float(lam):g}"),
                                  call=cost_call(p, n, h, K, X, y, float(lam))))
    # Robustness notes (0 points): other forms of y than ex4.py's int64 (m,).
    p, X, y, words = networks["a"]
    for part, check in (("cost", "J"), ("backprop", "J_grad")):
        cases.append(Case(id=f"{part}/note_y_float_column", part=part, check=check,
                          scored=False, form=said("y float64 of shape (m, 1)"), fix=Y_FIX, graded_form=Y_GRADED,
                          label=said("{what}, {words}, lambda = 0, y float64 of shape (m, 1)",
                                     what="J" if check == "J" else said("J and grad"),
                                     words=words),
                          call=cost_call(p, 5, 3, 3, X, y.astype(np.float64).reshape(-1, 1), 0.0)))
    cases.append(Case(id="cost/note_y_int_column", part="cost", check="J", scored=False,
                      form=said("y int64 of shape (m, 1)"), fix=Y_FIX, graded_form=Y_GRADED,
                      label=said("J, {words}, lambda = 0, y int64 of shape (m, 1)", words=words),
                      call=cost_call(p, 5, 3, 3, X, y.reshape(-1, 1), 0.0)))
    p, X, y, words = networks["b"]
    cases.append(Case(id="cost/note_y_uint8", part="cost", check="J", scored=False,
                      form=said("y uint8 (as scipy.io.loadmat gives it)"), fix=Y_FIX,
                      graded_form=Y_GRADED,
                      label=said("J, {words}, lambda = 0, y uint8 of shape (m,)", words=words),
                      call=cost_call(p, 4, 6, 6, X, y.astype(np.uint8), 0.0)))
    return cases


def elementwise_cases(rng):
    """sigmoid and sigmoidGradient on arrays of any shape, extremes, and a Python float."""
    z3 = rng.normal(scale=3, size=(2, 3, 4))
    return [
        Case(id="sigmoid_gradient/hidden_3d", part="sigmoid_gradient", check="array",
             label=said("sigmoidGradient of a (2, 3, 4) array"),
             call=function_call("sigmoidGradient", z3, names=["z"])),
        Case(id="sigmoid_gradient/hidden_scalar", part="sigmoid_gradient", check="array",
             label=said("sigmoidGradient(np.array(0.0)), a 0-d array: 0.25"),
             call=function_call("sigmoidGradient", np.array(0.0), names=["z"])),
        Case(id="sigmoid_gradient/hidden_large", part="sigmoid_gradient", check="array", extreme=True,
             label=said("sigmoidGradient([-50, 50, 700]): tiny, no nan"),
             call=function_call("sigmoidGradient", np.array([-50.0, 50.0, 700.0]), names=["z"])),
        Case(id="sigmoid_gradient/note_python_float", part="sigmoid_gradient", check="array",
             scored=False, form=said("a Python float, sigmoidGradient(0.0)"), fix=Z_FIX, graded_form=Z_GRADED,
             label=said("sigmoidGradient(0.0), a Python float: 0.25"),
             call=function_call("sigmoidGradient", 0.0, names=["z"])),
        Case(id="sigmoid/hidden_3d", part="sigmoid", check="array",
             label=said("sigmoid of a (2, 3, 4) array"),
             call=function_call("sigmoid", z3, names=["z"])),
        Case(id="sigmoid/note_python_float", part="sigmoid", check="array",
             scored=False, form=said("a Python float, sigmoid(0.0)"), fix=Z_FIX, graded_form=Z_GRADED,
             label=said("sigmoid(0.0), a Python float: 0.5"),
             call=function_call("sigmoid", 0.0, names=["z"])),
    ]


def prediction_case(rng):
    """predictNeuralNetwork on a 6-4-5 network."""
    T1 = rng.normal(scale=2, size=(4, 7))
    T2 = rng.normal(scale=2, size=(5, 5))
    Xp = rng.normal(size=(20, 6))
    return Case(id="predict/hidden", part="predict", check="labels",
                label=said("predictNeuralNetwork on a 6-4-5 network (K = 5), m = 20"),
                call=function_call("predictNeuralNetwork", T1, T2, Xp,
                                   names=["Theta1", "Theta2", "X"]))
