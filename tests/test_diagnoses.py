"""The grader's diagnoses, hints and feedback text, in-process (no student
process, no command line): the registry of modelled mistakes, how a value is
matched to a mistake, the hints read from an error's text, and the layout of
a part's feedback. The command line and the sandbox are tested elsewhere
(test_grading, test_students, test_hostile)."""
import itertools

import numpy as np
import pytest

from autograder import diagnoses, hints, mistakes, verdict
from autograder.cases import Case, cost_call, function_call
from autograder.hints import ErrorText, hint_for
from autograder.feedback import clean_output, part_feedback, scrub
from autograder.oracle import Evaluation
from autograder.results import CaseResult, PartResult
from autograder import scheme
from nnCostFunction import nnCostFunction


def problem(n=4, h=5, K=3, m=9, seed=0):
    rng = np.random.default_rng(seed)
    params = rng.normal(scale=0.8, size=h * (n + 1) + K * (h + 1))
    X = rng.normal(size=(m, n))
    y = np.concatenate([np.arange(1, K + 1), rng.integers(1, K + 1, size=m - K)])
    return params, n, h, K, X, y.astype(np.int64)


def cost_case(n=4, h=5, K=3, lambda_=0.0, case_id="cost/unit"):
    params, n, h, K, X, y = problem(n, h, K)
    return Case(case_id, case_id.split("/")[0], "J on a unit problem", "J",
                cost_call(params, n, h, K, X, y, lambda_))


# --- the registry of modelled mistakes --------------------------------------------------

def test_right_steps_compute_the_reference_cost_and_gradient():
    params, n, h, K, X, y = problem()
    for lambda_ in (0.0, 1.7):
        J, grad = mistakes.cost_and_grad(params, n, h, K, X, y, lambda_)
        J_ref, grad_ref = nnCostFunction(params, n, h, K, X, y, lambda_)
        assert J == pytest.approx(J_ref, rel=1e-12)
        np.testing.assert_allclose(grad, grad_ref, rtol=1e-10, atol=1e-14)


def test_every_mistake_is_one_named_step_with_a_sentence_and_a_section():
    steps = {f for f in mistakes.Steps.__dataclass_fields__}
    shorts = [m.short for m in mistakes.COST_MISTAKES.values()]
    assert len(set(shorts)) == len(shorts) == len(mistakes.COST_MISTAKES) >= 15
    for key, m in {**mistakes.COST_MISTAKES, **mistakes.SIGMOID_GRADIENT_MISTAKES}.items():
        assert m.short and m.sentence and m.section, key
        assert m.section.split(".")[0] in ("3", "4"), (key, m.section)
    assert {m.step for m in mistakes.COST_MISTAKES.values()} <= steps


def test_two_mistakes_combine_only_when_they_change_different_steps():
    params, n, h, K, X, y = problem()
    pairs = mistakes.cost_pair_variants(n, h, K, params, X, y, 1.0)
    same_step = {frozenset((a, b)) for (a, ma), (b, mb)
                 in itertools.combinations(mistakes.COST_MISTAKES.items(), 2)
                 if ma.step == mb.step}
    assert same_step >= {frozenset(s) for s in (
        ("regularize_bias", "regularize_rows"), ("cost_lambda_over_m", "no_cost_regularization"),
        ("sigmoid_for_gradient", "gradient_of_activation"), ("raw_labels", "zero_based_labels"),
        ("no_grad_regularization", "grad_lambda_over_2m"))}
    n = len(mistakes.COST_MISTAKES)
    assert len(pairs) == n * (n - 1) // 2 - len(same_step)
    pair = pairs["regularize_bias+column_major"]
    assert pair.mistake.short == "bias weights regularised + column-major unrolling"
    assert pair.mistake.sentence.startswith("two mistakes together: the bias weights")


def test_every_modelled_mistake_changes_the_values_with_lambda():
    params, n, h, K, X, y = problem()
    right = mistakes.cost_and_grad(params, n, h, K, X, y, 1.0)
    for key, variant in mistakes.cost_variants(n, h, K, params, X, y, 1.0).items():
        J, grad = variant.value
        assert not (np.isclose(J, right[0]) and np.allclose(grad, right[1])), key


