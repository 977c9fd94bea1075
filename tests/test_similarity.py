"""The similarity ignores what most of the class writes alike (MOSS's -m).

In-process, on a class whose right solutions write the lines every right
solution writes alike (the reshaping of nn_params, the regularisation of the
cost and of the gradients, the unrolling): two independent right solutions, one with a
per-example loop and one vectorised, share little else, and are no longer a
similar pair; a copy still is.
"""
import functools
import itertools

import pytest

from autograder import similarity
from synthetic_class import disguise, indent

COST_REG = "J += lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))"
GRAD_REG = ("Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]\n"
            "Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]")

# The forward pass and the backpropagation, each student's own; the regularisation
# lines above follow each of them.
STUDENTS = {
    "loop": ("""
J = 0
Theta1_grad = np.zeros(Theta1.shape)
Theta2_grad = np.zeros(Theta2.shape)
for i in range(m):
    yi = np.zeros(K)
    yi[y[i] - 1] = 1
    a1 = np.concatenate(([1], X[i]))
    z2 = Theta1 @ a1
    a2 = np.concatenate(([1], sigmoid(z2)))
    h = sigmoid(Theta2 @ a2)
    J -= np.sum(yi * np.log(h) + (1 - yi) * np.log(1 - h))
    d3 = h - yi
    d2 = (Theta2[:, 1:].T @ d3) * sigmoidGradient(z2)
    Theta1_grad += np.outer(d2, a1)
    Theta2_grad += np.outer(d3, a2)
J /= m
""", """
Theta1_grad /= m
Theta2_grad /= m
"""),
    "vectorised": ("""
A1 = np.c_[np.ones(m), X]
Z2 = A1 @ Theta1.T
A2 = np.c_[np.ones(m), sigmoid(Z2)]
A3 = sigmoid(A2 @ Theta2.T)
Y = np.eye(K)[y - 1]
J = -np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m
""", """
D3 = A3 - Y
D2 = (D3 @ Theta2[:, 1:]) * sigmoidGradient(Z2)
Theta1_grad = D2.T @ A1 / m
Theta2_grad = D3.T @ A2 / m
"""),
    "dot_hstack": ("""
bias = np.ones((m, 1))
a1 = np.hstack((bias, X))
z2 = np.dot(a1, Theta1.T)
a2 = np.hstack((bias, sigmoid(z2)))
out = sigmoid(np.dot(a2, Theta2.T))
labels = (np.arange(1, K + 1) == y.reshape(-1, 1)).astype(float)
J = np.sum(-labels * np.log(out) - (1 - labels) * np.log(1 - out)) / m
""", """
err3 = out - labels
err2 = np.dot(err3, Theta2)[:, 1:] * sigmoidGradient(z2)
Theta1_grad = np.dot(err2.T, a1) / m
Theta2_grad = np.dot(err3.T, a2) / m
"""),
    "label_loop": ("""
X1 = np.insert(X, 0, 1, axis=1)
hidden = np.insert(sigmoid(X1.dot(Theta1.T)), 0, 1, axis=1)
H = sigmoid(hidden.dot(Theta2.T))
J = 0.0
for k in range(1, K + 1):
    yk = (y == k).astype(float)
    J += -(yk.dot(np.log(H[:, k - 1])) + (1 - yk).dot(np.log(1 - H[:, k - 1]))) / m
""", """
T = np.column_stack([(y == k).astype(float) for k in range(1, K + 1)])
delta_out = H - T
delta_hid = delta_out.dot(Theta2[:, 1:]) * sigmoidGradient(X1.dot(Theta1.T))
Theta1_grad = delta_hid.T.dot(X1) / m
Theta2_grad = delta_out.T.dot(hidden) / m
"""),
    "einsum": ("""
inp = np.concatenate([np.ones((m, 1)), X], axis=1)
pre = np.einsum("ij,kj->ik", inp, Theta1)
act = np.concatenate([np.ones((m, 1)), sigmoid(pre)], axis=1)
prob = sigmoid(np.einsum("ij,kj->ik", act, Theta2))
onehot = np.zeros_like(prob)
onehot[np.arange(m), y - 1] = 1
J = -np.mean(np.sum(onehot * np.log(prob) + (1 - onehot) * np.log(1 - prob), axis=1))
""", """
g3 = prob - onehot
g2 = np.einsum("ik,kj->ij", g3, Theta2[:, 1:]) * sigmoidGradient(pre)
Theta1_grad = np.einsum("ik,ij->kj", g2, inp) / m
Theta2_grad = np.einsum("ik,ij->kj", g3, act) / m
"""),
    "matmul_names": ("""
first = np.column_stack((np.ones(m), X))
second_in = np.matmul(first, Theta1.transpose())
second = np.column_stack((np.ones(m), sigmoid(second_in)))
predicted = sigmoid(np.matmul(second, Theta2.transpose()))
targets = np.identity(K)[y - 1, :]
J = (-1 / m) * np.sum(targets * np.log(predicted) + (1 - targets) * np.log(1 - predicted))
""", """
out_err = predicted - targets
hid_err = np.matmul(out_err, Theta2[:, 1:]) * sigmoidGradient(second_in)
Theta1_grad = np.matmul(hid_err.transpose(), first) / m
Theta2_grad = np.matmul(out_err.transpose(), second) / m
"""),
}


