"""What grading gives: a CaseResult per case, a PartResult per part."""
import re
from dataclasses import dataclass, field

from . import scheme
from .cases import Case
from .diagnoses import Diagnosis
from .hints import GRADER_ENVIRONMENT
from .texts import indented, said

# A part the grader's environment kept from being graded (mark_environment_error):
# its status, what the report says of it, and the exit code of grade and grade-all.
ENVIRONMENT_ERROR = "environment error"
NOT_GRADED = "not graded (grading environment)"
ENVIRONMENT_EXIT = 3


@dataclass
class CaseResult:
    """The verdict on one case, and the lines the feedback shows of it.

    lines : the head line ("  ok   [public] ..."), then the details
    skipped : not checked (a course file is missing)
    diagnosis : the mistake recognised (diagnoses.Diagnosis), or None
    advice : the detail line that says what to change ("    likely mistake:
        ..."), shown first in the part's feedback
    safe : the details without values: what a failing hidden case shows
        before the due date (its description and diagnosis, errors, shapes)
    scored : False for a robustness note (0 points, never fails the part)
    internal_error : the traceback when the grader's own check of this case
        failed (for the instructor: in the JSON, never in the feedback)
    warnings : the warnings the student's code raised on this case (dicts:
        category, message, file, line), which the part's feedback summarises
    """
    case: Case
    passed: bool
    lines: list
    skipped: bool = False
    diagnosis: Diagnosis = None
    advice: str = None
    safe: list = field(default_factory=list)
    scored: bool = True
    internal_error: str = None
    warnings: list = field(default_factory=list)

    @property
    def short(self):
        """The few words of the diagnosis (what the class report counts), or None."""
        return self.diagnosis.short if self.diagnosis else None


@dataclass
class PartResult:
    """The grade of one part.

    messages : about the process (a missing file, a timeout...)
    status : "graded", "missing files", "timeout", "crashed" or "environment
        error" (not graded: the grader's environment failed the student's
        code, see :func:`mark_environment_error`)
    output, output_bytes : the first characters the student's code printed,
        and how many it printed in all
    isolation : the isolation mode, in words
    data_notes : the course files that were missing
    internal_errors : the grader's own failures (tracebacks)
    missing_module : what the student's process could not import ("environment error")
    """
    part: scheme.Part
    score: float
    cases: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    status: str = "graded"
    seconds: float = 0.0
    output: str = ""
    output_bytes: int = 0
    isolation: str = ""
    data_notes: list = field(default_factory=list)
    internal_errors: list = field(default_factory=list)
    missing_module: str = ""

    @property
    def passed(self):
        return self.status == "graded" and all(c.passed for c in self.cases
                                               if not c.skipped and c.scored)

    @property
    def diagnoses(self):
        """The mistakes recognised in this part (their few words), each once,
        in case order; a process-level status (timeout, crashed, missing
        files) comes first."""
        found = [self.status] if self.status != "graded" else []
        found += [c.short for c in self.cases if c.short and not c.passed and c.scored]
        return list(dict.fromkeys(found))

    @property
    def not_graded(self):
        """Whether the grader's environment kept this part from being graded."""
        return self.status == ENVIRONMENT_ERROR

    def feedback(self, visibility=None):
        """The feedback text (feedback.part_feedback)."""
        from .feedback import part_feedback
        return part_feedback(self, visibility)


def mark_environment_error(result):
    """Make a part "environment error" when a scored case failed because of
    the grader's environment (hints.GRADER_ENVIRONMENT): its score is no
    verdict on the student's code. Returns whether it did."""
    causes = [c for c in result.cases if c.scored and not c.passed and not c.skipped
              and c.diagnosis is not None and c.diagnosis.short == GRADER_ENVIRONMENT.short]
    if result.status != "graded" or not causes:
        return False
    found = [m for c in causes for line in c.lines
             for m in re.findall(r"No module named '([\w.]+)'", line)]
    module = found[0] if found else "a module installed for the grader"
    result.status, result.missing_module = ENVIRONMENT_ERROR, module
    result.messages.insert(0, indented(said(
        "not graded (grading environment): {module} could not be imported by the process "
        "running your code, a fault of the grader, not of your code: no score for this part "
        "until it is fixed and graded again",
        module=module if found else said("a module installed for the grader")), "  "))
    return True


def total(results):
    """The total score of a list of PartResult."""
    return sum(r.score for r in results)
