"""Every diagnosis the grader can give, each once.

A :class:`Diagnosis` is what a student reads ("likely mistake: ..." or
"likely cause: ...") and what an instructor counts: a few words (``short``,
the CSV's diagnosis column and the class report) and a sentence that says
what to change, with the handout's section. Three kinds:

- the modelled mistakes (:class:`Mistake`, their registry in mistakes.py,
  which never ships: its right steps are the solution): a wrong computation
  whose values are compared with the student's (:func:`find_mistake`);
- the hints (:data:`HINTS` here): read from the text of an error, in order,
  the first that applies wins;
- the verdicts of the checks themselves (the constants here): the gradient
  in the wrong order, predictions 0-based, ...

Adding a diagnosis is one entry here or in mistakes.py, and one realistic
submission under tests/students/ (docs/maintainers.md).
"""
import re
from dataclasses import dataclass, replace


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
        """This diagnosis with the placeholders of its sentence filled."""
        return replace(self, sentence=self.sentence.format(**values))


# --- verdicts of the checks ----------------------------------------------------------

NOT_IMPLEMENTED = Diagnosis("not implemented")
BACKPROP_NOT_IMPLEMENTED = Diagnosis("backpropagation not implemented", section="4.3")
INPUT_MODIFIED = Diagnosis("input modified in place")
WRONG_ORDER = Diagnosis(
    "gradient in the wrong order",
    "the gradient holds the right values in the wrong order: unroll it like "
    "nn_params, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]), each "
    "gradient of the shape of its Theta (Theta1_grad (h, n + 1), Theta2_grad (K, h + 1))",
    "4.3")
PREDICTIONS_ZERO_BASED = Diagnosis(
    "predictions 0-based",
    "the labels are 0-based: np.argmax gives 0..K-1, the labels are 1..K (add 1)", "4.6")
LOW_COST_CHANCE_ACCURACY = Diagnosis(
    "low cost, chance accuracy",
    "a low cost with chance accuracy: your nnCostFunction learns, but its weights "
    "do not mean what ex4.py's prediction reads: the unrolling (row-major, Theta1 "
    "then Theta2) or the label convention (labels 1..K, 10 = the digit 0) differs", "4.6")
# The checks' own verdicts, in the order of a part's checks.
VERDICTS = (NOT_IMPLEMENTED, BACKPROP_NOT_IMPLEMENTED, INPUT_MODIFIED, WRONG_ORDER,
            PREDICTIONS_ZERO_BASED, LOW_COST_CHANCE_ACCURACY)

CLOSEST_MISTAKE = Diagnosis(
    "closest: {short}",
    "no modelled mistake matches exactly; the closest single mistake (maybe "
    "with another one) is: {sentence}")
NO_MODELLED_MISTAKE = Diagnosis(
    None,
    "none of the modelled mistakes (bias weights regularised, 1/m missing, "
    "column-major unrolling, labels not one-hot or 0-based, ...) matches, alone or "
    "two together: compare your code with the handout's formulas step by step")


@dataclass(frozen=True)
class Closest(Diagnosis):
    """A guess: the closest single modelled mistake, when none matches exactly."""


def closest(mistake):
    """The diagnosis "closest: <mistake>" when no modelled mistake matches exactly."""
    return Closest(CLOSEST_MISTAKE.short.format(short=mistake.short),
                   CLOSEST_MISTAKE.sentence.format(sentence=mistake.sentence), mistake.section)


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


# --- hints read from an error's text --------------------------------------------------

@dataclass(frozen=True)
class ErrorText:
    """What a hint reads of a failing case.

    case : the Case (its call says the function and the sizes n, h, K)
    message : the exception's message, or the grader's words on an unusable
        value ("grad must have shape (38,), found shape (44,)")
    kind : the exception's type name; None for an unusable value
    code : the line that raised, "" when unknown; None for an unusable value
    file : the file that raised, None when unknown
    """
    case: object
    message: str
    kind: str = None
    code: str = None
    file: str = None

    @property
    def sizes(self):
        """(n, h, K) of an nnCostFunction call."""
        return tuple(self.case.call["args"][1:4])


