"""A synthetic class for the class report (tests/test_report.py, bench/bench_report.py).

Right solutions written independently, in genuinely different styles (the
release's template filled in, or whole files; vectorised with np.eye, with a
comparison, with np.dot and np.insert, one example at a time, with helper
functions and einsum), the known mistakes of tests/submissions.py (through its
builder), a hang, a syntax error, two students copying one another (variables
renamed, comments changed, lines re-spaced) and one copying an outside
solution (given to the report with --compare-with).

``write_class(folder)`` writes one folder per student and returns a
SimpleNamespace: ``outside`` (the folder of outside solutions), ``families``
(groups of students whose code comes from one source, so that every pair
inside a group is a copy and no pair across groups is), ``mistakes`` ((part
key, students) that must share one diagnosis), and the special students.
"""
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

from autograder.release import stub_source

from submissions import LOOP_NN_COST_FUNCTION, write_submission

from commands import ROOT
FENCE = re.compile(r"^(?P<indent>[ \t]*)# =+ YOUR CODE HERE =+\n.*?^[ \t]*# =+\n",
                   re.M | re.S)


def fill(file, *regions):
    """The release's stub of ``file`` with its YOUR CODE HERE blocks filled in
    (each region: code indented by 4 spaces, as in the function's body)."""
    text = stub_source((ROOT / file).read_text(), file)
    blocks = list(FENCE.finditer(text))
    assert len(blocks) == len(regions), f"{file}: {len(blocks)} regions, {len(regions)} given"
    for block, code in reversed(list(zip(blocks, regions))):
        text = text[:block.start()] + code.strip("\n") + "\n" + text[block.end():]
    return text


def indent(code, spaces=4):
    return "\n".join((" " * spaces + line) if line.strip() else "" for line in
                     code.strip("\n").splitlines())


# --- style A: the template filled in, vectorised, np.eye and np.hstack ----------------
A_COST = indent("""
# add the bias column and go forward
ones = np.ones((m, 1))
A1 = np.hstack((ones, X))
Z2 = A1.dot(Theta1.T)
A2 = np.hstack((ones, sigmoid(Z2)))
H = sigmoid(A2.dot(Theta2.T))
# one-hot labels
Yk = np.eye(K)[y.astype(int) - 1]
J = np.sum(-Yk * np.log(H) - (1 - Yk) * np.log(1 - H)) / m
reg = np.sum(np.square(Theta1[:, 1:])) + np.sum(np.square(Theta2[:, 1:]))
J = J + (lambda_ / (2 * m)) * reg
""")
A_GRAD = indent("""
D3 = H - Yk
D2 = D3.dot(Theta2[:, 1:]) * sigmoidGradient(Z2)
Theta1_grad = D2.T.dot(A1) / m
Theta2_grad = D3.T.dot(A2) / m
Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]
Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]
""")
# The same student's bias mistake: the whole Theta regularised.
A_COST_BIAS = A_COST.replace("np.sum(np.square(Theta1[:, 1:])) + np.sum(np.square(Theta2[:, 1:]))",
                             "np.sum(np.square(Theta1)) + np.sum(np.square(Theta2))")
A_GRAD_BIAS = A_GRAD.replace("Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + (lambda_ / m) * Theta1[:, 1:]",
                             "Theta1_grad = Theta1_grad + (lambda_ / m) * Theta1") \
    .replace("Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + (lambda_ / m) * Theta2[:, 1:]",
             "Theta2_grad = Theta2_grad + (lambda_ / m) * Theta2")


