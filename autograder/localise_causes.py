"""What the structure of a gradient's difference points to (localise.py).

Each rule reads the differing blocks (localise.BlockDifference: the block,
the region of its differing entries, their relation to the right values)
and whether the cost is right, and returns a :class:`Cause` (a few words,
the handout's section and step, the fix) or None; :data:`RULES` in order,
the first that applies names the cause, the last always applies. The
handout's steps of backpropagation (4.3): 1 the feedforward, 2 the output
error delta3 = a3 - y_k, 3 the hidden error delta2, 4 the accumulation of
delta times the activations with their bias unit, 5 the division by m;
4.5 the regularisation.
"""
from dataclasses import dataclass

from .texts import said


@dataclass(frozen=True)
class Cause:
    """What a structure of the difference points to.

    short : a few words (the CSV's diagnosis column)
    section : the handout's section and step ("4.3, step 2")
    sentence : what to change
    specific : the structure names one place to look (False: a general
        pointer, which a modelled mistake close enough may beat)
    """
    short: str
    section: str
    sentence: str
    specific: bool = True


def _names(blocks):
    return " and ".join(b.block for b in blocks)


def _which(blocks):
    """The differing blocks' names, as the student reads them."""
    if len(blocks) == 2:
        return said("{first} and {second}", first=blocks[0].block, second=blocks[1].block)
    return _names(blocks)


def _common(blocks, kind):
    """The common amount's name when every block's relation is ``kind`` with the same one."""
    names = {b.relation.name for b in blocks if b.relation.kind == kind}
    return names.pop() if len(names) == 1 and all(b.relation.kind == kind for b in blocks) \
        else None


def _bias_column(blocks, cost_right):
    """Only the bias column differs: regularised (4.5), off by lambda/m (4.5), else step 4."""
    if not all(b.region == "bias column" for b in blocks):
        return None
    which = _which(blocks)
    if _common(blocks, "weights") == "lambda/m":
        return Cause("bias column regularised in the gradient", "4.5", said(
            "the bias weights are regularised in the gradient: the bias column of {which} "
            "holds (lambda/m) times the bias weights; the regularisation leaves out the first "
            "column, Theta_grad[:, 1:] += (lambda/m) * Theta[:, 1:]", which=which))
    if _common(blocks, "constant") == "lambda/m":
        return Cause("lambda/m added to the bias column", "4.5", said(
            "every entry of the bias column of {which} is off by exactly lambda/m: the "
            "regularisation adds lambda/m times a column of ones there; the bias weights are "
            "not regularised: add (lambda/m) * Theta[:, 1:] to the columns 1.. only, and "
            "nothing to the first column", which=which))
    return Cause("bias column of the gradient wrong", "4.3, step 4", said(
        "only the bias column of {which} differs: it is the sum of the deltas (each times the "
        "bias unit's 1) divided by m; check the column of ones of a1 and a2 in step 4, and "
        "that the regularisation (4.5) leaves the first column out", which=which))


def _factor(blocks, cost_right):
    """Every differing block is one factor times the right one: -1 (step 2), m or 1/m (step 5)."""
    factor = _common(blocks, "factor")
    if factor is None:
        return None
    which, names = _which(blocks), _names(blocks)
    if factor == "-1":
        return Cause("gradient of the wrong sign", "4.3, step 2", said(
            "{which} has the sign of the right one reversed: the output error is "
            "delta3 = a3 - y (step 2), not y - a3", which=which))
    if factor == "m":
        return Cause(f"{names} not divided by m", "4.3, step 5", said(
            "{which} is not divided by m: it is {factor} times the right one; divide the "
            "accumulated gradient by m (step 5), before adding the regularisation (4.5)",
            which=which, factor=factor))
    if factor == "1/m":
        return Cause(f"{names} divided by m twice", "4.3, step 5", said(
            "{which} is divided by m twice: it is {factor} times the right one; divide the "
            "accumulated gradient by m once (step 5), before adding the regularisation (4.5)",
            which=which, factor=factor))
    return Cause(f"{names} {factor} times too large", "4.3, step 5", said(
        "{which} is {factor} times the right one: the accumulation (step 4) is divided by m "
        "once (step 5), with no other factor", which=which, factor=factor))


def _weights(blocks, cost_right):
    """A multiple of the weights is missing or added: the regularisation (4.5)."""
    coefficient = _common(blocks, "weights")
    if coefficient is None:
        return None
    which, names = _which(blocks), _names(blocks)
    if coefficient == "-lambda/m":
        return Cause(f"{names} not regularised", "4.5", said(
            "the regularisation is missing from {which}: add (lambda/m) * Theta[:, 1:] to its "
            "columns 1.. (not the first column)", which=which))
    return Cause(f"{names} regularised with {coefficient} extra", "4.5", said(
        "{which} differs by {coefficient} times the weights: the regularisation adds exactly "
        "(lambda/m) * Theta[:, 1:] to the gradient's columns 1..", which=which,
        coefficient=coefficient))


