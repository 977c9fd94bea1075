"""displayData's layout, training with the default seed, and ex4.py run end
to end as a student would run it (in a subprocess, headless, no pauses).
"""
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from displayData import displayData  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_display_array_layout_and_orientation():
    # Two 2x3 images (height 2, width 3) stored column-major:
    # image 0 is [[1, 3, 5], [2, 4, 6]] once reshaped with order='F'.
    X = np.array([[1.0, 2, 3, 4, 5, 6], [-6, 0, 0, 0, 0, 3]])
    fig, grid = displayData(X, example_width=3)
    # floor(sqrt(2)) = 1 row, ceil(2 / 1) = 2 columns, 1 pixel of padding.
    assert grid.shape == (1 + 1 * (2 + 1), 1 + 2 * (3 + 1))
    np.testing.assert_array_equal(grid[1:3, 1:4], np.array([[1, 3, 5], [2, 4, 6]]) / 6)
    np.testing.assert_array_equal(grid[1:3, 5:8], np.array([[-6, 0, 0], [0, 0, 3]]) / 6)
    assert np.all(grid[0, :] == -1) and np.all(grid[:, 0] == -1) and np.all(grid[:, 4] == -1)
    ax = fig.axes[0]
    assert not ax.axison
    assert ax.images[0].get_cmap().name == "gray"
    assert ax.images[0].get_clim() == (-1, 1)


def test_display_grid_for_hidden_units_and_partial_last_row():
    fig, grid = displayData(np.ones((25, 400)))          # Theta1 without bias
    assert grid.shape == (1 + 5 * 21, 1 + 5 * 21)
    fig, grid = displayData(np.ones((7, 16)))            # 2 rows, 4 columns, 1 empty slot
    assert grid.shape == (1 + 2 * 5, 1 + 4 * 5)
    assert np.all(grid[6:10, 16:20] == -1)               # the empty slot stays background
    assert np.all(grid[1:5, 1:5] == 1)


def test_display_digit_is_upright(course_data):
    """The average '1' of the course data is a vertical stroke: its ink
    spreads over many rows and few columns (transposed, it would lie flat)."""
    X, y = course_data
    one = X[y == 1].mean(axis=0)                          # the average '1'
    _, grid = displayData(one[np.newaxis, :])
    patch = grid[1:21, 1:21] > 0.3
    rows, cols = np.nonzero(patch)
    assert np.ptp(rows) >= 12 and np.ptp(rows) >= 1.5 * np.ptp(cols)


def test_display_rejects_bad_width():
    with pytest.raises(ValueError, match="example_width must be a positive integer that divides the 10"):
        displayData(np.ones((2, 10)), example_width=3)


def unroll(*thetas):
    return np.concatenate([t.ravel() for t in thetas])


@pytest.mark.slow
def test_training_with_default_seed_reaches_handout_accuracy(course_data):
    from ex4helpers import DEFAULT_SEED
    from predictNeuralNetwork import predictNeuralNetwork
    from randInitializeWeights import randInitializeWeights
    from trainNeuralNetwork import trainNeuralNetwork
    X, y = course_data
    np.random.seed(DEFAULT_SEED)
    p0 = unroll(randInitializeWeights(400, 25), randInitializeWeights(25, 10))
    p, costs, evaluations = trainNeuralNetwork(p0, 400, 25, 10, X, y, 1.0, maxiter=50,
                                               verbose=False, full_output=True)
    assert len(costs) == 50
    assert all(b <= a + 1e-12 for a, b in zip(costs, costs[1:]))   # CG never goes up
    assert evaluations <= 130                       # one evaluation per point
    Theta1, Theta2 = p[:25 * 401].reshape(25, 401), p[25 * 401:].reshape(10, 26)
    accuracy = np.mean(predictNeuralNetwork(Theta1, Theta2, X) == y) * 100
    assert accuracy >= 94.3                        # handout: 95.3 +- 1


def test_training_callback_sees_every_iteration():
    from trainNeuralNetwork import trainNeuralNetwork
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 4)), rng.integers(1, 4, size=30)
    seen = []
    p, costs = trainNeuralNetwork(rng.normal(scale=0.1, size=5 * 5 + 3 * 6), 4, 5, 3, X, y, 0.1,
                                  maxiter=7, verbose=False,
                                  callback=lambda i, params, c: seen.append((i, c)))
    assert [i for i, _ in seen] == list(range(1, 8)) and [c for _, c in seen] == costs
    with pytest.raises(ValueError, match="maxiter must be a positive integer"):
        trainNeuralNetwork(p, 4, 5, 3, X, y, 0.1, maxiter=0)


def _run_ex4(*args, cwd=ROOT):
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run([sys.executable, str(ROOT / "ex4.py"), "--no-pause", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=600,
                          stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_ex4_script_end_to_end(course_weights, tmp_path):
    result = _run_ex4("--figures", str(tmp_path))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Cost at parameters (loaded from ex4weights): 0.287629\n(this value should be about 0.287629)" in out
    assert "Cost at parameters (loaded from ex4weights): 0.383770" in out
    assert "0.196612 0.235004 0.250000 0.235004 0.196612" in out
    assert "Cost at (fixed) debugging parameters (w/ lambda = 3): 0.576051" in out
    diffs = [float(line.split(":")[1]) for line in out.splitlines()
             if line.startswith("Relative Difference:")]
    assert len(diffs) == 2 and max(diffs) < 1e-9
    iterations = [line for line in out.splitlines() if line.startswith("Iteration")]
    assert len(iterations) == 50 and iterations[-1].startswith("Iteration   50 | Cost: ")
    accuracy = float(out.split("Training Set Accuracy: ")[1].split()[0])
    assert accuracy >= 94.3
    assert "Program paused" not in out                 # stdin is not a terminal
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex4_hidden_units.png",
                                                          "ex4_training_examples.png"]
    assert result.stderr == ""                         # no warning, no traceback


def test_ex4_options_and_kernel_arguments(tmp_path):
    """IPython kernels add their own arguments: they are ignored."""
    result = _run_ex4("--maxiter", "3", "--lambda", "0.5", "--seed", "7", "--figures",
                      str(tmp_path), "-f", "/tmp/kernel-123.json")
    assert result.returncode == 0, result.stderr
    assert [line[:14] for line in result.stdout.splitlines() if line.startswith("Iteration")] \
        == ["Iteration    1", "Iteration    2", "Iteration    3"]
    assert "(seed 7)" in result.stdout


def test_ex4_without_course_weights_skips_those_steps(tmp_path):
    """A copy of the project without data/ex4weights.mat: the steps that need
    it say so, everything else runs."""
    import shutil
    for f in ROOT.glob("*.py"):
        shutil.copy(f, tmp_path)
    (tmp_path / "data").mkdir()
    source = ROOT / "data" / "ex4data1.mat"
    if source.exists():
        shutil.copy(source, tmp_path / "data")
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, "ex4.py", "--no-pause", "--maxiter", "2"],
                            cwd=tmp_path, capture_output=True, text=True, env=env,
                            timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ex4weights.mat is missing" in out and str(tmp_path / "data") in out
    assert out.count("(skipped: needs data/ex4weights.mat)") == 2
    assert "Relative Difference:" in out and "Training Set Accuracy:" in out
