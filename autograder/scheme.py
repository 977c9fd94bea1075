"""The grading scheme: parts, names, points, in one place.

The five parts and their points are Coursera's (submit.m of ex4): 100 in
all. The extra checks give feedback on the other functions; their points
are 0 by default, so the default total stays Coursera's 100. Change the
points here and nowhere else.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str          # short identifier, used on the command line and in JSON
    name: str         # exactly as in Coursera's submit.m
    points: int
    files: tuple      # the student's files this part runs
    graded: bool      # False: an extra check (feedback, points below)


PARTS = (
    Part("cost", "Feedforward and Cost Function", 30,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("regularized_cost", "Regularized Cost Function", 15,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("sigmoid_gradient", "Sigmoid Gradient", 5,
         ("sigmoidGradient.py", "sigmoid.py"), True),
    Part("backprop", "Neural Network Gradient (Backpropagation)", 40,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    Part("regularized_gradient", "Regularized Gradient", 10,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py"), True),
    # Extra checks: feedback only by default (0 points).
    Part("sigmoid", "Sigmoid", 0, ("sigmoid.py",), False),
    Part("rand_init", "Random Initialization", 0, ("randInitializeWeights.py",), False),
    Part("predict", "Prediction", 0, ("predictNeuralNetwork.py", "sigmoid.py"), False),
    Part("training", "Training (50 iterations of fmin_cg)", 0,
         ("nnCostFunction.py", "sigmoid.py", "sigmoidGradient.py",
          "randInitializeWeights.py"), False),
)

# The files a student writes; the other modules come from the project.
STUDENT_FILES = ("sigmoid.py", "sigmoidGradient.py", "randInitializeWeights.py",
                 "predictNeuralNetwork.py", "nnCostFunction.py")
PROVIDED_FILES = ("computeNumericalGradient.py", "checkNNGradients.py",
                  "debugInitializeWeights.py", "displayData.py",
                  "trainNeuralNetwork.py", "ex4data.py", "ex4helpers.py")

# Tolerance of the comparisons: submit.m prints 5 decimals.
ABS_TOL = 1e-5
REL_TOL = 1e-5

# Seconds allowed to each part (the per-example loop form of
# nnCostFunction takes about 0.5 s per evaluation on the 5000 examples;
# training runs about 115 evaluations).
DEFAULT_TIMEOUT = 120
TRAINING_TIMEOUT = 600


def part(key):
    """The Part with this key."""
    for p in PARTS:
        if p.key == key:
            return p
    raise KeyError(f"no part {key!r}; parts: {', '.join(p.key for p in PARTS)}")


def max_total():
    return sum(p.points for p in PARTS)
