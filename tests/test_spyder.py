"""The student release in a real Spyder kernel, driven as Spyder 6 drives it.

A `python -m spyder_kernels.console` kernel is started through
jupyter_client in a folder other than the exercise's (a fresh Spyder
console starts in the home folder), with the environment Spyder sets (its
module reloader, UMR, on), Spyder's start-up configuration (inline figures,
autoreload) and the 'spyder_api' comm answered as Spyder's editor does
(%runcell asks it for the cell's code). Then, as a student:

1. Ctrl+Enter on ex4.py's first cell: `%runcell -i 1 ex4.py`;
2. F5 on the untouched release: `%runfile ex4.py --wdir`: one `Stopped:`
   line, no traceback, no input request;
3. the student's files written (the reference copied in), F5 again: the
   handout's values with their verdicts, inline figures (image/png), no
   input request;
4. ex4_analysis.py with QUICK = True in its settings cell, F5: the lambdas
   trained in worker processes, five inline figures.

Then once more under a French locale (LANG=fr_FR.UTF-8, no EX4_LANG), with
the English release: the stop line and the verdicts in French.
"""
import os
import queue
import shutil
import sys
import time
import uuid
from pathlib import Path

import pytest

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("spyder_kernels")

from autograder import scheme  # noqa: E402
from autograder.release import make_release  # noqa: E402

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("spyder")

from commands import ROOT  # noqa: E402
CELL_SEPARATORS = ("#%%", "# %%", "# <codecell>", "# In[")
TIMEOUT = 300          # seconds for one execution (the full ex4.py takes a few)


def split_cells(text):
    """Spyder's cells: [code], cell 0 before the first separator, each padded
    with blank lines so that line numbers stay those of the file."""
    lines = text.split("\n")
    starts = [0] + [i for i, line in enumerate(lines) if line.lstrip().startswith(CELL_SEPARATORS)]
    if len(starts) > 1 and starts[1] == 0:
        starts = starts[1:]
    ends = starts[1:] + [len(lines)]
    return ["\n" * s + "\n".join(lines[s:e]) for s, e in zip(starts, ends)]


