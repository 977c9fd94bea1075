"""displayData's layout, training with the default seed, ex4.py run end to
end as a student would run it (in a subprocess, headless, no pauses), its
verdicts on the handout's values, and its one-line stop (terminal, IPython).
"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import ex4data  # noqa: E402
from commands import ROOT, python  # noqa: E402
from conftest import skip_for_course_file  # noqa: E402
from displayData import displayData  # noqa: E402

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("scripts")



# For the scripts run in a copy of the project whose course files (or their
# absence) the test chooses: no EX4_DATA_DIR.
OWN_FILES = {ex4data.DATA_DIR_VARIABLE: None}


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
    return python(ROOT / "ex4.py", "--no-pause", *args, cwd=cwd)


@pytest.mark.slow
def test_ex4_script_end_to_end(course_weights, tmp_path):
    result = _run_ex4("--figures", str(tmp_path))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert ("Cost at parameters (loaded from ex4weights): 0.287629\n(this value should be about "
            "0.287629)\nVerdict: right, 0.287629 is the handout's value to the 6 printed "
            "decimals.") in out
    assert "Cost at parameters (loaded from ex4weights): 0.383770" in out
    assert "Verdict: right, 0.383770 is the handout's value" in out
    assert "0.196612 0.235004 0.250000 0.235004 0.196612" in out
    assert "Cost at (fixed) debugging parameters (w/ lambda = 3): 0.576051" in out
    assert "Verdict: right, 0.576051 is the handout's value" in out
    assert out.count("Verdict: right") == 8 and "Verdict: wrong" not in out
    assert "so 96.4 is fine" in out and "95.8-96.9%" in out
    for name in (ex4data.DATA_FILE, ex4data.WEIGHTS_FILE):      # data/NAME, unless EX4_DATA_DIR
        assert f"(from {os.path.relpath(ex4data.find_course_file(name), ROOT)})" in out
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
    result = python("ex4.py", "--no-pause", "--maxiter", 2, cwd=tmp_path, env=OWN_FILES)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ex4weights.mat is missing" in out and str(tmp_path / "data") in out
    assert out.count("(skipped: needs data/ex4weights.mat)") == 2
    assert "Relative Difference:" in out and "Training Set Accuracy:" in out


# --- verdicts: the handout's value, or the likely mistake -----------------------

@pytest.fixture(scope="module")
def mistakes_table(request):
    """What `python -m autograder release` ships for the verdicts: at the
    course weights when they are found, else without the steps on them."""
    from autograder.course import load_course
    from autograder.release import handout_mistakes
    folder = (request.getfixturevalue("grading_data") if ex4data.weights_available()
              else ROOT / "data")
    course, _ = load_course(folder)
    return handout_mistakes(course)


def test_verdicts_right_wrong_and_the_likely_mistake(mistakes_table, monkeypatch):
    import ex4helpers
    monkeypatch.setattr(ex4helpers, "_mistakes", mistakes_table)
    assert ex4helpers.cost_verdict(0.2876292, 0) == \
        "Verdict: right, 0.287629 is the handout's value to the 6 printed decimals."
    wrong = ex4helpers.cost_verdict(0.2876302, 0).splitlines()
    assert wrong[0] == "Verdict: wrong, 0.287630 is not the handout's 0.287629."
    assert "No usual mistake gives this value" in wrong[1] and "python -m pytest" in wrong[1]
    g = np.array([0.196612, 0.235004, 0.25, 0.235004, 0.196612])
    assert ex4helpers.sigmoid_gradient_verdict(g).startswith("Verdict: right")
    z = np.array([-1, -0.5, 0, 0.5, 1])
    text = ex4helpers.sigmoid_gradient_verdict(z * (1 - z))
    assert "Likely mistake: this is z * (1 - z)" in text
    assert ex4helpers.gradient_check_verdict(2.4e-11, 3) == (
        "Verdict: right, 2.4e-11 is below 1e-9: backpropagation agrees with the numerical "
        "gradient.")
    text = ex4helpers.gradient_check_verdict(
        0.3, 0, grad=np.asarray(mistakes_table["gradient_check"]["column_major"][1]))
    assert text.startswith("Verdict: wrong, 0.3 is not below 1e-9")
    assert "Likely mistake: nn_params is unrolled column-major" in text
    assert "so 95.9 is fine" in ex4helpers.accuracy_verdict(95.9, 50, 1.0)
    assert ex4helpers.accuracy_verdict(91.0, 50, 1.0).startswith("Verdict: too low")
    assert "this run: 200 iterations, lambda = 0" in ex4helpers.accuracy_verdict(99.0, 200, 0.0)


def test_gradient_check_verdict_blames_a_wrong_regularised_cost(mistakes_table, monkeypatch):
    """The bias weights regularised in the cost only: the gradient is right,
    the numerical gradient (from the cost) is not, and no modelled mistake
    gives that gradient: the verdict points at the cost, 0.576051's problem."""
    import types
    import ex4helpers
    import nnCostFunction as reference
    monkeypatch.setattr(ex4helpers, "_mistakes", mistakes_table)

    def bias_in_cost_only(nn_params, n, h, K, X, y, lambda_):
        J, grad = reference.nnCostFunction(nn_params, n, h, K, X, y, lambda_)
        Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1)
        Theta2 = nn_params[h * (n + 1):].reshape(K, h + 1)
        bias = np.sum(Theta1[:, 0] ** 2) + np.sum(Theta2[:, 0] ** 2)
        return J + lambda_ / (2 * X.shape[0]) * bias, grad

    monkeypatch.setitem(sys.modules, "nnCostFunction",
                        types.SimpleNamespace(nnCostFunction=bias_in_cost_only))
    text = ex4helpers.gradient_check_verdict(0.111, 3).splitlines()
    assert text[0] == "Verdict: wrong, 0.111 is not below 1e-9: backpropagation and the " \
                      "numerical gradient disagree."
    J, _ = ex4helpers._debug_cost_and_gradient(3)
    assert f"{J:f}" != "0.576051"
    assert text[1] == (f"Likely cause: your cost on this problem is wrong too ({J:f}, the "
                       f"handout's 0.576051, checked below), and the numerical gradient is "
                       f"computed from your cost: fix the regularised cost first (section 3.4).")
    # Without lambda = 3 (the handout gives no cost there), no such claim.
    assert "Likely cause" not in ex4helpers.gradient_check_verdict(0.111, 0)