def style_a(cost=A_COST, grad=A_GRAD):
    return {
        "nnCostFunction.py": fill("nnCostFunction.py", cost, grad),
        "sigmoid.py": fill("sigmoid.py", indent("g = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))")),
        "sigmoidGradient.py": fill("sigmoidGradient.py",
                                   indent("g = sigmoid(z) * (1 - sigmoid(z))")),
        "randInitializeWeights.py": fill("randInitializeWeights.py", indent(
            "W = np.random.rand(L_out, 1 + L_in) * 2 * epsilon_init - epsilon_init")),
        "predictNeuralNetwork.py": fill("predictNeuralNetwork.py", indent("""
h1 = sigmoid(np.hstack((np.ones((m, 1)), X)).dot(Theta1.T))
h2 = sigmoid(np.hstack((np.ones((m, 1)), h1)).dot(Theta2.T))
p = np.argmax(h2, axis=1) + 1
""")),
    }


# --- style B: whole files, np.dot, np.insert, one-hot by a loop over the labels -------
B_NN = '''import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    # unpack the weights
    cut = hidden_layer_size * (input_layer_size + 1)
    W1 = np.reshape(nn_params[:cut], (hidden_layer_size, input_layer_size + 1))
    W2 = np.reshape(nn_params[cut:], (num_labels, hidden_layer_size + 1))
    n_ex = len(X)
    labels = np.array(y).flatten()

    # targets, one column per class
    T = np.zeros((n_ex, num_labels))
    for c in range(1, num_labels + 1):
        T[:, c - 1] = (labels == c)

    X1 = np.insert(X, 0, 1.0, axis=1)
    hid_in = np.dot(X1, np.transpose(W1))
    hid = np.insert(sigmoid(hid_in), 0, 1.0, axis=1)
    out = sigmoid(np.dot(hid, np.transpose(W2)))

    cost = 0.0
    for c in range(num_labels):
        cost -= np.dot(T[:, c], np.log(out[:, c])) + np.dot(1 - T[:, c], np.log(1 - out[:, c]))
    cost /= n_ex
    W1_nobias = W1.copy()
    W1_nobias[:, 0] = 0
    W2_nobias = W2.copy()
    W2_nobias[:, 0] = 0
    penalty = (W1_nobias ** 2).sum() + (W2_nobias ** 2).sum()
    cost += lambda_ * penalty / (2.0 * n_ex)

    err_out = out - T
    err_hid = np.dot(err_out, W2)[:, 1:] * sigmoidGradient(hid_in)
    G1 = (np.dot(np.transpose(err_hid), X1) + lambda_ * W1_nobias) / n_ex
    G2 = (np.dot(np.transpose(err_out), hid) + lambda_ * W2_nobias) / n_ex
    return cost, np.append(G1.flatten(), G2.flatten())
'''


def style_b():
    return {
        "nnCostFunction.py": B_NN,
        "sigmoid.py": "import numpy as np\nfrom scipy.special import expit\n\n\n"
                      "def sigmoid(z):\n    return expit(np.asarray(z, dtype=float))\n",
        "sigmoidGradient.py": "import numpy as np\nfrom sigmoid import sigmoid\n\n\n"
                              "def sigmoidGradient(z):\n    s = sigmoid(z)\n"
                              "    return np.multiply(s, 1 - s)\n",
        "randInitializeWeights.py": "import numpy as np\n\n\n"
                                    "def randInitializeWeights(L_in, L_out, epsilon_init=0.12):\n"
                                    "    return np.random.uniform(-epsilon_init, epsilon_init,"
                                    " size=(L_out, L_in + 1))\n",
        "predictNeuralNetwork.py": '''import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    X = np.atleast_2d(X)
    hidden = sigmoid(np.dot(np.insert(X, 0, 1, axis=1), Theta1.T))
    output = sigmoid(np.dot(np.insert(hidden, 0, 1, axis=1), Theta2.T))
    best = []
    for row in output:
        best.append(int(np.argmax(row)) + 1)
    return np.array(best)
''',
    }


