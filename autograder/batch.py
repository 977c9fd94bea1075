"""``python -m autograder grade-all SUBMISSIONS_DIR --csv grades.csv``: a whole class.

SUBMISSIONS_DIR holds one entry per student: a folder, or a zip file (as
LMS exports give them). The student is the folder's name, or the zip's name
without ``.zip`` (with it, when a folder has the same name). Other files,
hidden entries and ``__MACOSX`` are ignored (and listed).

Each submission is graded by ``grade.grade_submission`` (which runs the
student's code in separate, limited processes), several at a time
(``--jobs``, default: the number of cores), in threads: the grader's own
work is light, the children do the computing.

The CSV has one row per student: ``student``, one column per part (named
exactly as the part: the score of a graded part, "passed" or "failed" for
an extra check), ``total``, ``status``, ``reason`` and ``diagnosis``, sorted
by student. It is rewritten atomically (a temporary file, then os.replace)
after each student, so that an interruption (Ctrl-C, SIGTERM, SIGKILL,
a power cut) leaves a valid file holding the rows done so far. A rerun
grades only the students not in the CSV yet (``--force``: all of them).

Status of a student, worst first (the parts' statuses, over all the parts
graded):

    crashed        a part's process stopped abruptly (os._exit, a signal,
                   a limit), or the grader itself failed on this submission
                   (reason "grader error: ..."; such rows are graded again
                   by the next run)
    timeout        a part did not finish in time
    missing files  a part lacked a file, or nothing gradable was found: an
                   empty folder, a zip file that is not a zip, a zip over
                   the limits, a submission with none of the five files
    graded         every part ran; its score says how well

``reason`` is the first message of the first part with that status (or what
was wrong with the submission itself); for "graded", the first failing part
(graded parts first, then extra checks) and what went wrong there: its
diagnosis, else its first failing case's first line. Empty only when every
part passed. ``diagnosis`` is that part's diagnosis in a few words (the
grader's ``PartResult.diagnoses``: the status first, then the recognised
mistakes; "syntax error in FILE" when a file the part runs does not
compile), empty when the grader recognised none.

Next to the CSV, ``grades.details.jsonl`` (the CSV's name with
``.details.jsonl``) keeps what the class report needs, one JSON line per
graded student (the last line of a student wins): each part's score,
status, diagnoses and first failing message, the syntax errors, and where
the submission is. ``python -m autograder report grades.csv`` rebuilds the
class report from it without grading again (autograder/report.py).

A zip is never extracted as it is: only its .py files are written, under
checked names (no absolute path, no "..", nothing from ``__MACOSX``), at most
ZIP_MAX_MEMBERS entries and ZIP_MAX_BYTES uncompressed. Students often zip
a folder: the folder graded is the one holding the most of the five student
files, the shallowest on a tie.
"""
import csv
import io
import json
import os
import signal
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import scheme

STATUSES = ("graded", "missing files", "timeout", "crashed")
SEVERITY = {"graded": 0, "missing files": 1, "timeout": 2, "crashed": 3}
GRADER_ERROR = "grader error"

ZIP_MAX_BYTES = 50 * 1024 ** 2      # uncompressed, all the .py files of a zip together
ZIP_MAX_MEMBERS = 5000              # entries of a zip (files and folders)
ZIP_MAX_PY = 500                    # .py files written from a zip
SEARCH_MAX_DEPTH = 8                # folder levels searched for the student's files
SEARCH_MAX_DIRS = 2000


class SubmissionError(Exception):
    """Nothing gradable in a submission; the message is the CSV's reason."""


class BatchError(Exception):
    """The batch cannot start (a bad CSV, a bad folder); the message says why."""


class _Stopped(Exception):
    """Raised in a worker when the batch is interrupted."""


# --- one submission: where its files are ---------------------------------------------

@dataclass
class Submission:
    student: str
    path: Path            # a folder or a zip file


