"""Deliberately wrong (and a few right) submissions, with what the grader
must make of them (tests/test_grading.py grades each one through
``python -m autograder grade``).

A submission is the reference solution of the repository root with text
edits, whole files replaced or left out, or files taken from the student
release (stubbed). ``expected`` maps the parts graded (only those are
graded, with ``--parts``, unless it names every part) to the score a graded
part must get, or to "passed" / "failed" for an extra check (0 points).
``status`` names the parts that must not be graded normally ("timeout",
"crashed", "missing files"); ``feedback`` maps a part to the texts its
visible feedback must show (the diagnosis of the mistake...).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder import scheme
from commands import ROOT
from autograder.mistakes import COST_MISTAKES, SIGMOID_GRADIENT_MISTAKES
from autograder.release import stub_source

ALL_PARTS = {p.key: (p.points if p.graded else "passed") for p in scheme.PARTS}


def cost_mistake(name):
    """The sentence the feedback shows for a modelled mistake."""
    return COST_MISTAKES[name].sentence


def at_line(file, code):
    """The feedback's "at FILE, line N: CODE", whatever N."""
    return re.compile(re.escape(f"at {file}, line ") + r"\d+: " + re.escape(code))


@dataclass(frozen=True)
class Submission:
    expected: dict
    edits: dict = field(default_factory=dict)      # file -> [(old, new)]: old found exactly once
    files: dict = field(default_factory=dict)      # file -> its whole text, or None: left out
                                                   # (other names: helper modules handed in)
    stub: tuple = ()                               # files of the release, before the edits
    feedback: dict = field(default_factory=dict)   # part -> texts the feedback must show
    status: dict = field(default_factory=dict)     # part -> "timeout" / "crashed" / ...
    timeout: float = None                          # the --timeout of the grading


# --- the two fillings of the release's nnCostFunction stub ---------------------
# Vectorised, otherwise than the reference: np.column_stack, log(a3),
# a one-hot Y from a comparison, sigmoidGradient of a1 @ Theta1.T.

STUB_COST = ('raise NotImplementedError("nnCostFunction is not implemented yet: '
             'complete nnCostFunction.py")')
VECTORISED_COST = """a1 = np.column_stack([np.ones(m), X])
    a2 = np.column_stack([np.ones(m), sigmoid(a1 @ Theta1.T)])
    a3 = sigmoid(a2 @ Theta2.T)
    Y = (y[:, None] == np.arange(1, K + 1)).astype(float)
    J = -np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3)) / m
    J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))"""
STUB_GRAD = "Theta1_grad = np.zeros_like(Theta1)\n    Theta2_grad = np.zeros_like(Theta2)"
VECTORISED_DELTA2 = "delta2 = (delta3 @ Theta2)[:, 1:] * sigmoidGradient(a1 @ Theta1.T)"
VECTORISED_BACKPROP = f"""delta3 = a3 - Y
    {VECTORISED_DELTA2}
    Theta1_grad = delta2.T @ a1 / m
    Theta2_grad = delta3.T @ a2 / m"""
VECTORISED_GRAD = VECTORISED_BACKPROP + """
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]"""

# The handout's teaching form: one example at a time, a plain Python loop.
LOOP_NN_COST_FUNCTION = '''"""nnCostFunction, one example at a time (the handout's loop)."""
import numpy as np

from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size,
                   num_labels, X, y, lambda_):
    n, h, K = input_layer_size, hidden_layer_size, num_labels
    Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)
    Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)
    m = X.shape[0]
    y = np.asarray(y).ravel().astype(int)

    J = 0.0
    Theta1_grad = np.zeros(Theta1.shape)
    Theta2_grad = np.zeros(Theta2.shape)
    for t in range(m):
        # Feedforward
        a1 = np.concatenate([[1.0], X[t]])
        z2 = Theta1 @ a1
        a2 = np.concatenate([[1.0], sigmoid(z2)])
        z3 = Theta2 @ a2
        a3 = sigmoid(z3)
        yk = np.zeros(K)
        yk[y[t] - 1] = 1
        J += np.sum(-yk * np.log(a3) - (1 - yk) * np.log(1 - a3))
        # Backpropagation
        delta3 = a3 - yk
        delta2 = (Theta2.T @ delta3)[1:] * sigmoidGradient(z2)
        Theta1_grad += np.outer(delta2, a1)
        Theta2_grad += np.outer(delta3, a2)

    J = J / m + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    Theta1_grad = Theta1_grad / m
    Theta2_grad = Theta2_grad / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    return J, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
'''

