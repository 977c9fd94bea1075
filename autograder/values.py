"""The student's values: read what their code returned, check its form, show
where it differs.

A value that cannot be used (a tuple where a number is expected, a wrong
shape, nan) raises :class:`BadValue`, whose message the feedback shows.
"""
import numpy as np

from . import scheme
from .isolated.wire import decode
from .texts import Text, indented, said

MAX_DIFFS = 5                       # differing elements shown
FIRST_ONES = "; the first ones:"    # ends the line that counts the differing elements
FIRST_ONES_SAID = said("; the first ones:")


class BadValue(Exception):
    """The student's value is not of a usable kind (the message says why)."""


def student_value(encoded):
    """Decode what the student's code returned; refuses what is not numeric."""
    if isinstance(encoded, dict) and "__unsupported__" in encoded:
        raise BadValue(said("returned {what}", what=encoded['__unsupported__']))
    try:
        value = decode(encoded)
    except Exception as exc:                       # malformed record
        raise BadValue(said("returned something that could not be read ({error})",
                            error=str(exc)))
    return value


def fmt(x):
    """A number as the feedback shows it: 5 decimals, or 5 significant digits."""
    return f"{x:.5f}" if isinstance(x, (float, np.floating)) and abs(x) >= 1e-4 or x == 0 \
        else f"{x:.5g}"


def as_scalar(value, what):
    """A float from a number or a one-element array; notes about its form."""
    notes = []
    if isinstance(value, tuple):
        raise BadValue(said("{what} is a tuple of {n} items, a number was expected",
                            what=what, n=str(len(value))))
    arr = np.asarray(value)
    if arr.size != 1:
        raise BadValue(said("{what} must be a number, found an array of shape {shape}",
                            what=what, shape=str(arr.shape)))
    if arr.ndim > 0:
        notes.append(indented(said("note: {what} is an array of shape {shape}; a float is "
                                   "expected (float(...) converts it)",
                                   what=what, shape=str(arr.shape))))
    if arr.dtype.kind not in "biuf":
        raise BadValue(said("{what} must be a real number, found dtype {dtype}",
                            what=what, dtype=str(arr.dtype)))
    x = float(arr.reshape(()))
    if not np.isfinite(x):
        raise BadValue(said("{what} is {value}", what=what, value=str(x)))
    return x, notes


def as_array(value, shape, what, flexible_vector=False):
    """An array of the expected shape; notes about its form."""
    notes = []
    if isinstance(value, tuple):
        raise BadValue(said("{what} is a tuple of {n} items, an array was expected",
                            what=what, n=str(len(value))))
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise BadValue(said("{what} must be numeric, found dtype {dtype}",
                            what=what, dtype=str(arr.dtype)))
    if arr.shape != tuple(shape):
        if flexible_vector and arr.size == int(np.prod(shape)) and \
                sum(d > 1 for d in arr.shape) <= 1 and len(shape) == 1:
            notes.append(indented(said("note: {what} has shape {shape}; shape {expected} is "
                                       "expected (np.ravel makes it 1-D)", what=what,
                                       shape=str(arr.shape), expected=str(tuple(shape)))))
            arr = arr.reshape(shape)
        else:
            raise BadValue(said("{what} must have shape {expected}, found shape {shape}",
                                what=what, expected=str(tuple(shape)), shape=str(arr.shape)))
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        if bad:
            raise BadValue(said("{what} holds {value} (first at [{index}])", what=what,
                                value=str(arr[bad]), index=", ".join(map(str, bad))))
        raise BadValue(said("{what} holds {value}", what=what, value=str(arr[bad])))
    return arr, notes


def close(a, b):
    return np.allclose(a, b, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL)


def array_diff_lines(got, expected, what):
    """The first differing elements of two arrays of the same shape."""
    if expected.ndim == 0:                         # a scalar: no index to show
        return [indented(said("{what}: expected {expected}, obtained {obtained}", what=what,
                              expected=fmt(expected[()]), obtained=fmt(got[()])))]
    bad = np.argwhere(~np.isclose(got, expected, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL))
    lines = [differing(what, len(bad), expected.size, FIRST_ONES_SAID)]
    for idx in bad[:MAX_DIFFS]:
        idx = tuple(int(i) for i in idx)
        lines.append(indented(said("{what}: expected {expected}, obtained {obtained}",
                                   what=f"{what}[{', '.join(map(str, idx))}]",
                                   expected=fmt(expected[idx]), obtained=fmt(got[idx])),
                              "      "))
    return lines


def differing(what, n, size, first_ones=""):
    """The line that counts the differing values ("grad: 3 of 38 values differ")."""
    return indented(said("{what}: {n} of {size} values differ{first_ones}", what=what,
                         n=str(n), size=str(size), first_ones=first_ones))


def without_first_ones(line):
    """The line that counts the differing values, without "; the first ones:"
    (their values are not shown)."""
    inner = line.values.get("text") if isinstance(line, Text) else None
    if isinstance(inner, Text) and inner.values.get("first_ones"):
        return indented(inner.format(first_ones=""), line.message[:-len("{text}")])
    return line[:-len(FIRST_ONES)]