# --- style C: whole files with helpers, np.c_, einsum, scipy's expit -----------------
C_NN = '''"""My neural network cost (ex4)."""
import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def unroll_shapes(n_in, n_hid, n_out):
    return (n_hid, n_in + 1), (n_out, n_hid + 1)


def forward(t1, t2, data):
    layer1 = np.c_[np.ones(data.shape[0]), data]
    pre2 = layer1 @ t1.T
    layer2 = np.c_[np.ones(pre2.shape[0]), sigmoid(pre2)]
    return layer1, pre2, layer2, sigmoid(layer2 @ t2.T)


def encode(labels, k):
    onehot = np.zeros((labels.size, k))
    onehot[np.arange(labels.size), labels - 1] = 1.0
    return onehot


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    s1, s2 = unroll_shapes(input_layer_size, hidden_layer_size, num_labels)
    t1 = nn_params[:s1[0] * s1[1]].reshape(s1)
    t2 = nn_params[s1[0] * s1[1]:].reshape(s2)
    count = X.shape[0]
    targets = encode(np.ravel(y).astype(np.int64), num_labels)
    layer1, pre2, layer2, outputs = forward(t1, t2, X)
    loglik = np.einsum("ij,ij->", targets, np.log(outputs)) \\
        + np.einsum("ij,ij->", 1 - targets, np.log(1 - outputs))
    squares = np.einsum("ij,ij->", t1[:, 1:], t1[:, 1:]) + np.einsum("ij,ij->", t2[:, 1:], t2[:, 1:])
    cost = -loglik / count + lambda_ / (2 * count) * squares
    e3 = outputs - targets
    e2 = (e3 @ t2[:, 1:]) * sigmoidGradient(pre2)
    g1 = np.einsum("ki,kj->ij", e2, layer1) / count
    g2 = np.einsum("ki,kj->ij", e3, layer2) / count
    g1[:, 1:] += lambda_ / count * t1[:, 1:]
    g2[:, 1:] += lambda_ / count * t2[:, 1:]
    return cost, np.hstack([g1.reshape(-1), g2.reshape(-1)])
'''


def style_c():
    return {
        "nnCostFunction.py": C_NN,
        "sigmoid.py": "import numpy as np\n\n\ndef sigmoid(z):\n    z = np.asarray(z, float)\n"
                      "    out = np.empty_like(z)\n    pos = z >= 0\n"
                      "    out[pos] = 1 / (1 + np.exp(-z[pos]))\n"
                      "    e = np.exp(z[~pos])\n    out[~pos] = e / (1 + e)\n    return out\n",
        "sigmoidGradient.py": "from sigmoid import sigmoid\n\n\ndef sigmoidGradient(z):\n"
                              "    g = sigmoid(z)\n    return g - g ** 2\n",
        "randInitializeWeights.py": "import numpy as np\n\n\n"
                                    "def randInitializeWeights(L_in, L_out, epsilon_init=0.12):\n"
                                    "    w = np.random.rand(L_out, L_in + 1)\n"
                                    "    return (w - 0.5) * 2 * epsilon_init\n",
        "predictNeuralNetwork.py": "import numpy as np\nfrom sigmoid import sigmoid\n\n\n"
                                   "def predictNeuralNetwork(Theta1, Theta2, X):\n"
                                   "    a = sigmoid(np.c_[np.ones(len(X)), X] @ Theta1.T)\n"
                                   "    b = sigmoid(np.c_[np.ones(len(a)), a] @ Theta2.T)\n"
                                   "    return b.argmax(1) + 1\n",
    }


