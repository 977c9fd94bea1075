"""Localisation of a wrong gradient or cost when no modelled mistake matches
(autograder/localise.py, localise_causes.py), in-process: each structure of
a difference on a unit problem and the cause it names, the cost split into
its terms, and the check of a case with the reference oracle and with the
release's table of expected values (with and without the cost's terms)."""
import json

import numpy as np
import pytest

from autograder import diagnoses, mistakes
from autograder.cases import Case, cost_call
from autograder.checks import check_J, check_J_grad
from autograder.localise import localise_cost, localise_gradient, problem_of, split
from autograder.oracle import ReferenceOracle, TableOracle
from commands import ROOT


def unit_case(lambda_=1.5, n=4, h=5, K=3, m=9, seed=0):
    """An nnCostFunction case on a small random problem (every label present)."""
    rng = np.random.default_rng(seed)
    params = rng.normal(scale=0.8, size=h * (n + 1) + K * (h + 1))
    X = rng.normal(size=(m, n))
    y = np.concatenate([np.arange(1, K + 1), rng.integers(1, K + 1, size=m - K)]).astype(np.int64)
    call = cost_call(params, n, h, K, X, y, lambda_)
    return Case("regularized_gradient/unit", "regularized_gradient", "J and grad", "J_grad", call)


def right(case):
    """The right (J, grad) of a case, and its Problem."""
    args = case.call["args"]
    from autograder.isolated.wire import decode
    params, X, y = decode(args[0]), decode(args[4]), decode(args[5])
    J, grad = mistakes.cost_and_grad(params, *args[1:4], X, y, args[6])
    return J, grad, problem_of(case)


def changed(grad, p, edit):
    """``grad`` with ``edit(Theta1_grad, Theta2_grad, Theta1, Theta2)`` applied (in place)."""
    G1, G2 = (g.copy() for g in split(grad, p.n, p.h, p.K))
    edit(G1, G2, *p.thetas)
    return np.concatenate([G1.ravel(), G2.ravel()])


def bias_plus_constant(G1, G2, T1, T2, lam_over_m):
    G1[:, 0] += lam_over_m
    G2[:, 0] += lam_over_m


EDITS = {   # name -> (edit(G1, G2, T1, T2, lambda/m), the cause's few words, the section)
    "ones in the bias column": (bias_plus_constant, "lambda/m added to the bias column", "4.5"),
    "bias weights regularised": (
        lambda G1, G2, T1, T2, c: (G1.__setitem__((slice(None), 0), G1[:, 0] + c * T1[:, 0]),
                                   G2.__setitem__((slice(None), 0), G2[:, 0] + c * T2[:, 0])),
        "bias column regularised in the gradient", "4.5"),
    "Theta2_grad not divided by m": (
        lambda G1, G2, T1, T2, c: G2.__imul__(9), "Theta2_grad not divided by m", "4.3, step 5"),
    "sign": (lambda G1, G2, T1, T2, c: (G1.__imul__(-1), G2.__imul__(-1)),
             "gradient of the wrong sign", "4.3, step 2"),
    "Theta2_grad not regularised": (
        lambda G1, G2, T1, T2, c: G2[:, 1:].__isub__(c * T2[:, 1:]),
        "Theta2_grad not regularised", "4.5"),
    "one output unit": (lambda G1, G2, T1, T2, c: G2[2].__iadd__(np.arange(1, G2.shape[1] + 1)),
                        "output unit 3 of the gradient wrong", "4.3, step 2"),
    "Theta1_grad only": (lambda G1, G2, T1, T2, c: G1.__iadd__(np.sin(np.arange(G1.size)).reshape(G1.shape)),
                         "Theta1_grad wrong, Theta2_grad right", "4.3, steps 3-4"),
}


@pytest.mark.parametrize("name", EDITS)
def test_each_structure_names_its_cause_and_step(name):
    case = unit_case()
    J, grad, p = right(case)
    edit, short, section = EDITS[name]
    local = localise_gradient(changed(grad, p, lambda *a: edit(*a, 1.5 / 9)), grad, p, True)
    assert (local.cause.short, local.cause.section) == (short, section)
    assert local.specific
    assert local.diagnosis().sentence.endswith(f"(handout {section})")


def test_the_bias_column_off_by_lambda_over_m_is_shown_block_by_block():
    case = unit_case()
    J, grad, p = right(case)
    local = localise_gradient(changed(grad, p, lambda *a: bias_plus_constant(*a, 1.5 / 9)),
                              grad, p, True)
    assert [b.block for b in local.blocks] == ["Theta1_grad", "Theta2_grad"]
    assert [(b.region, b.differing, b.relation.kind, b.relation.name) for b in local.blocks] == \
        [("bias column", 5, "constant", "lambda/m"), ("bias column", 3, "constant", "lambda/m")]
    assert local.lines()[0].startswith("    Theta1_grad (5, 5): 5 of 25 values differ, the bias "
                                       "column (first column) only, each by +0.16667 (= lambda/m)")


