"""The hints: a diagnosis read from the text of an error.

When the student's code raises (or returns a value the grader cannot use),
the grader reads the exception's type, message and the line that raised
(:class:`ErrorText`); the hints of :data:`HINTS` are tried in order and the
first that applies names the likely cause, with the handout's section and
the fix. A removed or renamed library API is one hint, whose entries are
drift.py's table.
"""
import re
from dataclasses import dataclass, replace

from .diagnoses import Diagnosis
from .texts import said


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


def _library_drift(err):
    """A removed or renamed API of drift.py's table: the hint is the entry's."""
    from .drift import drift_for_error
    found = drift_for_error(err.message, err.code) if err.kind else None
    return replace(LIBRARY_DRIFT, short=found.short, sentence=found.sentence) if found else None


# The functions of the exercise's files, and the section where each is used.
EXERCISE_FUNCTIONS = {"sigmoid": "3.3", "nnCostFunction": "3.3", "sigmoidGradient": "4.3",
                      "randInitializeWeights": "4.2", "predictNeuralNetwork": "4.6",
                      "debugInitializeWeights": "4.4", "computeNumericalGradient": "4.4",
                      "checkNNGradients": "4.4"}


def _not_imported(err):
    found = re.fullmatch(r"name '(\w+)' is not defined", err.message)
    if err.kind != "NameError" or not found or found[1] not in EXERCISE_FUNCTIONS:
        return None
    return replace(MISSING_IMPORT, section=EXERCISE_FUNCTIONS[found[1]]).given(
        name=found[1], file=err.file or said("your file"))


def _y_indexed_2d(err):
    """y[i][0], y[i, 0] or y[:, 0] on the 1-D y (an IndexError)."""
    if err.kind == "IndexError" and re.search(
            r"invalid index to scalar variable|array is 1-dimensional, but 2 were indexed",
            err.message) and re.search(r"\by\s*\[[^\]]*\]\s*\[|\by\s*\[[^\]\[]*,", err.code or ""):
        return {}
    return None


def _one_hot_columns(err):
    """A failed broadcast of (m, K + 1) with (m, K): one column too many in Y
    (not in a line of backpropagation's hidden layer: that is the bias delta)."""
    K = err.sizes[2]
    found = re.search(r"broadcast together with shapes \((\d+),(\d+)\) \((\d+),(\d+)\)",
                      err.message)
    if not found or re.search(r"sigmoidGradient|z2|a2|Theta|delta2", err.code or ""):
        return None
    p, q, r, s = (int(g) for g in found.groups())
    return {} if (p == r and {q, s} == {K, K + 1}) or (q == s and {p, r} == {K, K + 1}) \
        else None


GRADER_ENVIRONMENT = Hint(
    "grader environment",
    said("{name} is installed for the grader, but the process running your code could not "
         "import it: a fault of the grading environment, not of your code. Tell your instructor"),
    applies=_graders_module)
UNUSABLE_RETURN_VALUE = Hint(
    "unusable return value",
    said("the error is raised in {file}, a provided file that you did not write, by what your "
         "nnCostFunction returns: J must be a float and grad a 1-D array of shape "
         "(h*(n+1) + K*(h+1),), the gradients unrolled with "
         "np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]) (not of shape (n, 1))"),
    "4.6", applies=_raised_in_provided_file)
NAN_FOR_LARGE_Z = Hint(
    "nan for large |z|",
    said("np.exp overflows to inf for large |z|, and inf / inf is nan: write the sigmoid as "
         "1 / (1 + np.exp(-z)), or use scipy.special.expit"), "3.3",
    module="sigmoid*", applies=_nan_for_large_z)
MATRIX_PRODUCT = Hint(
    "matrix product instead of elementwise",
    said("`.dot` and `@` are the matrix product: g'(z) is elementwise, g * (1 - g) with `*`"),
    "4.1", module="sigmoid*", applies=_matrix_product)
ONLY_2D_INPUT = Hint(
    "only 2-D input handled",
    said("your function assumes a 2-D z (z.shape[1], loops over rows and columns): z may be a "
         "0-d array, a vector or an array of any shape; elementwise operations (np.exp(-z), "
         "g * (1 - g), np.zeros(z.shape)) work for all"), "4.1", module="sigmoid*",
    applies=_only_2d)