# --- style D: the template, one example at a time (the handout's loop) ---------------
D_COST = indent("""
J = 0
for i in range(m):
    x_i = np.concatenate(([1], X[i, :]))
    z_2 = Theta1 @ x_i
    a_2 = np.concatenate(([1], sigmoid(z_2)))
    h_i = sigmoid(Theta2 @ a_2)
    y_i = np.zeros(K)
    y_i[int(y[i]) - 1] = 1
    J = J - np.sum(y_i * np.log(h_i) + (1 - y_i) * np.log(1 - h_i))
J = J / m
J = J + lambda_ / (2 * m) * (np.sum(Theta1[:, 1:] * Theta1[:, 1:]) + np.sum(Theta2[:, 1:] * Theta2[:, 1:]))
""")
D_GRAD = indent("""
Delta1 = np.zeros(Theta1.shape)
Delta2 = np.zeros(Theta2.shape)
for i in range(m):
    x_i = np.concatenate(([1], X[i, :]))
    z_2 = Theta1 @ x_i
    a_2 = np.concatenate(([1], sigmoid(z_2)))
    h_i = sigmoid(Theta2 @ a_2)
    y_i = np.zeros(K)
    y_i[int(y[i]) - 1] = 1
    d_3 = h_i - y_i
    d_2 = (Theta2.T @ d_3)[1:] * sigmoidGradient(z_2)
    Delta1 = Delta1 + np.outer(d_2, x_i)
    Delta2 = Delta2 + np.outer(d_3, a_2)
Theta1_grad = Delta1 / m
Theta2_grad = Delta2 / m
Theta1_grad[:, 1:] += lambda_ * Theta1[:, 1:] / m
Theta2_grad[:, 1:] += lambda_ * Theta2[:, 1:] / m
""")


def style_d():
    return {
        "nnCostFunction.py": fill("nnCostFunction.py", D_COST, D_GRAD),
        "sigmoid.py": fill("sigmoid.py", indent("""
with np.errstate(over="ignore"):
    g = 1 / (1 + np.exp(-z))
""")),
        "sigmoidGradient.py": fill("sigmoidGradient.py", indent("""
sig = sigmoid(z)
g = sig * (1 - sig)
""")),
        "randInitializeWeights.py": fill("randInitializeWeights.py", indent("""
W = np.zeros((L_out, 1 + L_in))
W = np.random.rand(L_out, 1 + L_in) * (2 * epsilon_init) - epsilon_init
""")),
        "predictNeuralNetwork.py": fill("predictNeuralNetwork.py", indent("""
p = np.zeros(m, dtype=int)
for i in range(m):
    hidden = sigmoid(Theta1 @ np.concatenate(([1], X[i])))
    scores = sigmoid(Theta2 @ np.concatenate(([1], hidden)))
    p[i] = np.argmax(scores) + 1
""")),
    }


# --- the outside solution (e.g. found online) and the copies --------------------------
OUTSIDE_NN = '''# Neural network cost function - ex4 solution in python
# (found online; the instructor's reference set)
import numpy as np
from sigmoid import sigmoid
from sigmoidGradient import sigmoidGradient


def nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    Theta1 = nn_params[:hidden_layer_size * (input_layer_size + 1)].reshape(
        hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[hidden_layer_size * (input_layer_size + 1):].reshape(
        num_labels, hidden_layer_size + 1)
    y = np.asarray(y).ravel()
    m = y.size
    y_matrix = np.zeros((m, num_labels))
    for i in range(m):
        y_matrix[i, int(y[i]) - 1] = 1
    # feedforward
    a1 = np.concatenate([np.ones((m, 1)), X], axis=1)
    z2 = np.matmul(a1, Theta1.transpose())
    a2 = np.concatenate([np.ones((m, 1)), sigmoid(z2)], axis=1)
    z3 = np.matmul(a2, Theta2.transpose())
    a3 = sigmoid(z3)
    # cost
    inner = np.multiply(y_matrix, np.log(a3)) + np.multiply(1 - y_matrix, np.log(1 - a3))
    J = -1 / m * np.sum(inner)
    t1 = Theta1[:, 1:]
    t2 = Theta2[:, 1:]
    J = J + lambda_ / (2 * m) * (np.sum(np.multiply(t1, t1)) + np.sum(np.multiply(t2, t2)))
    # backpropagation
    sigma3 = a3 - y_matrix
    sigma2 = np.multiply(np.matmul(sigma3, Theta2[:, 1:]), sigmoidGradient(z2))
    delta1 = np.matmul(sigma2.transpose(), a1)
    delta2 = np.matmul(sigma3.transpose(), a2)
    Theta1_grad = delta1 / m
    Theta2_grad = delta2 / m
    Theta1_grad[:, 1:] = Theta1_grad[:, 1:] + lambda_ / m * t1
    Theta2_grad[:, 1:] = Theta2_grad[:, 1:] + lambda_ / m * t2
    grad = np.concatenate([Theta1_grad.flatten(), Theta2_grad.flatten()])
    return J, grad
'''

