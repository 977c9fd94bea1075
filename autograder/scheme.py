"""The grading scheme: parts, names, points, in one place.

The five parts and their points are Coursera's (submit.m of ex4): 100 in
all. The extra checks give feedback on the other functions; their points
are 0 by default, so the default total stays Coursera's 100. Change the
points here and nowhere else.
"""
from dataclasses import dataclass

from .texts import said


@dataclass(frozen=True)
class Part:
    key: str          # short identifier, used on the command line and in JSON
    name: str         # exactly as in Coursera's submit.m
    points: int
    files: tuple      # the student's files this part runs
    graded: bool      # False: an extra check (feedback, points below)


PARTS = (
    Part("cost", said("Feedforward and Cost Function"), 30,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("regularized_cost", said("Regularized Cost Function"), 15,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("sigmoid_gradient", said("Sigmoid Gradient"), 5,
         ("sigmoidGradient.py", "sigmoid.py"), True),
    Part("backprop", said("Neural Network Gradient (Backpropagation)"), 40,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("regularized_gradient", said("Regularized Gradient"), 10,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    # Extra checks: feedback only by default (0 points).
    Part("sigmoid", said("Sigmoid"), 0, ("sigmoid.py",), False),
    Part("rand_init", said("Random Initialization"), 0, ("randInitializeWeights.py",), False),
    Part("predict", said("Prediction"), 0, ("predictNeuralNetwork.py", "sigmoid.py"), False),
    Part("training", said("Training (50 iterations of fmin_cg)"), 0,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py",
          "randInitializeWeights.py"), False),
)

# The files a student writes; the other modules come from the project.
STUDENT_FILES = ("sigmoid.py", "sigmoidGradient.py", "randInitializeWeights.py",
                 "predictNeuralNetwork.py", "nnCostFunction.py")
PROVIDED_FILES = ("computeNumericalGradient.py", "checkNNGradients.py",
                  "debugInitializeWeights.py", "displayData.py",
                  "trainNeuralNetwork.py", "ex4data.py", "ex4helpers.py", "ex4i18n.py")

# Tolerance of the comparisons: submit.m prints 5 decimals.
ABS_TOL = 1e-5
REL_TOL = 1e-5

# --- Time limits (seconds) -------------------------------------------------------
# Each case gets a limit that fits its size, far above what the per-example
# loop form of nnCostFunction (the handout's teaching form, the slowest
# right solution we expect) needs. Measured on the 2-core machine of this
# project (bench/bench_budget.py): one evaluation on the 5000 examples takes
# 0.23 s idle and 0.7 s with both cores busy; 50 iterations of fmin_cg
# (113 evaluations) take 26 s idle and 40 to 75 s with both cores busy. A
# case on a small problem (m <= 20) needs milliseconds.
CASE_SECONDS = 5                 # every case; a small problem gets this
SECONDS_PER_EXAMPLE = 0.008      # + this per example: 45 s for the 5000 examples
TRAINING_EVALUATIONS_PER_ITERATION = 2.4   # fmin_cg: 113 evaluations in 50 iterations
SECONDS_PER_EXAMPLE_EVALUATION = 0.0004    # training: 5 + 120 x 5000 x 0.0004 = 245 s
IMPORT_SECONDS = 30              # importing the student's modules of a part
# The whole grading of one submission (--budget). Once a function has not
# returned within its case's limit, the later cases that call it on a
# problem as large or larger are not run (reported "not run"), so that a
# submission whose functions all hang is reported in well under a minute.
DEFAULT_BUDGET = 300

# The grader's own waits (isolation.py, follow.py, the supervisor in isolated/):
EXIT_SECONDS = 5                 # a part's process that wrote every record exits within this
BACKSTOP_SECONDS = 30            # a supervisor still busy this long after the budget is killed
SANDBOX_PROBE_SECONDS = 30       # starting a first sandbox, to see whether bubblewrap works here


def _examples(arg):
    """The number of examples (rows) of an encoded X; 5000 for the course data."""
    if isinstance(arg, dict) and "__course__" in arg:
        return 5000
    shape = arg.get("shape") if isinstance(arg, dict) else None
    return int(shape[0]) if shape else 1


def _values(arg):
    shape = arg.get("shape") if isinstance(arg, dict) else None
    count = 1
    for d in shape or ():
        count *= int(d)
    return count


def case_timing(case, fixed=None):
    """How long a case may run and what it is, for the time limits:
    {"limit": seconds, "size": how large its problem is (compared between
    cases of the same function), "functions": the student's functions it
    calls, "blame": the function held to have hung when it times out,
    "what": its problem in words}. ``fixed`` (--timeout) replaces the limit.
    """
    call = case["call"]
    if call["kind"] == "train":
        m = 5000
        evaluations = round(TRAINING_EVALUATIONS_PER_ITERATION * call["maxiter"])
        limit = CASE_SECONDS + SECONDS_PER_EXAMPLE_EVALUATION * m * evaluations
        timing = {"limit": limit, "size": m * evaluations,
                  "functions": ["nnCostFunction", "randInitializeWeights"], "blame": [],
                  "who": said("the training"),
                  "what": said("{n} iterations of fmin_cg on the {m} examples",
                               n=str(call["maxiter"]), m=str(m))}
    elif call["kind"] == "randinit":
        timing = {"limit": CASE_SECONDS, "size": 1, "functions": ["randInitializeWeights"],
                  "what": said("{n} draws of weights", n=str(len(call["draws"])))}
    elif call["module"] in ("nnCostFunction", "predictNeuralNetwork"):
        X = call["args"][4] if call["module"] == "nnCostFunction" else call["args"][2]
        m = _examples(X)
        timing = {"limit": CASE_SECONDS + SECONDS_PER_EXAMPLE * m, "size": m,
                  "functions": [call["module"]],
                  "what": said("a {m}-example problem", m=str(m)) if m != 1
                  else said("a 1-example problem")}
    else:                                          # elementwise: sigmoid, sigmoidGradient
        n = _values(call["args"][0]) if call["args"] else 1
        timing = {"limit": CASE_SECONDS, "size": n, "functions": [call["module"]],
                  "what": said("an array of {n} values", n=str(n)) if n != 1
                  else said("a single value")}
    timing.setdefault("blame", list(timing["functions"]))
    timing.setdefault("who", timing["functions"][0])
    timing["limit"] = float(fixed) if fixed else float(round(timing["limit"]))
    return timing


def part(key):
    """The Part with this key."""
    for p in PARTS:
        if p.key == key:
            return p
    raise KeyError(f"no part {key!r}; parts: {', '.join(p.key for p in PARTS)}")


def max_total():
    return sum(p.points for p in PARTS)
