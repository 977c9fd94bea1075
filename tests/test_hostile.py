"""Hostile and broken submissions: the grader survives each, gives the right
part scores, finishes in bounded time, and leaves the instructor's files
untouched. Each runs through the real command, in both isolation modes
(bubblewrap where it works; CI installs it, and there it must work).
"""
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from autograder.isolation import bwrap_available
from commands import ROOT, autograder_command
from conftest import course_files_required

# Each test grades hostile code with the real command, in both isolation modes;
# the hostile submissions are graded as one class per mode, on one worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]

ANCHOR = '    n, h, K = (_positive_int(input_layer_size, "input_layer_size"),\n'
IS_ROOT = os.name == "posix" and os.geteuid() == 0


def modes():
    found = ["process"]
    if bwrap_available():
        found.append("bwrap")
    elif course_files_required():          # CI: bubblewrap is installed and must work
        found.append("bwrap")
    return found


# Made by Python and pytest themselves, not by a submission.
CACHES = ("__pycache__", ".pytest_cache")


def fingerprint(data=ROOT / "data", outside=None):
    """sha256 of the instructor's files a submission could target: the course
    data, the reference solution, the hidden cases, the grader itself; the
    names of the files at the top of the project; and those of ``outside``,
    the test's own folder outside the project. Nothing of the folder the
    project was cloned in, which other programs change (e.g. /tmp)."""
    from autograder.scheme import STUDENT_FILES
    paths = sorted({*(ROOT / "data").glob("*"), *Path(data).glob("*")}) \
        + [ROOT / n for n in STUDENT_FILES] \
        + [ROOT / "autograder" / n for n in ("hidden.py", "scheme.py", "cases.py")]
    digest = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}
    digest["project"] = sorted(n for n in os.listdir(ROOT) if n not in CACHES)
    if outside is not None:
        digest["outside"] = sorted(os.listdir(outside))
    return digest


@pytest.fixture
def outside():
    """A folder of the instructor's outside the project, new for each test
    (so for each mode): in the system's temporary folder, which every user
    can reach, and like the folder a project lives in, readable by every
    user and writable by the grader's user alone."""
    folder = Path(tempfile.mkdtemp(prefix="ex4-outside-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def submission(folder, snippet, where="cost"):
    """The reference files, with ``snippet`` run at the start of nnCostFunction."""
    folder.mkdir(parents=True)
    for name in ("sigmoid.py", "sigmoidGradient.py", "randInitializeWeights.py",
                 "predictNeuralNetwork.py"):
        shutil.copyfile(ROOT / name, folder / name)
    text = (ROOT / "nnCostFunction.py").read_text()
    assert text.count(ANCHOR) == 1
    body = "".join(f"    {line}\n" for line in snippet.strip("\n").splitlines())
    (folder / "nnCostFunction.py").write_text(text.replace(ANCHOR, body + ANCHOR))
    return folder


def grade(folder, mode, tmp_path, parts=("cost", "sigmoid_gradient"), timeout=3, data=None):
    out = tmp_path / "results.json"
    start = time.monotonic()
    result = autograder_command("grade", folder, "--json", out, "--sandbox", mode, "--timeout",
                                timeout, "--parts", *parts,
                                *(["--data", data] if data else []), timeout=300)
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text())
    scores = {t["name"]: t["score"] for t in data["tests"] if t["visibility"] == "visible"}
    outputs = {t["name"]: t["output"] for t in data["tests"] if t["visibility"] == "visible"}
    return scores, outputs, result.stdout, seconds


COST, SIGGRAD = "Feedforward and Cost Function", "Sigmoid Gradient"
HUNG = "timed out: nnCostFunction did not return within 3 s"      # --timeout 3: every case

# name: (snippet, cost score, words the cost part's feedback must hold)
HOSTILE = {
    "infinite_loop": ("while True:\n    pass", 0, HUNG),
    "numpy_loop": ("while True:\n    np.linalg.eigvals(np.random.rand(1500, 1500))", 0, HUNG),
    "sleep_forever": ("import time\ntime.sleep(10 ** 6)", 0, HUNG),
    "fork_bomb": ("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
                  "        pass", 0, HUNG),
    "memory_bomb": ("hog = np.ones((10 ** 5, 10 ** 5))  # 80 GB", 0, "out of memory"),
    "sys_exit": ("import sys\nsys.exit(3)", 0, "sys.exit(3)"),
    "os_exit": ("import os\nos._exit(7)", 0, "exit code 7"),
    "kill_self": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", 0, "signal 9"),
    "kill_supervisor": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", 0,
                        "stopped abruptly|PermissionError"),
    "keyboard_interrupt": ("raise KeyboardInterrupt", 0, "KeyboardInterrupt"),
    "base_exception": ("raise BaseException('boom')", 0, "BaseException: boom"),
    "print_flood": ("for _ in range(300):\n    print('x' * 10 ** 6)", 30,
                    r"printed \d{9,} bytes, the first ones"),
    "monkeypatch_numpy": ("np.allclose = np.isclose = lambda *a, **k: True\n"
                          "np.testing.assert_allclose = lambda *a, **k: None\n"
                          "return 0.0, np.zeros(np.size(nn_params))", 0, "expected J"),
    "nan_cost": ("return float('nan'), np.zeros(np.size(nn_params))", 0, "J is nan"),
    "list_outputs": ("J, g = nnCostFunction.__wrapped__(nn_params, input_layer_size, "
                     "hidden_layer_size, num_labels, X, y, lambda_) "
                     "if hasattr(nnCostFunction, '__wrapped__') else (None, None)\n"
                     "if J is None:\n    return [[1.0, 2.0]], 'grad'", 0, "must be a number"),
    "complex_grad": ("return 1.0j, np.zeros(3)", 0, "real number"),
}


