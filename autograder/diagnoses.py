"""Every diagnosis the grader can give, each once.

A :class:`Diagnosis` is what a student reads ("likely mistake: ..." or
"likely cause: ...") and what an instructor counts: a few words (``short``,
the CSV's diagnosis column and the class report) and a sentence that says
what to change, with the handout's section. Three kinds:

- the modelled mistakes (:class:`Mistake`, their registry in mistakes.py,
  which never ships: its right steps are the solution): a wrong computation
  whose values are compared with the student's (:func:`find_mistake`);
- the hints (``HINTS`` in hints.py): read from the text of an error, in
  order, the first that applies wins; a removed or renamed library API is
  one of them, its entries in drift.py;
- the verdicts of the checks themselves (the constants here): the gradient
  in the wrong order, predictions 0-based, ...

Adding a diagnosis is one entry here, in hints.py, drift.py or mistakes.py, and one realistic
submission under tests/students/ (docs/maintainers.md).
"""
from dataclasses import dataclass, replace

from .texts import known, said


@dataclass(frozen=True)
class Diagnosis:
    """A named cause of a failing case.

    short : str or None
        A few words ("bias weights regularised"): what the class report
        counts; None when the feedback has advice but names no cause.
    sentence : str or None
        What to change, as the student reads it; None when the short name
        says it all (e.g. "not implemented"). May hold ``{placeholders}``
        that :meth:`given` fills.
    section : str
        The handout's section the mistake belongs to ("3.4").
    """
    short: str
    sentence: str = None
    section: str = None

    def given(self, **values):
        """This diagnosis with the placeholders of its words and sentence filled."""
        return replace(self, short=self.short.format(**values),
                       sentence=self.sentence.format(**values))


# --- verdicts of the checks ----------------------------------------------------------

NOT_IMPLEMENTED = Diagnosis("not implemented")
BACKPROP_NOT_IMPLEMENTED = Diagnosis("backpropagation not implemented", section="4.3")
INPUT_MODIFIED = Diagnosis("input modified in place")
WRONG_ORDER = Diagnosis(
    "gradient in the wrong order",
    said("the gradient holds the right values in the wrong order: unroll it like "
         "nn_params, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]), each "
         "gradient of the shape of its Theta (Theta1_grad (h, n + 1), Theta2_grad (K, h + 1))"),
    "4.3")
PREDICTIONS_ZERO_BASED = Diagnosis(
    "predictions 0-based",
    said("the labels are 0-based: np.argmax gives 0..K-1, the labels are 1..K (add 1)"), "4.6")
LOW_COST_CHANCE_ACCURACY = Diagnosis(
    "low cost, chance accuracy",
    said("a low cost with chance accuracy: your nnCostFunction learns, but its weights "
         "do not mean what ex4.py's prediction reads: the unrolling (row-major, Theta1 "
         "then Theta2) or the label convention (labels 1..K, 10 = the digit 0) differs"), "4.6")
# The checks' own verdicts, in the order of a part's checks.
VERDICTS = (NOT_IMPLEMENTED, BACKPROP_NOT_IMPLEMENTED, INPUT_MODIFIED, WRONG_ORDER,
            PREDICTIONS_ZERO_BASED, LOW_COST_CHANCE_ACCURACY)

CLOSEST_MISTAKE = Diagnosis(
    "closest: {short}",
    said("no modelled mistake matches exactly; the closest single mistake (maybe "
         "with another one) is: {sentence}"))
NO_MODELLED_MISTAKE = Diagnosis(
    None,
    said("none of the modelled mistakes (bias weights regularised, 1/m missing, "
         "column-major unrolling, labels not one-hot or 0-based, ...) matches, alone or "
         "two together: compare your code with the handout's formulas step by step"))


@dataclass(frozen=True)
class Closest(Diagnosis):
    """A guess: the closest single modelled mistake, when none matches exactly."""


def closest(mistake):
    """The diagnosis "closest: <mistake>" when no modelled mistake matches exactly."""
    return Closest(CLOSEST_MISTAKE.short.format(short=mistake.short),
                   CLOSEST_MISTAKE.sentence.format(sentence=known(mistake.sentence)),
                   mistake.section)


