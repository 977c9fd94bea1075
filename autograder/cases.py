"""The public cases: what each part runs, on which inputs, and how it is judged.

Coursera's submit.m inputs (translated to NumPy: MATLAB's reshape is
column-major), the handout's values on the course data, and the gradient
checks. Hidden cases (instructors only) are in hidden.py, when present.

A case is a :class:`Case`. Its ``call`` is what the student's process runs
(child.py), in the JSON form that crosses the process boundary: arrays
encoded, the course data named (``{"__course__": "X"}``); see
:func:`cost_call` and :func:`function_call`.
"""
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from . import scheme
from .isolated.wire import encode
from .texts import said


@dataclass(frozen=True)
class Expect:
    """What a case on the course data must give (the handout's figures).

    value : float, the handout's value (a cost, an accuracy in %)
    decimals : int, the decimals the value must agree to
    below : float, a bound the relative difference of a gradient check stays under
    at_least : float, the least training accuracy (%)
    """
    value: float = None
    decimals: int = None
    below: float = None
    at_least: float = None


@dataclass(frozen=True)
class Case:
    """One check of a part: a call of a student function and how it is judged.

    id : "<part>/<name>", unique
    part : the part's key (scheme.PARTS)
    label : what is checked, in words (the feedback's head line)
    check : how the values are judged: a key of checks.CHECKS ("J",
        "J_grad", "array", "handout_J", "gradient_check", "labels",
        "accuracy", "randinit", "training")
    call : what child.py runs: {"kind": "call", "module", "function", "args",
        "arg_names"}, {"kind": "randinit", "draws"} or {"kind": "train", ...}
    visibility : "public" (in the student's self-check) or "hidden"
    scored : False for a robustness note (0 points, never fails the part)
    needs : course files the case needs: "data", "weights"
    expect : the handout's figure, for the cases on the course data
    extreme : inputs extreme on purpose (an overflow warning there is a hint)
    form, fix, graded_form : of a robustness note: the other input form it
        passes, the one-line fix, and the form the graded cases pass
    own_weights : the case is on data/ex4weights.mat when that file is not
        the course's (the reference's value replaces the handout's)
    """
    id: str
    part: str
    label: str
    check: str
    call: dict
    visibility: str = "public"
    scored: bool = True
    needs: tuple = ()
    expect: Expect = field(default_factory=Expect)
    extreme: bool = False
    form: str = None
    fix: str = None
    graded_form: str = None
    own_weights: bool = False

    @property
    def hidden(self):
        return self.visibility == "hidden"

    @property
    def tag(self):
        """"[public]" or "[hidden]", as the feedback shows it."""
        return f"[{self.visibility}]"

    @property
    def module(self):
        """The student module the case calls (None for randinit, training)."""
        return self.call.get("module")

    def timing(self, fixed=None):
        """The case's time limit and size (scheme.case_timing)."""
        return scheme.case_timing(self.wire(), fixed)

    def wire(self):
        """The case as JSON-ready data, as the runner and child.py read it.

        Shallow: ``call`` (its encoded arrays) is shared, not copied; the
        runner and the child only read it."""
        found = {f.name: getattr(self, f.name) for f in fields(self)}
        return found | {"expect": asdict(self.expect)}

    def but(self, **changes):
        """A copy with some fields changed."""
        return replace(self, **changes)


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
    from checkNNGradients import debug_problem as provided      # a provided module
    return provided()


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
    """Every public case: the five graded parts', then the extra checks'."""
    return cost_function_cases() + extra_cases()


