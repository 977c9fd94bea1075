"""A student's status, reason and diagnosis, from the parts' results.

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
    environment error
                   a part could not be graded because of the grader's
                   environment (a module installed for the grader that the
                   student's process could not import): the part says "not
                   graded (grading environment)", its cell "not graded";
                   such rows are graded again by the next run, and the
                   commands exit with results.ENVIRONMENT_EXIT
    graded         every part ran; its score says how well

The reason is the first message of the first part with that status (or what
was wrong with the submission itself); for "graded", the first failing part
(graded parts first, then extra checks) and what went wrong there: its
diagnosis, else its first failing case's first line. Empty only when every
part passed. The diagnosis is that part's diagnosis in a few words (the
grader's ``PartResult.diagnoses``: the status first, then the recognised
mistakes; "syntax error in FILE" when a file the part runs does not
compile), empty when the grader recognised none.
"""
from dataclasses import dataclass
from pathlib import Path

from .results import ENVIRONMENT_ERROR
from .texts import composed

STATUSES = ("graded", "missing files", "timeout", "crashed", ENVIRONMENT_ERROR)
SEVERITY = {"graded": 0, "missing files": 1, "timeout": 2, "crashed": 3, ENVIRONMENT_ERROR: 4}
GRADER_ERROR = "grader error"


@dataclass(frozen=True)
class Verdict:
    """What the CSV says of a student besides the scores.

    Attributes
    ----------
    status : str
        One of STATUSES.
    reason : str
        The part and what went wrong there ("" when every part passed).
    diagnosis : str
        That part's diagnosis in a few words ("" when none was recognised).
    """
    status: str
    reason: str
    diagnosis: str


@dataclass(frozen=True)
class BrokenFile:
    """A .py file of a submission that does not compile.

    Attributes
    ----------
    file : str
        Its name.
    line : int
        The line of the error (0 when unknown).
    message : str
        "SyntaxError: ..." (or the subclass's name).
    """
    file: str
    line: int
    message: str


def verdict(results, broken_files=(), problem=None):
    """A student's Verdict.

    Parameters
    ----------
    results : list of PartResult
        The parts graded.
    broken_files : collection of str
        The names of the submission's files that do not compile.
    problem : str, optional
        What made the submission ungradable (a SubmissionError's message):
        the status is then "missing files", with this reason.

    Returns
    -------
    Verdict
    """
    if problem is not None:
        return Verdict("missing files", problem, "missing files")
    status, reason = student_status(results)
    failed, diagnosis = failure_summary(results, status, broken_files)
    return Verdict(status, reason if failed is None else failed, diagnosis)


def student_status(results):
    """(status, reason) of a student from the parts' results.

    The worst status of the parts, and the first message of the first part
    with it ("" for "graded").
    """
    worst = max((r.status for r in results), key=lambda s: SEVERITY.get(s, 3), default="graded")
    if worst == "graded":
        return "graded", ""
    for r in results:
        if r.status == worst:
            first = next((m.strip() for m in r.messages if m.strip()), worst)
            return worst, composed("{part}: {what}", part=r.part.name,
                                   what=first if "\n" not in first
                                   else first.splitlines()[0].strip())
    return worst, ""


def short(text, limit=80):
    """A diagnosis in a few words: its first clause, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    for stop in (": ", "; "):
        if stop in text:
            text = text.split(stop, 1)[0]
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def syntax_errors(folder):
    """The .py files of a folder that do not compile, by name.

    Returns
    -------
    list of BrokenFile
    """
    found = []
    for path in sorted(Path(folder).glob("*.py")):
        try:
            source = path.read_bytes()
            compile(source, path.name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            found.append(BrokenFile(path.name, exc.lineno or 0,
                                    f"{type(exc).__name__}: {exc.msg}"))
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
    """A part's diagnosis in a few words.

    A file the part runs that does not compile (the root cause, whatever the
    cases say), else its first diagnosis, else "".
    """
    bad = [f for f in result.part.files if f in broken_files]
    if bad and not result.passed and result.status == "graded":
        return f"syntax error in {bad[0]}"
    found = list(result.diagnoses)
    return short(found[0]) if found else ""


def failure_summary(results, status, broken_files=()):
    """(reason, diagnosis) of a student.

    For another status than "graded": (None, the diagnosis of the first part
    with that status), the reason being :func:`student_status`'s. For
    "graded": the first failing part (graded parts first, then the extra
    checks), and ("", "") when every part passed.
    """
    if status != "graded":
        named = next((r for r in results if r.status == status), None)
        return None, (part_diagnosis(named, broken_files) if named else status)
    failing = [r for r in results if r.part.graded and not r.passed] + \
        [r for r in results if not r.part.graded and not r.passed]
    if not failing:
        return "", ""
    r = failing[0]
    diagnosis = part_diagnosis(r, broken_files)
    return composed("{part}: {what}", part=r.part.name,
                    what=diagnosis or first_failure(r)), diagnosis
