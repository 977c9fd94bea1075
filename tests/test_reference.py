"""The reference solution reproduces the handout's numbers and keeps its
contracts: shapes, conventions, validation, numerical stability.
"""
import warnings

import numpy as np
import pytest

from checkNNGradients import checkNNGradients
from computeNumericalGradient import computeNumericalGradient
from debugInitializeWeights import debugInitializeWeights
from nnCostFunction import nnCostFunction
from predictNeuralNetwork import predictNeuralNetwork
from randInitializeWeights import randInitializeWeights
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def unroll(*thetas):
    return np.concatenate([t.ravel() for t in thetas])


def loop_cost_and_grad(Theta1, Theta2, X, y, lambda_):
    """The handout's teaching form, one example at a time: an independent
    implementation to compare nnCostFunction with."""
    m, K = X.shape[0], Theta2.shape[0]
    J = 0.0
    D1, D2 = np.zeros_like(Theta1), np.zeros_like(Theta2)
    for t in range(m):
        a1 = np.concatenate([[1.0], X[t]])
        z2 = Theta1 @ a1
        a2 = np.concatenate([[1.0], 1 / (1 + np.exp(-z2))])
        a3 = 1 / (1 + np.exp(-(Theta2 @ a2)))
        yk = np.zeros(K)
        yk[int(y[t]) - 1] = 1
        J += np.sum(-yk * np.log(a3) - (1 - yk) * np.log(1 - a3))
        d3 = a3 - yk
        d2 = (Theta2.T @ d3)[1:] * (a2[1:] * (1 - a2[1:]))
        D1 += np.outer(d2, a1)
        D2 += np.outer(d3, a2)
    J = J / m + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    D1 /= m
    D2 /= m
    D1[:, 1:] += lambda_ / m * Theta1[:, 1:]
    D2[:, 1:] += lambda_ / m * Theta2[:, 1:]
    return J, unroll(D1, D2)


# Coursera's grading inputs (submit.m), in NumPy: MATLAB's reshape is column-major.
def coursera_inputs():
    Xm = np.sin(np.arange(1, 33)).reshape(16, 2, order="F") / 5
    ym = 1 + np.arange(1, 17) % 4
    t1 = np.sin(np.arange(1, 25, 2).reshape(4, 3, order="F"))
    t2 = np.cos(np.arange(1, 41, 2).reshape(4, 5, order="F"))
    return unroll(t1, t2), Xm, ym


# --- the handout's numbers on the course data --------------------------------

@pytest.mark.parametrize("lambda_, expected", [(0, 0.287629), (1, 0.383770), (3, 0.576051)])
def test_cost_on_course_weights(course_data, course_params, lambda_, expected):
    X, y = course_data
    J, grad = nnCostFunction(course_params, 400, 25, 10, X, y, lambda_)
    assert isinstance(J, float)
    assert round(J, 6) == expected
    assert grad.shape == (25 * 401 + 10 * 26,)


def test_cost_full_precision_and_uint8_labels(course_data, course_params):
    """scipy.io.loadmat gives y as uint8 (m, 1): same cost, no wrap-around."""
    X, y = course_data
    y8 = y.astype(np.uint8).reshape(-1, 1)
    J, grad = nnCostFunction(course_params, 400, 25, 10, X, y8, 0)
    assert J == pytest.approx(0.287629165161, abs=1e-11)
    J2, grad2 = nnCostFunction(course_params, 400, 25, 10, X, y.astype(float), 0)
    assert J2 == J and np.array_equal(grad, grad2)


def test_accuracy_of_course_weights(course_data, course_weights):
    X, y = course_data
    p = predictNeuralNetwork(*course_weights, X)
    assert p.shape == (5000,) and p.dtype == np.int64
    assert set(np.unique(p)) <= set(range(1, 11))
    assert np.mean(p == y) * 100 == pytest.approx(97.52, abs=1e-9)