HARD_CODED_SIZES = Hint(
    "hard-coded layer sizes",
    said("the layer sizes are hard-coded (400-25-10?), and the cases have other sizes: reshape "
         "with input_layer_size (n), hidden_layer_size (h) and num_labels (K): Theta1 "
         "(h, n + 1), Theta2 (K, h + 1)"), "3.2", module="nnCostFunction",
    applies=_hard_coded_sizes)
BIAS_DELTA_KEPT = Hint(
    "bias unit's delta kept",
    said("the delta of the bias unit is not removed: delta2 has h + 1 entries per example with "
         "the bias unit; drop the first one (delta2[1:]) before accumulating Theta1_grad, which "
         "has h rows"), "4.3", module="nnCostFunction", applies=_bias_delta_kept)
HARD_CODED_TEN = Hint(
    "hard-coded 10 labels",
    said("an array of size 10 where a case has another number of labels K: the number of labels "
         "is hard-coded; use num_labels (np.zeros(num_labels), np.eye(num_labels))"), "3.3",
    module="nnCostFunction", applies=_hard_coded_ten)
LABELS_AS_INDICES = Hint(
    "labels used as indices without - 1",
    said("labels are 1..K, not 0..K-1, and Python indices start at 0: label K is index K - 1; "
         "use y - 1 as an index"), "3.3", module="nnCostFunction", applies=_labels_as_indices)

LIBRARY_DRIFT = Hint(
    "removed or renamed library API",
    said("an API your code calls was removed or renamed in a newer version of its library "
         "(drift.py's table says which, and its one-line fix)"), applies=_library_drift)
MISSING_IMPORT = Hint(
    "{name} used without its import",
    said("{name} is called in {file} but not imported there: each file is a module of its own; "
         "add `from {name} import {name}` at the top of {file}"), applies=_not_imported)
Y_INDEXED_2D = Hint(
    "1-D y indexed as 2-D",
    said("y is a 1-D array of shape (m,), as ex4.py passes it: y[i] is already the label, a "
         "number, and y[i][0] (or y[i, 0], y[:, 0]) indexes into it; write y[i] (loadmat gives "
         "(m, 1), but ex4.py flattens it)"), "3.3", module="nnCostFunction", applies=_y_indexed_2d)
ONE_HOT_COLUMNS = Hint(
    "one-hot labels with K + 1 columns",
    said("your one-hot Y has K + 1 columns where the output layer a3 has K: np.eye(y.max() + 1)[y] "
         "(or np.eye(K + 1)) makes a column for a label 0 that does not exist; labels are 1..K, "
         "label k goes to column k - 1: np.eye(num_labels)[y - 1]"), "3.3", module="nnCostFunction",
    applies=_one_hot_columns)

# In order: the first that applies names the cause.
HINTS = (GRADER_ENVIRONMENT, LIBRARY_DRIFT, MISSING_IMPORT, UNUSABLE_RETURN_VALUE,
         NAN_FOR_LARGE_Z, MATRIX_PRODUCT, ONLY_2D_INPUT, Y_INDEXED_2D, ONE_HOT_COLUMNS,
         HARD_CODED_SIZES, BIAS_DELTA_KEPT, HARD_CODED_TEN, LABELS_AS_INDICES)


def _reads(hint, module):
    if hint.module is None:
        return True
    if hint.module.endswith("*"):
        return bool(module) and module.startswith(hint.module[:-1])
    return module == hint.module


def hint_for(err):
    """The first hint of :data:`HINTS` that applies to ``err`` (an
    :class:`ErrorText`), its sentence filled; None when none does. A hint's
    ``applies`` gives the values of its placeholders, or the diagnosis itself
    (a library drift: the table's entry)."""
    for hint in HINTS:
        if not _reads(hint, err.case.module):
            continue
        values = hint.applies(err)
        if isinstance(values, Diagnosis):
            return values
        if values is not None:
            return hint.given(**values) if values else hint
    return None
