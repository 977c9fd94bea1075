"""The student's values: read what their code returned, check its form, show
where it differs.

A value that cannot be used (a tuple where a number is expected, a wrong
shape, nan) raises :class:`BadValue`, whose message the feedback shows.
"""
import numpy as np

from . import scheme
from .isolated.wire import decode

MAX_DIFFS = 5                       # differing elements shown
FIRST_ONES = "; the first ones:"    # ends the line that counts the differing elements


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


def fmt(x):
    """A number as the feedback shows it: 5 decimals, or 5 significant digits."""
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
        return [f"    {what}: expected {fmt(expected[()])}, obtained {fmt(got[()])}"]
    bad = np.argwhere(~np.isclose(got, expected, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL))
    lines = [f"    {what}: {len(bad)} of {expected.size} values differ{FIRST_ONES}"]
    for idx in bad[:MAX_DIFFS]:
        idx = tuple(int(i) for i in idx)
        lines.append(f"      {what}[{', '.join(map(str, idx))}]: "
                     f"expected {fmt(expected[idx])}, obtained {fmt(got[idx])}")
    return lines

