"""Where a wrong gradient or cost differs, when no modelled mistake matches.

The modelled mistakes (mistakes.py) name a cause when the student's values
equal what a known wrong computation gives. When none does, the structure of
the difference still says where to look:

- the gradient (:func:`localise_gradient`): the student's grad is unrolled
  with the case's sizes into Theta1_grad and Theta2_grad and compared with
  the right ones, block by block: which entries differ (the bias column, one
  row, the weights' columns, all), and how (a constant, a factor, a multiple
  of the weights, or no simple relation); the handout's step follows from
  that (4.3 steps 1-5, 4.5);
- the cost (:func:`localise_cost`): with lambda = 0 the unregularised term
  alone (3.3); with lambda > 0, the student's J less the right unregularised
  term, against the right regularisation term (3.4).

Each returns a typed result whose :meth:`diagnosis` is a diagnoses.Diagnosis
and whose :meth:`lines` show the failing values. Only arithmetic on the
expected and obtained values and on the case's inputs: nothing of the
solution, so this module ships in the student release, where the expected
values come from a table (oracle.TableOracle); without the cost's terms in
that table, the cost is not localised (None).
"""
from dataclasses import dataclass

import numpy as np

from . import scheme
from .diagnoses import Diagnosis
from .localise_causes import RULES, SECTIONS, Cause
from .isolated.wire import decode
from .values import fmt
from .texts import indented, said

# Two values of a relation (a constant, a factor) are "the same" within this.
SAME = 1e-6


@dataclass(frozen=True)
class Problem:
    """The inputs of an nnCostFunction case that localisation reads.

    n, h, K : the layer sizes
    m : the number of examples
    lambda_ : the regularisation parameter
    thetas : (Theta1, Theta2), the weights of the case
    """
    n: int
    h: int
    K: int
    m: int
    lambda_: float
    thetas: tuple


def problem_of(case, course=None):
    """The :class:`Problem` of an nnCostFunction case (a cases.Case), or None
    for another function; ``course`` gives the arrays a case names
    ({"__course__": "X"})."""
    call = case.call
    if call.get("kind") != "call" or call.get("module") != "nnCostFunction":
        return None

    def arg(a):
        return np.asarray(course[a["__course__"]] if isinstance(a, dict) and "__course__" in a
                          else decode(a), dtype=np.float64)
    params, n, h, K, X, _y, lambda_ = call["args"]
    params = arg(params).ravel()
    n, h, K = int(n), int(h), int(K)
    return Problem(n, h, K, arg(X).shape[0], float(lambda_), split(params, n, h, K))


def split(vector, n, h, K):
    """(Theta1 (h, n + 1), Theta2 (K, h + 1)) from an unrolled vector (row-major)."""
    vector = np.asarray(vector, dtype=np.float64).ravel()
    return (vector[:h * (n + 1)].reshape(h, n + 1), vector[h * (n + 1):].reshape(K, h + 1))


# --- what kind of difference ----------------------------------------------------------

def _same(values):
    """The common value of ``values`` (1-D), or None when they differ or are
    fewer than two (one value has no relation)."""
    if values.size < 2:
        return None
    centre = float(np.median(values))
    return centre if np.all(np.abs(values - centre) <= SAME * max(1.0, abs(centre))) else None


def amounts(problem):
    """name -> value of the amounts a difference is named by ("lambda/m", "m", ...)."""
    m, lam = problem.m, problem.lambda_
    named = {"m": m, "1/m": 1 / m, "-1": -1.0, "2": 2.0, "1/2": 0.5}
    if lam > 0:
        named = {"lambda/m": lam / m, "-lambda/m": -lam / m, "lambda/(2m)": lam / (2 * m),
                 "lambda": lam, "-lambda": -lam, **named}
    return named


def name_of(value, problem):
    """The name of an amount ("lambda/m", "m", "2"), or None when it has none."""
    for name, v in amounts(problem).items():
        if abs(value - v) <= SAME * max(1.0, abs(v)):
            return name
    return None


def _relation(kind, amount, problem, bias_only=False):
    name = name_of(amount, problem)
    return Relation(kind, amount, name or fmt(amount), name is not None, bias_only)


@dataclass(frozen=True)
class Relation:
    """How the obtained values relate to the expected ones on the differing entries.

    kind : "constant" (obtained = expected + amount), "factor" (obtained =
        amount * expected), "weights" (obtained = expected + amount * Theta),
        or "none" (no simple relation)
    amount : the constant, factor or coefficient (None for "none")
    name : the amount's name ("lambda/m", "m", "-1") or its value as shown
    named : the amount has a name
    bias_only : the relation holds on the bias column only (the other
        columns also hold the regularisation)
    """
    kind: str
    amount: float = None
    name: str = ""
    named: bool = False
    bias_only: bool = False