class SpyderKernel:
    """A spyder-kernels kernel and the part of Spyder's frontend it talks to."""

    def __init__(self, cwd, variables=None):
        """``variables``: set on top of this process's environment (None: removed)."""
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpec
        env = {k: v for k, v in os.environ.items()
               if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONEXECUTABLE", "MPLBACKEND")}
        for name, value in (variables or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        env.update(SPY_EXTERNAL_INTERPRETER="False", SPY_UMR_ENABLED="True",
                   SPY_UMR_VERBOSE="True", SPY_UMR_NAMELIST="", SPY_AUTOCALL_O="0",
                   SPY_GREEDY_O="False", SPY_JEDI_O="False", SPY_TESTING="False",
                   SPY_HIDE_CMD="True", SPY_PARENT_PID=str(os.getpid()))
        self.km = KernelManager()
        self.km._kernel_spec = KernelSpec(
            argv=[sys.executable, "-m", "spyder_kernels.console", "-f", "{connection_file}"],
            display_name="Python 3 (Spyder)", language="python3", env={})
        self.km.start_kernel(env=env, cwd=str(cwd), stdout=open(os.devnull, "w"),
                             stderr=open(os.devnull, "w"))
        self.kc = self.km.blocking_client()
        self.kc.allow_stdin = True
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.comm_id = uuid.uuid4().hex
        self.current_file = None
        self.kc.shell_channel.send(self.kc.session.msg("comm_open", {
            "comm_id": self.comm_id, "target_name": "spyder_api", "data": {}}))
        self._pump(1.0)
        self._call("set_configuration", {
            "matplotlib": {"pylab/inline/figure_format": "png",
                           "pylab/inline/resolution": 72, "pylab/inline/width": 6.0,
                           "pylab/inline/height": 4.0, "pylab/inline/fontsize": 10.0,
                           "pylab/inline/bottom": 0.11, "pylab/inline/bbox_inches": True,
                           "pylab/backend": "inline", "pylab/autoload": False},
            "special_kernel": None, "cwd": str(cwd), "color scheme": "dark",
            "faulthandler": True, "autoreload_magic": True})
        self._pump(3.0)

    # --- the spyder_api comm -------------------------------------------------
    def _call(self, name, *args):
        content = {"call_name": name, "call_id": uuid.uuid4().hex,
                   "settings": {"blocking": False, "send_reply": True, "interrupt": False,
                                "timeout": None, "display_error": False},
                   "call_args": list(args), "call_kwargs": {},
                   "buffered_args": [], "buffered_kwargs": []}
        self.kc.shell_channel.send(self.kc.session.msg("comm_msg", {
            "comm_id": self.comm_id,
            "data": {"spyder_msg_type": "remote_call", "content": content}}))

    def _answer(self, msg):
        """Answer the kernel's calls as Spyder's frontend does."""
        data = msg["content"].get("data") or {}
        if data.get("spyder_msg_type") != "remote_call":
            return
        call = data["content"]
        name, args = call["call_name"], call.get("call_args", [])
        value, is_error = None, False
        try:
            if name == "get_file_code":
                value = Path(args[0]).read_text()
            elif name == "run_cell":
                value = split_cells(Path(args[1]).read_text())[args[0]]
            elif name == "cell_count":
                value = len(split_cells(Path(args[0]).read_text()))
            elif name == "current_filename":
                value = self.current_file
        except Exception as exc:                      # told to the kernel, as Spyder does
            is_error = True
            value = {"call_name": name, "call_id": call["call_id"],
                     "etype": type(exc).__name__, "args": list(exc.args),
                     "error_name": None, "tb": []}
        if call.get("settings", {}).get("send_reply"):
            self.kc.control_channel.send(self.kc.session.msg("comm_msg", {
                "comm_id": self.comm_id,
                "data": {"spyder_msg_type": "remote_call_reply",
                         "content": {"is_error": is_error, "call_id": call["call_id"],
                                     "call_name": name, "call_return_value": value}}}))

    def _pump(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                continue
            if msg["header"]["msg_type"] == "comm_msg":
                self._answer(msg)

    # --- running code ---------------------------------------------------------
    def execute(self, code, timeout=TIMEOUT):
        """Run ``code``; what the console would show: streams, PNGs, errors,
        input requests (answered with an empty line)."""
        log = {"text": "", "images": 0, "errors": [], "input_requests": 0, "timed_out": False}
        msg_id = self.kc.execute(code, allow_stdin=True)
        started, idle, replied = time.time(), False, False
        while not (idle and replied):
            if time.time() - started > timeout:
                log["timed_out"] = True
                break
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
                kind = msg["header"]["msg_type"]
                if kind == "comm_msg":
                    self._answer(msg)
                elif kind == "stream":
                    log["text"] += msg["content"]["text"]
                elif kind in ("display_data", "execute_result"):
                    log["images"] += "image/png" in msg["content"]["data"]
                elif kind == "error":
                    log["errors"].append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
                elif (kind == "status" and msg["parent_header"].get("msg_id") == msg_id
                      and msg["content"]["execution_state"] == "idle"):
                    idle = True
            except queue.Empty:
                pass
            try:
                if self.kc.get_stdin_msg(timeout=0)["header"]["msg_type"] == "input_request":
                    log["input_requests"] += 1
                    self.kc.input("")
            except queue.Empty:
                pass
            try:
                if self.kc.get_shell_msg(timeout=0)["parent_header"].get("msg_id") == msg_id:
                    replied = True
            except queue.Empty:
                pass
        self._pump(0.3)                                  # late streams
        return log

    def runcell(self, index, path):
        self.current_file = str(path)
        return self.execute(f"%runcell -i {index} {path}")

    def runfile(self, path):
        self.current_file = str(path)
        return self.execute(f"%runfile {path} --wdir")

    def shutdown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")                # the console's folder
    spyder = SpyderKernel(home)
    yield spyder, home
    spyder.shutdown()


@pytest.mark.slow
def test_a_student_in_spyder(kernel, tmp_path):
    spyder, home = kernel
    folder, _ = make_release(tmp_path / "ex4-student", verbose=False)
    ex4 = folder / "ex4.py"

    # 1. Ctrl+Enter on the first cell, the console still in another folder.
    log = spyder.execute("import os; print(os.getcwd())")
    assert log["text"].strip() == str(home)
    log = spyder.runcell(1, ex4)
    assert not log["timed_out"] and log["errors"] == [], log
    log = spyder.execute("import os; print(os.getcwd())")
    assert log["text"].strip() == str(folder)          # the first cell moved there

    # 2. F5 on the untouched release: one line naming the first file to write.
    log = spyder.runfile(ex4)
    assert not log["timed_out"] and log["errors"] == [] and log["input_requests"] == 0, log
    stops = [line for line in log["text"].splitlines() if line.startswith("Stopped:")]
    assert stops == ["Stopped: sigmoid is not implemented yet: complete sigmoid.py"]
    assert "Traceback" not in log["text"] and "File " not in log["text"]

    # 3. The student's files written (the reference here), F5 again: the
    #    changed files are reloaded (UMR) and every value gets its verdict.
    for name in scheme.STUDENT_FILES:
        shutil.copyfile(ROOT / name, folder / name)
    log = spyder.runfile(ex4)
    assert not log["timed_out"] and log["errors"] == [] and log["input_requests"] == 0, log
    text = log["text"]
    assert "Stopped:" not in text and "Traceback" not in text
    if (folder / "data" / "ex4weights.mat").exists():
        for value in ("0.287629", "0.383770", "0.576051"):
            assert f"Verdict: right, {value} is the handout's value" in text
        assert text.count("Verdict: right") == 8
    assert "Verdict: wrong" not in text
    assert "0.196612 0.235004 0.250000 0.235004 0.196612" in text
    assert "Training Set Accuracy:" in text and "is fine" in text
    assert log["images"] >= 2                          # inline PNGs: digits, hidden units

    # 4. The final analysis, QUICK = True in its settings cell, F5: the lambdas
    #    are trained in worker processes (forked from the kernel), five figures.
    analysis = folder / "ex4_analysis.py"
    text = analysis.read_text()
    assert "\nQUICK = False" in text
    analysis.write_text(text.replace("\nQUICK = False", "\nQUICK = True", 1))
    log = spyder.runfile(analysis)
    assert not log["timed_out"] and log["errors"] == [] and log["input_requests"] == 0, log
    assert "should take about" in log["text"]
    assert log["text"].count(" done after ") == 3 and "Study finished in" in log["text"]
    assert log["images"] == 5

    # A NotImplementedError typed at the console keeps its traceback.
    log = spyder.execute("raise NotImplementedError('typed at the console')")
    assert "Stopped:" not in log["text"]
    assert log["errors"] == ["NotImplementedError: typed at the console"]


# A French student: the system's language, no EX4_LANG (the tests set it to en).
FRENCH_SYSTEM = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None,
                 "LANGUAGE": None, "EX4_LANG": None}


@pytest.mark.slow
def test_a_french_student_in_spyder(tmp_path_factory, tmp_path):
    """The English release in a kernel whose system language is French: the
    stub's message, the stop line and every verdict in French."""
    home = tmp_path_factory.mktemp("maison")
    spyder = SpyderKernel(home, FRENCH_SYSTEM)
    try:
        folder, _ = make_release(tmp_path / "ex4-etudiant", verbose=False)
        ex4 = folder / "ex4.py"
        log = spyder.runfile(ex4)
        assert not log["timed_out"] and log["errors"] == [] and log["input_requests"] == 0, log
        stops = [line for line in log["text"].splitlines() if line.startswith("Arrêt")]
        assert stops == ["Arrêt : sigmoid n'est pas encore écrite : complétez sigmoid.py"]
        assert "Chargement et visualisation des données ..." in log["text"]
        for name in scheme.STUDENT_FILES:
            shutil.copyfile(ROOT / name, folder / name)
        log = spyder.runfile(ex4)
        assert not log["timed_out"] and log["errors"] == [] and log["input_requests"] == 0, log
        text = log["text"]
        assert "Arrêt" not in text and "Traceback" not in text and "Verdict:" not in text
        assert "Verdict : juste, les valeurs de l'énoncé aux 6 décimales affichées." in text
        assert text.count("la rétropropagation concorde avec le gradient numérique") == 2
        if (folder / "data" / "ex4weights.mat").exists():
            assert text.count("Verdict : juste") == 8
        assert "Précision sur l'ensemble d'entraînement : " in text and " convient." in text
        assert log["images"] >= 2
    finally:
        spyder.shutdown()
