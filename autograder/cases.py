"""The public cases: what each part runs, on which inputs.

Coursera's submit.m inputs (translated to NumPy: MATLAB's reshape is
column-major), the handout's values on the course data, and the gradient
checks. Hidden cases (instructors only) are in hidden.py, when present.

A case is a dict:
    id          unique, "<part>/<name>"
    part        the part's key (scheme.py)
    label       what is checked, in words
    visibility  "public" or "hidden"
    call        what child.py runs: {"kind": "call", "module", "function",
                "args", "arg_names"}, {"kind": "randinit", "draws"} or
                {"kind": "train", ...}; array arguments encoded, course data
                as {"__course__": "X" | "y" | "params"}
    check       how the grader compares: "J", "J_grad", "array", "handout_J",
                "gradient_check", "randinit", "labels", "accuracy", "training"
    needs       "data", "weights": course files the case needs
    expect      for handout values: {"value": ..., "decimals": ...} etc.
"""
import numpy as np

from .child import encode


def unroll(*thetas):
    return np.concatenate([np.ravel(t) for t in thetas])


def submit_inputs():
    """Coursera's submit.m inputs for ex4, in NumPy."""
    X = (3 * np.sin(np.arange(1, 31))).reshape(3, 10, order="F")
    Xm = np.sin(np.arange(1, 33)).reshape(16, 2, order="F") / 5
    ym = 1 + np.arange(1, 17) % 4
    t1 = np.sin(np.arange(1, 25, 2).reshape(4, 3, order="F"))
    t2 = np.cos(np.arange(1, 41, 2).reshape(4, 5, order="F"))
    return X, Xm, ym, unroll(t1, t2)


def other_sizes_problem():
    """A public problem with other sizes than 400-25-10 and K = 11 > 10:
    6 inputs, 5 hidden units, 11 labels, m = 14 (fixed values)."""
    n, h, K, m = 6, 5, 11, 14
    size = h * (n + 1) + K * (h + 1)
    params = np.sin(np.arange(1, size + 1)) * 0.9
    X = np.cos(np.arange(1, m * n + 1)).reshape(m, n) * 2
    y = 1 + (np.arange(m) * 4) % K                       # every label 1..11 appears
    return params, X, y.astype(np.int64)


def debug_problem():
    """checkNNGradients' small problem: 3 inputs, 5 hidden units, 3 labels, m = 5."""
    from debugInitializeWeights import debugInitializeWeights     # a provided module
    params = unroll(debugInitializeWeights(5, 3), debugInitializeWeights(3, 5))
    X = debugInitializeWeights(5, 2)
    y = 1 + np.arange(1, 6) % 3
    return params, X, y


def small_network():
    """A fixed 3-4-5 network and 12 examples whose predictions vary (labels 1, 2
    and 5): the prediction's public case without the course files."""
    Theta1 = 2 * np.sin(np.arange(1, 17)).reshape(4, 4, order="F")
    Theta2 = 2 * np.cos(np.arange(1, 26)).reshape(5, 5, order="F")
    X = 3 * np.sin(np.arange(1, 37)).reshape(12, 3, order="F")
    return Theta1, Theta2, X


COST_ARGS = ("nn_params", "input_layer_size", "hidden_layer_size", "num_labels",
             "X", "y", "lambda_")


def cost_call(params, n, h, K, X, y, lambda_):
    """A call of nnCostFunction; arrays encoded, course data by name."""
    def arg(a):
        return a if isinstance(a, dict) else encode(a)
    return {"kind": "call", "module": "nnCostFunction", "function": "nnCostFunction",
            "args": [arg(params), n, h, K, arg(X), arg(y), lambda_],
            "arg_names": list(COST_ARGS)}


def function_call(module, *args, names=None):
    return {"kind": "call", "module": module, "function": module,
            "args": [encode(a) if isinstance(a, np.ndarray) else a for a in args],
            "arg_names": list(names or [f"argument {i + 1}" for i in range(len(args))])}


COURSE = {name: {"__course__": name} for name in ("X", "y", "params", "Theta1", "Theta2")}