def cost_function_cases():
    """The public cases of the five graded parts (Coursera's)."""
    X, Xm, ym, t = submit_inputs()
    dp, dX, dy = debug_problem()
    op, oX, oy = other_sizes_problem()
    other = said("a 6-5-11 network (K = 11), m = 14")
    return [
        # Part 1
        Case(id="cost/submit", part="cost", check="J",
             label=said("J of nnCostFunction(t, 2, 4, 4, Xm, ym, 0), submit.m's inputs"),
             call=cost_call(t, 2, 4, 4, Xm, ym, 0.0)),
        Case(id="cost/other_sizes", part="cost", check="J",
             label=said("J on {other}, lambda = 0 (no size is 400-25-10)", other=other),
             call=cost_call(op, 6, 5, 11, oX, oy, 0.0)),
        Case(id="cost/course", part="cost", check="handout_J", needs=("data", "weights"),
             label=said("J at the course weights on the course data, lambda = 0 (handout: 0.287629)"),
             call=cost_call(COURSE["params"], 400, 25, 10, COURSE["X"], COURSE["y"], 0.0),
             expect=Expect(value=0.287629, decimals=6)),
        # Part 2
        Case(id="regularized_cost/submit", part="regularized_cost", check="J",
             label=said("J of nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5), submit.m's inputs"),
             call=cost_call(t, 2, 4, 4, Xm, ym, 1.5)),
        Case(id="regularized_cost/course", part="regularized_cost", check="handout_J",
             needs=("data", "weights"),
             label=said("J at the course weights on the course data, lambda = 1 (handout: 0.383770)"),
             call=cost_call(COURSE["params"], 400, 25, 10, COURSE["X"], COURSE["y"], 1.0),
             expect=Expect(value=0.383770, decimals=6)),
        # Part 3
        Case(id="sigmoid_gradient/submit", part="sigmoid_gradient", check="array",
             label=said("sigmoidGradient(X) of submit.m, X of shape (3, 10)"),
             call=function_call("sigmoidGradient", X, names=["z"])),
        Case(id="sigmoid_gradient/handout", part="sigmoid_gradient", check="array",
             label=said("sigmoidGradient([-1, -0.5, 0, 0.5, 1]) (handout: 0.196612 0.235004 0.25 ...)"),
             call=function_call("sigmoidGradient", np.array([-1, -0.5, 0, 0.5, 1]), names=["z"])),
        # Part 4
        Case(id="backprop/submit", part="backprop", check="J_grad",
             label=said("J and grad of nnCostFunction(t, 2, 4, 4, Xm, ym, 0), submit.m's inputs"),
             call=cost_call(t, 2, 4, 4, Xm, ym, 0.0)),
        Case(id="backprop/other_sizes", part="backprop", check="J_grad",
             label=said("J and grad on {other}, lambda = 0 (no size is 400-25-10)", other=other),
             call=cost_call(op, 6, 5, 11, oX, oy, 0.0)),
        Case(id="backprop/gradient_check", part="backprop", check="gradient_check",
             label=said("checkNNGradients(): relative difference with the numerical gradient < 1e-9"),
             call=cost_call(dp, 3, 5, 3, dX, dy, 0.0), expect=Expect(below=1e-9)),
        # Part 5
        Case(id="regularized_gradient/submit", part="regularized_gradient", check="J_grad",
             label=said("J and grad of nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5), submit.m's inputs"),
             call=cost_call(t, 2, 4, 4, Xm, ym, 1.5)),
        Case(id="regularized_gradient/other_sizes", part="regularized_gradient", check="J_grad",
             label=said("J and grad on {other}, lambda = 1.3 (no size is 400-25-10)",
                        other=other),
             call=cost_call(op, 6, 5, 11, oX, oy, 1.3)),
        Case(id="regularized_gradient/gradient_check", part="regularized_gradient",
             check="gradient_check",
             label=said("checkNNGradients(3): relative difference with the numerical gradient < 1e-9"),
             call=cost_call(dp, 3, 5, 3, dX, dy, 3.0), expect=Expect(below=1e-9)),
    ]


def extra_cases():
    """The public cases of the extra checks (0 points by default)."""
    X = submit_inputs()[0]
    return [
        Case(id="sigmoid/values", part="sigmoid", check="array",
             label=said("sigmoid of a (3, 10) array, with 0 giving 0.5"),
             call=function_call("sigmoid", np.c_[X, np.zeros(3)], names=["z"])),
        Case(id="sigmoid/large", part="sigmoid", check="array", extreme=True,
             label=said("sigmoid([-800, -40, 40, 800]): 0 and 1 at the extremes, no nan"),
             call=function_call("sigmoid", np.array([-800.0, -40, 40, 800]), names=["z"])),
        Case(id="rand_init/draws", part="rand_init", check="randinit",
             label=said("randInitializeWeights: shape, range [-0.12, 0.12] or the footnote's "
                   "sqrt(6)/sqrt(L_in + L_out), spread, "
                   "reproducible with np.random.seed"),
             call={"kind": "randinit", "draws": [[3, 400, 25], [3, 400, 25], [4, 400, 25],
                                                 [5, 25, 10], [6, 7, 3]]}),
        Case(id="predict/small", part="predict", check="labels",
             label=said("predictNeuralNetwork on a small 3-4-5 network (sin/cos weights), m = 12"),
             call=function_call("predictNeuralNetwork", *small_network(),
                                names=["Theta1", "Theta2", "X"])),
        Case(id="predict/course", part="predict", check="accuracy", needs=("data", "weights"),
             label=said("accuracy of predictNeuralNetwork with the course weights (handout: 97.52%)"),
             call=function_call("predictNeuralNetwork", names=["Theta1", "Theta2", "X"])
             | {"args": [COURSE["Theta1"], COURSE["Theta2"], COURSE["X"]]},
             expect=Expect(value=97.52)),
        Case(id="training/default_seed", part="training", check="training", needs=("data",),
             label=said("50 iterations of fmin_cg, lambda = 1, seed 0: training accuracy >= 94.3%"),
             call={"kind": "train", "seed": 0, "maxiter": 50, "lambda": 1.0},
             expect=Expect(at_least=94.3)),
    ]
