"""One call of a student's function, as a case asks it, in the part's process."""
import importlib
import os
import traceback
import warnings

from .course import argument

MAX_WARNINGS = 10           # distinct warnings recorded per call


def run_call(call, course):
    """Run one call of a case.

    Parameters
    ----------
    call : dict
        The case's call (cases.py): "kind" is "call" (a student's function
        with arguments), "randinit" (draws of randInitializeWeights) or
        "train" (trainNeuralNetwork on the course data).
    course : CourseData
        The course data the arguments may name.

    Returns
    -------
    value : object
        What the call returned.
    notes : dict
        What else was seen: the arguments changed in place, whether the
        global random generator was used.
    """
    kind = call["kind"]
    if kind == "call":
        return call_function(call, course)
    if kind == "randinit":
        return draw_weights(call["draws"])
    if kind == "train":
        return train(call, course)
    raise ValueError(f"unknown call kind {kind!r}")


def call_function(call, course):
    """A student's function on the case's arguments, and the arguments it changed."""
    import numpy as np
    module = importlib.import_module(call["module"])
    function = getattr(module, call["function"])
    args = [argument(a, course) for a in call["args"]]
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    value = function(*args)
    changes = [_change(call["arg_names"][i], after, earlier)
               for i, (after, earlier) in enumerate(zip(args, before))
               if earlier is not None and _changed(after, earlier)]
    return value, {"mutated": [c["name"] for c in changes], "mutations": changes}


def _changed(after, before):
    import numpy as np
    return not (after.shape == before.shape and np.array_equal(after, before, equal_nan=True))


def _change(name, after, before):
    """How the argument ``name`` changed: its shapes, and how many values changed."""
    import numpy as np
    changed = None
    if after.shape == before.shape:
        if after.dtype.kind in "fc":
            same = (after == before) | (np.isnan(after) & np.isnan(before))
        else:
            same = after == before
        changed = int(np.sum(~same))
    return {"name": name, "shape_before": list(before.shape), "shape_after": list(after.shape),
            "changed": changed, "size": int(before.size)}


def draw_weights(draws):
    """randInitializeWeights for each (seed, L_in, L_out), and whether it
    drew from NumPy's global generator."""
    import numpy as np
    from randInitializeWeights import randInitializeWeights
    weights, moved = [], []
    for seed, L_in, L_out in draws:
        np.random.seed(seed)
        before = np.random.get_state()
        weights.append(randInitializeWeights(L_in, L_out))
        after = np.random.get_state()
        moved.append(not (np.array_equal(before[1], after[1]) and before[2] == after[2]))
    return tuple(weights), {"global_generator_used": moved}


def train(call, course):
    """The provided trainNeuralNetwork from the student's random initial
    weights, on the course data: (parameters, costs)."""
    import numpy as np
    from randInitializeWeights import randInitializeWeights
    from trainNeuralNetwork import trainNeuralNetwork
    X, y = course.get("X"), course.get("y")
    np.random.seed(call["seed"])
    p0 = np.concatenate([np.ravel(randInitializeWeights(400, 25)),
                         np.ravel(randInitializeWeights(25, 10))])
    params, costs = trainNeuralNetwork(p0, 400, 25, 10, X, y, call["lambda"],
                                       maxiter=call["maxiter"], verbose=False)
    return (params, np.asarray(costs)), {}


def call_recording_warnings(call, course, scratch):
    """`run_call`, with the warnings it raises recorded instead of printed.

    Each warning is recorded once (category, message, file name and line,
    no scratch path), so that the grader can tell a warning caused by its
    own inputs from the student's. Returns `run_call`'s (value, notes),
    the notes with "warnings" when there were some.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, notes = run_call(call, course)
    seen = []
    for w in caught:
        item = _warning_record(w, scratch)
        if item not in seen:
            seen.append(item)
        if len(seen) >= MAX_WARNINGS:
            break
    if seen:
        notes = dict(notes, warnings=seen)
    return value, notes


def _warning_record(w, scratch):
    path = os.path.abspath(str(w.filename))
    where = (os.path.basename(path) if os.path.dirname(path) == scratch
             else "the library" if not str(w.filename).startswith("<") else str(w.filename))
    return {"category": w.category.__name__, "message": str(w.message)[:300],
            "file": where, "line": w.lineno}


def student_error(exc, scratch):
    """The error of a call: its type, its message, and the deepest line of
    the student's own files that it went through ("where", or None)."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<"):          # <frozen importlib...>, <string>
            continue
        path = os.path.abspath(frame.filename)
        if os.path.dirname(path) == scratch and os.path.basename(path) != "child.py":
            where = {"file": os.path.basename(path), "line": frame.lineno,
                     "code": (frame.line or "").strip()}
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    elif isinstance(exc, KeyboardInterrupt):
        message = "the code raised KeyboardInterrupt"
    else:
        message = str(exc)[:2000]
    return {"type": type(exc).__name__, "message": message, "where": where}