def grade_class(folder, mode, out, data, timeout=3):
    """grade-all, as an instructor grades a class, on the hostile submissions
    of ``folder`` (cost and sigmoid_gradient, --timeout): student -> its
    results.json."""
    proc = autograder_command("grade-all", folder, "--csv", out / "grades.csv", "--json-dir",
                              out / "json", "--jobs", 2, "--sandbox", mode, "--timeout",
                              timeout, "--parts", "cost", "sigmoid_gradient", "--data", data,
                              timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return {p.stem: json.loads(p.read_text()) for p in (out / "json").glob("*.json")}


@pytest.fixture(scope="module", params=modes())
def hostile_class(request, tmp_path_factory, grading_data):
    """Every hostile submission graded in one class, per isolation mode, with
    the instructor's files fingerprinted before and after."""
    base = tmp_path_factory.mktemp(f"hostile_{request.param}")
    for name, (snippet, _, _) in HOSTILE.items():
        submission(base / "class" / name, snippet)
    before = fingerprint()
    results = grade_class(base / "class", request.param, base, grading_data)
    return results, before, fingerprint()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_submission(name, hostile_class):
    results, before, after = hostile_class
    _, cost_score, words = HOSTILE[name]
    tests = {t["name"]: t for t in results[name]["tests"] if t["visibility"] == "visible"}
    cost, siggrad = tests[COST], tests[SIGGRAD]
    assert cost["score"] == cost_score, cost["output"]
    assert siggrad["score"] == 5, siggrad["output"]          # the other part is unharmed
    assert words in cost["output"] or re.search(words, cost["output"]), cost["output"]
    assert results[name]["execution_time"] < 90
    assert after == before


@pytest.mark.parametrize("name", ["kill_supervisor", "fork_bomb"])
def test_hostile_submission_through_the_one_submission_command(name, tmp_path, grading_data):
    """The one-submission command, without a batch's pool of supervisors."""
    snippet, cost_score, words = HOSTILE[name]
    before = fingerprint()
    folder = submission(tmp_path / name, snippet)
    scores, outputs, stdout, seconds = grade(folder, modes()[-1], tmp_path, data=grading_data)
    assert scores[COST] == cost_score, outputs[COST]
    assert scores[SIGGRAD] == 5, outputs[SIGGRAD]
    assert re.search(words, outputs[COST]), outputs[COST]
    assert seconds < 90
    assert fingerprint() == before


def _write_outside_snippet(data, outside):
    return (f"for _p in ({str(ROOT / 'hacked.txt')!r}, {str(outside / 'hacked.txt')!r}):\n"
            f"    try:\n        open(_p, 'w').write('x')\n    except OSError:\n        pass\n"
            f"for _p in ({str(Path(data) / 'ex4weights.mat')!r}, "
            f"{str(ROOT / 'nnCostFunction.py')!r}):\n"
            f"    try:\n        os.remove(_p)\n    except OSError:\n        pass\n")


@pytest.mark.parametrize("mode", [m for m in modes() if m == "bwrap" or IS_ROOT])
def test_writing_or_deleting_outside_the_scratch_folder_fails(mode, tmp_path, grading_data,
                                                              outside):
    """The instructor's data, the project and a folder of the instructor's
    outside it come out unchanged (hashes, names)."""
    before = fingerprint(grading_data, outside)
    folder = submission(tmp_path / "vandal",
                        "import os\n" + _write_outside_snippet(grading_data, outside))
    scores, outputs, _, _ = grade(folder, mode, tmp_path, data=grading_data)
    assert scores[COST] == 30, outputs[COST]                 # its values are still right
    assert fingerprint(grading_data, outside) == before
    assert not (ROOT / "hacked.txt").exists() and not (outside / "hacked.txt").exists()


@pytest.mark.parametrize("mode", [m for m in modes() if m == "bwrap"])
def test_reading_the_reference_or_hidden_cases_fails_in_the_sandbox(mode, tmp_path,
                                                                    grading_data):
    """The submission tries to run the reference solution from its absolute path."""
    snippet = (f"_g = {{}}\nexec(open({str(ROOT / 'nnCostFunction.py')!r}).read(), _g)\n"
               f"open({str(ROOT / 'autograder' / 'hidden.py')!r}).read()\n"
               f"return _g['nnCostFunction'](nn_params, input_layer_size, hidden_layer_size, "
               f"num_labels, X, y, lambda_)")
    folder = submission(tmp_path / "thief", "raise RuntimeError('stub')")
    text = (folder / "nnCostFunction.py").read_text().replace(
        "    raise RuntimeError('stub')\n", "".join(f"    {l}\n" for l in snippet.splitlines()))
    (folder / "nnCostFunction.py").write_text(text)
    scores, outputs, _, _ = grade(folder, mode, tmp_path, data=grading_data)
    assert scores[COST] == 0
    assert "No such file or directory" in outputs[COST]


def test_no_process_is_left_behind(tmp_path, grading_data):
    """After a fork bomb and a sleeper that daemonises, nothing of theirs runs on."""
    snippet = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(600)\n"
               "while True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)")
    folder = submission(tmp_path / "leaver", snippet)
    for mode in modes():
        grade(folder, mode, tmp_path, parts=("cost",), timeout=3, data=grading_data)
        time.sleep(0.5)
        leftovers = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue
                if str(folder).encode() in cmd or b"ex4grade-" in cmd and b"leaver" in cmd:
                    leftovers.append(entry)
        assert leftovers == [], mode