def evaluation(lambda_=1.0):
    params, n, h, K, X, y = problem()
    return Evaluation(
        expected=mistakes.cost_and_grad(params, n, h, K, X, y, lambda_),
        variants=mistakes.cost_variants(n, h, K, params, X, y, lambda_),
        pairs_of=lambda: mistakes.cost_pair_variants(n, h, K, params, X, y, lambda_))


def test_a_mistakes_values_are_recognised_as_that_mistake():
    ev = evaluation()
    for key, variant in ev.variants.items():
        J, grad = variant.value
        found = diagnoses.find_mistake(ev, lambda v: np.isclose(J, v[0]) and np.allclose(grad, v[1]))
        assert found == mistakes.COST_MISTAKES[key], key


def test_two_mistakes_are_recognised_after_every_single_one():
    ev = evaluation()
    grad = ev.pairs["no_one_over_m+transposed_theta2_grad"].value[1]
    found = diagnoses.find_mistake(ev, lambda v: np.allclose(grad, v[1]))
    assert found.short == "1/m missing + Theta2_grad transposed"
    assert diagnoses.find_mistake(ev, lambda v: np.allclose(grad, v[1]), pairs=False) is None


def test_no_match_names_the_closest_mistake_or_says_none_matched():
    ev = evaluation()
    J_bias = ev.variants["regularize_bias"].value[0]
    J_right = ev.expected[0]
    near = J_bias + 0.01 * (J_bias - J_right)       # near the bias mistake, not on it
    found = diagnoses.find_mistake(ev, lambda v: False, lambda v: abs(near - v[0]))
    assert found.short == "closest: bias weights regularised"
    assert found.sentence.startswith("no modelled mistake matches exactly; the closest single "
                                     "mistake (maybe with another one) is: the bias weights")
    far = diagnoses.find_mistake(ev, lambda v: False, lambda v: abs(J_right + 1e-3 - v[0]))
    assert far is diagnoses.NO_MODELLED_MISTAKE and far.short is None
    assert diagnoses.find_mistake(ev, lambda v: False) is None


def test_sigmoid_gradient_mistakes():
    z = np.array([-1.0, 0.0, 2.0])
    found = mistakes.sigmoid_gradient_variants(z)
    np.testing.assert_allclose(found["z_times_one_minus_z"].value, z * (1 - z))
    np.testing.assert_allclose(found["negated"].value[1], -0.25)
    assert found["sigmoid"].mistake.short == "g(z) instead of g'(z)"


# --- hints read from an error's text -----------------------------------------------------

def sigmoid_gradient_case(z=np.zeros((3, 4))):
    return Case("sigmoid_gradient/unit", "sigmoid_gradient", "sigmoidGradient of an array",
                "array", function_call("sigmoidGradient", z, names=["z"]))


@pytest.mark.parametrize("kind, message, code, expected", [
    ("ValueError", "cannot reshape array of size 20 into shape (25,401)", "", "HARD_CODED_SIZES"),
    ("ValueError", "operands could not be broadcast together with shapes (9,6) (9,5)",
     "delta2 = delta3 @ Theta2 * sigmoidGradient(z2)", "BIAS_DELTA_KEPT"),
    ("IndexError", "index 3 is out of bounds for axis 1 with size 3", "Y[i, y[i]] = 1",
     "LABELS_AS_INDICES"),
    ("IndexError", "index 3 is out of bounds for axis 1 with size 10", "Y[i, y[i] - 1] = 1",
     "HARD_CODED_TEN"),
    ("ValueError", "operands could not be broadcast together with shapes (10,) (9,3)", "",
     "HARD_CODED_TEN"),
    ("ModuleNotFoundError", "No module named 'scipy.io'", "", "GRADER_ENVIRONMENT"),
])
def test_cost_function_hints(kind, message, code, expected):
    found = hint_for(ErrorText(cost_case(), message, kind, code))
    hint = getattr(hints, expected)
    assert found.short == hint.short