RENAMES = {  # the copier's renamed variables (whole words)
    "ones": "col", "A1": "inp", "Z2": "zh", "A2": "hid", "H": "hyp", "Yk": "Ymat", "reg": "pen",
    "D3": "err3", "D2": "err2", "h1": "l1", "h2": "l2",
    "y_matrix": "Y", "a1": "L1", "z2": "Z2", "a2": "L2", "z3": "Z3", "a3": "L3", "inner": "terms",
    "t1": "w1", "t2": "w2", "sigma3": "d3", "sigma2": "d2", "delta1": "acc1", "delta2": "acc2",
}


def disguise(text):
    """What a copier does: rename the variables, rewrite or drop the comments,
    re-space some lines."""
    for old, new in RENAMES.items():
        text = re.sub(rf"(?<![.\w]){old}\b", new, text)
    out = []
    for i, line in enumerate(text.splitlines()):
        code, hash_, comment = line.partition("# ")
        if hash_ and not code.strip():
            if i % 2:
                continue                                  # a comment dropped
            line = f"{code}# {comment.upper()} (my notes)"
        elif hash_ and not comment.startswith(("=", "BEGIN", "END")):
            line = code.rstrip()                          # a trailing comment dropped
        if " = " in line and '"' not in line and i % 3 == 0:
            line = line.replace(" = ", "  =  ", 1)
        out.append(line)
        if i % 7 == 3:
            out.append("")                                # blank lines added
    return "\n".join(out) + "\n"


def outside_files():
    """The outside solution (whole files), as an instructor keeps them."""
    return {
        "nnCostFunction.py": OUTSIDE_NN,
        "sigmoid.py": "import numpy as np\n\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
        "sigmoidGradient.py": "from sigmoid import sigmoid\n\n\ndef sigmoidGradient(z):\n"
                              "    return sigmoid(z) * (1 - sigmoid(z))\n",
        "randInitializeWeights.py": "import numpy as np\n\n\n"
                                    "def randInitializeWeights(L_in, L_out, epsilon_init=0.12):\n"
                                    "    epsilon = epsilon_init\n"
                                    "    return np.random.rand(L_out, 1 + L_in) * 2 * epsilon - epsilon\n",
        "predictNeuralNetwork.py": """import numpy as np
from sigmoid import sigmoid


def predictNeuralNetwork(Theta1, Theta2, X):
    m = X.shape[0]
    h1 = sigmoid(np.matmul(np.concatenate([np.ones((m, 1)), X], axis=1), Theta1.T))
    h2 = sigmoid(np.matmul(np.concatenate([np.ones((m, 1)), h1], axis=1), Theta2.T))
    return np.argmax(h2, axis=1) + 1
""",
    }


def write(folder, files):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


# --- style G: the template, vectorised with np.append / np.vstack, a bias mistake ----
G_COST = indent("""
bias = np.ones(m)
layer_in = np.vstack((bias, X.T)).T
hidden = sigmoid(np.matmul(layer_in, np.transpose(Theta1)))
hidden_b = np.vstack((bias, hidden.T)).T
scores = sigmoid(np.matmul(hidden_b, np.transpose(Theta2)))
truth = np.array([[1.0 if label == c else 0.0 for c in range(1, K + 1)] for label in y])
per_example = -(truth * np.log(scores)).sum(axis=1) - ((1 - truth) * np.log(1 - scores)).sum(axis=1)
J = per_example.mean()
# regularisation term
J += lambda_ / 2 / m * ((Theta1 ** 2).sum() + (Theta2 ** 2).sum())
""")
G_GRAD = indent("""
out_err = scores - truth
hid_err = np.matmul(out_err, Theta2)[:, 1:] * sigmoidGradient(np.matmul(layer_in, np.transpose(Theta1)))
Theta1_grad = (np.matmul(np.transpose(hid_err), layer_in) + lambda_ * Theta1) / m
Theta2_grad = (np.matmul(np.transpose(out_err), hidden_b) + lambda_ * Theta2) / m
""")


