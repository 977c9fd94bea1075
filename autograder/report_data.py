"""The class data of a finished batch, and the class report's statistics.

``load`` reads what ``grade-all`` wrote (the CSV and the
``grades.details.jsonl`` beside it); ``compute`` counts from it the totals,
each part's pass rate, the mistakes (every diagnosis per part, with its
students, and the failures with no recognised mistake), and what is counted
apart: timeouts, crashes, syntax errors and missing files.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

from . import records, scheme
from .submissions import sort_key
from .verdict import ENVIRONMENT_ERROR

# Statuses and diagnoses that are not mistakes: counted apart.
APART = ("timeout", "crashed", "missing files", ENVIRONMENT_ERROR)
# The categories counted apart, in the report's order (other statuses, such as an
# environment error, follow when they occur).
APART_CATEGORIES = ("timeout", "crashed", "syntax error", "missing files")


class ReportError(Exception):
    """The report cannot be built (the message says why)."""


def cut(text, n):
    """``text`` cut to at most ``n`` characters, ``...`` marking a cut."""
    return text if len(text) <= n else text[:n - 3] + "..."


# --- reading a finished batch ---------------------------------------------------------

@dataclass
class ClassData:
    """A finished batch, as grade-all wrote it.

    Attributes
    ----------
    csv_path : Path
        The CSV of grade-all.
    rows : list of dict
        The CSV's rows, in its order.
    details : dict
        Student -> the student's details record (grades.details.jsonl).
    parts : list of scheme.Part
        The parts of the CSV's columns.
    missing_details : list of str
        The students of the CSV with no details record.
    """

    csv_path: Path
    rows: list
    details: dict
    parts: list
    missing_details: list = field(default_factory=list)


def _read_csv(csv_path):
    """The columns and the rows (with a student) of a grade-all CSV.

    Raises
    ------
    ReportError
        When the file is not there, cannot be read, or lacks the columns
        student, total and status.
    """
    if not csv_path.is_file():
        raise ReportError(f"grades.csv must be the CSV of grade-all, found "
                          f"{'a folder' if csv_path.exists() else 'nothing'} at {csv_path}")
    try:
        with open(csv_path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            rows = [r for r in reader if r.get("student")]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"cannot read {csv_path}: {exc}") from None
    if not {"student", "total", "status"} <= set(fields):
        raise ReportError(f"{csv_path} is not a grade-all CSV: columns student, total and "
                          f"status expected, found {', '.join(fields) or 'none'}")
    return fields, rows


def load(csv_path):
    """Read a finished batch.

    Parameters
    ----------
    csv_path : str or Path
        The CSV of grade-all; its details are read beside it.

    Returns
    -------
    ClassData

    Raises
    ------
    ReportError
        When the CSV or its details cannot be read.
    """
    csv_path = Path(csv_path)
    fields, rows = _read_csv(csv_path)
    names = {p.name: p for p in scheme.PARTS}
    parts = [names[f] for f in fields if f in names]
    try:
        details = records.read_details(records.details_path(csv_path))
    except records.BatchError as exc:
        raise ReportError(str(exc)) from None
    missing = [r["student"] for r in rows if r["student"] not in details]
    return ClassData(csv_path, rows, details, parts, missing)


# --- the numbers ------------------------------------------------------------------------

@dataclass
class PassRate:
    """How many students passed a part, out of how many."""

    part: object
    passed: int
    count: int


@dataclass
class Diagnosis:
    """One diagnosis of one part and the students who got it."""

    text: str
    students: list


@dataclass
class Unrecognised:
    """A student who failed a part with no recognised mistake."""

    student: str
    first: str                       # the first failing line, "" if none

    @property
    def label(self):
        """The student, with the first failing line (cut) when there is one."""
        return f"{self.student} ({cut(self.first, 70)})" if self.first else self.student


@dataclass
class PartMistakes:
    """The mistakes of one part.

    Attributes
    ----------
    part : scheme.Part
    diagnoses : list of Diagnosis
        Ranked by the number of students (most first), then by text.
    unrecognised : list of Unrecognised
        The students who failed the part with no recognised mistake (the
        timeouts, crashes and syntax errors left out: they are counted apart).
    """

    part: object
    diagnoses: list
    unrecognised: list


@dataclass
class Stats:
    """The class report's statistics.

    Attributes
    ----------
    n : int
        Students.
    max_total : float
        The points of the graded parts.
    totals : list of float
        Each student's total (0 when the CSV's is not a number).
    pass_rates : list of PassRate
        One per part, in the CSV's order.
    mistakes : list of PartMistakes
        One per part, in the CSV's order.
    apart : dict
        Category (timeout, crashed, syntax error, missing files, or another
        status) -> ``[(student, where)]``: the part, the file, or the reason.
    statuses : dict
        Status -> number of students.
    """

    n: int
    max_total: float
    totals: list
    pass_rates: list
    mistakes: list
    apart: dict
    statuses: dict

    @property
    def mean(self):
        """The mean total (0 for no student)."""
        return sum(self.totals) / len(self.totals) if self.totals else 0


def _records(data, student):
    """Part key -> the student's record of that part (none without details)."""
    rec = data.details.get(student)
    return {p["key"]: p for p in rec.get("parts", [])} if rec else {}


