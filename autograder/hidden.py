"""Hidden cases (instructors only: never in the student release).

Other shapes, numbers of labels, lambdas, label dtypes and shapes than the
published inputs, so that an answer hard-coded for submit.m's inputs, or
one that only works for 10 labels, int labels or y of shape (m,), fails.
The inputs are drawn from a fixed seed: the same on every run.
"""
import numpy as np

from .cases import cost_call, function_call


def _network(rng, n, h, K, m):
    params = rng.normal(scale=0.8, size=h * (n + 1) + K * (h + 1))
    X = rng.normal(size=(m, n))
    y = np.concatenate([np.arange(1, K + 1), rng.integers(1, K + 1, size=m - K)])
    return params, X, rng.permutation(y)


def hidden_cases():
    rng = np.random.default_rng(20241127)
    a_p, a_X, a_y = _network(rng, 5, 3, 3, 7)        # K = 3, y float (m, 1)
    b_p, b_X, b_y = _network(rng, 4, 6, 6, 12)       # K = 6, y uint8 (m,)
    c_p, c_X, c_y = _network(rng, 9, 2, 11, 15)      # K = 11 > 10, y int32 (m, 1)
    a_y = a_y.astype(np.float64).reshape(-1, 1)
    b_y = b_y.astype(np.uint8)
    c_y = c_y.astype(np.int32).reshape(-1, 1)
    networks = {"a": (a_p, 5, 3, 3, a_X, a_y, "5-3-3 network, m = 7, y float of shape (m, 1)"),
                "b": (b_p, 4, 6, 6, b_X, b_y, "4-6-6 network, m = 12, y uint8 of shape (m,)"),
                "c": (c_p, 9, 2, 11, c_X, c_y, "9-2-11 network, m = 15, y int32 of shape (m, 1)")}
    cases = []
    for part, check, lambdas in (("cost", "J", (0,)), ("regularized_cost", "J", (0.7, 4)),
                                 ("backprop", "J_grad", (0,)),
                                 ("regularized_gradient", "J_grad", (2.3,))):
        for key, (p, n, h, K, X, y, words) in networks.items():
            for lam in lambdas:
                what = "J" if check == "J" else "J and grad"
                cases.append(dict(id=f"{part}/hidden_{key}_{lam}", part=part, check=check,
                                  label=f"{what}, {words}, lambda = {lam}",
                                  call=cost_call(p, n, h, K, X, y, lam)))
    z3 = rng.normal(scale=3, size=(2, 3, 4))
    cases += [
        dict(id="sigmoid_gradient/hidden_3d", part="sigmoid_gradient", check="array",
             label="sigmoidGradient of a (2, 3, 4) array",
             call=function_call("sigmoidGradient", z3, names=["z"])),
        dict(id="sigmoid_gradient/hidden_scalar", part="sigmoid_gradient", check="array",
             label="sigmoidGradient(0.0) is 0.25",
             call=function_call("sigmoidGradient", 0.0, names=["z"])),
        dict(id="sigmoid_gradient/hidden_large", part="sigmoid_gradient", check="array",
             label="sigmoidGradient([-50, 50, 700]): tiny, no nan",
             call=function_call("sigmoidGradient", np.array([-50.0, 50.0, 700.0]), names=["z"])),
        dict(id="sigmoid/hidden_3d", part="sigmoid", check="array",
             label="sigmoid of a (2, 3, 4) array",
             call=function_call("sigmoid", z3, names=["z"])),
    ]
    T1 = rng.normal(scale=2, size=(4, 7))
    T2 = rng.normal(scale=2, size=(5, 5))
    Xp = rng.normal(size=(20, 6))
    cases.append(dict(id="predict/hidden", part="predict", check="labels",
                      label="predictNeuralNetwork on a 6-4-5 network, m = 20",
                      call=function_call("predictNeuralNetwork", T1, T2, Xp,
                                         names=["Theta1", "Theta2", "X"])))
    for case in cases:
        case.update(visibility="hidden", needs=(), expect={})
    return cases