def style_g():
    return {
        "nnCostFunction.py": fill("nnCostFunction.py", G_COST, G_GRAD),
        "sigmoid.py": fill("sigmoid.py", indent("g = np.exp(-np.logaddexp(0, -z))")),
        "sigmoidGradient.py": fill("sigmoidGradient.py", indent("g = sigmoid(z) - sigmoid(z) ** 2")),
        "randInitializeWeights.py": fill("randInitializeWeights.py", indent(
            "W = epsilon_init * (2 * np.random.rand(L_out, L_in + 1) - 1)")),
        "predictNeuralNetwork.py": fill("predictNeuralNetwork.py", indent("""
first = sigmoid(np.matmul(np.vstack((np.ones(m), X.T)).T, np.transpose(Theta1)))
second = sigmoid(np.matmul(np.vstack((np.ones(m), first.T)).T, np.transpose(Theta2)))
p = 1 + second.argmax(axis=1)
""")),
    }


# The small files of two more students (their nnCostFunction from tests/submissions.py).
def small_files_e():
    return {
        "sigmoid.py": "import numpy as np\n\n\ndef sigmoid(z):\n"
                      "    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))\n",
        "sigmoidGradient.py": "import numpy as np\nfrom sigmoid import sigmoid\n\n\n"
                              "def sigmoidGradient(z):\n    a = sigmoid(z)\n"
                              "    return a * (1.0 - a)\n",
        "randInitializeWeights.py": fill("randInitializeWeights.py", indent("""
W = np.random.rand(L_out, L_in + 1)
W = W * 2 * epsilon_init
W = W - epsilon_init
""")),
        "predictNeuralNetwork.py": "import numpy as np\nfrom sigmoid import sigmoid\n\n\n"
                                   "def predictNeuralNetwork(Theta1, Theta2, X):\n"
                                   "    X = np.asarray(X, float).reshape(-1, Theta1.shape[1] - 1)\n"
                                   "    hid = sigmoid(X @ Theta1[:, 1:].T + Theta1[:, 0])\n"
                                   "    out = sigmoid(hid @ Theta2[:, 1:].T + Theta2[:, 0])\n"
                                   "    return out.argmax(axis=1) + 1\n",
    }


def small_files_f():
    return {
        "sigmoid.py": fill("sigmoid.py", indent("g = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), "
                                                "np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))")),
        "sigmoidGradient.py": fill("sigmoidGradient.py", indent("""
value = sigmoid(z)
g = value * (1 - value)
""")),
        "randInitializeWeights.py": fill("randInitializeWeights.py", indent(
            "W = (np.random.rand(L_out, 1 + L_in) - 0.5) * (2 * epsilon_init)")),
        "predictNeuralNetwork.py": fill("predictNeuralNetwork.py", indent("""
X1 = np.column_stack((np.ones(m), X))
A = sigmoid(X1 @ Theta1.T)
A1 = np.column_stack((np.ones(m), A))
p = np.argmax(sigmoid(A1 @ Theta2.T), axis=1) + 1
""")),
    }


