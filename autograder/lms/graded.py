"""What a graded class gives an LMS: each participant's grade and a short comment.

Read from what ``grade-all`` wrote: the CSV (its ``participant`` column, the
total, the status) and grades.details.jsonl (each part's score, points and
diagnoses). The comment is a few lines: the total, then each part's score
and, for a part that lost points, its diagnosis in a few words; the whole
feedback is the student's feedback page.
"""
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..records import details_path, fmt_score, read_details
from ..results import ENVIRONMENT_ERROR
from ..texts import known, said, say
from ..verdict import GRADER_ERROR


class GradedError(Exception):
    """The CSV cannot give the grades; the message says why."""


@dataclass(frozen=True)
class PartLine:
    """A part in a comment: its name, score, points, diagnoses."""
    name: str
    score: float
    points: int
    graded: bool
    passed: bool
    diagnoses: tuple

    def text(self):
        """"Regularized Cost Function: 0 / 15 (the bias weights are regularised)"."""
        value = f"{fmt_score(self.score)} / {self.points}" if self.graded else \
            (said("passed") if self.passed else said("not passed"))
        why = f" ({'; '.join(self.diagnoses)})" if self.diagnoses and not self.passed else ""
        return say(said("{name}: {score}", name=known(self.name), score=value)) + why


@dataclass(frozen=True)
class Graded:
    """A participant's grading.

    Attributes
    ----------
    student, participant : str
        As in the CSV.
    total : float
    out_of : float
        The points of the parts graded.
    status, reason : str
        As in the CSV.
    parts : tuple of PartLine
    """
    student: str
    participant: str
    total: float
    out_of: float
    status: str
    reason: str
    parts: tuple

    @property
    def fillable(self):
        """Whether the grading gives a grade: not when the grader failed on the
        submission or its environment failed a part (both graded again by the
        next run), nor with no graded part."""
        return (bool(self.out_of) and not self.reason.startswith(GRADER_ERROR)
                and self.status != ENVIRONMENT_ERROR)

    def scaled(self, maximum):
        """The total on a scale of ``maximum`` (2 decimals)."""
        return round(self.total / self.out_of * maximum, 2) if self.out_of else 0.0

    def comment_lines(self):
        """The comment: the total, each part, and the status if not graded."""
        from ..feedback import word
        lines = [say(said("Exercise 4 autograder: {total} / {out_of}",
                          total=fmt_score(self.total), out_of=fmt_score(self.out_of)))]
        if self.status != "graded":
            lines.append(say(said("Status: {status}", status=word(self.status)))
                         + (f" ({self.reason})" if self.reason else ""))
        return lines + [p.text() for p in self.parts]


def read_graded(csv_path):
    """participant -> Graded, of every row of the CSV with a participant number.

    Raises
    ------
    GradedError
        When the CSV cannot be read or has no ``participant`` column.
    """
    csv_path = Path(csv_path)
    try:
        text = csv_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GradedError(f"cannot read {csv_path} ({exc})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "participant" not in (reader.fieldnames or []):
        raise GradedError(f"{csv_path} has no participant column: grade-all writes it when "
                          "SUBMISSIONS_DIR is an LMS's download")
    details = read_details(details_path(csv_path))
    found = {}
    for row in reader:
        if row.get("participant") and row.get("student") in details:
            found[row["participant"]] = _graded(row, details[row["student"]])
    return found


def _graded(row, record):
    """The Graded of a CSV row and its line of details."""
    parts = tuple(PartLine(p["name"], float(p["score"]), int(p["points"]), bool(p["graded"]),
                           bool(p["passed"]), tuple(p["diagnoses"]))
                  for p in record.get("parts", []))
    out_of = sum(p.points for p in parts if p.graded)
    return Graded(row["student"], row["participant"], float(row["total"] or 0), out_of,
                  row["status"], row["reason"], parts)