def _total(row):
    """A row's total as a number (0 when it is not one)."""
    try:
        return float(row["total"])
    except (TypeError, ValueError):
        return 0.0


def _pass_rate(data, part):
    """A part's PassRate: from the details, else from the CSV's column."""
    passed = 0
    for r in data.rows:
        record = _records(data, r["student"]).get(part.key)
        if record is not None:
            passed += bool(record.get("passed"))
        elif not part.graded:
            passed += r.get(part.name) == "passed"
        else:
            try:
                passed += part.points > 0 and float(r.get(part.name, "")) >= part.points
            except ValueError:
                pass
    return PassRate(part, passed, len(data.rows))


def _counted_apart(data):
    """The syntax errors and the whole submissions not graded, and the files
    with a syntax error of each student.

    Returns
    -------
    apart : dict
        Category -> ``[(student, where)]``.
    broken : dict
        Student -> the sorted names of the files with a syntax error.
    """
    apart = {category: [] for category in APART_CATEGORIES}
    broken = {}
    for r in data.rows:
        rec = data.details.get(r["student"]) or {}
        errors = rec.get("syntax_errors", [])
        broken[r["student"]] = sorted({e["file"] for e in errors})
        for e in errors:
            apart["syntax error"].append((r["student"], f"{e['file']}, line {e['line']}: "
                                                        f"{e['message']}"))
        if rec and not rec.get("parts") and r["status"] != "graded":
            apart.setdefault(r["status"], []).append((r["student"], rec.get("reason", "")))
    return apart, broken


def _part_mistakes(data, part, broken):
    """A part's mistakes, and its parts not graded.

    Returns
    -------
    mistakes : PartMistakes
    apart : list of (str, str)
        ``[(status, student)]``: the students whose part timed out, crashed...
    """
    by_diagnosis, unrecognised, apart = {}, [], []
    for r in data.rows:
        student = r["student"]
        record = _records(data, student).get(part.key)
        if record is None or record.get("passed"):
            continue
        status = record.get("status", "graded")
        if status != "graded":
            apart.append((status, student))
            continue
        if set(part.files) & set(broken[student]):
            continue                  # counted apart, with the syntax errors
        found = [d for d in record.get("diagnoses", []) if d not in APART]
        for d in found:
            by_diagnosis.setdefault(d, []).append(student)
        if not found:
            unrecognised.append(Unrecognised(student, record.get("first", "")))
    ranked = sorted(by_diagnosis.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return PartMistakes(part, [Diagnosis(d, s) for d, s in ranked], unrecognised), apart


def compute(data):
    """The statistics of a finished batch.

    Parameters
    ----------
    data : ClassData

    Returns
    -------
    Stats
    """
    apart, broken = _counted_apart(data)
    mistakes = []
    for part in data.parts:
        found, not_graded = _part_mistakes(data, part, broken)
        mistakes.append(found)
        for status, student in not_graded:
            apart.setdefault(status, []).append((student, part.name))
    statuses = {}
    for r in data.rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return Stats(n=len(data.rows), max_total=sum(p.points for p in data.parts if p.graded),
                 totals=[_total(r) for r in data.rows],
                 pass_rates=[_pass_rate(data, p) for p in data.parts],
                 mistakes=mistakes, apart=apart, statuses=statuses)


def group_apart(entries):
    """Group what is counted apart by student.

    Parameters
    ----------
    entries : list of (str, str)
        ``[(student, where)]``.

    Returns
    -------
    list of (str, list of str)
        ``[(student, [where, ...])]`` in the students' order.
    """
    out = {}
    for student, where in entries:
        out.setdefault(student, []).append(where)
    return sorted(out.items(), key=lambda kv: sort_key(kv[0]))