HEADER = """import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    m = X.shape[0]
    K = num_labels
"""
UNROLL = """grad = np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])
return J, grad"""


def right_solution(cost, grad):
    """A right solution, a whole file: the reshaping, regularisation and
    unrolling lines that every right solution writes alike, around the
    student's own forward pass and backpropagation."""
    body = indent("\n".join([cost, COST_REG, "", grad, GRAD_REG, "", UNROLL]))
    return {"nnCostFunction.py": HEADER + body + "\n"}


@functools.lru_cache(maxsize=None)
def scores(max_share):
    """Pair (frozenset of names) -> score, over the class and a copy of "vectorised"
    (``max_share``: that of build_documents, None for the default)."""
    subs = [(name, right_solution(*code)) for name, code in STUDENTS.items()]
    subs.append(("copies_vectorised", {f: disguise(t) for f, t in subs[1][1].items()}))
    docs = similarity.build_documents(subs, max_share=max_share)
    pairs, _ = similarity.compare(docs, threshold=1e-9)
    found = {frozenset((p.a, p.b)): p.score for p in pairs}
    return {frozenset(p): found.get(frozenset(p), 0.0)
            for p in itertools.combinations([name for name, _ in subs], 2)}


CLASS = len(STUDENTS) + 1                       # the copy too


def test_lines_most_of_the_class_writes_make_no_similar_pair():
    before, after = scores(CLASS), scores(None)             # CLASS: nothing is ignored
    pair, copy = frozenset(("loop", "vectorised")), frozenset(("vectorised", "copies_vectorised"))
    threshold = similarity.DEFAULT_THRESHOLD
    assert similarity.max_share_for(CLASS) == 4
    # every student writes the reshaping, regularisation and unrolling alike:
    # counted, they make the two independent solutions a pair
    assert before[pair] > threshold
    independent = [p for p in after if p != copy]
    assert sum(before[p] >= threshold for p in independent) >= 5
    # ignored (in the code of more than 4 of the 7 students), they do not
    assert after[pair] < threshold / 2
    assert max(after[p] for p in independent) < threshold / 2
    assert after[copy] > threshold * 1.5                       # a copy still shows


def test_max_share_is_a_number_of_students():
    assert scores(CLASS - 1) != scores(CLASS)       # the lines of all 7 are ignored
    # with 1, nothing two students share counts: not even the copy
    assert max(scores(1).values()) == 0.0
    # the default: 60% of the class, at least a few students
    assert [similarity.max_share_for(n) for n in (2, 7, 10, 21, 100)] == [4, 4, 6, 12, 60]
    assert similarity.max_share_for(100, 3) == 3


def test_the_report_commands_take_max_share(tmp_path):
    from autograder.__main__ import build_parser
    from autograder.report import build_report
    from autograder.report_data import ReportError
    parser = build_parser()
    assert parser.parse_args(["report", "grades.csv", "--out", "r",
                              "--max-share", "3"]).max_share == 3
    assert parser.parse_args(["grade-all", "subs", "--csv", "g.csv"]).max_share is None
    with pytest.raises(ReportError, match="--max-share must be a whole number of students, "
                                          "at least 1, found 2.5"):
        build_report(tmp_path / "grades.csv", tmp_path / "r", max_share=2.5)