@dataclass(frozen=True)
class Hint(Diagnosis):
    """A diagnosis read from an error's text.

    module : the student module whose errors it reads (None: any)
    applies : function(ErrorText) -> None when the hint does not apply, else
        a dict of the values its sentence's placeholders take ({} for none)
    """
    module: str = None
    applies: object = None


def _graders_module(err):
    """A module the grader's Python has that the student's process could not import."""
    import importlib.util
    from .scheme import PROVIDED_FILES, STUDENT_FILES
    found = re.search(r"No module named '([\w.]+)'", err.message)
    if err.kind != "ModuleNotFoundError" or not found:
        return None
    top = found[1].split(".")[0]
    if f"{top}.py" in STUDENT_FILES + PROVIDED_FILES:
        return None
    try:
        installed = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        installed = False
    return {"name": found[1]} if installed else None


def _raised_in_provided_file(err):
    from .scheme import PROVIDED_FILES
    return {"file": err.file} if err.kind and err.file in PROVIDED_FILES else None


def _nan_for_large_z(err):
    return {} if "holds nan" in err.message else None


def _matrix_product(err):
    found_scalar = re.search(r"must have shape \((\d+)[\d, ]*\), found shape \(\)", err.message)
    if re.search(r"not aligned|matmul|core dimension", err.message) or found_scalar or \
            (re.search(r"\.dot\(|@", err.code or "") and "shape" in err.message):
        return {}
    return None


def _only_2d(err):
    arg = err.case.call["args"][0]
    array_input = isinstance(arg, dict) and "__ndarray__" in arg
    if array_input and re.search(r"tuple index out of range|too many indices|not enough "
                                 r"values to unpack|unsized object|iteration over a 0-d|"
                                 r"axis \d+ is out of bounds for array of dimension|"
                                 r"could not broadcast input array from shape", err.message):
        return {}
    return None


def _hard_coded_sizes(err):
    """A reshape into other sizes than the case's, or 400-25-10 in the message."""
    n, h, K = err.sizes
    reshape = re.search(r"cannot reshape array of size \d+ into shape \(([\d, ]+)\)", err.message)
    if reshape:
        dims = [int(d) for d in re.findall(r"\d+", reshape[1])]
        return {} if dims not in ([h, n + 1], [K, h + 1], [n + 1, h], [h + 1, K]) else None
    if (n, h, K) != (400, 25, 10) and not {n, n + 1, h, h + 1, K} & {400, 401, 25, 26} \
            and re.search(r"\b(400|401|25|26)\b", err.message):
        return {}
    return None


def _bias_delta_kept(err):
    """A shape error with h + 1 in a line of backpropagation, or (vectorised)
    a grad longer by the n + 1 weights of one more row of Theta1_grad."""
    n, h, _K = err.sizes
    code = err.code
    shape_error = code is not None and (not code or "delta" in code or "grad" in code) \
        and re.search(rf"\b{h + 1}\b", err.message) \
        and re.search(r"shape|broadcast|dimension|size", err.message)
    longer = re.search(r"grad must have shape \((\d+),\), found shape \((\d+),?\)", err.message)
    return {} if shape_error or (longer and int(longer[2]) - int(longer[1]) == n + 1) else None


def _out_of_bounds(err):
    found = re.search(r"index (-?\d+) is out of bounds for axis \d+ with size (\d+)", err.message)
    return (int(found[1]), int(found[2])) if found else None


def _hard_coded_ten(err):
    K = err.sizes[2]
    if K == 10:
        return None
    if re.search(r"shapes? \(10,\)|\(10,\) \(|size 10\b", err.message):
        return {}
    bounds = _out_of_bounds(err)
    return {} if bounds and bounds[1] == 10 else None


def _labels_as_indices(err):
    bounds = _out_of_bounds(err)
    if not bounds or (err.code and re.search(r"-\s*1\b", err.code)):   # already subtracts 1
        return None
    index, size = bounds
    return {} if index == size == err.sizes[2] else None


GRADER_ENVIRONMENT = Hint(
    "grader environment",
    "{name} is installed for the grader, but the process running your code could not "
    "import it: a fault of the grading environment, not of your code. Tell your instructor",
    applies=_graders_module)