def relation(got, expected, theta, mask, problem):
    """The :class:`Relation` of ``got`` to ``expected`` on ``mask`` (arrays of one block)."""
    g, e, t = got[mask], expected[mask], theta[mask]
    for kind, values in (("constant", g - e), ("factor", _ratios(g, e)),
                         ("weights", _ratios(g - e, t))):
        amount = _same(values) if values is not None else None
        if amount is not None:
            return _relation(kind, amount, problem)
    bias = mask[:, 0]
    if bias.any():
        ratios = _ratios(got[:, 0][bias], expected[:, 0][bias])
        factor = _same(ratios) if ratios is not None else None
        if factor is not None and abs(factor - 1) > SAME:
            return _relation("factor", factor, problem, bias_only=True)
    return Relation("none")


def _ratios(a, b):
    """a / b where b is not ~0; None when some a is not ~0 where b is (no ratio)."""
    tiny = 1e-12 * max(1.0, float(np.max(np.abs(b)))) if b.size else 0
    zero = np.abs(b) <= tiny
    if np.any(np.abs(a[zero]) > scheme.ABS_TOL) or zero.all():
        return None
    return a[~zero] / b[~zero]


# --- which entries differ -------------------------------------------------------------

def region(mask):
    """(key, words) of the differing entries of a block: key "all", "bias column",
    "weights" (every column but the bias one), "row", "column" or "some"."""
    rows, cols = mask.shape
    if mask.all():
        return "all", said("every entry")
    if mask[:, 0].any() and not mask[:, 1:].any():
        return "bias column", said("the bias column (first column) only")
    if mask[:, 1:].all() and not mask[:, 0].any():
        return "weights", said("every column but the bias column")
    differing_rows = np.flatnonzero(mask.any(axis=1))
    if differing_rows.size == 1 and rows > 1:
        return "row", said("row {row} only", row=str(differing_rows[0]))
    differing_cols = np.flatnonzero(mask.any(axis=0))
    if differing_cols.size == 1 and cols > 1:
        return "column", said("column {column} only", column=str(differing_cols[0]))
    return "some", said("{n} of {size} entries", n=str(int(mask.sum())), size=str(mask.size))


@dataclass(frozen=True)
class BlockDifference:
    """How one block of the gradient (Theta1_grad or Theta2_grad) differs.

    block : "Theta1_grad" or "Theta2_grad"
    shape : its shape
    differing : how many entries differ
    region : the key of :func:`region` ("bias column", "row", ...)
    where : the differing entries in words
    row : the differing row when region is "row"
    relation : how they differ (:class:`Relation`)
    example : (index, expected, obtained) of the first differing entry
    """
    block: str
    shape: tuple
    differing: int
    region: str
    where: str
    row: int
    relation: Relation
    example: tuple

    def line(self):
        """The feedback line of this block."""
        r = self.relation
        if r.bias_only:
            how = said("its bias column (never regularised) {name} times the right values",
                       name=r.name)
        elif r.kind == "constant":
            how = said("each by {amount} (= {name})", amount=_signed(r.amount), name=r.name) \
                if r.named else said("each by {amount}", amount=_signed(r.amount))
        elif r.kind == "factor":
            how = said("{name} times the right values", name=r.name)
        elif r.kind == "weights":
            how = said("each by {name} times its weight in the case's Theta", name=r.name)
        else:
            how = said("with no simple relation")
        idx, e, g = self.example
        return indented(said(
            "{block} {shape}: {n} of {size} values differ, {where}, {how}; e.g. {entry}: "
            "expected {expected}, obtained {obtained}", block=self.block, shape=str(self.shape),
            n=str(self.differing), size=str(int(np.prod(self.shape))), where=self.where,
            how=how, entry=f"{self.block}[{idx[0]}, {idx[1]}]", expected=fmt(e),
            obtained=fmt(g)))


def _signed(x):
    return f"+{fmt(x)}" if x >= 0 else fmt(x)


def block_difference(name, got, expected, theta, problem):
    """The :class:`BlockDifference` of one block, or None when it is right."""
    mask = ~np.isclose(got, expected, rtol=scheme.REL_TOL, atol=scheme.ABS_TOL)
    if not mask.any():
        return None
    key, where = region(mask)
    row = int(np.flatnonzero(mask.any(axis=1))[0]) if key == "row" else None
    first = tuple(int(i) for i in np.argwhere(mask)[0])
    return BlockDifference(name, got.shape, int(mask.sum()), key, where, row,
                           relation(got, expected, theta, mask, problem),
                           (first, float(expected[first]), float(got[first])))


@dataclass(frozen=True)
class GradientLocalisation:
    """Where and how a student's gradient differs, and what that points to.

    blocks : the :class:`BlockDifference` of each differing block
    cost_right : whether the student's J of the case is right
    cause : the localise_causes.Cause the structure points to
    """
    blocks: tuple
    cost_right: bool
    cause: Cause

    @property
    def specific(self):
        """Whether the difference names one place to look (Cause.specific)."""
        return self.cause.specific

    def lines(self):
        """The feedback lines: one per differing block."""
        return [b.line() for b in self.blocks]

    def diagnosis(self):
        """The Diagnosis the feedback and the CSV show."""
        return Diagnosis(self.cause.short,
                         said("{sentence} (handout {section})", sentence=self.cause.sentence,
                              section=SECTIONS.get(self.cause.section, self.cause.section)),
                         self.cause.section.split(",")[0])