# Students built from tests/submissions.py's builder: the reference with one
# edit each, so they are all copies of one source (the reference family).
BUILT = {"ref_bias": "bias_regularised", "ref_no_m": "no_one_over_m",
         "ref_lambda_m": "cost_lambda_over_m", "ref_column_major": "column_major",
         "ref_sigmoid_backprop": "sigmoid_in_backprop", "ref_sigmoid_as_gradient":
         "sigmoid_as_gradient", "ref_raw_labels": "raw_labels",
         "ref_predict_0_based": "predict_0_based", "ref_crash": "os_exit",
         "ref_syntax": "syntax_error", "ref_missing_files": "missing_files",
         "ref_hang": "reference"}
PARTS = ["cost", "regularized_cost", "sigmoid_gradient", "backprop", "regularized_gradient",
         "sigmoid", "rand_init", "predict"]        # no training: a loop student would take minutes


def write_class(folder):
    """Write the synthetic class under ``folder``/submissions; see the module's docstring."""
    folder = Path(folder)
    subs = folder / "submissions"
    right = {"ada_template_eye": style_a(), "ben_whole_insert": style_b(),
             "cyd_helpers_einsum": style_c(), "dee_template_loop": style_d()}
    for name, files in right.items():
        write(subs / name, files)
    write_submission("reference", subs / "eve_loop_file")          # submissions.py's loop form
    write(subs / "eve_loop_file", {"nnCostFunction.py": LOOP_NN_COST_FUNCTION})
    write(subs / "eve_loop_file", small_files_e())
    write_submission("vectorised_solution", subs / "fay_vectorised")
    write(subs / "fay_vectorised", small_files_f())
    # Two students who copy one another: Gil regularises the bias weights, Hal
    # copied him with his own variable names and comments.
    gil = style_g()
    write(subs / "gil_bias", gil)
    # (Hal hands in a zip of a folder, as LMS exports give them.)
    with zipfile.ZipFile(subs / "hal_copies_gil.zip", "w") as z:
        for name, text in gil.items():
            z.writestr(f"ex4/{name}", disguise(text))
    # Ivy copies the outside solution (disguised the same way), her own sigmoid.
    ivy = {k: disguise(v) for k, v in outside_files().items()}
    ivy["sigmoid.py"] = style_d()["sigmoid.py"]
    write(subs / "ivy_copies_outside", ivy)
    write(folder / "outside" / "github_solution", outside_files())
    for student, name in BUILT.items():
        write_submission(name, subs / student)
    # The hang: sigmoidGradient waits for ever (only Sigmoid Gradient times
    # out). It sleeps: a busy loop would burn a core for the limit, and is
    # tested where the time limits are (tests/test_budget.py, test_hostile.py).
    hang = subs / "ref_hang" / "sigmoidGradient.py"
    hang.write_text("import time\n" + hang.read_text().replace(
        "    s = sigmoid(z)\n", "    s = sigmoid(z)\n    while True:\n        time.sleep(1)\n"))
    return SimpleNamespace(
        submissions=subs, outside=folder / "outside",
        right=sorted(right) + ["eve_loop_file", "fay_vectorised"],
        # each group comes from one source: every pair inside is a copy, none across
        # (ref_missing_files holds only the two one-line files: too little to tell)
        families=[sorted(set(BUILT) - {"ref_missing_files"}), ["gil_bias", "hal_copies_gil"],
                  ["ivy_copies_outside", "outside/github_solution"]],
        # (part key, students): the students sharing one diagnosis in that part
        mistakes=[("regularized_cost", ["gil_bias", "hal_copies_gil", "ref_bias"]),
                  ("regularized_gradient", ["gil_bias", "hal_copies_gil", "ref_bias"]),
                  ("cost", ["ref_column_major"]), ("cost", ["ref_no_m"]),
                  ("cost", ["ref_raw_labels"]), ("regularized_cost", ["ref_lambda_m"]),
                  ("backprop", ["ref_sigmoid_backprop"]),
                  ("sigmoid_gradient", ["ref_sigmoid_as_gradient"]),
                  ("predict", ["ref_predict_0_based"])],
        timeout="ref_hang", syntax="ref_syntax", crash="ref_crash", missing="ref_missing_files")
