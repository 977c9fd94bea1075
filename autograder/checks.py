"""The checks: one small function per kind of case, that judges the
student's values against the expected ones.

Each takes ``(case, value, notes, oracle, course)``: the Case, the value the
student's code returned (decoded), the notes the student's process recorded
(warnings, inputs changed, the random generator used), the oracle that gives
the expected values, and the course data; and returns a :class:`Check`. A
value of an unusable form raises values.BadValue. ``CHECKS`` maps a case's
``check`` to its function.
"""
from dataclasses import dataclass, field

import numpy as np

from . import diagnoses, scheme
from .diagnoses import exact, find_mistake
from .localise import localise_cost, localise_gradient, problem_of
from .oracle import course_forward_accuracy
from .texts import indented, said
from .values import (BadValue, array_diff_lines, as_array, as_scalar, close, fmt,
                     without_first_ones)


@dataclass
class Check:
    """The verdict of a check on one case.

    ok : the values are right
    lines : the details shown under the case's head line
    diagnosis : the recognised mistake (diagnoses.Diagnosis), or None
    """
    ok: bool
    lines: list = field(default_factory=list)
    diagnosis: diagnoses.Diagnosis = None


ZERO_GRAD = indented(said("grad is all zeros: backpropagation is not implemented yet"))


def _within(J, v):
    return abs(J - v) <= scheme.ABS_TOL + scheme.REL_TOL * abs(v)