def test_no_hint_where_the_code_already_does_what_it_would_say():
    # the line subtracts 1 already: not "use y - 1"
    err = ErrorText(cost_case(), "index 3 is out of bounds for axis 1 with size 3", "IndexError",
                    "Y[i, y[i] - 1] = 1")
    assert hint_for(err) is None
    # the student's own module, or one the grader does not have either
    for name in ("nnCostFunction", "ex4_no_such_module"):
        err = ErrorText(cost_case(), f"No module named '{name}'", "ModuleNotFoundError", "")
        assert hint_for(err) is None, name
    # another exception than ModuleNotFoundError
    assert hint_for(ErrorText(cost_case(), "No module named 'scipy.io'", "ImportError", "")) is None
    # a message the grader wrote (no exception): no environment hint
    assert hint_for(ErrorText(cost_case(), "No module named 'scipy.io'")) is None


def test_provided_file_and_environment_hints_fill_their_sentence():
    err = ErrorText(cost_case(), "too many values", "ValueError", "x", "trainNeuralNetwork.py")
    found = hint_for(err)
    assert found.short == "unusable return value"
    assert found.sentence.startswith("the error is raised in trainNeuralNetwork.py, a provided")
    found = hint_for(ErrorText(cost_case(), "No module named 'scipy.io'", "ModuleNotFoundError", ""))
    assert found.sentence.startswith("scipy.io is installed for the grader")


@pytest.mark.parametrize("message, code, expected", [
    ("the result holds nan (first at [2])", None, "NAN_FOR_LARGE_Z"),
    ("shapes (3,4) and (3,4) not aligned: 4 (dim 1) != 3 (dim 0)", "", "MATRIX_PRODUCT"),
    ("the result must have shape (3, 4), found shape ()", None, "MATRIX_PRODUCT"),
    ("tuple index out of range", "for j in range(z.shape[1]):", "ONLY_2D_INPUT"),
])
def test_sigmoid_gradient_hints(message, code, expected):
    found = hint_for(ErrorText(sigmoid_gradient_case(), message, "ValueError" if code is not None
                               else None, code))
    assert found.short == getattr(hints, expected).short
    # the cost function's hints never read a sigmoid's errors
    assert hint_for(ErrorText(sigmoid_gradient_case(), "cannot reshape array of size 20 into "
                              "shape (25,401)", "ValueError", "")) is None


# --- library drift, labels and imports ---------------------------------------------------

def raised(call):
    """(type name, message) of the exception ``call`` raises with the installed libraries."""
    try:
        call()
    except Exception as exc:                       # noqa: BLE001
        return type(exc).__name__, str(exc)
    raise AssertionError(f"{call} raised nothing")


def old_onehotencoder():
    from sklearn.preprocessing import OneHotEncoder
    return OneHotEncoder(sparse=False)


def old_pandas(attribute):
    import pandas as pd
    return lambda: getattr(pd.DataFrame(np.eye(2)), attribute)


def old_scipy_misc(name):
    def call():
        import warnings
        with warnings.catch_warnings():            # scipy.misc itself is deprecated since 1.10
            warnings.simplefilter("ignore", DeprecationWarning)
            exec(f"from scipy.misc import {name}", {})
    return call


