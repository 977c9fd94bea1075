"""The autograder on submissions of known worth (tests/submissions.py):
each one graded through the real command, ``python -m autograder grade DIR
--json FILE``, in a separate process, and checked part by part: the score,
the verdict (also of the extra checks, 0 points), the status word of the
table (passed, failed, timeout, crashed, missing files) and the feedback
that names the mistake. Then ``pytest --submission DIR``, the self-check.
"""
import json
import os
import re

import pytest

from autograder import scheme
from commands import python
from conftest import reference_costs
from submissions import SUBMISSIONS, graded_parts, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


def run(args, timeout=300):
    return python(*args, timeout=timeout)


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
    text = path.read_text()
    for handout, J in zip(("0.287629", "0.383770"), reference_costs(data)):
        assert text.count(handout) == 1
        text = text.replace(handout, f"{J:.6f}")
    path.write_text(text)


# The submissions graded with the default limits, and the one with its own
# --timeout through the one-submission command. Each submission is checked
# on the parts it names (its ``expected``): the classes are graded on those
# parts only, one grade-all per family of parts below (a submission goes to
# the first family that holds its parts), the training's apart.
# Two are graded on every part elsewhere, with the same expectations.
GRADED_ELSEWHERE = {"reference": "tests/test_submission.py (the repository's own files)",
                    "release_stub": "tests/test_release.py (the release's stubs)"}
ONE_BY_ONE = [n for n in SUBMISSIONS if SUBMISSIONS[n].timeout]
TRAINED = [n for n in SUBMISSIONS if n not in ONE_BY_ONE + list(GRADED_ELSEWHERE)
           and "training" in SUBMISSIONS[n].expected]
UNTRAINED = [n for n in SUBMISSIONS if n not in ONE_BY_ONE + TRAINED + list(GRADED_ELSEWHERE)]
FAMILIES = [("cost", "regularized_cost", "backprop", "regularized_gradient"),
            ("cost", "sigmoid", "sigmoid_gradient", "backprop"),
            ("cost", "rand_init", "predict"),
            ("cost", "backprop", "regularized_gradient", "training"),
            ("rand_init", "training")]
ALL_PARTS = tuple(p.key for p in scheme.PARTS)


def family(name):
    """The parts ``name`` is graded on: the first family holding its expected parts."""
    wanted = set(SUBMISSIONS[name].expected)
    return next((f for f in FAMILIES if wanted <= set(f)), ALL_PARTS)


def make(name, folder, data):
    """Write submission ``name`` into ``folder`` (the reference: its five files)."""
    write_submission(name, folder)
    if name == "hard_coded":
        hard_code_the_values_of(data, folder / "nnCostFunction.py")
    return folder


def grade_class(names, out, data, parts):
    """grade-all on the submissions ``names``: name -> (results.json, the
    parts' statuses from the details file)."""
    for name in names:
        make(name, out / "class" / name, data)
    proc = run(["-m", "autograder", "grade-all", str(out / "class"), "--csv",
                str(out / "grades.csv"), "--json-dir", str(out / "json"), "--jobs", "2",
                "--data", str(data), "--parts", *parts], timeout=1800)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    details = [json.loads(line) for line in (out / "grades.details.jsonl").read_text().splitlines()]
    statuses = {d["student"]: {p["key"]: p["status"] for p in d["parts"]} for d in details}
    return {name: (json.loads((out / "json" / f"{name}.json").read_text()), statuses[name])
            for name in names}


def grade_by_family(names, out, data):
    """Each family's submissions of ``names`` graded on its parts, one
    grade-all each: name -> (results.json, statuses)."""
    graded = {}
    for i, parts in enumerate(FAMILIES + [ALL_PARTS]):
        group = [n for n in names if family(n) == parts]
        if group:
            graded.update(grade_class(group, out / f"family{i}", data, parts))
    return graded


@pytest.fixture(scope="module")
def untrained(tmp_path_factory, course_files):
    return grade_by_family(UNTRAINED, tmp_path_factory.mktemp("untrained"), course_files)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, course_files):
    return grade_by_family(TRAINED, tmp_path_factory.mktemp("trained"), course_files)


def status_word(test, status):
    """The word of the score table: passed, failed, or the part's status."""
    return "passed" if test["status"] == "passed" else status if status != "graded" else "failed"


def check_results(name, results, statuses):
    """Each expected part's score, verdict, status and feedback."""
    sub = SUBMISSIONS[name]
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
        assert status_word(test, statuses[key]) == sub.status.get(
            key, "passed" if passed else "failed"), context
        texts = sub.feedback.get(key, ())
        for text in (texts,) if isinstance(texts, (str, re.Pattern)) else texts:
            assert shows(test["output"], text), f"{text!r} not in the feedback of {context}"
        # The feedback stays short, whatever the code printed.
        assert len(test["output"]) < 20_000, context
        # Before the due date, a hidden case shows no value (its description,
        # diagnosis and error only), and no scratch path appears.
        for block in re.findall(r"^  (?:ok  |FAIL) \[hidden\].*\n((?:    .*\n?)*)",
                                test["output"], re.M):
            assert "obtained" not in block and "as expected" not in block, context
        assert "ex4grade-" not in test["output"] + hidden["output"], context