def list_submissions(folder, exclude=()):
    """([Submission] sorted by student, [ignored entry names])."""
    folder = Path(folder)
    excluded = {Path(p).resolve() for p in exclude if p}
    folders, zips, ignored = [], [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.resolve() in excluded or entry.name.startswith(".") \
                or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            folders.append(entry)
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            zips.append(entry)
        else:
            ignored.append(entry.name)
    subs = [Submission(p.name, p) for p in folders]
    taken = {p.name for p in folders}
    stems = [p.name[:-4] for p in zips]
    for path, stem in zip(zips, stems):
        name = stem if stem and stem not in taken and stems.count(stem) == 1 else path.name
        subs.append(Submission(name, path))
    subs.sort(key=lambda s: sort_key(s.student))
    return subs, ignored


def sort_key(student):
    return (student.casefold(), student)


def _safe_member_path(name):
    """The relative path a zip member may be written to, or None if unsafe."""
    name = name.replace("\\", "/")
    if "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return PurePosixPath(*parts)


def safe_extract(zip_path, dest):
    """Write the .py files of a zip under ``dest``; returns notes (what was skipped).

    Raises SubmissionError when the file is not a readable zip or is over
    the limits.
    """
    dest = Path(dest)
    notes = []
    try:
        z = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SubmissionError(f"not a valid zip file ({exc})") from None
    with z:
        try:
            members = z.infolist()
        except Exception as exc:                               # noqa: BLE001
            raise SubmissionError(f"unreadable zip file ({exc})") from None
        if len(members) > ZIP_MAX_MEMBERS:
            raise SubmissionError(f"zip file with {len(members)} entries "
                                  f"(at most {ZIP_MAX_MEMBERS})")
        written, total = 0, 0
        for info in members:
            if info.is_dir():
                continue
            rel = _safe_member_path(info.filename)
            if rel is None:
                notes.append(f"ignored an entry with an unsafe path: {info.filename!r}")
                continue
            if "__MACOSX" in rel.parts or rel.name.startswith("._") \
                    or any(p.startswith(".") for p in rel.parts) or rel.suffix != ".py":
                continue
            if written >= ZIP_MAX_PY:
                raise SubmissionError(f"zip file with more than {ZIP_MAX_PY} .py files")
            if total + info.file_size > ZIP_MAX_BYTES:
                raise SubmissionError(f"zip file over {ZIP_MAX_BYTES // 1024 ** 2} MB of .py "
                                      "files uncompressed")
            try:
                with z.open(info) as f:          # the header's size may lie: read capped
                    data = f.read(ZIP_MAX_BYTES - total + 1)
            except Exception as exc:                           # noqa: BLE001
                raise SubmissionError(f"unreadable zip file ({info.filename}: {exc})") from None
            total += len(data)
            if total > ZIP_MAX_BYTES:
                raise SubmissionError(f"zip file over {ZIP_MAX_BYTES // 1024 ** 2} MB of .py "
                                      "files uncompressed")
            target = dest.joinpath(*rel.parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    notes.append(f"ignored a second entry {info.filename!r}")
                    continue
                target.write_bytes(data)
            except OSError as exc:              # a name the file system refuses
                notes.append(f"ignored an entry that could not be written: "
                             f"{info.filename!r} ({exc.strerror})")
                continue
            written += 1
    return notes


def locate(folder):
    """(the folder under ``folder`` holding the most of the five student
    files, the shallowest on a tie; how many it holds)."""
    folder = Path(folder)
    best, seen = (0, 0, "", folder), 0          # (-count, depth, path text, path)
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        depth = len(here.relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if d != "__MACOSX" and not d.startswith(".")
                         and depth < SEARCH_MAX_DEPTH)
        seen += 1
        if seen > SEARCH_MAX_DIRS:
            break
        count = sum(name in files for name in scheme.STUDENT_FILES)
        key = (-count, depth, here.as_posix(), here)
        if count and key[:3] < best[:3]:
            best = key
    return best[3], -best[0]


def prepare(path, scratch):
    """The folder to grade for a submission (a folder or a zip file).

    Zips are extracted under ``scratch``. When a folder holds none of the
    student files but holds one zip file, that zip is the submission.
    Returns (folder, notes); raises SubmissionError when nothing is gradable.
    """
    path, scratch = Path(path), Path(scratch)
    notes = []
    if path.is_file():
        notes += safe_extract(path, scratch / "zip")
        root = scratch / "zip"
    else:
        root = path
    folder, count = locate(root)
    if count == 0 and path.is_dir():
        inner = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".zip")
        if len(inner) == 1:
            notes.append(f"graded the files of {inner[0].name}")
            notes += safe_extract(inner[0], scratch / "inner")
            folder, count = locate(scratch / "inner")
    if count == 0:
        raise SubmissionError(f"none of the student files ({', '.join(scheme.STUDENT_FILES)}) "
                              "found in the submission")
    for base in (root, scratch / "inner"):
        if folder != base and base in folder.parents:
            notes.append(f"files found in the subfolder {folder.relative_to(base).as_posix()}")
    return folder, notes


# --- one student's row ------------------------------------------------------------------

def student_status(results):
    """(status, reason) of a student from the parts' results."""
    worst = max((r.status for r in results), key=lambda s: SEVERITY.get(s, 3), default="graded")
    if worst == "graded":
        return "graded", ""
    for r in results:
        if r.status == worst:
            first = next((m.strip() for m in r.messages if m.strip()), worst)
            return worst, f"{r.part.name}: {first.splitlines()[0].strip()}"
    return worst, ""


def short(text, limit=80):
    """A diagnosis in a few words: its first clause, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    for stop in (": ", "; "):
        if stop in text:
            text = text.split(stop, 1)[0]
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def syntax_errors(folder):
    """[{file, line, message}] of the .py files of a folder that do not compile."""
    found = []
    for path in sorted(Path(folder).glob("*.py")):
        try:
            source = path.read_bytes()
            compile(source, path.name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            found.append({"file": path.name, "line": exc.lineno or 0,
                          "message": f"{type(exc).__name__}: {exc.msg}"})
        except (OSError, ValueError):
            continue
    return found


def first_failure(result):
    """The first line saying what went wrong in a part ("" if it passed)."""
    if result.status != "graded":
        return next((m.strip().splitlines()[0] for m in result.messages if m.strip()),
                    result.status)
    for case in result.cases:
        if not case.passed and not case.skipped:
            detail = [line.strip() for line in case.lines[1:] if line.strip()]
            return detail[0] if detail else case.lines[0].strip()
    return ""


def part_diagnosis(result, broken_files=()):
    """A part's diagnosis in a few words: a file it runs that does not
    compile (the root cause, whatever the cases say), else its first
    diagnosis, else ""."""
    bad = [f for f in result.part.files if f in broken_files]
    if bad and not result.passed and result.status == "graded":
        return f"syntax error in {bad[0]}"
    found = list(result.diagnoses)
    return short(found[0]) if found else ""


def failure_summary(results, status, broken_files=()):
    """(reason, diagnosis) of a student: the part with the worst status, else
    the first failing part (graded parts first, then the extra checks)."""
    if status != "graded":
        named = next((r for r in results if r.status == status), None)
        return None, (part_diagnosis(named, broken_files) if named else status)
    failing = [r for r in results if r.part.graded and not r.passed] + \
        [r for r in results if not r.part.graded and not r.passed]
    if not failing:
        return "", ""
    r = failing[0]
    diagnosis = part_diagnosis(r, broken_files)
    return f"{r.part.name}: {diagnosis or first_failure(r)}", diagnosis


def part_record(result):
    """What the class report keeps of a part (grades.details.jsonl)."""
    cases = [c for c in result.cases if not c.skipped]
    return {"key": result.part.key, "name": result.part.name, "points": result.part.points,
            "graded": result.part.graded, "score": float(result.score),
            "passed": bool(result.passed), "status": result.status,
            "diagnoses": [str(d) for d in result.diagnoses], "first": first_failure(result),
            "cases": len(cases), "failed_cases": sum(not c.passed for c in cases)}


def fmt_score(x):
    return f"{float(x):g}"


def fmt_part(part, result):
    """A part's CSV cell: the score of a graded part, passed/failed for an extra check."""
    if not part.graded:
        return "passed" if result is not None and result.passed else "failed"
    return fmt_score(result.score if result is not None else 0)


def columns(parts):
    return ["student"] + [p.name for p in parts] + ["total", "status", "reason", "diagnosis"]


def selected_parts(keys=None):
    return [p for p in scheme.PARTS if not keys or p.key in keys]


@dataclass
class Outcome:
    student: str
    row: dict
    document: dict
    seconds: float
    notes: list = field(default_factory=list)
    details: dict = None          # the line of grades.details.jsonl


def grader_error(sub, parts, exc, seconds):
    """The row of a submission on which the grader itself failed (graded
    again by the next run)."""
    message = f"{GRADER_ERROR}: {type(exc).__name__}: {exc}".splitlines()[0]
    row = {"student": sub.student,
           **{p.name: "0" if p.graded else "failed" for p in parts}, "total": "0",
           "status": "crashed", "reason": message, "diagnosis": GRADER_ERROR}
    doc = {"student": sub.student, "status": "crashed", "reason": message, "score": 0,
           "output": message, "tests": []}
    details = {"student": sub.student, "path": str(Path(sub.path).resolve()),
               "status": "crashed", "reason": message, "diagnosis": GRADER_ERROR,
               "total": 0.0, "parts": [], "syntax_errors": [], "notes": []}
    return Outcome(sub.student, row, doc, seconds, details=details)


def grade_safely(sub, parts, data_dir=None, timeout=None, stop=None, pool=None, budget=None):
    """grade_one, whatever happens: an Outcome, or None if stopped."""
    start = time.monotonic()
    try:
        return grade_one(sub, parts, data_dir, timeout, stop, pool, budget)
    except Exception as exc:                                   # noqa: BLE001
        if stop is not None and stop.is_set():
            return None
        return grader_error(sub, parts, exc, time.monotonic() - start)


def grade_one(sub, parts, data_dir=None, timeout=None, stop=None, pool=None, budget=None):
    """Grade one submission; returns an Outcome (None if stopped)."""
    from .grade import gradescope_json, grade_submission, report, total

    def progress(_result):
        if stop is not None and stop.is_set():
            raise _Stopped

    start = time.monotonic()
    keys = [p.key for p in parts]
    notes, reason = [], None
    with tempfile.TemporaryDirectory(prefix="ex4batch-") as scratch:
        try:
            folder, notes = prepare(sub.path, scratch)
        except SubmissionError as exc:
            reason = str(exc)
            folder = Path(scratch) / "empty"
            folder.mkdir(exist_ok=True)
        except Exception as exc:                               # noqa: BLE001
            reason = f"unreadable submission ({type(exc).__name__}: {exc})"
            folder = Path(scratch) / "empty"
            folder.mkdir(exist_ok=True)
        broken = syntax_errors(folder)
        try:
            results = grade_submission(folder, data_dir=data_dir, parts=keys, timeout=timeout,
                                       progress=progress, pool=pool, budget=budget)
        except _Stopped:
            return None
        except Exception as exc:                               # noqa: BLE001
            if stop is not None and stop.is_set():
                return None
            return grader_error(sub, parts, exc, time.monotonic() - start)
    if stop is not None and stop.is_set():
        return None
    seconds = time.monotonic() - start
    status, why = student_status(results)
    if reason is not None:
        status, why = "missing files", reason
    broken_files = {e["file"] for e in broken}
    failed_why, diagnosis = failure_summary(results, status, broken_files)
    if failed_why is not None:
        why = failed_why
    if reason is not None:
        diagnosis = "missing files"
    by_key = {r.part.key: r for r in results}
    row = {"student": sub.student}
    for p in parts:
        row[p.name] = fmt_part(p, by_key.get(p.key))
    row.update(total=fmt_score(total(results)), status=status, reason=why, diagnosis=diagnosis)
    doc = gradescope_json(results, seconds)
    text = report(results)
    if reason is not None:
        text = f"Submission: {reason}\n\n{text}"
    if notes:
        text = "\n".join(f"Submission: {n}" for n in notes) + "\n\n" + text
    doc = {"student": sub.student, "status": status, "reason": why, **doc,
           "output": text, "submission_notes": notes}
    details = {"student": sub.student, "path": str(Path(sub.path).resolve()),
               "status": status, "reason": why, "diagnosis": diagnosis,
               "total": float(total(results)), "parts": [part_record(r) for r in results],
               "syntax_errors": broken, "notes": notes}
    return Outcome(sub.student, row, doc, seconds, notes, details)


# --- the CSV ------------------------------------------------------------------------------

def read_csv(path, fields):
    """student -> row of an existing CSV (complete rows only)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read {path} ({exc}): use --force to overwrite it, "
                         "or another --csv") from None
    if not text.strip():
        return {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != fields:
        raise BatchError(f"{path} has other columns than this run "
                         f"({', '.join(reader.fieldnames or [])}): was it written with other "
                         "--parts? Use --force to regrade everything into it, or another --csv")
    rows = {}
    for row in reader:
        if None in row or any(row.get(f) is None for f in fields) \
                or row["status"] not in STATUSES or not row["student"]:
            continue                                 # incomplete: graded again
        rows[row["student"]] = row
    return rows


def _atomic_write(path, text):
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_csv(path, fields, rows):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for student in sorted(rows, key=sort_key):
        writer.writerow({f: rows[student].get(f, "") for f in fields})
    _atomic_write(path, out.getvalue())


def _remove_stale_temps(path):
    path = Path(path)
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


def details_path(csv_path):
    """grades.csv -> grades.details.jsonl, beside it."""
    csv_path = Path(csv_path)
    stem = csv_path.name[:-4] if csv_path.name.lower().endswith(".csv") else csv_path.name
    return csv_path.with_name(stem + ".details.jsonl")


def read_details(path):
    """student -> the last complete line of grades.details.jsonl ({} if none)."""
    found = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:               # a line cut by an interruption
                    continue
                if isinstance(record, dict) and record.get("student"):
                    found[record["student"]] = record
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read {path} ({exc}): use --force to grade again") from None
    return found


def append_details(path, record):
    """Add a student's line to grades.details.jsonl (written before its CSV row)."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
        f.flush()
        os.fsync(f.fileno())


def json_path(json_dir, student):
    return Path(json_dir) / f"{student}.json"


# --- progress and summary ---------------------------------------------------------------

def _duration(seconds):
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class Progress:
    """One line on a terminal (rewritten with \\r); occasional lines otherwise."""

    def __init__(self, total, stream=None, width=24):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.last_line = self.start
        self.step = max(1, total // 10)
        self.shown = 0

    def line(self, last=""):
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0
        left = (self.total - self.done) / rate if rate > 0 else None
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        return (f"[{bar}] {self.done}/{self.total}  {rate * 60:.1f}/min  "
                f"{elapsed / self.done if self.done else 0:.1f} s each  "
                f"left {_duration(left) if left is not None else '?'}"
                + (f"  ({last})" if last else ""))

    def update(self, last=""):
        self.done += 1
        now = time.monotonic()
        if self.tty:
            import shutil
            text = self.line(last)[:max(20, shutil.get_terminal_size().columns - 1)]
            self.stream.write("\r" + text + " " * max(0, self.shown - len(text)))
            self.stream.flush()
            self.shown = len(text)
        elif self.done == self.total or self.done % self.step == 0 or now - self.last_line > 30:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line = now

    def finish(self):
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()


def summary(rows, parts, counts):
    """The final summary: counts per status and the histogram of the totals."""
    lines = [counts]
    by_status = {s: 0 for s in STATUSES}
    for row in rows.values():
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    lines.append("Status: " + ", ".join(f"{s} {n}" for s, n in by_status.items()))
    top = sum(p.points for p in parts)
    if rows and top > 0:
        bins = [0] * 11                              # 0-9%, ..., 90-99%, 100%
        for row in rows.values():
            try:
                share = float(row["total"]) / top
            except ValueError:
                continue
            bins[10 if share >= 1 else max(0, int(share * 10))] += 1
        scale = max(1, max(bins) / 40)
        lines.append(f"Totals (out of {top:g}), share of the points:")
        for i, n in enumerate(bins):
            label = "100%" if i == 10 else f"{10 * i}-{10 * i + 9}%"
            lines.append(f"  {label:>7} | {'#' * int(round(n / scale)):<40} {n}")
    return "\n".join(lines)


# --- stopping ----------------------------------------------------------------------------

def _children_tree(root_pid):
    """The pids of every descendant of root_pid (Linux /proc; [] elsewhere)."""
    parents = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root_pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_children():
    """Kill the grading processes this process started (and theirs)."""
    for pid in _children_tree(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --- the batch ----------------------------------------------------------------------------

def default_jobs():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def grade_all(submissions_dir, csv_path, jobs=None, json_dir=None, force=False, parts=None,
              timeout=None, data_dir=None, out=None, err=None, sandbox="auto", budget=None):
    """Grade every submission of ``submissions_dir`` into ``csv_path``.

    Returns the exit code: 0 when done, 130 when interrupted (the CSV then
    holds the rows done). Raises BatchError when it cannot start.
    """
    out, err = out or sys.stdout, err or sys.stderr
    submissions_dir, csv_path = Path(submissions_dir), Path(csv_path)
    if not submissions_dir.is_dir():
        raise BatchError(f"SUBMISSIONS_DIR must be a folder, found {submissions_dir} "
                         f"({'a file' if submissions_dir.exists() else 'nothing there'})")
    if parts:
        known = {p.key for p in scheme.PARTS}
        unknown = [k for k in parts if k not in known]
        if unknown:
            raise BatchError(f"unknown part(s) {', '.join(unknown)}; parts: {', '.join(known)}")
    chosen = selected_parts(parts)
    fields = columns(chosen)
    jobs = max(1, int(jobs or default_jobs()))
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    if json_dir:
        Path(json_dir).mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(csv_path)

    rows = {} if force else read_csv(csv_path, fields)
    details_file = details_path(csv_path)
    details = {} if force else read_details(details_file)
    subs, ignored = list_submissions(submissions_dir, exclude=(csv_path, json_dir, details_file))
    if ignored:
        err.write(f"ignored {len(ignored)} entr{'y' if len(ignored) == 1 else 'ies'} that "
                  f"{'is' if len(ignored) == 1 else 'are'} neither a folder nor a .zip file: "
                  f"{', '.join(ignored[:10])}{' ...' if len(ignored) > 10 else ''}\n")

    def done_already(sub):
        row = rows.get(sub.student)
        if row is None or row["reason"].startswith(GRADER_ERROR) or sub.student not in details:
            return False
        return not json_dir or json_path(json_dir, sub.student).exists()

    todo = [s for s in subs if force or not done_already(s)]
    if force:
        write_csv(csv_path, fields, rows)            # empty: the old rows are gone
        _atomic_write(details_file, "")
    skipped = len(subs) - len(todo)
    err.write(f"{len(subs)} submission(s) in {submissions_dir}: {len(todo)} to grade"
              + (f", {skipped} already in {csv_path}" if skipped else "")
              + f" ({jobs} at a time)\n")
    err.flush()

    stop = threading.Event()
    progress = Progress(len(todo), err)
    start = time.monotonic()
    graded_now = 0
    restore = _install_sigterm()
    from .grade import ROOT
    from .runner import SupervisorPool
    # One supervisor per worker, kept for the whole batch: the imports and the
    # course data are paid once per worker, not once per submission.
    supervisors = SupervisorPool(sandbox, Path(data_dir) if data_dir else ROOT / "data")
    err.write(f"isolation: {supervisors.text}\n")
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    futures = []
    try:
        futures = [pool.submit(grade_safely, s, chosen, data_dir, timeout, stop, supervisors,
                               budget) for s in todo]
        for fut in as_completed(futures):
            outcome = fut.result()
            if outcome is None:
                continue
            if json_dir:
                _atomic_write(json_path(json_dir, outcome.student),
                              json.dumps(outcome.document, indent=2))
            if outcome.details is not None:
                append_details(details_file, outcome.details)
            rows[outcome.student] = outcome.row
            write_csv(csv_path, fields, rows)
            graded_now += 1
            progress.update(f"{outcome.student}: {outcome.row['total']} {outcome.row['status']}")
    except KeyboardInterrupt:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        progress.finish()
        err.write(f"\ninterrupted: {csv_path} holds the {len(rows)} row(s) done; "
                  "run the same command again to grade the rest\n")
        err.flush()
        try:
            deadline = time.monotonic() + 30
            while any(f.running() for f in futures) and time.monotonic() < deadline:
                kill_children()
                time.sleep(0.1)
        except KeyboardInterrupt:
            kill_children()
            os._exit(130)
        return 130
    finally:
        restore()
        pool.shutdown(wait=True, cancel_futures=True)
        supervisors.close()
    progress.finish()
    elapsed = time.monotonic() - start
    counts = (f"{csv_path}: {len(rows)} student(s); {graded_now} graded now in "
              f"{_duration(elapsed)}"
              + (f" ({elapsed / graded_now:.2f} s per submission, {jobs} at a time)"
                 if graded_now else "")
              + (f", {skipped} from an earlier run" if skipped else ""))
    out.write(summary(rows, chosen, counts) + "\n")
    errors = sorted(s for s, r in rows.items() if r["reason"].startswith(GRADER_ERROR))
    if errors:
        out.write(f"The grader failed on {len(errors)} submission(s) ({', '.join(errors[:5])}"
                  f"{' ...' if len(errors) > 5 else ''}): see their reason; a rerun grades "
                  "them again\n")
    out.flush()
    return 0


def _install_sigterm():
    """SIGTERM stops the batch as Ctrl-C does; returns the function restoring it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, old)


def main_grade_all(args):
    """The ``grade-all`` subcommand (args from __main__'s parser)."""
    try:
        return grade_all(args.submissions, args.csv, jobs=args.jobs, json_dir=args.json_dir,
                         force=args.force, parts=args.parts, timeout=args.timeout,
                         data_dir=args.data, sandbox=args.sandbox,
                         budget=getattr(args, "budget", None))
    except (BatchError, RuntimeError) as exc:        # RuntimeError: --sandbox bwrap unusable
        print(f"grade-all: {exc}", file=sys.stderr)
        return 2
