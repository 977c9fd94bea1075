"""What a class batch writes: the CSV, grades.details.jsonl and the results.json files.

The CSV has one row per student: ``student``, one column per part (named
exactly as the part: the score of a graded part, "passed" or "failed" for
an extra check), ``total``, ``status``, ``reason`` and ``diagnosis``, sorted
by student. It is rewritten atomically (``ex4data.atomic_output``: a
temporary file, then os.replace) after each student, so that an
interruption (Ctrl-C, SIGTERM, SIGKILL, a power cut) leaves a valid file
holding the rows done so far. A rerun grades only the students not done
(:meth:`ClassRecords.done`: new, or their files changed since).

Next to the CSV, ``grades.details.jsonl`` keeps what the class report and
the feedback pages need, one JSON line per graded student (the last line of
a student wins): a :class:`DetailsRecord`.
``python -m autograder report grades.csv`` rebuilds the class report from it
without grading again (autograder/report.py).
"""
import csv
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ex4data

from . import scheme
from .submissions import sort_key
from .verdict import ENVIRONMENT_ERROR, GRADER_ERROR, STATUSES, first_failure


class BatchError(Exception):
    """The batch cannot start (a bad CSV, a bad folder); the message says why."""


# --- a student's records ----------------------------------------------------------------

@dataclass
class PartRecord:
    """What the class report keeps of a part (a line of grades.details.jsonl holds one each).

    Attributes
    ----------
    key, name : str
        The part's key and name (scheme.PARTS).
    points : int
    graded : bool
        False for an extra check.
    score : float
    passed : bool
    status : str
        The part's status ("graded", "timeout"...).
    diagnoses : list of str
        The grader's diagnoses of the part.
    first : str
        The first line saying what went wrong ("" if it passed).
    cases, failed_cases : int
        The cases run, and those that failed.
    """
    key: str
    name: str
    points: int
    graded: bool
    score: float
    passed: bool
    status: str
    diagnoses: list
    first: str
    cases: int
    failed_cases: int


@dataclass
class DetailsRecord:
    """A student's line of grades.details.jsonl.

    Attributes
    ----------
    student : str
    path : str
        Where the submission is (absolute), for the report's code comparison.
    status, reason, diagnosis : str
        As in the CSV (see autograder/verdict.py).
    total : float
    parts : list of PartRecord
    syntax_errors : list of BrokenFile
        The submission's .py files that do not compile.
    notes : list of str
        What was said of how the submission was found.
    fingerprint : str
        The submission's files when graded (submissions.fingerprint).
    feedback : dict
        The feedback pages' content (feedback_pages.both_views).
    """
    student: str
    path: str
    status: str
    reason: str
    diagnosis: str
    total: float
    parts: list = field(default_factory=list)
    syntax_errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    fingerprint: str = ""
    feedback: dict = field(default_factory=dict)

    def to_json(self):
        return asdict(self)                  # the line's keys in this order


@dataclass
class Outcome:
    """One submission graded: what the batch records of it.

    Attributes
    ----------
    student : str
    row : dict
        The CSV row: column name -> cell text (the columns of :func:`columns`).
    document : dict
        The student's results.json (Gradescope's format, with ``student``,
        ``status``, ``reason`` and ``submission_notes`` added).
    seconds : float
        How long its grading took.
    notes : list of str
        What was said of how the submission was found.
    details : DetailsRecord
        Its line of grades.details.jsonl.
    """
    student: str
    row: dict
    document: dict
    seconds: float
    notes: list = field(default_factory=list)
    details: DetailsRecord = None


def part_record(result):
    """The PartRecord of a part's result."""
    cases = [c for c in result.cases if not c.skipped]
    return PartRecord(
        key=result.part.key, name=result.part.name, points=result.part.points,
        graded=result.part.graded, score=float(result.score), passed=bool(result.passed),
        status=result.status, diagnoses=[str(d) for d in result.diagnoses],
        first=first_failure(result), cases=len(cases),
        failed_cases=sum(not c.passed for c in cases))


def fmt_score(x):
    """A score as the CSV writes it: 30, 12.5."""
    return f"{float(x):g}"


def fmt_part(part, result):
    """A part's CSV cell: the score of a graded part, passed/failed for an
    extra check, "not graded" for a part the grader's environment failed."""
    if result is not None and result.not_graded:
        return "not graded"
    if not part.graded:
        return "passed" if result is not None and result.passed else "failed"
    return fmt_score(result.score if result is not None else 0)


def columns(parts, participant=False):
    """The CSV's columns for these parts (scheme.Part); with ``participant``
    (a class unpacked from an LMS's download), the participant number after
    the student."""
    return (["student"] + (["participant"] if participant else []) + [p.name for p in parts]
            + ["total", "status", "reason", "diagnosis"])


def selected_parts(keys=None):
    """The scheme.Part of these keys, in the scheme's order (all of them if none)."""
    return [p for p in scheme.PARTS if not keys or p.key in keys]


def student_row(student, parts, results, total, verdict, participant=""):
    """A student's CSV row.

    Parameters
    ----------
    student : str
    parts : list of scheme.Part
        The parts of the batch (a part with no result scores 0, "failed").
    results : list of PartResult
    total : float
        The student's total.
    verdict : Verdict
    participant : str
        The LMS's participant number, if any (the CSV's ``participant`` column).
    """
    by_key = {r.part.key: r for r in results}
    row = {"student": student, **({"participant": participant} if participant else {})}
    for p in parts:
        row[p.name] = fmt_part(p, by_key.get(p.key))
    row.update(total=fmt_score(total), status=verdict.status, reason=verdict.reason,
               diagnosis=verdict.diagnosis)
    return row