# A whole file as students write it, without any input handling: right for
# what ex4.py passes (y int64 of shape (m,)); the cost picks each example's
# output of its label, a3[np.arange(m), y - 1], which broadcasts into (m, m)
# for y of shape (m, 1).
PICK_NN_COST_FUNCTION = '''import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    m = X.shape[0]
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = a1 @ Theta1.T
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    a3 = sigmoid(a2 @ Theta2.T)
    p = a3[np.arange(m), y - 1]
    J = -(np.sum(np.log(p)) + np.sum(np.log(1 - a3)) - np.sum(np.log(1 - p))) / m
    J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    Y = np.zeros((m, num_labels))
    Y[np.arange(m), y - 1] = 1
    d3 = a3 - Y
    d2 = (d3 @ Theta2)[:, 1:] * sigmoidGradient(z2)
    Theta1_grad = d2.T @ a1 / m
    Theta2_grad = d3.T @ a2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    return J, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
'''

# Lines of the reference that the edits change.
J_LINE = "J = (np.sum(softplus) - np.sum(Y * z3)) / m"
J_REG = "J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))"
Z2_LINE = "    z2 = (Theta1[:, 1:] @ X.T).T + Theta1[:, 0]"
DELTA2 = "delta2 = (delta3 @ Theta2[:, 1:]) * (a2 * (1 - a2))"
SG_LINE = "    s = sigmoid(z)"
SIGMOID_LINE = "g = 1.0 / (1.0 + np.exp(-z))"
# No public case fails, every hidden one does (shown with its description
# before the due date, not its values).
ONLY_HIDDEN_FAIL = re.compile(r"\A(?![\s\S]*FAIL \[public\])(?![\s\S]*obtained J = 0\.0)"
                              r"[\s\S]*FAIL \[hidden\] J, 5-3-3 network \(K = 3\), m = 7"
                              r"[\s\S]*hidden cases: 0 of \d+ passed")
COST_PARTS = ("cost", "regularized_cost", "backprop", "regularized_gradient")


def nn_only(score, **others):
    """The four parts of nnCostFunction at one score, others as given."""
    return dict.fromkeys(COST_PARTS, score) | others


