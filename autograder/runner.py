"""Run one part's calls in a separate, limited process.

Each part runs in a fresh scratch folder that holds the student's files, the
provided modules and child.py, nothing else: neither the reference solution
nor the expected values. The process gets a time limit, a cap on what it
prints, and on Unix limits on memory, file size and processes. Whatever it
does (raise, hang, exit, print megabytes, kill itself), the grader reads
the results it managed to write and carries on.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT_CAP = 20_000              # bytes of the student's output kept for feedback
MEMORY_LIMIT = 4 * 1024 ** 3     # bytes of address space (Unix)
FILE_SIZE_LIMIT = 64 * 1024 ** 2 # bytes per file written (Unix)


@dataclass
class RunResult:
    records: dict                  # case id -> the record child.py wrote
    returncode: int = 0
    timed_out: bool = False
    seconds: float = 0.0
    output: str = ""               # the first OUTPUT_CAP bytes the code printed
    output_bytes: int = 0          # how many it printed in all
    notes: list = field(default_factory=list)

    @property
    def crashed(self):
        return not self.timed_out and self.returncode != 0


def _drain(stream, keep, counter):
    """Read a pipe to its end, keeping the first OUTPUT_CAP bytes."""
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        counter[0] += len(chunk)
        if len(keep) < OUTPUT_CAP:
            keep.extend(chunk[:OUTPUT_CAP - len(keep)])


def _kill_group(proc):
    """Kill the process and everything it started."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def prepare_scratch(submission_dir, provided_dir, files):
    """A new scratch folder with the student's ``files`` (those present),
    the provided modules and child.py. Returns its path."""
    from .scheme import PROVIDED_FILES
    scratch = Path(tempfile.mkdtemp(prefix="ex4grade-"))
    for name in files:
        source = Path(submission_dir) / name
        if source.is_file():
            shutil.copyfile(source, scratch / name)
    for name in PROVIDED_FILES:
        shutil.copyfile(Path(provided_dir) / name, scratch / name)
    shutil.copyfile(HERE / "child.py", scratch / "child.py")
    return scratch


def run_cases(cases, submission_dir, provided_dir, data_dir, files, timeout):
    """Run ``cases`` (dicts with "id" and "call") in one child process.

    Returns a RunResult. The scratch folder is removed afterwards.
    """
    scratch = prepare_scratch(submission_dir, provided_dir, files)
    try:
        request = {"data_dir": str(Path(data_dir).resolve()), "cases": cases,
                   "limits": {"RLIMIT_AS": MEMORY_LIMIT, "RLIMIT_FSIZE": FILE_SIZE_LIMIT,
                              "RLIMIT_CORE": 0}}
        (scratch / "request.json").write_text(json.dumps(request))
        results_path = scratch / "results.jsonl"
        env = {key: value for key, value in os.environ.items()
               if key in ("PATH", "SYSTEMROOT", "HOME", "TMPDIR", "TEMP", "TMP", "LANG",
                          "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
                   OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        command = [sys.executable, "-I", str(scratch / "child.py"),
                   str(scratch / "request.json"), str(results_path)]
        if os.name == "posix":        # its own process group, to kill it whole
            kwargs = {"start_new_session": True}
        else:                         # Windows
            kwargs = {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        start = time.monotonic()
        proc = subprocess.Popen(command, cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
        keep, counter = bytearray(), [0]
        reader = threading.Thread(target=_drain, args=(proc.stdout, keep, counter), daemon=True)
        reader.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        _kill_group(proc)        # also whatever the code left running
        proc.wait()
        reader.join(timeout=10)
        result = RunResult(records=_read_records(results_path, cases),
                           returncode=proc.returncode, timed_out=timed_out,
                           seconds=time.monotonic() - start,
                           output=keep.decode("utf-8", "replace"), output_bytes=counter[0])
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _read_records(path, cases):
    """The child's records, first one per known case id; junk lines ignored."""
    wanted = {c["id"] for c in cases}
    records = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("id") in wanted \
                        and record["id"] not in records:
                    records[record["id"]] = record
    except OSError:
        pass
    return records