def _output_unit(blocks, cost_right):
    """One row of Theta2_grad, one output unit: its label in delta3 (step 2)."""
    rows = [b for b in blocks if b.block == "Theta2_grad" and b.region == "row"]
    if not rows:
        return None
    label = rows[0].row + 1
    return Cause(f"output unit {label} of the gradient wrong", "4.3, step 2", said(
        "of Theta2_grad only row {row}, the output unit of label {label}, differs: its error "
        "delta3 compares a3 with the wrong label; y_k is 1 for the example's label (label k "
        "in column k - 1, label {label} in column {column}) and 0 elsewhere (step 2)",
        row=str(rows[0].row), label=str(label), column=str(label - 1)))


def _one_block(blocks, cost_right):
    """One block wrong, the other right: Theta2_grad (step 4), Theta1_grad (steps 3-4)."""
    if len(blocks) != 1:
        return None
    if blocks[0].block == "Theta2_grad":
        return Cause("Theta2_grad wrong, Theta1_grad right", "4.3, step 4", said(
            "Theta1_grad is right, so delta3 (step 2) is right: Theta2_grad accumulates delta3 "
            "times a2 with its bias unit, a2 = [1, g(z2)] (step 4), then is divided by m "
            "(step 5)"))
    return Cause("Theta1_grad wrong, Theta2_grad right", "4.3, steps 3-4", said(
        "Theta2_grad is right, so delta3 and a2 are: look at delta2 = (Theta2[:, 1:]' delta3) "
        ".* g'(z2), without the bias unit's delta (step 3), and at Theta1_grad accumulating "
        "delta2 times a1 with its bias unit (step 4)"))


def _labels_misaligned(blocks, cost_right):
    """Cost right, Theta2_grad's bias column right, the rest not: delta3's labels misaligned (step 2)."""
    theta2 = [b for b in blocks if b.block == "Theta2_grad"]
    if not cost_right or not theta2 or theta2[0].region != "weights" \
            or theta2[0].relation.kind != "none":
        return None
    return Cause("delta3's labels misaligned with the examples", "4.3, step 2", said(
        "delta3's labels are misaligned with the examples: the bias column of Theta2_grad, the "
        "sum of delta3 over the examples, is right, and so is your cost, but the other columns "
        "are not, so delta3 pairs the right labels with other examples; for example t, "
        "delta3 = a3 - y_k with a3 and y_k of the same example t (an index off by one?)"))


def _everywhere(blocks, cost_right):
    """Both blocks differ with no structure: step 2 if the cost is right, else steps 1-2."""
    if cost_right:
        return Cause("gradient wrong everywhere, cost right", "4.3, step 2", said(
            "both gradients differ everywhere while your cost is right, so the feedforward "
            "(step 1) and the cost's labels are right: look at step 2, delta3 = a3 - y_k, with "
            "y_k the one-hot label of the same example as a3 (the Y of your cost), then step 3"),
            specific=False)
    return Cause("gradient wrong everywhere", "4.3, steps 1-2", said(
        "both gradients differ everywhere, and so does your cost: backpropagation starts from "
        "the feedforward (step 1) and the cost's labels (step 2): make the cost right first "
        "(3.3)"), specific=False)


# The sections of the causes, as the student reads them ("(handout 4.3, step 2)").
SECTIONS = {"4.3, step 2": said("4.3, step 2"), "4.3, step 4": said("4.3, step 4"),
            "4.3, step 5": said("4.3, step 5"), "4.3, steps 1-2": said("4.3, steps 1-2"),
            "4.3, steps 3-4": said("4.3, steps 3-4")}


# In order: the first that applies names the cause (_everywhere always does).
RULES = (_bias_column, _factor, _weights, _output_unit, _one_block, _labels_misaligned,
         _everywhere)


def catalogue_lines():
    """The rules in words, in order, for ``python -m autograder diagnoses``."""
    return [f"{rule.__doc__.split(': ')[0]}" + "\n    " + rule.__doc__.split(": ", 1)[1]
            for rule in RULES] + [
        "A wrong cost (localise.localise_cost), when its terms name a factor\n    with "
        "lambda = 0, the unregularised term (3.3); with lambda > 0, J less the right "
        "unregularised term against the regularisation term (3.4)."]