def test_verdict_table_of_the_course_weights(mistakes_table, course_weights):
    """The modelled mistakes' costs at the course weights, as ex4.py prints them."""
    costs = {name: f"{value:f}" for name, (_, value) in mistakes_table["regularized_cost"].items()}
    assert costs["regularize_bias"] == "0.384488"
    assert mistakes_table["cost"]["raw_labels"][1] == pytest.approx(304.799133, abs=1e-6)
    # a mistake that gives the right value at a step is left out of it
    assert "regularize_bias" not in mistakes_table["cost"]
    assert "no_cost_regularization" not in mistakes_table["gradient_check"]


@pytest.mark.slow
def test_release_ex4_names_the_likely_mistake(course_weights, tmp_path):
    """A student who regularises the bias weights: wrong values, each with the
    grader's diagnosis, in the student release (the table ships there)."""
    from autograder.release import make_release
    if not (ex4data.DATA_DIR / ex4data.WEIGHTS_FILE).is_file():    # found in EX4_DATA_DIR only
        skip_for_course_file("needs the course weights in data/: the release ships data/'s "
                             "files and its table of the likely mistakes is computed on them")
    sys.path.insert(0, str(ROOT / "tests"))
    from submissions import write_submission
    folder, _ = make_release(tmp_path / "release", verbose=False)
    write_submission("bias_regularised", folder)
    result = python("ex4.py", "--no-pause", "--maxiter", 2, cwd=folder)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("Cost at parameters (loaded from ex4weights): 0.384488\n(this value should be about "
            "0.383770)\nVerdict: wrong, 0.384488 is not the handout's 0.383770.\n"
            "Likely mistake: the bias weights are regularised") in out
    assert "Verdict: wrong, 0.578205 is not the handout's 0.576051." in out
    assert out.count("Likely mistake: the bias weights are regularised") == 2
    assert out.count("Verdict: right") == 5                 # sigmoid, 0.287629, g', 2 checks


# --- the one-line stop and the course files next to ex4.py ----------------------

def _student_copy(tmp_path, stub=("sigmoid.py",)):
    """The project's modules in tmp_path, some student files stubbed."""
    import shutil
    from autograder.release import stub_source
    for f in ROOT.glob("*.py"):
        text = f.read_text()
        (tmp_path / f.name).write_text(stub_source(text, f.name) if f.name in stub else text)
    (tmp_path / "data").mkdir()
    return shutil


@pytest.mark.slow
def test_stop_is_one_line_in_ipython_and_scoped_to_the_exercise(tmp_path):
    """%run ex4.py in IPython: the stub's error is one line; a NotImplementedError
    raised elsewhere (typed at the prompt) keeps its traceback."""
    _student_copy(tmp_path)
    code = "%run ex4.py --no-pause\nraise NotImplementedError('typed at the prompt')"
    result = python("-m", "IPython", "--no-banner", "--colors=NoColor", "-c", code,
                    cwd=tmp_path, timeout=300)
    both = result.stdout + result.stderr
    assert both.count("Stopped:") == 1
    assert "Stopped: sigmoid is not implemented yet: complete sigmoid.py" in both
    assert both.count("Traceback") == 1 and "NotImplementedError: typed at the prompt" in both
    assert "File" not in both.split("typed at the prompt")[0]   # the stop shows no frame


def test_terminal_stop_is_scoped_to_the_exercise(tmp_path):
    _student_copy(tmp_path)
    code = ("import ex4helpers; ex4helpers.stop_quietly_on_not_implemented()\n"
            "raise NotImplementedError('not the exercise')")
    result = python("-c", code, cwd=tmp_path, timeout=120)
    assert "Traceback" in result.stderr and "Stopped" not in result.stderr


def test_course_files_next_to_ex4_are_found(course_weights, tmp_path):
    """The handout keeps the course files next to ex4.py: found there too, and said."""
    shutil = _student_copy(tmp_path, stub=())
    shutil.copy(ex4data.find_course_file(ex4data.WEIGHTS_FILE), tmp_path / "ex4weights.mat")
    source = ROOT / "data" / "ex4data1.mat"
    if source.exists():
        shutil.copy(source, tmp_path / "ex4data1.mat")
    result = python("ex4.py", "--no-pause", "--maxiter", 1, cwd=tmp_path, env=OWN_FILES)
    assert result.returncode == 0, result.stderr
    assert "(from ex4weights.mat)" in result.stdout
    assert "(from ex4data1.mat)" in result.stdout or not source.exists()
    assert "Verdict: right, 0.287629 is the handout's value" in result.stdout
