"""Runs a student's functions for the grader, in a separate process.

The grader copies this file into a scratch folder with the student's files
and the provided modules, then runs ``python -I child.py REQUEST RESULTS``.
REQUEST (JSON) lists the calls of one part; each result is appended to
RESULTS as one JSON line, as soon as it is known, so that a call that
kills the process (``os._exit``, a signal) loses only what comes after it.
Nothing here decides a score: the grader compares the values.

Only JSON crosses the process boundary (never pickle: the student's
process is not trusted). Arrays are ``{"__ndarray__": [...], "dtype": ...,
"shape": [...]}``.
"""
import json
import math
import os
import sys
import traceback

MAX_ARRAY = 200_000        # elements; larger outputs are summarised, not sent


def encode(value):
    """A JSON-able form of value (numbers, arrays, lists, tuples, None)."""
    import numpy as np
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return {"__unsupported__": f"an array of dtype {value.dtype}",
                    "shape": list(value.shape)}
        if value.size > MAX_ARRAY:
            return {"__unsupported__": f"an array of {value.size} elements (too large)",
                    "shape": list(value.shape)}
        return {"__ndarray__": [_number(v) for v in value.ravel().tolist()],
                "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return encode(np.asarray(value))
    if isinstance(value, (bool, int, float)) or value is None:
        return {"__ndarray__": [_number(value)], "dtype": type(value).__name__,
                "shape": None}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        try:
            arr = np.asarray(value)
        except Exception:                                   # ragged...
            arr = None
        if arr is not None and arr.dtype.kind in "biuf":
            out = encode(arr)
            out["was_list"] = True
            return out
        return {"__unsupported__": "a list that is not a numeric array"}
    return {"__unsupported__": f"a value of type {type(value).__name__}"}


def _number(v):
    """JSON has no NaN/inf: spell them as strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)                                      # 'nan', 'inf', '-inf'
    return v


def decode(obj):
    """The inverse of encode for the grader's inputs (trusted direction)."""
    import numpy as np
    if isinstance(obj, dict) and "__ndarray__" in obj:
        data = [float(v) if isinstance(v, str) else v for v in obj["__ndarray__"]]
        if obj.get("shape") is None:
            return {"int": int, "float": float, "bool": bool}.get(obj["dtype"], float)(data[0])
        return np.array(data, dtype=obj["dtype"]).reshape(obj["shape"])
    if isinstance(obj, dict) and "__tuple__" in obj:
        return tuple(decode(v) for v in obj["__tuple__"])
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    return obj


class CourseData:
    """The course files, loaded on first use (arguments {"__course__": name})."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.cache = {}

    def get(self, name):
        import numpy as np
        import scipy.io
        if name not in self.cache:
            if name in ("X", "y"):
                d = scipy.io.loadmat(os.path.join(self.data_dir, "ex4data1.mat"))
                self.cache["X"] = np.ascontiguousarray(d["X"], dtype=np.float64)
                self.cache["y"] = d["y"].ravel().astype(np.int64)
            else:
                w = scipy.io.loadmat(os.path.join(self.data_dir, "ex4weights.mat"))
                t1, t2 = w["Theta1"].astype(np.float64), w["Theta2"].astype(np.float64)
                self.cache.update(Theta1=t1, Theta2=t2,
                                  params=np.concatenate([t1.ravel(), t2.ravel()]))
        return self.cache[name].copy()


def _resolve(obj, course):
    if isinstance(obj, dict) and "__course__" in obj:
        return course.get(obj["__course__"])
    return decode(obj)


def _student_error(exc, scratch):
    """Type, message, and the deepest line of the student's own files."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
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


def run_call(call, course):
    """One call of a student's function; returns (outputs, notes)."""
    import importlib
    import numpy as np
    kind = call["kind"]
    if kind == "call":
        module = importlib.import_module(call["module"])
        function = getattr(module, call["function"])
        args = [_resolve(a, course) for a in call["args"]]
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        value = function(*args)
        mutated = [call["arg_names"][i] for i, (a, b) in enumerate(zip(args, before))
                   if b is not None and not (a.shape == b.shape and np.array_equal(a, b, equal_nan=True))]
        return value, {"mutated": mutated}
    if kind == "randinit":
        from randInitializeWeights import randInitializeWeights
        draws = []
        for seed, L_in, L_out in call["draws"]:
            np.random.seed(seed)
            state = np.random.get_state()[1].copy()
            W = randInitializeWeights(L_in, L_out)
            moved = not np.array_equal(state, np.random.get_state()[1]) \
                or np.random.get_state()[2] != 0
            draws.append((W, moved))
        return tuple(w for w, _ in draws), {"global_generator_used": [m for _, m in draws]}
    if kind == "train":
        from randInitializeWeights import randInitializeWeights
        from trainNeuralNetwork import trainNeuralNetwork
        X, y = course.get("X"), course.get("y")
        np.random.seed(call["seed"])
        p0 = np.concatenate([np.ravel(randInitializeWeights(400, 25)),
                             np.ravel(randInitializeWeights(25, 10))])
        params, costs = trainNeuralNetwork(p0, 400, 25, 10, X, y, call["lambda"],
                                           maxiter=call["maxiter"], verbose=False)
        return (params, np.asarray(costs)), {}
    raise ValueError(f"unknown call kind {kind!r}")


def limit_resources(limits):
    """Unix: cap memory, file size and core dumps of this process (and of
    what it starts), before any student code runs. Elsewhere: nothing."""
    try:
        import resource
    except ImportError:                   # Windows
        return
    for name, value in limits.items():
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (AttributeError, ValueError, OSError):
            pass


def main(request_path, results_path):
    scratch = os.path.dirname(os.path.abspath(request_path))
    with open(request_path) as f:
        request = json.load(f)
    limit_resources(request.get("limits", {}))
    sys.path.insert(0, scratch)
    os.chdir(scratch)
    course = CourseData(request["data_dir"])
    import numpy as np  # noqa: F401  (imported before the student's code runs)
    with open(results_path, "a") as out:
        for case in request["cases"]:
            record = {"id": case["id"]}
            try:
                value, notes = run_call(case["call"], course)
                record.update(ok=True, value=encode(value), notes=notes)
            except BaseException as exc:        # SystemExit, KeyboardInterrupt too
                record.update(ok=False, error=_student_error(exc, scratch))
                if isinstance(exc, MemoryError):
                    record["error"]["message"] = "out of memory (MemoryError)"
            out.write(json.dumps(record) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    # Exit through os._exit so that a student's atexit handler or a
    # lingering thread cannot change what the grader sees.
    code = main(sys.argv[1], sys.argv[2])
    sys.stdout.flush()
    os._exit(code)