def exact(diagnosis):
    """Whether ``diagnosis`` names a cause found exactly: not a guess (:class:`Closest`),
    not :data:`NO_MODELLED_MISTAKE`, not None."""
    return diagnosis is not None and diagnosis is not NO_MODELLED_MISTAKE \
        and not isinstance(diagnosis, Closest)


# --- modelled mistakes: what a wrong computation gives ----------------------------------

@dataclass(frozen=True)
class Mistake(Diagnosis):
    """A modelled mistake: a diagnosis, and the step it gets wrong.

    step : the name of the field of :class:`Steps` it replaces (cost
        mistakes), or None (sigmoidGradient mistakes)
    wrong : the wrong version of that step; for a sigmoidGradient
        mistake, the wrong function of z
    """
    step: str = None
    wrong: object = None


@dataclass(frozen=True)
class Variant:
    """What a mistake (or two) gives on a case: its diagnosis and its value."""
    mistake: Diagnosis
    value: object


def find_mistake(evaluation, matches, distance=None, pairs=True):
    """The diagnosis of the student's values on a case, from the modelled mistakes.

    Parameters
    ----------
    evaluation : oracle.Evaluation
        The right values of the case and its variants.
    matches : function(value) -> bool
        Whether the student's outputs match a variant's value.
    distance : function(value) -> float, optional
        How far the student's outputs are from a value: given, a failing
        case with no exact match names the closest single mistake (when it
        is at most half as far as the right values), or says none matched.
    pairs : bool
        Also try two mistakes together (after every single one).

    Returns
    -------
    Diagnosis or None
        None when nothing is modelled for the case, or nothing matched and
        no ``distance`` was given.
    """
    groups = [evaluation.variants] + ([evaluation.pairs] if pairs else [])
    for group in groups:
        for variant in (group() if callable(group) else group).values():
            try:
                if matches(variant.value):
                    return variant.mistake
            except Exception:
                continue
    if not evaluation.variants or distance is None:
        return None
    try:
        right = distance(evaluation.expected)
        ranked = sorted(((distance(v.value), v.mistake.short, v.mistake.sentence, v.mistake)
                         for v in evaluation.variants.values()), key=lambda r: r[:3])
    except Exception:
        return None
    best, _, _, mistake = ranked[0]
    return closest(mistake) if best < 0.5 * right else NO_MODELLED_MISTAKE


def catalogue():
    """Every diagnosis the grader can give, as text: the modelled mistakes
    (where mistakes.py is: not in the student release), the hints, the
    checks' own verdicts; each with its few words, section and sentence."""
    groups = []
    try:
        from .mistakes import COST_MISTAKES, SIGMOID_GRADIENT_MISTAKES
        groups += [("Modelled mistakes of nnCostFunction (two together are recognised too)",
                    COST_MISTAKES.values()),
                   ("Modelled mistakes of sigmoidGradient", SIGMOID_GRADIENT_MISTAKES.values())]
    except ImportError:                      # the student release
        pass
    from .drift import DRIFTS
    from .hints import HINTS
    groups += [("Hints read from an error (the first that applies)", HINTS),
               ("Library drift: removed or renamed APIs (the hint \"removed or renamed "
                "library API\", and the warnings' summary)", DRIFTS),
               ("The checks' own verdicts", VERDICTS)]
    lines = []
    from .localise_causes import catalogue_lines
    title = "Localisation when no modelled mistake matches (localise.py; the first that applies)"
    localisation = [title, "-" * len(title)] + catalogue_lines() + [""]
    for title, entries in groups:
        lines += [title, "-" * len(title)]
        for d in entries:
            section = f" (section {d.section})" if getattr(d, "section", None) else ""
            lines.append(f"{d.short}{section}")
            if d.sentence:
                lines.append(f"    {d.sentence}")
        lines.append("")
    return "\n".join(lines + localisation).rstrip("\n")