# --- the files ----------------------------------------------------------------------------

def read_csv(path, fields):
    """student -> row of an existing CSV (complete rows only).

    Raises
    ------
    BatchError
        When the file cannot be read, or has other columns than ``fields``.
    """
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


def write_csv(path, fields, rows):
    """Write the CSV atomically: the rows (student -> row) sorted by student."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for student in sorted(rows, key=sort_key):
        writer.writerow({f: rows[student].get(f, "") for f in fields})
    with ex4data.atomic_output(path) as f:
        f.write(out.getvalue())


def remove_stale_temps(path):
    """Remove the temporary files an interrupted atomic write of ``path`` left."""
    path = Path(path)
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


def beside(csv_path, suffix):
    """A file beside the CSV, named as it without ``.csv``, plus ``suffix``."""
    csv_path = Path(csv_path)
    stem = csv_path.name[:-4] if csv_path.name.lower().endswith(".csv") else csv_path.name
    return csv_path.with_name(stem + suffix)


def details_path(csv_path):
    """grades.csv -> grades.details.jsonl, beside it."""
    return beside(csv_path, ".details.jsonl")


def read_details(path):
    """student -> the last complete line of grades.details.jsonl ({} if none).

    Raises
    ------
    BatchError
        When the file exists but cannot be read.
    """
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
    """Add a student's line (a JSON-ready dict) to grades.details.jsonl, synced
    to disk (before the student's CSV row is written)."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
        f.flush()
        os.fsync(f.fileno())


def json_path(json_dir, student):
    """Where ``--json-dir`` keeps a student's results.json."""
    return Path(json_dir) / f"{student}.json"


# --- a batch's records --------------------------------------------------------------------

@dataclass
class ClassRecords:
    """The records of a batch as they stand, and where they are written.

    Attributes
    ----------
    csv_path : Path
        The CSV; grades.details.jsonl is beside it (:func:`details_path`).
    fields : list of str
        The CSV's columns.
    json_dir, feedback_dir : Path or None
        Where the results.json files and the feedback pages go, if anywhere.
    after_due_date : bool
        Whether the feedback pages show the hidden cases' values.
    rows : dict
        student -> CSV row, the rows done.
    details : dict
        student -> the student's line of grades.details.jsonl (the last one).
    """
    csv_path: Path
    fields: list
    json_dir: Path = None
    feedback_dir: Path = None
    after_due_date: bool = False
    rows: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)

    @property
    def details_file(self):
        return details_path(self.csv_path)

    @classmethod
    def open(cls, csv_path, fields, json_dir=None, force=False, feedback_dir=None,
             after_due_date=False):
        """The records of an earlier run of the same batch (none with ``force``).

        Creates the folders of the CSV, of ``json_dir`` and of
        ``feedback_dir``, and removes the temporary files an interrupted run
        left. Raises BatchError when the CSV or the details cannot be read,
        or the CSV has other columns.
        """
        csv_path = Path(csv_path)
        json_dir, feedback_dir = (Path(d) if d else None for d in (json_dir, feedback_dir))
        for folder in (csv_path.parent, json_dir, feedback_dir):
            if folder:
                folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(csv_path)
        records = cls(csv_path, fields, json_dir, feedback_dir, after_due_date)
        if not force:
            records.rows = read_csv(csv_path, fields)
            records.details = read_details(records.details_file)
        return records

    def done(self, student, fingerprint=None):
        """Whether a student is done: a row that is not a grader error nor an
        environment error, details with the feedback pages' content and the
        same ``fingerprint`` (when given), and with ``json_dir`` a results.json."""
        from .feedback_pages import readable
        row, details = self.rows.get(student), self.details.get(student) or {}
        return (row is not None and not row["reason"].startswith(GRADER_ERROR)
                and row["status"] != ENVIRONMENT_ERROR and bool(details)
                and fingerprint in (None, details.get("fingerprint"))
                and (not self.feedback_dir or readable(details.get("feedback") or {}))
                and (not self.json_dir or json_path(self.json_dir, student).exists()))

    def clear(self):
        """Empty the CSV (its header only) and the details (``--force``)."""
        self.rows, self.details = {}, {}
        write_csv(self.csv_path, self.fields, self.rows)
        with ex4data.atomic_output(self.details_file):
            pass

    def add(self, outcome, fingerprint=""):
        """Record a graded submission: its results.json, its feedback pages, its
        line of details (with its files' ``fingerprint``), then its CSV row."""
        if self.json_dir:
            with ex4data.atomic_output(json_path(self.json_dir, outcome.student)) as f:
                f.write(json.dumps(outcome.document, indent=2))
        if outcome.details is not None:
            outcome.details.fingerprint = fingerprint
            record = outcome.details.to_json()
            self.details[outcome.student] = record
            self.write_feedback(outcome.student)
            append_details(self.details_file, record)
        self.rows[outcome.student] = outcome.row
        write_csv(self.csv_path, self.fields, self.rows)

    def write_feedback(self, student):
        """Write a student's feedback pages from their details (with ``feedback_dir``)."""
        from .feedback_pages import write_pages
        views = (self.details.get(student) or {}).get("feedback")
        if self.feedback_dir and views:
            write_pages(self.feedback_dir, views, self.after_due_date)

    def compact(self):
        """Rewrite grades.details.jsonl: one line per student of the CSV, the last."""
        with ex4data.atomic_output(self.details_file) as f:
            for student in sorted(self.rows, key=sort_key):
                if student in self.details:
                    f.write(json.dumps(self.details[student]) + "\n")
