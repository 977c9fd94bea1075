"""The autograder on submissions of known worth (tests/submissions.py):
each one graded through the real command, ``python -m autograder grade DIR
--json FILE``, in a separate process, and checked part by part: the score,
the verdict (also of the extra checks, 0 points), the status word of the
table (passed, failed, timeout, crashed, missing files) and the feedback
that names the mistake. Then ``pytest --submission DIR``, the self-check.
"""
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from autograder import scheme
from submissions import ROOT, SUBMISSIONS, graded_parts, write_submission

pytestmark = pytest.mark.slow


def run(args, timeout=300):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def table_status(stdout, part):
    """The status word of ``part``'s row in the score table."""
    match = re.search(rf"^{re.escape(part.name)} +\d+ / \d+ +(\w[\w ]*?) *$", stdout, re.M)
    assert match, f"no row for {part.name!r} in the table:\n{stdout[:3000]}"
    return match.group(1)


def shows(text, expected):
    return expected.search(text) if isinstance(expected, re.Pattern) else expected in text


@pytest.fixture(scope="module")
def course_files(grading_data):
    """The cases on the course files are part of the expected scores (on the
    weights the tests made, when the course's are absent)."""
    return grading_data


def hard_code_the_values_of(data, path):
    """On weights the tests made, the published values to hard-code are the
    reference's costs at those weights, not the handout's."""
    from ex4data import load_ex4data1, load_ex4weights
    from nnCostFunction import nnCostFunction
    Theta1, Theta2 = load_ex4weights(data / "ex4weights.mat")
    X, y = load_ex4data1(data / "ex4data1.mat", build=False)
    params = np.concatenate([Theta1.ravel(), Theta2.ravel()])
    text = path.read_text()
    for handout, lambda_ in (("0.287629", 0), ("0.383770", 1)):
        J, _ = nnCostFunction(params, 400, 25, 10, X, y, lambda_)
        assert text.count(handout) == 1
        text = text.replace(handout, f"{J:.6f}")
    path.write_text(text)


@pytest.mark.parametrize("name", list(SUBMISSIONS))
def test_grade_submission(name, tmp_path, course_files):
    sub = SUBMISSIONS[name]
    folder = ROOT if name == "reference" else write_submission(name, tmp_path / "submission")
    if name == "hard_coded":
        hard_code_the_values_of(course_files, folder / "nnCostFunction.py")
    results_file = tmp_path / "results.json"
    args = ["-m", "autograder", "grade", str(folder), "--json", str(results_file),
            "--data", str(course_files)]
    if graded_parts(name):
        args += ["--parts", *graded_parts(name)]
    if sub.timeout:
        args += ["--timeout", str(sub.timeout)]
    proc = run(args)
    assert proc.returncode == 0, proc.stderr[-3000:]

    results = json.loads(results_file.read_text())
    tests = {t["name"]: t for t in results["tests"]}
    assert len(tests) == len(results["tests"])
    for key, want in sub.expected.items():
        part = scheme.part(key)
        test = tests[part.name]
        hidden = tests.get(f"{part.name}: hidden cases", {"output": ""})
        passed = want == "passed" or (part.graded and want == part.points)
        context = f"{name}, {key}:\n{test['output'][:4000]}\n{hidden['output'][:2000]}"
        assert test["score"] == (want if part.graded else 0), context
        assert test["max_score"] == part.points
        assert test["status"] == ("passed" if passed else "failed"), context
        assert table_status(proc.stdout, part) == sub.status.get(
            key, "passed" if passed else "failed"), context
        texts = sub.feedback.get(key, ())
        for text in (texts,) if isinstance(texts, (str, re.Pattern)) else texts:
            assert shows(test["output"], text), f"{text!r} not in the feedback of {context}"
        # The feedback stays short, whatever the code printed.
        assert len(test["output"]) < 20_000, context
    assert {t["name"].split(": hidden")[0] for t in results["tests"]} == {
        scheme.part(k).name for k in sub.expected}
    assert results["score"] == sum(v for k, v in sub.expected.items() if scheme.part(k).graded)


@pytest.mark.parametrize("name, passes", [("bias_regularised", False), ("reference", True)])
def test_pytest_submission_option(name, passes, tmp_path, course_files):
    folder = ROOT if name == "reference" else write_submission(name, tmp_path / "submission")
    proc = run(["-m", "pytest", "tests/test_submission.py", "--submission", str(folder), "-q",
                "-p", "no:cacheprovider"])
    out = proc.stdout
    assert f"Score of {folder}" in out, out[-3000:]
    if passes:
        assert proc.returncode == 0, out[-3000:]
        assert re.search(r"^Total +100 / 100", out, re.M), out[-3000:]
        return
    assert proc.returncode == 1, out[-3000:]
    failed = set(re.findall(r"^FAILED tests/test_submission.py::test_part\[(\w+)\]", out, re.M))
    assert failed == {"regularized_cost", "regularized_gradient"}, out[-3000:]
    assert re.search(r"^Total +75 / 100", out, re.M), out[-3000:]
    assert "the bias weights are regularised" in out