def public_cases():
    X, Xm, ym, t = submit_inputs()
    dp, dX, dy = debug_problem()
    op, oX, oy = other_sizes_problem()
    other = "a 6-5-11 network (K = 11), m = 14"
    cases = [
        # Part 1
        dict(id="cost/submit", part="cost", check="J",
             label="J of nnCostFunction(t, 2, 4, 4, Xm, ym, 0), submit.m's inputs",
             call=cost_call(t, 2, 4, 4, Xm, ym, 0.0)),
        dict(id="cost/other_sizes", part="cost", check="J",
             label=f"J on {other}, lambda = 0 (no size is 400-25-10)",
             call=cost_call(op, 6, 5, 11, oX, oy, 0.0)),
        dict(id="cost/course", part="cost", check="handout_J", needs=("data", "weights"),
             label="J at the course weights on the course data, lambda = 0 (handout: 0.287629)",
             call=cost_call(COURSE["params"], 400, 25, 10, COURSE["X"], COURSE["y"], 0.0),
             expect={"value": 0.287629, "decimals": 6}),
        # Part 2
        dict(id="regularized_cost/submit", part="regularized_cost", check="J",
             label="J of nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5), submit.m's inputs",
             call=cost_call(t, 2, 4, 4, Xm, ym, 1.5)),
        dict(id="regularized_cost/course", part="regularized_cost", check="handout_J",
             needs=("data", "weights"),
             label="J at the course weights on the course data, lambda = 1 (handout: 0.383770)",
             call=cost_call(COURSE["params"], 400, 25, 10, COURSE["X"], COURSE["y"], 1.0),
             expect={"value": 0.383770, "decimals": 6}),
        # Part 3
        dict(id="sigmoid_gradient/submit", part="sigmoid_gradient", check="array",
             label="sigmoidGradient(X) of submit.m, X of shape (3, 10)",
             call=function_call("sigmoidGradient", X, names=["z"])),
        dict(id="sigmoid_gradient/handout", part="sigmoid_gradient", check="array",
             label="sigmoidGradient([-1, -0.5, 0, 0.5, 1]) (handout: 0.196612 0.235004 0.25 ...)",
             call=function_call("sigmoidGradient", np.array([-1, -0.5, 0, 0.5, 1]), names=["z"])),
        # Part 4
        dict(id="backprop/submit", part="backprop", check="J_grad",
             label="J and grad of nnCostFunction(t, 2, 4, 4, Xm, ym, 0), submit.m's inputs",
             call=cost_call(t, 2, 4, 4, Xm, ym, 0.0)),
        dict(id="backprop/other_sizes", part="backprop", check="J_grad",
             label=f"J and grad on {other}, lambda = 0 (no size is 400-25-10)",
             call=cost_call(op, 6, 5, 11, oX, oy, 0.0)),
        dict(id="backprop/gradient_check", part="backprop", check="gradient_check",
             label="checkNNGradients(): relative difference with the numerical gradient < 1e-9",
             call=cost_call(dp, 3, 5, 3, dX, dy, 0.0), expect={"below": 1e-9}),
        # Part 5
        dict(id="regularized_gradient/submit", part="regularized_gradient", check="J_grad",
             label="J and grad of nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5), submit.m's inputs",
             call=cost_call(t, 2, 4, 4, Xm, ym, 1.5)),
        dict(id="regularized_gradient/other_sizes", part="regularized_gradient", check="J_grad",
             label=f"J and grad on {other}, lambda = 1.3 (no size is 400-25-10)",
             call=cost_call(op, 6, 5, 11, oX, oy, 1.3)),
        dict(id="regularized_gradient/gradient_check", part="regularized_gradient",
             check="gradient_check",
             label="checkNNGradients(3): relative difference with the numerical gradient < 1e-9",
             call=cost_call(dp, 3, 5, 3, dX, dy, 3.0), expect={"below": 1e-9}),
        # Extra checks
        dict(id="sigmoid/values", part="sigmoid", check="array",
             label="sigmoid of a (3, 10) array, with 0 giving 0.5",
             call=function_call("sigmoid", np.c_[X, np.zeros(3)], names=["z"])),
        dict(id="sigmoid/large", part="sigmoid", check="array", extreme=True,
             label="sigmoid([-800, -40, 40, 800]): 0 and 1 at the extremes, no nan",
             call=function_call("sigmoid", np.array([-800.0, -40, 40, 800]), names=["z"])),
        dict(id="rand_init/draws", part="rand_init", check="randinit",
             label="randInitializeWeights: shape, range [-0.12, 0.12] or the footnote's "
                   "sqrt(6)/sqrt(L_in + L_out), spread, "
                   "reproducible with np.random.seed",
             call={"kind": "randinit", "draws": [[3, 400, 25], [3, 400, 25], [4, 400, 25],
                                                 [5, 25, 10], [6, 7, 3]]}),
        dict(id="predict/small", part="predict", check="labels",
             label="predictNeuralNetwork on a small 3-4-5 network (sin/cos weights), m = 12",
             call=function_call("predictNeuralNetwork", *small_network(),
                                names=["Theta1", "Theta2", "X"])),
        dict(id="predict/course", part="predict", check="accuracy", needs=("data", "weights"),
             label="accuracy of predictNeuralNetwork with the course weights (handout: 97.52%)",
             call=function_call("predictNeuralNetwork", names=["Theta1", "Theta2", "X"])
             | {"args": [COURSE["Theta1"], COURSE["Theta2"], COURSE["X"]]},
             expect={"value": 97.52}),
        dict(id="training/default_seed", part="training", check="training", needs=("data",),
             label="50 iterations of fmin_cg, lambda = 1, seed 0: training accuracy >= 94.3%",
             call={"kind": "train", "seed": 0, "maxiter": 50, "lambda": 1.0},
             expect={"at_least": 94.3}),
    ]
    for case in cases:
        case.setdefault("scored", True)
        case.setdefault("visibility", "public")
        case.setdefault("needs", ())
        case.setdefault("expect", {})
    return cases