SUBMISSIONS = {
    # --- right ones -----------------------------------------------------------
    "reference": Submission(expected=ALL_PARTS),              # graded at the root
    # The per-example loop solution is graded on every part, training
    # included, with both cores busy: tests/test_budget.py.
    "vectorised_solution": Submission(
        expected=ALL_PARTS, stub=("nnCostFunction.py",),
        edits={"nnCostFunction.py": [(STUB_COST, VECTORISED_COST),
                                     (STUB_GRAD, VECTORISED_GRAD)]}),
    "J_as_1x1_array": Submission(
        expected={"cost": 30, "backprop": 40},
        edits={"nnCostFunction.py": [("return float(J), grad", "return np.array([[J]]), grad")]},
        feedback={"cost": "note: J is an array of shape (1, 1)"}),
    # --- nothing done, or nothing that runs -----------------------------------------
    "release_stub": Submission(
        expected={k: 0 if v != "passed" else "failed" for k, v in ALL_PARTS.items()},
        stub=scheme.STUDENT_FILES,
        feedback={"cost": "nnCostFunction is not implemented yet",
                  "sigmoid_gradient": "sigmoidGradient is not implemented yet",
                  "sigmoid": "sigmoid is not implemented yet"}),
    "cost_only": Submission(   # the release with the cost written, backprop not yet
        expected=dict(nn_only(0), cost=30, regularized_cost=15), stub=("nnCostFunction.py",),
        edits={"nnCostFunction.py": [(STUB_COST, VECTORISED_COST)]},
        feedback={"backprop": "backpropagation is not implemented yet"}),
    "syntax_error": Submission(
        expected=ALL_PARTS | nn_only(0, training="failed"),
        edits={"nnCostFunction.py": [("    a2 = sigmoid(z2)\n", "    a2 = sigmoid(z2\n")]},
        feedback={"cost": ("your code raised SyntaxError", "nnCostFunction.py")}),
    "missing_files": Submission(
        expected=dict(nn_only(0), sigmoid_gradient=5, sigmoid="passed", rand_init="failed",
                      predict="failed", training="failed"),
        files={"nnCostFunction.py": None, "randInitializeWeights.py": None,
               "predictNeuralNetwork.py": None},
        status=dict.fromkeys(COST_PARTS + ("rand_init", "predict", "training"), "missing files"),
        feedback={"cost": "missing file: nnCostFunction.py (0 for this part)",
                  "rand_init": "missing file: randInitializeWeights.py"}),
    # --- the known mistakes ------------------------------------------------------------
    "bias_regularised": Submission(
        expected=dict(cost=30, regularized_cost=0, backprop=40, regularized_gradient=0),
        edits={"nnCostFunction.py": [
            (J_REG, "J += lambda_ / (2 * m) * (np.sum(Theta1 ** 2) + np.sum(Theta2 ** 2))"),
            ("Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]",
             "Theta1_grad += lambda_ / m * Theta1"),
            ("Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]",
             "Theta2_grad += lambda_ / m * Theta2")]},
        feedback=dict.fromkeys(("regularized_cost", "regularized_gradient"),
                               cost_mistake("regularize_bias"))),
    "no_one_over_m": Submission(
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [
            (J_LINE, J_LINE.replace(" / m", "")),
            ("Theta1_grad[:, 0] = delta2.sum(axis=0) / m", "Theta1_grad[:, 0] = delta2.sum(axis=0)"),
            ("Theta1_grad[:, 1:] = delta2.T @ X / m", "Theta1_grad[:, 1:] = delta2.T @ X"),
            ("Theta2_grad[:, 0] = delta3.sum(axis=0) / m", "Theta2_grad[:, 0] = delta3.sum(axis=0)"),
            ("Theta2_grad[:, 1:] = delta3.T @ a2 / m", "Theta2_grad[:, 1:] = delta3.T @ a2")]},
        feedback=dict.fromkeys(("cost", "backprop"), cost_mistake("no_one_over_m"))),
    "cost_lambda_over_m": Submission(
        expected=dict(cost=30, regularized_cost=0, regularized_gradient=0),
        edits={"nnCostFunction.py": [(J_REG, J_REG.replace("(2 * m)", "m"))]},
        feedback={"regularized_cost": cost_mistake("cost_lambda_over_m")}),
    "column_major": Submission(
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [
            ("reshape(h, n + 1)\n", 'reshape(h, n + 1, order="F")\n'),
            ("reshape(K, h + 1)\n", 'reshape(K, h + 1, order="F")\n'),
            ("[np.ravel(Theta1_grad), np.ravel(Theta2_grad)]",
             '[np.ravel(Theta1_grad, order="F"), np.ravel(Theta2_grad, order="F")]')]},
        feedback=dict.fromkeys(("cost", "backprop"), cost_mistake("column_major"))),
    "sigmoid_in_backprop": Submission(     # the training fails too: it follows the gradient
        expected=dict(cost=30, backprop=0, regularized_gradient=0, training="failed"),
        edits={"nnCostFunction.py": [(DELTA2, DELTA2.replace("(a2 * (1 - a2))", "sigmoid(z2)"))]},
        feedback={**dict.fromkeys(("backprop", "regularized_gradient"),
                                  cost_mistake("sigmoid_for_gradient")),
                  "training": "likely cause: the training follows your nnCostFunction's "
                              "gradient, and Neural Network Gradient (Backpropagation) and "
                              "Regularized Gradient fail: fix backpropagation first"}),
    "sigmoid_as_gradient": Submission(
        expected=dict(sigmoid_gradient=0, backprop=40),
        edits={"sigmoidGradient.py": [("g = s * (1.0 - s)", "g = s")]},
        feedback={"sigmoid_gradient": SIGMOID_GRADIENT_MISTAKES["sigmoid"].sentence}),
    "bias_delta_kept": Submission(
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [(DELTA2, "delta2 = (delta3 @ Theta2) * sigmoidGradient("
                                              "np.column_stack([np.ones(m), z2]))")]},
        feedback={"backprop": (
            "your code raised ValueError: could not broadcast",
            at_line("nnCostFunction.py", "Theta1_grad[:, 0] = delta2.sum(axis=0) / m"),
            "the delta of the bias unit is not removed")}),
    "bias_delta_kept_vectorised": Submission(   # before the regularisation: grad too long
        expected={"backprop": 0}, stub=("nnCostFunction.py",),
        edits={"nnCostFunction.py": [
            (STUB_COST, VECTORISED_COST),
            (STUB_GRAD, VECTORISED_BACKPROP.replace(VECTORISED_DELTA2, (
                "delta2 = (delta3 @ Theta2) * sigmoidGradient("
                "np.column_stack([np.ones(m), a1 @ Theta1.T]))")))]},
        feedback={"backprop": ("grad must have shape (32,), found shape (35,)",
                               "the delta of the bias unit is not removed")}),
    "raw_labels": Submission(
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [("Y = np.eye(K)[y - 1]", "Y = y.reshape(-1, 1)")]},
        feedback=dict.fromkeys(("cost", "backprop"), cost_mistake("raw_labels"))),
    "predict_0_based": Submission(
        expected={"predict": "failed"},
        edits={"predictNeuralNetwork.py": [("np.argmax(a3, axis=1) + 1", "np.argmax(a3, axis=1)")]},
        feedback={"predict": "the labels are 0-based"}),
    "default_rng": Submission(
        expected={"rand_init": "failed"},
        edits={"randInitializeWeights.py": [(
            "W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init",
            "W = np.random.default_rng().uniform(-epsilon_init, epsilon_init, (L_out, 1 + L_in))")]},
        feedback={"rand_init": "do not come from np.random's global generator"}),
    "nan_sigmoid": Submission(      # exp(z) / (1 + exp(z)): inf / inf for z = 800
        expected={"sigmoid": "failed", "sigmoid_gradient": 5},
        edits={"sigmoid.py": [(SIGMOID_LINE, "g = np.exp(z) / (1 + np.exp(z))")]},
        feedback={"sigmoid": "the result holds nan"}),
    "hard_coded": Submission(       # every published value, the public 6-5-11 case's too
        expected=dict(cost=0, regularized_cost=0),
        edits={"nnCostFunction.py": [(J_REG, J_REG + "\n    J = {(16, 0): 3.08745, (16, 1.5): "
                                      "3.64704, (14, 0): 7.648676, (5000, 0): 0.287629, "
                                      "(5000, 1): 0.383770}.get((m, lambda_), 0.0)")]},
        feedback=dict.fromkeys(("cost", "regularized_cost"), ONLY_HIDDEN_FAIL)),
    "hard_coded_submit_only": Submission(   # submit.m's values: the self-check fails it too
        expected=dict(cost=0),
        edits={"nnCostFunction.py": [(J_REG, J_REG + "\n    J = {(16, 0): 3.08745, (16, 1.5): "
                                      "3.64704, (5000, 0): 0.287629, (5000, 1): 0.383770}"
                                      ".get((m, lambda_), 0.0)")]},
        feedback={"cost": "FAIL [public] J on a 6-5-11 network (K = 11), m = 14"}),
    # --- code that misbehaves ----------------------------------------------------------
    "hang": Submission(
        expected={"cost": 0, "sigmoid_gradient": 5}, status={"cost": "timeout"}, timeout=3,
        edits={"nnCostFunction.py": [(Z2_LINE, "    while True:\n        pass\n" + Z2_LINE)]},
        feedback={"cost": "timed out: nnCostFunction did not return within 3 s"}),
    "sys_exit": Submission(
        expected={"sigmoid_gradient": 0, "sigmoid": "passed"},
        edits={"sigmoidGradient.py": [(SG_LINE, "    import sys\n    sys.exit(0)\n" + SG_LINE)]},
        feedback={"sigmoid_gradient": ("your code raised SystemExit: the code called sys.exit(0)",
                                       at_line("sigmoidGradient.py", "sys.exit(0)"))}),
    "os_exit": Submission(
        expected={"cost": 0, "sigmoid_gradient": 5}, status={"cost": "crashed"},
        edits={"nnCostFunction.py": [(Z2_LINE, "    import os\n    os._exit(3)\n" + Z2_LINE)]},
        feedback={"cost": "stopped abruptly (exit code 3"}),
    "print_flood": Submission(      # 2.1 MB a call: about 10 MB in all
        expected={"sigmoid_gradient": 5},
        edits={"sigmoidGradient.py": [(SG_LINE, '    print("debug: " * 300_000)\n' + SG_LINE)]},
        feedback={"sigmoid_gradient": re.compile(r"Your code printed \d{8} bytes, the first ones:")}),
    "input_mutation": Submission(   # the loop solution with 0-based labels, y -= 1: right values
        expected={"cost": 30, "regularized_cost": 15},
        files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION},
        edits={"nnCostFunction.py": [
            ("y = np.asarray(y).ravel().astype(int)", "y = np.asarray(y).ravel()\n    y -= 1"),
            ("yk[y[t] - 1] = 1", "yk[int(y[t])] = 1")]},
        feedback=dict.fromkeys(("cost", "regularized_cost"), (
            "your function changed its input y in place (",
            "The values returned are right, so the part keeps its points",
            "y = y - 1 (or .copy()) makes a new array"))),
    "sigmoid_in_place": Submission(     # exp(-z, out=z): the argument overwritten, values right
        expected={"sigmoid": "passed", "sigmoid_gradient": 5},
        edits={"sigmoid.py": [(SIGMOID_LINE, "np.exp(-z, out=z)\n        z += 1\n        g = 1 / z")]},
        feedback=dict.fromkeys(("sigmoid", "sigmoid_gradient"), (
            "your function changed its input z in place", "np.exp(-z, out=z)"))),
    # --- mistakes of real student code ------------------------------------------------
    "zero_based_labels": Submission(    # another Python port's convention: labels 0..K-1
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [("Y = np.eye(K)[y - 1]",
                                      "Y = (y[:, None] == np.arange(K)).astype(float)")]},
        feedback=dict.fromkeys(("cost", "backprop"), (
            cost_mistake("zero_based_labels"), re.compile(r"labels used as 0\.\.K-1|likely "
                                                          r"mistake: the labels are read as 0")))),
    "gradient_of_activation": Submission(   # sigmoidGradient(a2), bias unit included
        expected=dict(cost=30, backprop=0, regularized_gradient=0),
        files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION},
        edits={"nnCostFunction.py": [(
            "delta2 = (Theta2.T @ delta3)[1:] * sigmoidGradient(z2)",
            "delta2 = ((Theta2.T @ delta3) * sigmoidGradient(a2))[1:]")]},
        feedback=dict.fromkeys(("backprop", "regularized_gradient"),
                               cost_mistake("gradient_of_activation"))),
    "transposed_theta2_grad": Submission(
        expected=dict(cost=30, backprop=0, regularized_gradient=0),
        edits={"nnCostFunction.py": [("[np.ravel(Theta1_grad), np.ravel(Theta2_grad)]",
                                      "[np.ravel(Theta1_grad), np.ravel(Theta2_grad.T)]")]},
        feedback=dict.fromkeys(("backprop", "regularized_gradient"),
                               cost_mistake("transposed_theta2_grad"))),
    "regularised_rows": Submission(     # Theta[1:] instead of Theta[:, 1:]
        expected=dict(cost=30, regularized_cost=0, backprop=40, regularized_gradient=0),
        edits={"nnCostFunction.py": [
            (J_REG, "J += lambda_ / (2 * m) * (np.sum(Theta1[1:] ** 2) + np.sum(Theta2[1:] ** 2))"),
            ("Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]",
             "Theta1_grad[1:] += lambda_ / m * Theta1[1:]"),
            ("Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]",
             "Theta2_grad[1:] += lambda_ / m * Theta2[1:]")]},
        feedback=dict.fromkeys(("regularized_cost", "regularized_gradient"),
                               cost_mistake("regularize_rows"))),
    "sigmoid_of_bias": Submission(      # a2 = sigmoid([1, z2])
        expected=dict(cost=0, backprop=0),
        files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION},
        edits={"nnCostFunction.py": [("a2 = np.concatenate([[1.0], sigmoid(z2)])",
                                      "a2 = sigmoid(np.concatenate([[1.0], z2]))")]},
        feedback=dict.fromkeys(("cost", "backprop"), cost_mistake("sigmoid_of_bias"))),
    "hard_coded_sizes": Submission(     # 400-25-10 written in: fails on the public 6-5-11 case too
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [
            ("Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)",
             "Theta1 = nn_params[:25 * 401].reshape(25, 401)"),
            ("Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)",
             "Theta2 = nn_params[25 * 401:].reshape(10, 26)")]},
        feedback=dict.fromkeys(("cost", "backprop"), (
            "cannot reshape array of size 32 into shape (25,401)",
            "the layer sizes are hard-coded (400-25-10?)"))),
    "hard_coded_ten_labels": Submission(    # np.zeros(10) where K labels are needed
        expected=dict(cost=0, backprop=0),
        files={"nnCostFunction.py": LOOP_NN_COST_FUNCTION},
        edits={"nnCostFunction.py": [("yk = np.zeros(K)", "yk = np.zeros(10)")]},
        feedback=dict.fromkeys(("cost", "backprop"), (
            "the number of labels is hard-coded; use num_labels",
            re.compile(r"\A(?![\s\S]*use y - 1 as an index)")))),
    "sigmoid_gradient_dot": Submission(     # .dot instead of * in sigmoidGradient
        expected=dict(sigmoid_gradient=0, backprop=40),
        edits={"sigmoidGradient.py": [("g = s * (1.0 - s)", "g = s.dot(1.0 - s)")]},
        feedback={"sigmoid_gradient": "`.dot` and `@` are the matrix product"}),
    "sigmoid_gradient_2d_only": Submission(  # two nested loops over z.shape[0], z.shape[1]
        expected=dict(sigmoid_gradient=0),
        edits={"sigmoidGradient.py": [("    s = sigmoid(z)\n    g = s * (1.0 - s)", (
            "    g = np.zeros(z.shape)\n"
            "    for i in range(z.shape[0]):\n"
            "        for j in range(z.shape[1]):\n"
            "            s = sigmoid(z[i, j])\n"
            "            g[i, j] = s * (1 - s)"))]},
        feedback={"sigmoid_gradient": "your function assumes a 2-D z"}),
    "two_mistakes": Submission(     # column-major unrolling and 1/m missing: no single model
        expected=dict(cost=0, backprop=0),
        edits={"nnCostFunction.py": [
            ("reshape(h, n + 1)\n", 'reshape(h, n + 1, order="F")\n'),
            ("reshape(K, h + 1)\n", 'reshape(K, h + 1, order="F")\n'),
            (J_LINE, J_LINE.replace(" / m", ""))]},
        feedback={"cost": ("two mistakes together: ", cost_mistake("column_major"),
                           cost_mistake("no_one_over_m"))}),
    "grad_column": Submission(      # grad of shape (n, 1): the training stops in trainNeuralNetwork.py
        expected={"backprop": 40, "training": "failed"},
        edits={"nnCostFunction.py": [("return float(J), grad", "return float(J), grad.reshape(-1, 1)")]},
        feedback={"backprop": "fmin_cg in trainNeuralNetwork.py stops with an error on it",
                  "training": "a provided file that you did not write"}),
    "column_major_training": Submission(    # consistent column-major: low cost, chance accuracy
        expected={"training": "failed"},
        edits={"nnCostFunction.py": [
            ("reshape(h, n + 1)\n", 'reshape(h, n + 1, order="F")\n'),
            ("reshape(K, h + 1)\n", 'reshape(K, h + 1, order="F")\n'),
            ("[np.ravel(Theta1_grad), np.ravel(Theta2_grad)]",
             '[np.ravel(Theta1_grad, order="F"), np.ravel(Theta2_grad, order="F")]')]},
        feedback={"training": "a low cost with chance accuracy"}),
    "nn_params_view_edited": Submission(    # bias columns zeroed in a reshaped view: values right
        expected=dict(cost=30, regularized_cost=15, backprop=40, regularized_gradient=10),
        edits={"nnCostFunction.py": [(J_REG, (
            "T1, T2 = Theta1, Theta2\n    T1[:, 0] = 0\n    T2[:, 0] = 0\n"
            "    J += lambda_ / (2 * m) * (np.sum(T1 ** 2) + np.sum(T2 ** 2))"))]},
        feedback=dict.fromkeys(COST_PARTS, (
            "your function changed its input nn_params in place",
            "a reshape is a view of nn_params: copy before editing it"))),
    "y_column_broadcast": Submission(   # right for y (m,); y (m, 1) broadcasts into (m, m)
        expected=dict(cost=30, backprop=40), files={"nnCostFunction.py": PICK_NN_COST_FUNCTION},
        feedback={"cost": ("note (0 points, robustness)", "y int64 of shape (m, 1)",
                           "broadcasts silently into an (m, m) array",
                           "y float64 of shape (m, 1) (your code raised IndexError",
                           "y = np.asarray(y).ravel().astype(int)")}),
    "y_reshaped_column": Submission(    # the student's own y.reshape(m, 1): J over (m, m) arrays
        expected=dict(cost=0, backprop=0), files={"nnCostFunction.py": PICK_NN_COST_FUNCTION},
        edits={"nnCostFunction.py": [
            ("    p = a3[np.arange(m), y - 1]\n"
             "    J = -(np.sum(np.log(p)) + np.sum(np.log(1 - a3)) - np.sum(np.log(1 - p))) / m\n",
             "    y = y.reshape(m, 1)\n    J = 0\n    for k in range(num_labels):\n"
             "        yk = (y == k + 1).astype(float)\n"
             "        J += np.sum(-yk * np.log(a3[:, k]) - (1 - yk) * np.log(1 - a3[:, k])) / m\n"),
            ("Y[np.arange(m), y - 1] = 1", "Y[np.arange(m), y.ravel() - 1] = 1")]},
        feedback=dict.fromkeys(("cost", "backprop"), cost_mistake("column_broadcast"))),
    "python_float_note": Submission(   # the template's np.zeros(z.shape), without np.asarray
        expected=dict(sigmoid_gradient=5),
        edits={"sigmoidGradient.py": [("    z = np.asarray(z, dtype=np.float64)\n", ""),
                                      ("    s = sigmoid(z)\n    g = s * (1.0 - s)",
                                       "    g = np.zeros(z.shape)\n    g = sigmoid(z) * (1 - sigmoid(z))")]},
        feedback={"sigmoid_gradient": ("note (0 points, robustness)",
                                       "z = np.asarray(z, dtype=float)")}),
    "footnote_epsilon": Submission(     # epsilon_init = sqrt(6) / sqrt(L_in + L_out)
        expected={"rand_init": "passed", "training": "passed"},
        edits={"randInitializeWeights.py": [(
            "W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init",
            "epsilon_init = np.sqrt(6) / np.sqrt(L_in + L_out)\n"
            "    W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init")]}),
    "sigmoid_warns": Submission(   # no errstate: sigmoid(-800) warns, the values are right
        expected={"sigmoid": "passed", "sigmoid_gradient": 5},
        edits={"sigmoid.py": [('    with np.errstate(over="ignore"):          '
                               '# exp(-z) = inf: g = 1 / inf = 0\n        g = 1.0',
                               "    if True:\n        g = 1.0")]},
        feedback={"sigmoid": ("hint: your sigmoid warns on overflow for large |z| (sigmoid.py, line",
                              re.compile(r"\A(?![\s\S]*Your code printed)(?![\s\S]*/tmp/)"))}),
    "helper_module": Submission(    # predict imports the student's own helper and nnCostFunction
        expected={"predict": "passed", "cost": 30},
        files={"feedforward.py": ("import numpy as np\nfrom sigmoid import sigmoid\n\n\n"
                                  "def forward(Theta1, Theta2, X):\n"
                                  "    m = X.shape[0]\n"
                                  "    a2 = sigmoid(np.column_stack([np.ones(m), X]) @ Theta1.T)\n"
                                  "    return sigmoid(np.column_stack([np.ones(m), a2]) @ Theta2.T)\n")},
        edits={"predictNeuralNetwork.py": [
            ("from sigmoid import sigmoid\n", "from sigmoid import sigmoid\nfrom feedforward "
             "import forward\nfrom nnCostFunction import nnCostFunction  # noqa: F401\n"),
            ("a3 = sigmoid(np.column_stack([np.ones(m), a2]) @ Theta2.T)",
             "a3 = forward(Theta1, Theta2, X)")]}),
}


def _apply(text, edits, name):
    for old, new in edits:
        count = text.count(old)
        assert count == 1, (f"{name}: {old!r} found {count} times (exactly once expected): "
                            "the reference changed, update tests/submissions.py")
        text = text.replace(old, new)
    return text


def write_submission(name, folder):
    """Write submission ``name``'s five files to ``folder``; returns it."""
    sub = SUBMISSIONS[name]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for file in scheme.STUDENT_FILES:
        text = (ROOT / file).read_text()
        if file in sub.stub:
            text = stub_source(text, file)
        text = sub.files.get(file, text)
        if text is None:
            continue
        (folder / file).write_text(_apply(text, sub.edits.get(file, ()), f"{name}/{file}"))
    for file, text in sub.files.items():             # helper modules handed in beside them
        if file not in scheme.STUDENT_FILES and text is not None:
            (folder / file).write_text(text)
    assert set(sub.edits) <= set(scheme.STUDENT_FILES), f"{name}: edits of other files"
    return folder


def graded_parts(name):
    """The --parts of the grading: None (all of them) when it names every part."""
    keys = list(SUBMISSIONS[name].expected)
    return None if set(keys) == set(ALL_PARTS) else keys
