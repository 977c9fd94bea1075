"""Where the expected values come from.

ReferenceOracle (instructors): computed now, with the reference solution at
the repository root and the modelled mistakes of mistakes.py.
TableOracle (the student release): read from public_expected.json, which
``python -m autograder release`` writes with the ReferenceOracle; it covers
the public cases only.

Both give, for a case, an :class:`Evaluation`.
"""
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .isolated.wire import decode, encode
from .diagnoses import Mistake, Variant


@dataclass
class Evaluation:
    """The right values of a case, and what the modelled mistakes give there.

    expected : the right outputs of the call (None for the cases that are
        judged by properties: randinit, training)
    variants : key -> mistakes.Variant, every single modelled mistake
    pairs_of : function() -> {"a+b": Variant}, two mistakes together
        (nnCostFunction only), computed when first asked for
    numgrad : the numerical gradient of the right cost (gradient checks)
    cost_terms : (unregularised term, regularisation term) of the right
        cost (nnCostFunction), for localise.localise_cost; None when unknown
    """
    expected: object = None
    variants: dict = field(default_factory=dict)
    pairs_of: object = None
    numgrad: np.ndarray = None
    cost_terms: tuple = None
    _pairs: dict = None

    @property
    def pairs(self):
        if self._pairs is None:
            self._pairs = self.pairs_of() if self.pairs_of else {}
        return self._pairs

TABLE_NAME = "public_expected.json"


class ReferenceOracle:
    def __init__(self, root, course):
        self.root = Path(root)
        self.course = course                 # name -> array (X, y, params, ...)
        self._memo = {}
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))

    def _args(self, call):
        return [self.course[a["__course__"]].copy() if isinstance(a, dict) and "__course__" in a
                else decode(a) for a in call["args"]]

    def evaluate(self, case):
        """The Evaluation of ``case`` (a cases.Case). Memoised: the cases are
        the same for every submission of a batch."""
        key = json.dumps([case.id, case.call], sort_keys=True)
        if key not in self._memo:
            self._memo[key] = self._evaluate(case)
        return self._memo[key]

    def _evaluate(self, case):
        from . import mistakes
        call = case.call
        if call["kind"] != "call":
            return Evaluation()
        args = self._args(call)
        module = __import__(call["module"])
        out = Evaluation(expected=getattr(module, call["function"])(*args))
        if call["module"] == "nnCostFunction":
            params, n, h, K, X, y, lambda_ = args
            out.variants = mistakes.cost_variants(n, h, K, params, X, y, lambda_)
            unregularised = float(module.nnCostFunction(params.copy(), n, h, K, X.copy(),
                                                        y.copy(), 0.0)[0])
            out.cost_terms = (unregularised, float(out.expected[0]) - unregularised)
            # Two mistakes together: computed when first asked for (the
            # course-data cases cost 2 s for all the pairs).
            out.pairs_of = lambda: mistakes.cost_pair_variants(n, h, K, params, X, y, lambda_)
            if case.check == "gradient_check":
                from computeNumericalGradient import computeNumericalGradient
                out.numgrad = computeNumericalGradient(
                    lambda p: module.nnCostFunction(p, n, h, K, X, y, lambda_), params)
        elif call["module"] == "sigmoidGradient":
            out.variants = mistakes.sigmoid_gradient_variants(args[0])
        return out

    def table(self, cases):
        """The JSON table of the given cases, for the release."""
        def rows_of(variants):
            return {k: [v.mistake.short, v.mistake.sentence, encode(v.value)]
                    for k, v in variants.items()}
        rows = {}
        for case in cases:
            if case.call["kind"] != "call" or case.needs:
                continue          # property checks and course-data cases need no table
            ev = self.evaluate(case)
            rows[case.id] = {"expected": encode(ev.expected), "variants": rows_of(ev.variants),
                             "pairs": rows_of(ev.pairs)}
            if ev.numgrad is not None:
                rows[case.id]["numgrad"] = encode(ev.numgrad)
            if ev.cost_terms is not None:
                rows[case.id]["cost_terms"] = list(ev.cost_terms)
        return rows


class TableOracle:
    def __init__(self, path):
        self.rows = json.loads(Path(path).read_text())

    def evaluate(self, case):
        row = self.rows.get(case.id)
        if row is None:
            return Evaluation()

        def variants(rows):
            return {k: Variant(Mistake(short, text), decode(v)) for k, (short, text, v) in rows.items()}
        pairs = variants(row.get("pairs", {}))
        return Evaluation(expected=decode(row["expected"]), variants=variants(row["variants"]),
                          pairs_of=lambda: pairs,
                          numgrad=decode(row["numgrad"]) if "numgrad" in row else None,
                          cost_terms=tuple(row["cost_terms"]) if "cost_terms" in row else None)


def course_forward_accuracy(params, X, y):
    """Training accuracy (%) of unrolled 400-25-10 parameters (for the
    training check; ex4data's forward pass, apart from the student's
    predictNeuralNetwork)."""
    from ex4data import feedforward
    params = np.asarray(params, dtype=np.float64).ravel()
    _, z3 = feedforward(params[:25 * 401].reshape(25, 401), params[25 * 401:].reshape(10, 26), X)
    return float(np.mean(np.argmax(z3, axis=1) + 1 == np.ravel(y)) * 100)