# What old code does, as the versions of requirements/ make it fail (NumPy >= 1.24,
# SciPy >= 1.10, pandas >= 1.0, scikit-learn >= 1.4): the line, and what the CSV says.
DRIFT_ERRORS = [
    (old_onehotencoder, "encoder = OneHotEncoder(sparse=False)",
     "OneHotEncoder(sparse=...), removed in scikit-learn 1.4", "OneHotEncoder(sparse_output=False)"),
    (old_pandas("as_matrix"), "Y = pd.get_dummies(y).as_matrix()",
     "DataFrame.as_matrix(), removed in pandas 1.0", ".to_numpy()"),
    (old_pandas("ix"), "row = df.ix[0]", "DataFrame.ix, removed in pandas 1.0", ".iloc[...]"),
    (lambda: np.array([np.zeros((2, 3)), np.zeros((3, 4))]),
     "grad = np.array([Theta1_grad, Theta2_grad])",
     "np.array of arrays of different shapes, an error since NumPy 1.24",
     "np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])"),
    (lambda: np.float, "Y = np.zeros((m, K), dtype=np.float)", "np.float, removed in NumPy 1.24",
     "write float"),
    (lambda: np.int, "yi = np.zeros(K, dtype=np.int)", "np.int, removed in NumPy 1.24", "write int"),
    (lambda: np.asscalar, "J = np.asscalar(J)", "np.asscalar, removed in NumPy 1.23", "a.item()"),
    (old_scipy_misc("logsumexp"), "from scipy.misc import logsumexp",
     "scipy.misc.logsumexp, removed in SciPy 1.3", "from scipy.special import logsumexp"),
    (old_scipy_misc("imread"), "from scipy.misc import imread",
     "scipy.misc.imread, removed in SciPy 1.3", "matplotlib.pyplot.imread"),
]
# NumPy 2.0's and Matplotlib 3.9's own messages (requirements/ admits older versions).
DRIFT_MESSAGES = [
    ("AttributeError", "`np.NaN` was removed in the NumPy 2.0 release. Use `np.nan` instead.",
     "J[np.isnan(J)] = np.NaN", "np.NaN, removed in NumPy 2.0", "Use `np.nan` instead."),
    ("AttributeError", "`np.mat` was removed in the NumPy 2.0 release. Use `np.asmatrix` instead.",
     "X = np.mat(X)", "np.mat, removed in NumPy 2.0", "Use `np.asmatrix` instead."),
    ("AttributeError", "module 'matplotlib.cm' has no attribute 'get_cmap'",
     "cmap = matplotlib.cm.get_cmap('gray')", "matplotlib.cm.get_cmap, removed in Matplotlib 3.9",
     "matplotlib.colormaps[name]"),
]


@pytest.mark.parametrize("call, code, short, fix", DRIFT_ERRORS)
def test_library_drift_names_the_removed_api_and_its_fix(call, code, short, fix):
    kind, message = raised(call)
    found = hint_for(ErrorText(cost_case(), message, kind, code, "nnCostFunction.py"))
    assert found.short == short
    assert fix in found.sentence and "your code was written for an older" in found.sentence
    assert verdict.short(found.short) == short             # the CSV's diagnosis column


@pytest.mark.parametrize("kind, message, code, short, fix", DRIFT_MESSAGES)
def test_library_drift_reads_the_newer_libraries_messages(kind, message, code, short, fix):
    found = hint_for(ErrorText(cost_case(), message, kind, code, "nnCostFunction.py"))
    assert (found.short, verdict.short(found.short)) == (short, short)
    assert fix in found.sentence


def test_library_drift_claims_no_other_error():
    for kind, message in [
            ("TypeError", "encode() got an unexpected keyword argument 'sparse'"),
            ("AttributeError", "'DataFrame' object has no attribute 'to_matrix'"),
            ("AttributeError", "module 'numpy' has no attribute 'floot'"),
            ("ValueError", "operands could not be broadcast together with shapes (3,) (4,)")]:
        assert hint_for(ErrorText(cost_case(), message, kind, "x = f()")) is None, message
    # a message the grader wrote (no exception) is no library's
    assert hint_for(ErrorText(cost_case(), "inhomogeneous shape after 1 dimensions")) is None


def test_one_hot_labels_and_y_shape_hints():
    params, n, h, K, X, y = problem()                      # m = 9, K = 3, h = 5
    kind, message = raised(lambda: y[0][0])
    assert message == "invalid index to scalar variable."
    found = hint_for(ErrorText(cost_case(), message, kind, "yi[y[i][0] - 1] = 1"))
    assert found is hints.Y_INDEXED_2D and found.section == "3.3"
    kind, message = raised(lambda: y[:, 0])
    assert hint_for(ErrorText(cost_case(), message, kind, "Y[np.arange(m), y[:, 0] - 1] = 1")) \
        is hints.Y_INDEXED_2D
    # another 1-D array indexed as 2-D is not the labels
    assert hint_for(ErrorText(cost_case(), message, kind, "a3[i][k]")) is None

    Y = np.eye(y.max() + 1)[y]
    kind, message = raised(lambda: -Y * np.log(np.full((9, K), 0.5)))
    assert "shapes (9,4) (9,3)" in message
    code = "J = np.sum(-Y * np.log(a3) - (1 - Y) * np.log(1 - a3)) / m"
    found = hint_for(ErrorText(cost_case(), message, kind, code))
    assert found is hints.ONE_HOT_COLUMNS and "np.eye(num_labels)[y - 1]" in found.sentence
    # (m, h + 1) against (m, h) in backpropagation's hidden layer, h = K: the bias unit's delta
    square = cost_case(n=4, h=3, K=3)
    code = "delta2 = (delta3 @ Theta2) * sigmoidGradient(z2)"
    assert hint_for(ErrorText(square, message, kind, code)).short == hints.BIAS_DELTA_KEPT.short