@pytest.mark.parametrize("name", UNTRAINED)
def test_grade_submission(name, untrained):
    check_results(name, *untrained[name])


@pytest.mark.parametrize("name", TRAINED)
def test_grade_submission_with_training(name, trained):
    check_results(name, *trained[name])


@pytest.mark.parametrize("name", ONE_BY_ONE)
def test_grade_command(name, tmp_path, course_files):
    """The one-submission command: only the parts asked for, the score table
    printed with each part's status word, and its results.json."""
    sub = SUBMISSIONS[name]
    folder = make(name, tmp_path / "submission", course_files)
    results_file = tmp_path / "results.json"
    args = ["-m", "autograder", "grade", str(folder), "--json", str(results_file),
            "--data", str(course_files), "--parts", *graded_parts(name)]
    proc = run(args + ["--timeout", str(sub.timeout)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(results_file.read_text())
    statuses = {key: {"passed": "graded", "failed": "graded"}.get(word, word)
                for key in sub.expected
                for word in [table_status(proc.stdout, scheme.part(key))]}
    check_results(name, results, statuses)
    assert {t["name"].split(": hidden")[0] for t in results["tests"]} == {
        scheme.part(k).name for k in sub.expected}
    assert results["score"] == sum(v for k, v in sub.expected.items() if scheme.part(k).graded)


def test_every_submission_is_graded_once():
    assert sorted(UNTRAINED + TRAINED + ONE_BY_ONE + list(GRADED_ELSEWHERE)) == \
        sorted(SUBMISSIONS)
    assert ONE_BY_ONE and TRAINED and UNTRAINED


def test_pytest_submission_option(tmp_path):
    """``pytest tests/test_submission.py --submission DIR``: the same parts and
    feedback as the grader, and the score table at the end. (The reference,
    graded the same way, is tests/test_submission.py in this suite.)"""
    folder = write_submission("bias_regularised", tmp_path / "submission")
    proc = run(["-m", "pytest", "tests/test_submission.py", "--submission", str(folder), "-q",
                "-p", "no:cacheprovider"])
    out = proc.stdout
    assert f"Score of {folder}" in out, out[-3000:]
    assert proc.returncode == 1, out[-3000:]
    failed = set(re.findall(r"^FAILED tests/test_submission.py::test_part\[(\w+)\]", out, re.M))
    assert failed == {"regularized_cost", "regularized_gradient"}, out[-3000:]
    assert re.search(r"^Total +75 / 100", out, re.M), out[-3000:]
    assert "the bias weights are regularised" in out


# --- the grader's own environment ------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="dropping privileges needs root")
def test_probe_finds_modules_the_unprivileged_user_cannot_import(monkeypatch):
    import shutil
    import tempfile
    from pathlib import Path
    from autograder.isolated.privileges import probe_imports
    from autograder.isolation import NOBODY
    tmp_path = Path(tempfile.mkdtemp(dir="/tmp"))       # /tmp: reachable by nobody
    private, public = tmp_path / "private", tmp_path / "public"
    private.mkdir()
    public.mkdir()
    (private / "ex4_private_probe.py").write_text("X = 1\n")
    (public / "ex4_public_probe.py").write_text("X = 1\n")
    tmp_path.chmod(0o755)
    private.chmod(0o700)                       # only root may read it
    public.chmod(0o755)
    monkeypatch.syspath_prepend(str(private))
    monkeypatch.syspath_prepend(str(public))
    found = probe_imports(NOBODY, ["ex4_private_probe", "ex4_public_probe",
                                                "ex4_not_installed_at_all"])
    shutil.rmtree(tmp_path)
    assert list(found) == ["ex4_private_probe"]
    assert found["ex4_private_probe"].startswith("ModuleNotFoundError")


@pytest.mark.parametrize("name", ["hard_coded_sizes", "hard_coded_ten_labels"])
def test_release_self_check_agrees_with_the_grader_on_hard_coded_sizes(name, tmp_path,
                                                                       student_release):
    """The public self-check (the release's `python -m pytest`) has a 6-5-11
    network: hard-coded 400-25-10 sizes or 10 labels fail there too, with the
    grader's part scores. (The training, 0 points, is left out: ``-k``
    selects the parts the self-check grades.)"""
    import shutil
    release = tmp_path / "release"
    shutil.copytree(student_release[0], release)
    sub = write_submission(name, tmp_path / "submission")
    for file in scheme.STUDENT_FILES:
        shutil.copyfile(sub / file, release / file)
    proc = python("-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not training",
                  cwd=release)
    out = proc.stdout
    assert proc.returncode == 1, out[-3000:]
    failed = set(re.findall(r"^FAILED tests/test_submission.py::test_part\[(\w+)\]", out, re.M))
    assert failed == {"cost", "regularized_cost", "backprop", "regularized_gradient"}, out[-3000:]
    assert re.search(r"^Total +5 / 100", out, re.M), out[-3000:]
    assert not re.search(r"^Training", out, re.M), out[-3000:]      # not graded