def localise_gradient(grad, expected, problem, cost_right):
    """The :class:`GradientLocalisation` of a wrong gradient.

    Parameters
    ----------
    grad, expected : ndarray of shape (h*(n+1) + K*(h+1),)
        The student's gradient and the right one, unrolled.
    problem : Problem
        The case's sizes, lambda and weights (:func:`problem_of`).
    cost_right : bool
        Whether the student's J of the case is right.

    Returns
    -------
    GradientLocalisation or None
        None when the two gradients agree.
    """
    n, h, K = problem.n, problem.h, problem.K
    pairs = zip(("Theta1_grad", "Theta2_grad"), split(grad, n, h, K),
                split(expected, n, h, K), problem.thetas)
    blocks = tuple(d for d in (block_difference(name, g, e, t, problem)
                               for name, g, e, t in pairs) if d is not None)
    if not blocks:
        return None
    cause = next(c for c in (rule(blocks, cost_right) for rule in RULES) if c is not None)
    return GradientLocalisation(blocks, cost_right, cause)


# --- the cost ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CostLocalisation:
    """Which term of a wrong cost differs.

    term : "unregularised" (lambda = 0) or "regularisation"
    obtained : the student's J
    unregularised, regularisation : the right terms (J = their sum)
    relation : how the differing term relates to the right one
        (:class:`Relation`, kind "factor" or "none")
    """
    term: str
    obtained: float
    unregularised: float
    regularisation: float
    relation: Relation

    @property
    def specific(self):
        """Whether the differing term is a named multiple of the right one."""
        return self.relation.kind != "none"

    @property
    def times(self):
        """The relation in words, "2 times", "with the wrong sign" (the CSV's)."""
        return "with the wrong sign" if self.relation.name == "-1" \
            else f"{self.relation.name} times"

    @property
    def times_said(self):
        """:attr:`times`, as the student reads it."""
        return said("with the wrong sign") if self.relation.name == "-1" \
            else said("{factor} times", factor=self.relation.name)

    def lines(self):
        """The feedback line that splits the cost into its terms."""
        if self.term == "unregularised":
            return [indented(said("lambda = 0: J is the unregularised term alone (3.3); yours "
                                  "is {times} the right one", times=self.times_said))]
        yours = self.obtained - self.unregularised
        relation = ""
        if self.relation.name == "-1":
            relation = said(", the regularisation term with the wrong sign")
        elif self.specific:
            relation = said(", {times} the regularisation term", times=self.times_said)
        return [indented(said(
            "J = unregularised term + regularisation term = {unregularised} + "
            "{regularisation}; your J less the right unregularised term is {yours}{relation}",
            unregularised=fmt(self.unregularised), regularisation=fmt(self.regularisation),
            yours=fmt(yours), relation=relation))]

    def diagnosis(self):
        """The Diagnosis the feedback and the CSV show."""
        factor = said(" ({times} the right one)", times=self.times_said) \
            if self.specific else ""
        if self.term == "unregularised":
            return Diagnosis(
                "unregularised cost wrong" + (f", {self.times}" if factor else ""),
                said("with lambda = 0 the cost is its unregularised term alone{factor}: "
                     "1/m times the sum over the examples and the labels of -y_k log(h_k) - "
                     "(1 - y_k) log(1 - h_k), with y the one-hot labels (handout 3.3)",
                     factor=factor), "3.3")
        return Diagnosis(
            "regularisation term of the cost wrong"
            + (f", {self.times}" if factor else ""),
            said("if your cost is right with lambda = 0 (the part of the unregularised cost), "
                 "your regularisation term is what differs{factor}: it is lambda/(2m) times "
                 "the sum of the squares of Theta1 and Theta2 without their first columns "
                 "(handout 3.4)", factor=factor), "3.4")


def localise_cost(J, terms, problem):
    """The :class:`CostLocalisation` of a wrong J.

    Parameters
    ----------
    J : float
        The student's cost.
    terms : (float, float) or None
        The right unregularised term and regularisation term of the case
        (oracle.Evaluation.cost_terms); None when the oracle has none.
    problem : Problem

    Returns
    -------
    CostLocalisation or None
        None without the terms.
    """
    if terms is None or problem is None:
        return None
    unregularised, regularisation = (float(t) for t in terms)
    if problem.lambda_ == 0 or regularisation == 0:
        term, yours, right = "unregularised", J, unregularised
    else:
        term, yours, right = "regularisation", J - unregularised, regularisation
    factor = yours / right if right else None
    found = _relation("factor", factor, problem) if factor is not None else None
    kind = found if found is not None and found.named else Relation("none")
    return CostLocalisation(term, float(J), unregularised, regularisation, kind)