def test_an_exercise_function_used_without_its_import():
    kind, message = raised(lambda: exec("sigmoidGradient(z2)", {}))
    found = hint_for(ErrorText(cost_case(), message, kind, "d2 = d3 @ T * sigmoidGradient(z2)",
                               "nnCostFunction.py"))
    assert (found.short, found.section) == ("sigmoidGradient used without its import", "4.3")
    assert "add `from sigmoidGradient import sigmoidGradient` at the top of nnCostFunction.py" \
        in found.sentence
    assert verdict.short(found.short) == found.short
    # any other undefined name: no import to suggest
    kind, message = raised(lambda: exec("Theta(1)", {}))
    assert hint_for(ErrorText(cost_case(), message, kind, "Theta(1)", "nnCostFunction.py")) is None


def test_each_distinct_warning_is_summarised_once_per_part_with_its_fix():
    matrix = ("the matrix subclass is not the recommended way to represent matrices or deal with "
              "linear algebra (see https://docs.scipy.org/doc/numpy/user/numpy-for-matlab-users.html"
              "). Please adjust your code to use regular ndarray.")
    def warned(case_id, lines):
        case = cost_case(case_id=case_id)
        found = [{"category": "PendingDeprecationWarning", "message": matrix,
                  "file": "nnCostFunction.py", "line": line} for line in lines]
        found.append({"category": "PendingDeprecationWarning", "message": matrix,
                      "file": "the library", "line": 70})
        return CaseResult(case, True, [f"  ok   {case.tag} {case.label}"], warnings=found)
    divide = {"category": "RuntimeWarning", "message": "divide by zero encountered in log",
              "file": "nnCostFunction.py", "line": 30}
    cases = [warned("cost/a", [9, 11, 14]), warned("cost/b", [9, 11, 17])]
    cases[1].warnings.append(divide)
    text = part_feedback(PartResult(scheme.part("cost"), 30, cases=cases))
    lines = [line for line in text.splitlines() if "warned" in line]
    assert lines == [
        "  your code warned (PendingDeprecationWarning, nnCostFunction.py, lines 9, 11, 14, 17; "
        "in the library, in 2 of 2 cases): the matrix subclass is not the recommended way to "
        "represent matrices or deal with linear algebra. Fix: use arrays (np.asarray) and @ for "
        "the matrix product: on arrays, * is elementwise, as the handout's formulas need "
        "(np.matrix, pending deprecation since NumPy 1.15).",
        "  your code warned (RuntimeWarning, nnCostFunction.py, line 30, in 1 of 2 cases): "
        "divide by zero encountered in log"]


# --- the feedback text ---------------------------------------------------------------------

def failing(case, details, diagnosis=None, prefix="likely mistake"):
    advice = f"    {prefix}: {diagnosis.sentence}" if diagnosis and diagnosis.sentence else None
    lines = [f"  FAIL {case.tag} {case.label}"] + details + ([advice] if advice else [])
    return CaseResult(case, False, lines, diagnosis=diagnosis, advice=advice,
                      safe=[line for line in details if "expected" not in line]
                      + ([advice] if advice else []))