UNUSABLE_RETURN_VALUE = Hint(
    "unusable return value",
    "the error is raised in {file}, a provided file that you did not write, by what your "
    "nnCostFunction returns: J must be a float and grad a 1-D array of shape "
    "(h*(n+1) + K*(h+1),), the gradients unrolled with "
    "np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]) (not of shape (n, 1))",
    "4.6", applies=_raised_in_provided_file)
NAN_FOR_LARGE_Z = Hint(
    "nan for large |z|",
    "np.exp overflows to inf for large |z|, and inf / inf is nan: write the sigmoid as "
    "1 / (1 + np.exp(-z)), or use scipy.special.expit", "3.3",
    module="sigmoid*", applies=_nan_for_large_z)
MATRIX_PRODUCT = Hint(
    "matrix product instead of elementwise",
    "`.dot` and `@` are the matrix product: g'(z) is elementwise, g * (1 - g) with `*`",
    "4.1", module="sigmoid*", applies=_matrix_product)
ONLY_2D_INPUT = Hint(
    "only 2-D input handled",
    "your function assumes a 2-D z (z.shape[1], loops over rows and columns): z may be a "
    "0-d array, a vector or an array of any shape; elementwise operations (np.exp(-z), "
    "g * (1 - g), np.zeros(z.shape)) work for all", "4.1", module="sigmoid*",
    applies=_only_2d)
HARD_CODED_SIZES = Hint(
    "hard-coded layer sizes",
    "the layer sizes are hard-coded (400-25-10?), and the cases have other sizes: reshape "
    "with input_layer_size (n), hidden_layer_size (h) and num_labels (K): Theta1 "
    "(h, n + 1), Theta2 (K, h + 1)", "3.2", module="nnCostFunction",
    applies=_hard_coded_sizes)
BIAS_DELTA_KEPT = Hint(
    "bias unit's delta kept",
    "the delta of the bias unit is not removed: delta2 has h + 1 entries per example with "
    "the bias unit; drop the first one (delta2[1:]) before accumulating Theta1_grad, which "
    "has h rows", "4.3", module="nnCostFunction", applies=_bias_delta_kept)
HARD_CODED_TEN = Hint(
    "hard-coded 10 labels",
    "an array of size 10 where a case has another number of labels K: the number of labels "
    "is hard-coded; use num_labels (np.zeros(num_labels), np.eye(num_labels))", "3.3",
    module="nnCostFunction", applies=_hard_coded_ten)
LABELS_AS_INDICES = Hint(
    "labels used as indices without - 1",
    "labels are 1..K, not 0..K-1, and Python indices start at 0: label K is index K - 1; "
    "use y - 1 as an index", "3.3", module="nnCostFunction", applies=_labels_as_indices)

# In order: the first that applies names the cause.
HINTS = (GRADER_ENVIRONMENT, UNUSABLE_RETURN_VALUE, NAN_FOR_LARGE_Z, MATRIX_PRODUCT,
         ONLY_2D_INPUT, HARD_CODED_SIZES, BIAS_DELTA_KEPT, HARD_CODED_TEN, LABELS_AS_INDICES)


def _reads(hint, module):
    if hint.module is None:
        return True
    if hint.module.endswith("*"):
        return bool(module) and module.startswith(hint.module[:-1])
    return module == hint.module


def hint_for(err):
    """The first hint of :data:`HINTS` that applies to ``err`` (an
    :class:`ErrorText`), its sentence filled; None when none does."""
    for hint in HINTS:
        if not _reads(hint, err.case.module):
            continue
        values = hint.applies(err)
        if values is not None:
            return hint.given(**values) if values else hint
    return None


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
    groups += [("Hints read from an error (the first that applies)", HINTS),
               ("The checks' own verdicts", VERDICTS)]
    lines = []
    from .localise_causes import catalogue_lines
    title = "Localisation when no modelled mistake matches (localise.py; the first that applies)"
    localisation = [title, "-" * len(title)] + catalogue_lines() + [""]
    for title, entries in groups:
        lines += [title, "-" * len(title)]
        for d in entries:
            section = f" (section {d.section})" if d.section else ""
            lines.append(f"{d.short}{section}")
            if d.sentence:
                lines.append(f"    {d.sentence}")
        lines.append("")
    return "\n".join(lines + localisation).rstrip("\n")