def test_labels_misaligned_with_the_examples_keep_the_bias_column_of_theta2_grad():
    case = unit_case(lambda_=0.0)
    J, grad, p = right(case)
    args = case.call["args"]
    from autograder.isolated.wire import decode
    params, X, y = decode(args[0]), decode(args[4]), decode(args[5])
    shifted = mistakes.Steps(one_hot=lambda y, K: np.roll(np.eye(K)[y - 1], 1, axis=0))
    _, wrong = mistakes.cost_and_grad(params, p.n, p.h, p.K, X, y, 0.0, shifted)
    local = localise_gradient(wrong, grad, p, cost_right=True)
    assert local.cause.short == "delta3's labels misaligned with the examples"
    assert [b.region for b in local.blocks] == ["all", "weights"]
    assert localise_gradient(wrong, grad, p, cost_right=False).cause.short == \
        "gradient wrong everywhere"
    assert not localise_gradient(wrong, grad, p, cost_right=False).specific


def test_a_right_gradient_is_not_localised():
    case = unit_case()
    J, grad, p = right(case)
    assert localise_gradient(grad + 1e-9, grad, p, True) is None


def test_the_cost_is_split_into_its_terms():
    case = unit_case()
    p = problem_of(case)
    # lambda > 0: J = 2.0 + 0.3, the student's regularisation term doubled
    local = localise_cost(2.0 + 2 * 0.3, (2.0, 0.3), p)
    assert (local.term, local.relation.name) == ("regularisation", "2")
    assert local.diagnosis().short == "regularisation term of the cost wrong, 2 times"
    assert local.lines() == ["    J = unregularised term + regularisation term = 2.00000 + "
                             "0.30000; your J less the right unregularised term is 0.60000, "
                             "2 times the regularisation term"]
    zero = problem_of(unit_case(lambda_=0.0))
    assert localise_cost(-2.0, (2.0, 0.0), zero).diagnosis().short == \
        "unregularised cost wrong, with the wrong sign"
    assert not localise_cost(2.7, (2.0, 0.0), zero).specific
    assert localise_cost(2.6, None, p) is None            # a table without the terms


@pytest.fixture(scope="module")
def oracles(tmp_path_factory):
    """The reference oracle, and the release's table of the same case (with the
    cost's terms, and without them, as an older table)."""
    case = unit_case()
    reference = ReferenceOracle(ROOT, {})
    rows = reference.table([case])
    assert rows[case.id]["cost_terms"][1] > 0
    folder = tmp_path_factory.mktemp("table")
    (folder / "with.json").write_text(json.dumps(rows))
    del rows[case.id]["cost_terms"]
    (folder / "without.json").write_text(json.dumps(rows))
    return case, {"reference": reference, "table": TableOracle(folder / "with.json"),
                  "older table": TableOracle(folder / "without.json")}


@pytest.mark.parametrize("which", ["reference", "table", "older table"])
def test_a_right_cost_with_a_wrong_gradient_shows_the_gradient_first(oracles, which):
    case, by_name = oracles
    J, grad, p = right(case)
    wrong = changed(grad, p, lambda *a: bias_plus_constant(*a, 1.5 / 9))
    check = check_J_grad(case, (J, wrong), {}, by_name[which], {})
    assert not check.ok
    assert check.diagnosis.short == "lambda/m added to the bias column"
    assert check.lines[0] == "    grad: 8 of 43 values differ"
    assert check.lines[1].startswith("    Theta1_grad (5, 5): 5 of 25 values differ")
    assert check.lines[3] == f"    J as expected ({J:.5f})"
    assert not any(line.strip().startswith("expected J") for line in check.lines)


@pytest.mark.parametrize("which", ["reference", "table", "older table"])
def test_a_wrong_cost_is_split_where_the_oracle_knows_its_terms(oracles, which):
    case, by_name = oracles
    J, grad, p = right(case)
    terms = by_name["reference"].evaluate(case).cost_terms
    check = check_J(case, (terms[0] - terms[1], grad), {}, by_name[which], {})
    assert not check.ok
    if which == "older table":        # degrades to what the modelled mistakes say
        assert len(check.lines) == 1 and not diagnoses.exact(check.diagnosis)
    else:
        assert check.diagnosis.short == "regularisation term of the cost wrong, with the wrong sign"
        assert check.lines[1].endswith(", the regularisation term with the wrong sign")


def test_an_exact_modelled_mistake_is_not_localised(oracles):
    case, by_name = oracles
    ev = by_name["reference"].evaluate(case)
    J, wrong = ev.variants["no_grad_regularization"].value
    check = check_J_grad(case, (J, wrong), {}, by_name["reference"], {})
    assert check.diagnosis.short == "gradient not regularised"
    assert diagnoses.exact(check.diagnosis)
    assert check.lines[1].startswith("      grad[")       # the first differing values


def test_the_catalogue_lists_every_rule_in_order():
    from autograder.localise_causes import RULES
    text = diagnoses.catalogue()
    listed = text[text.index("Localisation when no modelled mistake matches"):]
    positions = [listed.index(rule.__doc__.split(": ")[0]) for rule in RULES]
    assert positions == sorted(positions) and len(RULES) == 7
