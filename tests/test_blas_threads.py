"""One BLAS thread in the scripts and in the grader's processes
(ex4helpers.limit_blas_threads, the one place of that choice; the reason,
measured, in its docstring and in bench/bench_scripts.py), unless the user
set the number of threads explicitly.
"""
import os
import shutil

from autograder import grade, scheme
from commands import ROOT, python
from ex4helpers import BLAS_THREAD_VARIABLES

THREADS = ("from threadpoolctl import threadpool_info\n"
           "print('BLAS threads:', sorted(i['num_threads'] for i in threadpool_info() "
           "if i['user_api'] == 'blas'))\n")


def run(code, **env):
    """``python -c CODE`` with no BLAS variable but those of ``env``."""
    unset = dict.fromkeys(BLAS_THREAD_VARIABLES)
    return python("-c", code, env={**unset, **env}, timeout=120)


def test_limit_blas_threads_sets_one_thread_in_numpy_and_scipy():
    proc = run("import numpy, scipy.linalg\n" + THREADS
               + "import ex4helpers\nprint(ex4helpers.limit_blas_threads() is not None)\n" + THREADS)
    assert proc.returncode == 0, proc.stderr
    before, done, after = proc.stdout.splitlines()
    cores = os.cpu_count()
    assert before == f"BLAS threads: {[cores] * len(eval(before.split(': ')[1]))}"
    assert done == "True"
    # NumPy's and SciPy's OpenBLAS (two libraries in the wheels): both capped.
    assert after.startswith("BLAS threads: [1") and set(eval(after.split(": ")[1])) == {1}


def test_an_explicit_variable_wins():
    proc = run("import ex4helpers\nprint(ex4helpers.limit_blas_threads() is not None)\n" + THREADS,
               OPENBLAS_NUM_THREADS="2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "False"
    assert set(eval(proc.stdout.splitlines()[1].split(": ")[1])) == {2}


def test_the_graders_part_processes_use_one_blas_thread(tmp_path, monkeypatch):
    for name in BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in scheme.STUDENT_FILES:
        shutil.copyfile(ROOT / name, folder / name)
    text = (folder / "sigmoidGradient.py").read_text()
    (folder / "sigmoidGradient.py").write_text(THREADS + text)
    [result] = grade.grade_submission(folder, parts=["sigmoid_gradient"], sandbox="process")
    assert result.passed
    line = next(l for l in result.output.splitlines() if "BLAS threads:" in l)
    assert set(eval(line.split(": ")[1])) == {1}, line