def check_J(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    J, J_notes = _cost_output(value)
    expected_J = float(ev.expected[0])
    ok = _within(J, expected_J)
    lines = [expected_obtained_J(f"{expected_J:.5f}", f"{J:.5f}")] + J_notes
    diag = None
    if not ok:
        diag = find_mistake(ev, lambda v: _within(J, v[0]), lambda v: abs(J - float(v[0])))
        diag = _cost_localised(case, J, ev, diag, lines, course)
    return Check(ok, lines, diag)


def expected_obtained_J(expected, obtained):
    return indented(said("expected J = {expected}, obtained J = {obtained}",
                         expected=expected, obtained=obtained))


def _preferred(found, localisation):
    """A failing case's diagnosis: a modelled mistake found exactly, else the
    localisation when it names one place, else the closest mistake, else the
    localisation (localise.py); ``found`` when there is no localisation."""
    if localisation is None or exact(found):
        return found
    if localisation.specific or not isinstance(found, diagnoses.Closest):
        return localisation.diagnosis()
    return found


def _cost_localised(case, J, ev, found, lines, course):
    """The diagnosis of a wrong J; the lines that split it into its terms
    are added to ``lines`` when no modelled mistake matches exactly."""
    if exact(found):
        return found
    try:
        local = localise_cost(J, ev.cost_terms, problem_of(case, course))
    except Exception:                  # a localisation never stops a verdict
        return found
    if local is None or not local.specific:       # a wrong J says no more than itself
        return found
    lines += local.lines()
    return _preferred(found, local)


def _cost_output(value):
    if not isinstance(value, tuple) or len(value) != 2:
        kind = said("a tuple of {n} items", n=str(len(value))) if isinstance(value, tuple) \
            else said("one value")
        raise BadValue(said("returned {kind}: nnCostFunction must return the pair (J, grad)",
                            kind=kind))
    return as_scalar(value[0], "J")


GRAD_NOT_1D = indented(said("note: grad is not 1-D (shape {shape}): a 1-D array like nn_params "
                            "is expected; fmin_cg in trainNeuralNetwork.py stops with an error "
                            "on it (np.ravel makes it 1-D)"))


def _grad(value, shape):
    grad, notes = as_array(value[1], shape, "grad", flexible_vector=True)
    if notes:
        column = np.ndim(value[1]) == 2 and np.shape(value[1])[1] == 1
        notes = [indented(GRAD_NOT_1D.values["text"].format(
            shape="(n, 1)" if column else str(np.shape(value[1]))))]
    return grad, notes


def check_J_grad(case, value, notes, oracle, course):
    cost = check_J(case, value, notes, oracle, course)
    ok, lines, diag = cost.ok, cost.lines, cost.diagnosis
    ev = oracle.evaluate(case)
    expected = np.asarray(ev.expected[1], dtype=np.float64)
    grad, grad_notes = _grad(value, expected.shape)
    lines += grad_notes
    if not np.any(grad):
        lines.append(ZERO_GRAD)
        return Check(False, lines, diagnoses.BACKPROP_NOT_IMPLEMENTED)
    grad_ok = close(grad, expected)
    if grad_ok:
        lines.append(indented(said("grad: all {n} values as expected", n=str(expected.size))))
        return Check(ok, lines, diag)
    grad_lines = array_diff_lines(grad, expected, "grad")
    if ok and close(np.sort(grad), np.sort(expected)):
        gdiag = find_mistake(ev, lambda v: close(grad, v[1]), pairs=False) \
            or diagnoses.WRONG_ORDER
    else:
        gdiag = find_mistake(ev, lambda v: close(grad, v[1]),
                             lambda v: float(np.linalg.norm(grad - np.ravel(v[1]))))
        # a mistake of the cost found exactly explains the gradient too
        local = None if exact(diag) else \
            _gradient_localisation(case, grad, expected, ok, gdiag, course)
        if local is not None:
            gdiag = _preferred(gdiag, local)
            grad_lines = [without_first_ones(grad_lines[0])] + local.lines()
    if ok:       # the failing value first: the reason shows the first line
        lines = grad_lines + [indented(said("J as expected ({J})",
                                            J=f"{cost_value(value):.5f}"))] + lines[1:]
    else:
        lines += grad_lines
    diag = diag if diag and diag.short and not (gdiag and gdiag.short) else gdiag
    return Check(False, lines, diag)


def cost_value(value):
    """The student's J (a checked value)."""
    return as_scalar(value[0], "J")[0]


def _gradient_localisation(case, grad, expected, cost_right, found, course):
    """Where the blocks of a wrong gradient differ (a localise.GradientLocalisation),
    when no modelled mistake matches exactly; else None."""
    if exact(found):
        return None
    try:
        return localise_gradient(grad, expected, problem_of(case, course), cost_right)
    except Exception:                  # a localisation never stops a verdict
        return None


def check_array(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev.expected, dtype=np.float64)
    got, lines = as_array(value, expected.shape, "the result")
    if close(got, expected):
        shown = " ".join(fmt(v) for v in expected.ravel(order="F")[:5])
        return Check(True, [indented(said("as expected ({values})",
                                          values=shown + (" ..." if expected.size > 5 else "")))]
                     + lines)
    lines += array_diff_lines(got, expected, "result")
    return Check(False, lines, find_mistake(ev, lambda v: close(got, v)))


def check_handout_J(case, value, notes, oracle, course):
    J, lines = _cost_output(value)
    target, decimals = case.expect.value, case.expect.decimals
    ok = round(J, decimals) == round(target, decimals)
    lines = [expected_obtained_J(f"{target:.{decimals}f}", f"{J:.{decimals}f}")] + lines
    diag = None
    if not ok:
        ev = oracle.evaluate(case)
        diag = find_mistake(ev, lambda v: abs(J - v[0]) <= 1e-6 * max(1, abs(v[0])),
                            lambda v: abs(J - float(v[0])))
    return Check(ok, lines, diag)


def check_gradient(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    numgrad = np.asarray(ev.numgrad, dtype=np.float64)
    _J, lines = _cost_output(value)
    grad, grad_notes = _grad(value, numgrad.shape)
    lines += grad_notes
    denominator = np.linalg.norm(numgrad + grad)
    diff = np.linalg.norm(numgrad - grad) / denominator if denominator > 0 else np.inf
    bound = case.expect.below
    ok = diff < bound
    lines.insert(0, indented(said("relative difference {diff} (must be < {bound})",
                                  diff=f"{diff:.3g}", bound=f"{bound:g}")))
    diag = None
    if not ok and not np.any(grad):
        lines.append(ZERO_GRAD)
        diag = diagnoses.BACKPROP_NOT_IMPLEMENTED
    elif not ok:
        if close(np.sort(grad), np.sort(numgrad)) and not close(grad, numgrad):
            diag = find_mistake(ev, lambda v: close(grad, v[1]), pairs=False) \
                or diagnoses.WRONG_ORDER
        else:
            diag = find_mistake(ev, lambda v: close(grad, v[1]),
                                lambda v: float(np.linalg.norm(grad - np.ravel(v[1]))))
            if ev.expected is not None:      # the reference's gradient, not the numerical one
                J_right = _within(cost_value(value), float(ev.expected[0]))
                local = _gradient_localisation(case, grad, np.ravel(ev.expected[1]),
                                               J_right, diag, course)
                if local is not None:
                    diag = _preferred(diag, local)
                    lines += local.lines()
    return Check(ok, lines, diag)


def check_labels(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev.expected)
    got, lines = as_array(value, expected.shape, "the predictions", flexible_vector=True)
    if np.array_equal(got, expected):
        return Check(True, [indented(said("all labels as expected"))] + lines)
    wrong = np.flatnonzero(got != expected)
    diag = diagnoses.PREDICTIONS_ZERO_BASED if np.array_equal(got, expected - 1) else None
    first = wrong[0]
    return Check(False, lines + [indented(said(
        "{n} of {size} labels differ, first at index {index}: expected {expected}, obtained "
        "{obtained}", n=str(len(wrong)), size=str(expected.size), index=str(first),
        expected=str(int(expected[first])), obtained=f"{got[first]:g}"))], diag)


def check_accuracy(case, value, notes, oracle, course):
    y = course["y"]
    got, lines = as_array(value, y.shape, "the predictions", flexible_vector=True)
    accuracy = float(np.mean(got == y) * 100)
    target = case.expect.value
    ok = abs(accuracy - target) < 1e-9
    lines.insert(0, indented(said("expected accuracy {expected}%, obtained {obtained}%",
                                  expected=f"{target:.2f}", obtained=f"{accuracy:.2f}")))
    diag = diagnoses.PREDICTIONS_ZERO_BASED if not ok and np.mean(got == y - 1) > 0.9 else None
    return Check(ok, lines, diag)


def check_randinit(case, value, notes, oracle, course):
    draws = case.call["draws"]
    if not isinstance(value, tuple) or len(value) != len(draws):
        raise BadValue(said("returned an unexpected value"))
    problems, arrays = [], []
    for (seed, L_in, L_out), W in zip(draws, value):
        W, _ = as_array(W, (L_out, 1 + L_in), f"randInitializeWeights({L_in}, {L_out})")
        arrays.append(W)
        # epsilon_init = 0.12 (the handout's) or sqrt(6) / sqrt(L_in + L_out) (its footnote's)
        formula = np.sqrt(6) / np.sqrt(L_in + L_out)
        bound = max(0.12, formula)
        if np.abs(W).max() > bound + 1e-12:
            problems.append(said(
                "{call}: values outside [-epsilon_init, epsilon_init], with epsilon_init = "
                "0.12 or sqrt(6) / sqrt(L_in + L_out) = {formula} (found {low} .. {high})",
                call=f"randInitializeWeights({L_in}, {L_out})", formula=f"{formula:.4f}",
                low=f"{W.min():.4f}", high=f"{W.max():.4f}"))
        elif W.size > 100 and (np.abs(W).max() < 0.8 * min(0.12, formula)
                               or W.std() < 0.4 * min(0.12, formula) or abs(W.mean()) > 0.01):
            problems.append(said(
                "the values do not spread uniformly over [-epsilon_init, epsilon_init] "
                "(min {low}, max {high}, mean {mean})", low=f"{W.min():.4f}",
                high=f"{W.max():.4f}", mean=f"{W.mean():.4f}"))
        if np.ptp(W) == 0:
            problems.append(said("all the weights are equal: they must be random to break the "
                                 "symmetry"))
    if not np.array_equal(arrays[0], arrays[1]):
        problems.append(said("two calls after np.random.seed(3) give different weights: draw "
                             "them with np.random (the global generator), as the handout does"))
    if np.array_equal(arrays[0], arrays[2]):
        problems.append(said("np.random.seed(3) and np.random.seed(4) give the same weights"))
    used = notes.get("global_generator_used") or []
    if not all(used):
        problems.append(said("the weights do not come from np.random's global generator "
                             "(np.random.rand), so np.random.seed cannot make a run "
                             "reproducible"))
    if problems:
        return Check(False, [indented(p) for p in dict.fromkeys(problems)])
    return Check(True, [indented(said(
        "shapes (25, 401), (10, 26), (3, 8); values in [-epsilon_init, epsilon_init] (0.12 or "
        "sqrt(6) / sqrt(L_in + L_out)); reproducible with np.random.seed"))])


CHANCE_ACCURACY = 20.0      # % (10 labels: 10% by chance)


def check_training(case, value, notes, oracle, course):
    if not isinstance(value, tuple) or len(value) != 2:
        raise BadValue(said("training returned an unexpected value"))
    params, _ = as_array(value[0], (25 * 401 + 10 * 26,), "the trained parameters")
    costs, _ = as_array(value[1], (np.asarray(value[1]).size,), "the costs")
    accuracy = course_forward_accuracy(params, course["X"], course["y"])
    target = case.expect.at_least
    lines = [indented(said(
        "training accuracy {accuracy}% (at least {target}%: the handout's 95.3% +- 1%), {end}",
        accuracy=f"{accuracy:.2f}", target=f"{target}",
        end=said("final cost {cost} after {n} iterations", cost=f"{costs[-1]:.6f}",
                 n=str(costs.size)) if costs.size else said("no iteration done")))]
    if not costs.size:                 # fmin_cg stopped at the start: nothing to descend
        lines.append(indented(said("fmin_cg stopped before its first iteration: the gradient "
                                   "at the starting weights is zero or unusable (section 4.3, "
                                   "backpropagation)")))
    diag = None
    if accuracy < CHANCE_ACCURACY and costs.size and costs[-1] < 1.0:
        diag = diagnoses.LOW_COST_CHANCE_ACCURACY
    return Check(accuracy >= target, lines, diag)



# A case's ``check`` -> the function that judges it.
CHECKS = {"J": check_J, "J_grad": check_J_grad, "array": check_array,
          "handout_J": check_handout_J, "gradient_check": check_gradient,
          "labels": check_labels, "accuracy": check_accuracy,
          "randinit": check_randinit, "training": check_training}