def test_the_diagnosis_comes_first_once_with_its_count_and_hidden_values_stay_hidden():
    bias = mistakes.COST_MISTAKES["regularize_bias"]
    public = cost_case(case_id="regularized_cost/a")
    hidden = cost_case(case_id="regularized_cost/b").but(visibility="hidden", label="J, hidden")
    passing = cost_case(case_id="regularized_cost/c").but(label="J, passing")
    result = PartResult(scheme.part("regularized_cost"), 0, cases=[
        failing(public, ["    expected J = 1.00000, obtained J = 1.20000"], bias),
        failing(hidden, ["    expected J = 2.00000, obtained J = 2.40000"], bias),
        CaseResult(passing, True, [f"  ok   {passing.tag} {passing.label}", "    fine"])])
    text = part_feedback(result)
    lines = text.splitlines()
    assert lines[0] == f"  likely mistake: {bias.sentence} (in 2 of 3 cases)"
    assert text.count(bias.sentence) == 1
    assert lines[1] == "  FAIL [public] J on a unit problem"
    assert "obtained J = 2.40000" in text                 # every value, after the due date
    visible = part_feedback(result, "visible")
    assert "  FAIL [hidden] J, hidden" in visible and "2.40000" not in visible
    assert part_feedback(result, "public").count("FAIL") == 1


def test_a_later_case_shows_no_dangling_list_of_values():
    case = Case("backprop/x", "backprop", "J and grad", "J_grad", {"kind": "call"})
    first = failing(case, ["    grad: 3 of 10 values differ; the first ones:",
                           "      grad[0]: expected 1.00000, obtained 2.00000"])
    later = failing(case.but(id="backprop/y", label="J and grad, later"),
                    ["    grad: 4 of 12 values differ; the first ones:",
                     "      grad[1]: expected 1.00000, obtained 3.00000"])
    text = part_feedback(PartResult(scheme.part("backprop"), 0, cases=[first, later]))
    assert "grad: 3 of 10 values differ; the first ones:\n      grad[0]" in text
    assert text.rstrip().endswith("    grad: 4 of 12 values differ")
    assert "grad[1]" not in text


def test_robustness_notes_show_once_the_scored_cases_pass():
    note = cost_case(case_id="cost/note").but(scored=False, form="y float64 of shape (m, 1)",
                                              fix="y = np.ravel(y)", graded_form="y int64 (m,)")
    ok = cost_case(case_id="cost/ok")
    noted = CaseResult(note, False, [f"  FAIL {note.tag} {note.label}",
                                     "    your code raised IndexError: too many indices"],
                       scored=False, safe=["    your code raised IndexError: too many indices"])
    result = PartResult(scheme.part("cost"), 30, cases=[
        CaseResult(ok, True, [f"  ok   {ok.tag} {ok.label}"]), noted])
    assert result.passed
    text = part_feedback(result)
    assert ("  note (0 points, robustness): J on a unit problem\n    your function fails with y "
            "float64 of shape (m, 1) (your code raised IndexError: too many indices). ex4.py and "
            "the graded cases pass y int64 (m,), so this costs nothing; to accept it too: "
            "y = np.ravel(y)") in text


def test_output_without_sandbox_noise_or_scratch_paths():
    printed = ("Fontconfig error: Cannot load default config file\n"
               "/tmp/ex4grade-ab12/submission-x1/part-cost-y2/nnCostFunction.py:12: "
               "RuntimeWarning: divide by zero encountered in log\n"
               "debug: m = 16\n")
    text, size = clean_output(printed, len(printed))
    assert text == ("nnCostFunction.py:12: RuntimeWarning: divide by zero encountered in log\n"
                    "debug: m = 16")
    assert size == len(text)
    noise = "Fontconfig error: Cannot load default config file\n"
    assert clean_output(noise, len(noise)) == ("", 0)
    assert scrub("No such file: '/tmp/ex4grade-1/submission-2/part-sigmoid-3/data.txt'") == \
        "No such file: 'data.txt'"


def test_the_catalogue_lists_every_diagnosis_of_the_registry():
    text = diagnoses.catalogue()
    everything = (list(mistakes.COST_MISTAKES.values())
                  + list(mistakes.SIGMOID_GRADIENT_MISTAKES.values())
                  + list(hints.HINTS) + list(diagnoses.VERDICTS))
    for d in everything:
        assert d.short in text, d
        if d.sentence:
            assert d.sentence in text, d
    assert "lambda/(2m) in the gradient (section 4.5)" in text
