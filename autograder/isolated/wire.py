"""The JSON form of the values that cross the process boundary.

Only JSON crosses it (never pickle: the student's process is not
trusted). Arrays are ``{"__ndarray__": [...], "dtype": ..., "shape":
[...]}``; a Python number is the same with ``"shape": None``; a tuple is
``{"__tuple__": [...]}``; what cannot be sent is ``{"__unsupported__":
description}``. JSON has no NaN or infinity: they are the strings 'nan',
'inf' and '-inf'.
"""
import math

MAX_ARRAY = 200_000        # elements; larger outputs are summarised, not sent


def encode(value):
    """The JSON-able form of a value.

    Parameters
    ----------
    value : object
        A number, an array, a list, a tuple or None (anything else is
        described as unsupported).

    Returns
    -------
    dict
        Its JSON-able form (see the module's docstring).
    """
    import numpy as np
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, np.generic):
        return encode(np.asarray(value))
    if isinstance(value, (bool, int, float)) or value is None:
        return {"__ndarray__": [_number(value)], "dtype": type(value).__name__,
                "shape": None}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return _encode_list(value)
    return {"__unsupported__": f"a value of type {type(value).__name__}"}


def _encode_array(value):
    if value.dtype.kind not in "biuf":
        return {"__unsupported__": f"an array of dtype {value.dtype}",
                "shape": list(value.shape)}
    if value.size > MAX_ARRAY:
        return {"__unsupported__": f"an array of {value.size} elements (too large)",
                "shape": list(value.shape)}
    return {"__ndarray__": [_number(v) for v in value.ravel().tolist()],
            "dtype": str(value.dtype), "shape": list(value.shape)}


def _encode_list(value):
    """A numeric list as an array marked ``was_list``."""
    import numpy as np
    try:
        arr = np.asarray(value)
    except Exception:                                   # ragged...
        arr = None
    if arr is not None and arr.dtype.kind in "biuf":
        out = encode(arr)
        out["was_list"] = True
        return out
    return {"__unsupported__": "a list that is not a numeric array"}


def _number(v):
    """JSON has no NaN/inf: spell them as strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)                                      # 'nan', 'inf', '-inf'
    return v


def decode(obj):
    """The inverse of `encode`, for the grader's inputs (the trusted direction).

    Parameters
    ----------
    obj : object
        What `encode` returned, or a list or plain JSON value.

    Returns
    -------
    object
        The array, number or tuple; lists decoded element by element; any
        other value as it is.
    """
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
