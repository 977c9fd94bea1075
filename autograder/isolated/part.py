"""A part's process: the student's modules imported, then the part's cases run.

Each case's record is appended to the part's results file as one JSON line
as soon as it is known, so that a call that kills the process
(``os._exit``, a signal) loses only what comes after it. The lines, in
order: {"id": "__import__", "module": name} after each of the student's
modules, {"id": "__ready__"}, one record per case, and {"id": "__end__",
"output_chars": how many characters were printed}. Nothing here decides a
score: the grader compares the values.
"""
import json
import os
import sys

from .calls import call_recording_warnings, student_error
from .limits import limit_resources
from .privileges import drop_privileges
from .wire import encode

RESULTS_FILE = "results.jsonl"    # in the part's folder: the lines above
OUTPUT_FILE = "output.log"        # in the part's folder: what the student's code printed
TEMP_FOLDER = ".tmp"              # in the part's folder: its processes' temporary folder


class CappedWriter:
    """sys.stdout/stderr of a part: keeps the first ``cap`` characters,
    counts the rest. Printing megabytes costs time, not memory or disk.

    Parameters
    ----------
    stream : file
        Where the characters kept go.
    cap : int
        How many characters to keep.
    """

    def __init__(self, stream, cap):
        self.stream, self.cap, self.count = stream, cap, 0

    def write(self, text):
        text = str(text)
        room = self.cap - self.count
        if room > 0:
            self.stream.write(text[:room])
            self.stream.flush()
        self.count += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def run_part(part, course, limits, output_cap, drop_to=None):
    """In the part's process: run its cases, each record written as soon as known.

    Parameters
    ----------
    part : PartRequest
        The part, with the cases to run now.
    course : CourseData
        The course data, loaded by the supervisor.
    limits : dict
        The resource limits (`limit_resources`).
    output_cap : int
        Characters of the output kept.
    drop_to : int or None
        The user to run the student's code as.
    """
    scratch = part.dir
    os.chdir(scratch)
    sys.path.insert(0, scratch)
    out = capture_output(scratch, output_cap)
    private_temp(scratch)
    limit_resources(limits)
    if drop_to is not None:
        drop_privileges(scratch, drop_to)
    with open(os.path.join(scratch, RESULTS_FILE), "a") as results:
        import_modules(part.modules, results)
        write_row(results, {"id": "__ready__"})
        for case in part.cases:
            write_row(results, run_case(case, course, scratch))
        write_row(results, {"id": "__end__", "output_chars": out.count})


def private_temp(scratch):
    """Give the part's processes a temporary folder of their own, inside the
    part's folder: TMPDIR, TEMP and TMP (what ``tempfile`` and most programs
    read, inherited by any process the student's code starts) and
    ``tempfile``'s cached choice. Made before the privileges are dropped, so
    that it is the unprivileged user's too. Returns its path."""
    import tempfile
    folder = os.path.join(scratch, TEMP_FOLDER)
    os.makedirs(folder, exist_ok=True)
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = folder
    tempfile.tempdir = folder
    return folder


def capture_output(scratch, cap):
    """Send this process's output (file descriptors 1 and 2, sys.stdout and
    sys.stderr) to the part's output file, kept up to ``cap`` characters.

    Appended to: after a case that hung, the part's other cases run in a
    new process. Returns the CappedWriter, which counts what was printed.
    """
    fd = os.open(os.path.join(scratch, OUTPUT_FILE), os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    out = CappedWriter(os.fdopen(os.dup(fd), "w"), cap)
    sys.stdout = sys.stderr = out
    return out


def import_modules(names, results):
    """Import the student's modules one by one, so that the supervisor knows
    which one hangs at import; an import error is left for the cases to
    report (importing again raises it again)."""
    for name in names:
        try:
            __import__(name)
        except BaseException:               # noqa: BLE001
            pass
        write_row(results, {"id": "__import__", "module": name})


def run_case(case, course, scratch):
    """The record of one case: {"id", "ok": True, "value", "notes"}, or
    {"id", "ok": False, "error"} when the call raised (SystemExit and
    KeyboardInterrupt too)."""
    record = {"id": case["id"]}
    try:
        value, notes = call_recording_warnings(case["call"], course, scratch)
        record.update(ok=True, value=encode(value), notes=notes)
    except BaseException as exc:
        record.update(ok=False, error=student_error(exc, scratch))
        if isinstance(exc, MemoryError):
            record["error"]["message"] = "out of memory (MemoryError): the memory limit was reached"
    return record


def write_row(results, row):
    """Append ``row`` to the results file as a JSON line, at once."""
    results.write(json.dumps(row) + "\n")
    results.flush()