def test_sigmoid_gradient_values():
    assert sigmoidGradient(0) == 0.25
    g = sigmoidGradient(np.array([-1, -0.5, 0, 0.5, 1]))
    np.testing.assert_allclose(g, [0.196612, 0.235004, 0.25, 0.235004, 0.196612], atol=5e-7)
    assert sigmoidGradient(np.zeros((2, 3))).shape == (2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(sigmoidGradient(np.array([-1e4, 1e4])), [0.0, 0.0])


def test_sigmoid_values_and_no_overflow_warning():
    assert sigmoid(0) == 0.5
    np.testing.assert_allclose(sigmoid(np.array([-2.0, 2.0])),
                               [0.11920292202211755, 0.8807970779778823], rtol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(sigmoid(np.array([[-1000.0], [1000.0]])), [[0.0], [1.0]])
    assert sigmoid([1, 2, 3]).dtype == np.float64


@pytest.mark.parametrize("lambda_", [0, 3])
def test_gradient_check_below_handout_bound(lambda_, capsys):
    diff = checkNNGradients(lambda_)
    assert diff < 1e-9
    out = capsys.readouterr().out
    assert f"Relative Difference: {diff:g}" in out
    assert out.count("\n") > 38        # 38 gradient rows side by side, and the text


def test_debug_problem_is_the_one_of_checkNNGradients_and_of_the_verdicts(monkeypatch):
    """checkNNGradients.debug_problem: the original's small problem, which
    checkNNGradients and ex4helpers' verdicts both use."""
    import checkNNGradients as module
    import ex4helpers
    nn_params, X, y = module.debug_problem()
    np.testing.assert_array_equal(nn_params, unroll(debugInitializeWeights(5, 3),
                                                    debugInitializeWeights(3, 5)))
    np.testing.assert_array_equal(X, debugInitializeWeights(5, 2))
    assert nn_params.shape == (38,) and X.shape == (5, 3)
    assert y.dtype == np.int64 and y.tolist() == [2, 3, 1, 2, 3]
    p, X7, y7 = module.debug_problem(4, 2, 6, m=7)
    assert p.shape == (2 * 5 + 6 * 3,) and X7.shape == (7, 4)
    assert y7.tolist() == [2, 3, 4, 5, 6, 1, 2]
    with pytest.raises(ValueError, match="input_layer_size must be at least 2 .*found 1"):
        module.debug_problem(1)

    calls = []
    original = module.debug_problem
    monkeypatch.setattr(module, "debug_problem", lambda *args: calls.append(args) or original(*args))
    assert module.checkNNGradients(verbose=False) < 1e-9
    assert calls == [(3, 5, 3)]
    J, grad = ex4helpers._debug_cost_and_gradient(3)
    J_ref, grad_ref = nnCostFunction(nn_params, 3, 5, 3, X, y, 3)
    assert J == J_ref and np.array_equal(grad, grad_ref)


def test_importing_checkNNGradients_runs_no_nnCostFunction():
    """debug_problem can be imported (by the grader's cases) without running
    the exercise's nnCostFunction.py, which may be a student's, unfinished."""
    import subprocess
    import sys
    from pathlib import Path
    code = ("import sys, checkNNGradients; checkNNGradients.debug_problem(); "
            "assert 'nnCostFunction' not in sys.modules, 'nnCostFunction imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# --- Coursera's grading inputs ---------------------------------------------

def test_coursera_submit_values():
    t, Xm, ym = coursera_inputs()
    J0, grad0 = nnCostFunction(t, 2, 4, 4, Xm, ym, 0)
    J1, grad1 = nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5)
    assert round(J0, 5) == 3.08745
    assert round(J1, 5) == 3.64704
    assert grad0.shape == grad1.shape == (32,)
    X = (3 * np.sin(np.arange(1, 31))).reshape(3, 10, order="F")
    np.testing.assert_allclose(sigmoidGradient(X).ravel(order="F")[:3],
                               [0.06866, 0.05758, 0.23912], atol=5e-6)


def test_matches_per_example_loop_for_other_sizes():
    rng = np.random.default_rng(5)
    for n, h, K, m, lambda_ in [(7, 4, 5, 23, 0.7), (3, 9, 3, 8, 0.0), (12, 2, 6, 40, 2.5)]:
        Theta1 = rng.normal(size=(h, n + 1))
        Theta2 = rng.normal(size=(K, h + 1))
        X = rng.normal(size=(m, n))
        y = rng.integers(1, K + 1, size=m)
        J, grad = nnCostFunction(unroll(Theta1, Theta2), n, h, K, X, y, lambda_)
        J_loop, grad_loop = loop_cost_and_grad(Theta1, Theta2, X, y, lambda_)
        assert J == pytest.approx(J_loop, rel=1e-12)
        np.testing.assert_allclose(grad, grad_loop, rtol=1e-10, atol=1e-13)


def test_gradient_matches_numerical_gradient_other_sizes():
    rng = np.random.default_rng(2)
    n, h, K, m = 4, 3, 5, 9
    p = rng.normal(scale=0.5, size=h * (n + 1) + K * (h + 1))
    X = rng.normal(size=(m, n))
    y = rng.integers(1, K + 1, size=(m, 1))
    _, grad = nnCostFunction(p, n, h, K, X, y, 1.3)
    num = computeNumericalGradient(lambda q: nnCostFunction(q, n, h, K, X, y, 1.3), p)
    assert np.linalg.norm(num - grad) / np.linalg.norm(num + grad) < 1e-9


def test_bias_column_is_not_regularised():
    rng = np.random.default_rng(0)
    Theta1, Theta2 = rng.normal(size=(3, 3)), rng.normal(size=(4, 4))
    X, y = rng.normal(size=(6, 2)), np.array([1, 2, 3, 4, 1, 2])
    J0, g0 = nnCostFunction(unroll(Theta1, Theta2), 2, 3, 4, X, y, 0)
    J1, g1 = nnCostFunction(unroll(Theta1, Theta2), 2, 3, 4, X, y, 2.0)
    reg = 2.0 / (2 * 6) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    assert J1 - J0 == pytest.approx(reg, rel=1e-12)
    dg1, dg2 = (g1 - g0)[:9].reshape(3, 3), (g1 - g0)[9:].reshape(4, 4)
    np.testing.assert_allclose(dg1[:, 0], 0, atol=1e-15)
    np.testing.assert_allclose(dg2[:, 0], 0, atol=1e-15)
    np.testing.assert_allclose(dg1[:, 1:], 2.0 / 6 * Theta1[:, 1:], rtol=1e-12)


def test_saturated_outputs_give_a_finite_cost():
    """Outputs that round to exactly 0 or 1, where log(h) would be -inf."""
    import math
    n, h, K = 2, 2, 3
    Theta1 = np.array([[0.0, 50, 0], [0, 0, 50]])
    Theta2 = np.array([[-900.0, 0, 0], [900, 0, 0], [0, 800, 0]])
    X = np.array([[1.0, 1.0], [2.0, 0.5]])
    y = np.array([1, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J, grad = nnCostFunction(unroll(Theta1, Theta2), n, h, K, X, y, 0)
    assert np.all(np.isfinite(grad))
    # Exact cost, term by term: -log(sigmoid(z)) = softplus(-z), -log(1 - sigmoid(z)) = softplus(z).
    softplus = lambda x: max(x, 0) + math.log1p(math.exp(-abs(x)))  # noqa: E731
    expected = 0.0
    for i in range(2):
        a2 = [1.0] + [1 / (1 + math.exp(-float(Theta1[j] @ np.r_[1, X[i]]))) for j in range(h)]
        for k in range(K):
            z = float(Theta2[k] @ a2)
            expected += softplus(-z) if y[i] == k + 1 else softplus(z)
    assert expected / 2 > 1000                  # truly saturated
    assert J == pytest.approx(expected / 2, rel=1e-12)


def test_cost_stays_finite_over_long_unregularised_training(course_data):
    """lambda = 0 for hundreds of iterations drives outputs to saturation."""
    from trainNeuralNetwork import trainNeuralNetwork
    X, y = course_data
    sub = np.r_[0:5000:25]                     # 200 examples: it overfits quickly
    np.random.seed(1)
    p0 = unroll(randInitializeWeights(400, 25), randInitializeWeights(25, 10))
    p, costs = trainNeuralNetwork(p0, 400, 25, 10, X[sub], y[sub], 0, maxiter=300, verbose=False)
    assert np.all(np.isfinite(costs)) and costs[-1] < 1e-3
    J, grad = nnCostFunction(p * 30, 400, 25, 10, X[sub], y[sub], 0)   # further into saturation
    assert np.isfinite(J) and np.all(np.isfinite(grad))


# --- validation ---------------------------------------------------------------

def test_wrong_length_nn_params_names_expected_and_found():
    t, Xm, ym = coursera_inputs()
    with pytest.raises(ValueError, match=r"= 32 elements, found 31"):
        nnCostFunction(t[:-1], 2, 4, 4, Xm, ym, 0)


@pytest.mark.parametrize("bad, shown", [(0, "0"), (5, "5"), (2.5, "2.5")])
def test_label_out_of_range_is_a_value_error(bad, shown):
    t, Xm, ym = coursera_inputs()
    y = ym.astype(float)
    y[3] = bad
    with pytest.raises(ValueError, match=rf"labels 1\.\.num_labels = 1\.\.4.*found {shown}.* index 3"):
        nnCostFunction(t, 2, 4, 4, Xm, y, 0)


def test_shape_errors_name_the_argument():
    t, Xm, ym = coursera_inputs()
    with pytest.raises(ValueError, match=r"X must have shape \(m, input_layer_size\) = \(m, 2\), found shape \(16, 3\)"):
        nnCostFunction(t, 2, 4, 4, np.ones((16, 3)), ym, 0)
    with pytest.raises(ValueError, match=r"y must have shape .* m = 16 .* found shape \(15,\)"):
        nnCostFunction(t, 2, 4, 4, Xm, ym[:15], 0)
    with pytest.raises(ValueError, match="lambda_ must be a number >= 0"):
        nnCostFunction(t, 2, 4, 4, Xm, ym, -1)
    with pytest.raises(ValueError, match="hidden_layer_size must be a positive integer"):
        nnCostFunction(t, 2, 0, 4, Xm, ym, 0)


def test_inputs_are_not_modified():
    t, Xm, ym = coursera_inputs()
    copies = t.copy(), Xm.copy(), ym.copy()
    nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5)
    for a, b in zip((t, Xm, ym), copies):
        assert np.array_equal(a, b)


# --- the other functions -------------------------------------------------------

def test_rand_initialize_weights_shape_range_reproducible():
    np.random.seed(42)
    W = randInitializeWeights(400, 25)
    assert W.shape == (25, 401) and W.dtype == np.float64
    assert W.min() >= -0.12 and W.max() <= 0.12
    assert W.min() < -0.11 and W.max() > 0.11 and np.std(W) > 0.05   # spread, not constant
    np.random.seed(42)
    assert np.array_equal(W, randInitializeWeights(400, 25))
    W2 = randInitializeWeights(3, 2, epsilon_init=0.5)
    assert W2.shape == (2, 4) and np.abs(W2).max() <= 0.5
    with pytest.raises(ValueError, match="L_in must be a positive integer"):
        randInitializeWeights(0, 3)


def test_predict_on_known_weights():
    # Hidden unit 1 copies input 1, hidden unit 2 copies input 2 (large gains);
    # output k fires for hidden pattern k.
    Theta1 = np.array([[-10.0, 20, 0], [-10, 0, 20]])
    Theta2 = np.array([[5.0, -10, -10],     # label 1: neither input on
                       [-5, 10, -10],       # label 2: input 1 only
                       [-5, -10, 10],       # label 3: input 2 only
                       [-15, 10, 10]])      # label 4: both
    X = np.array([[0.0, 0], [1, 0], [0, 1], [1, 1], [1, 0]])
    p = predictNeuralNetwork(Theta1, Theta2, X)
    assert p.tolist() == [1, 2, 3, 4, 2] and p.shape == (5,)
    assert predictNeuralNetwork(Theta1, Theta2, np.array([0.0, 1.0])).tolist() == [3]
    with pytest.raises(ValueError, match=r"Theta1 must have 1 \+ n = 4 columns"):
        predictNeuralNetwork(Theta1, Theta2, np.ones((2, 3)))


def test_debug_initialize_weights_column_major_sin():
    W = debugInitializeWeights(5, 3)
    assert W.shape == (5, 4)
    assert W[0, 0] == np.sin(1) / 10 and W[1, 0] == np.sin(2) / 10 and W[0, 1] == np.sin(6) / 10
    assert W[4, 3] == np.sin(20) / 10


def test_numerical_gradient_shape_and_theta_untouched():
    theta = np.array([[1.0, 2.0], [3.0, -1.0]])
    before = theta.copy()
    g = computeNumericalGradient(lambda t: (np.sum(t ** 3), None), theta)
    assert g.shape == (2, 2) and np.array_equal(theta, before)
    np.testing.assert_allclose(g, 3 * theta ** 2, rtol=1e-7)


# --- one rule for every size and count ------------------------------------------

def _positive_int_calls():
    """name -> (argument, call): each function that takes a size or a count,
    called with ``value`` as that argument (3 is a valid value for each)."""
    import matplotlib.pyplot as plt
    import ex4helpers
    import lambda_study
    from checkNNGradients import debug_problem
    from displayData import displayData
    from trainNeuralNetwork import trainNeuralNetwork

    params = np.sin(np.arange(1, 3 * 4 + 3 * 4 + 1))            # n = h = K = 3
    X, y = np.cos(np.arange(1, 13)).reshape(4, 3), np.array([1, 2, 3, 1])

    def cost(**sizes):
        n, h, K = (sizes.get(k, 3) for k in ("n", "h", "K"))
        return lambda: nnCostFunction(params, n, h, K, X, y, 0.5)

    def seeded(function, *args):
        np.random.seed(0)
        return function(*args)

    def display(width):
        fig, grid = displayData(np.arange(18.0).reshape(2, 9), example_width=width)
        plt.close(fig)
        return grid

    def train(maxiter):
        return trainNeuralNetwork(params, 3, 3, 3, X, y, 0.5, maxiter=maxiter, verbose=False)

    return {
        "nnCostFunction/input_layer_size": ("input_layer_size", lambda v: cost(n=v)()),
        "nnCostFunction/hidden_layer_size": ("hidden_layer_size", lambda v: cost(h=v)()),
        "nnCostFunction/num_labels": ("num_labels", lambda v: cost(K=v)()),
        "randInitializeWeights/L_in": ("L_in", lambda v: seeded(randInitializeWeights, v, 3)),
        "randInitializeWeights/L_out": ("L_out", lambda v: seeded(randInitializeWeights, 3, v)),
        "debugInitializeWeights/fan_out": ("fan_out", lambda v: debugInitializeWeights(v, 3)),
        "debugInitializeWeights/fan_in": ("fan_in", lambda v: debugInitializeWeights(3, v)),
        "debug_problem/input_layer_size": ("input_layer_size", lambda v: debug_problem(v)),
        "debug_problem/hidden_layer_size": ("hidden_layer_size", lambda v: debug_problem(3, v)),
        "debug_problem/num_labels": ("num_labels", lambda v: debug_problem(3, 5, v)),
        "debug_problem/m": ("m", lambda v: debug_problem(m=v)),
        "trainNeuralNetwork/maxiter": ("maxiter", train),
        "displayData/example_width": ("example_width", display),
        "stratified_split/n_heldout": (
            "n_heldout", lambda v: lambda_study.stratified_split(np.repeat([1, 2], 5), v)),
        "ex4helpers.positive_int": ("a_size", lambda v: ex4helpers.positive_int(v, "a_size")),
    }


POSITIVE_INT_FUNCTIONS = sorted(_positive_int_calls())
ACCEPTED = [3, np.int64(3), np.int32(3), np.uint8(3), 3.0, np.float64(3.0), np.float32(3.0)]
REFUSED = [0, -3, 2.5, -0.0, True, False, np.True_, float("nan"), float("inf"), "3", None,
           np.array(3), [3], 3 + 0j]


def _same(a, b):
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return np.array_equal(a, b)


@pytest.mark.parametrize("function", POSITIVE_INT_FUNCTIONS)
def test_every_size_and_count_follows_one_positive_integer_rule(function):
    """One rule, one message, in every module (each student module keeps its
    own copy, to stand alone): an int, a NumPy integer or a whole float,
    at least 1, never a bool; otherwise a ValueError naming the argument,
    the rule and the value found."""
    argument, call = _positive_int_calls()[function]
    expected = call(3)
    for value in ACCEPTED:
        assert _same(call(value), expected), value
    for value in REFUSED:
        if value is None and function == "displayData/example_width":
            continue                            # None: the default width, sqrt(n)
        with pytest.raises(ValueError) as info:
            call(value)
        assert str(info.value) == f"{argument} must be a positive integer, found {value!r}"


def test_the_positive_integer_rule_is_one_text():
    """The local copies of the rule are the same code, word for word."""
    import inspect
    import displayData
    import ex4helpers
    import nnCostFunction
    import randInitializeWeights
    import trainNeuralNetwork
    import debugInitializeWeights
    copies = [m._positive_int for m in (nnCostFunction, randInitializeWeights,
                                         debugInitializeWeights, trainNeuralNetwork, displayData)]
    bodies = {inspect.getsource(f).split("\n", 1)[1] for f in copies + [ex4helpers.positive_int]}
    assert len(bodies) == 1
