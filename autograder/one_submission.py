"""Grading one submission of a class batch, whatever happens.

Each submission is graded by ``grade.grade_submission`` (which runs the
student's code in separate, limited processes) on the folder
:func:`submissions.prepare` finds (zips extracted in a scratch folder of its
own). Whatever the submission holds, and even when the grader itself fails
on it, the result is an :class:`records.Outcome`: its CSV row, its
results.json and its line of details. A submission with nothing gradable is
still graded (every part then says what is missing) and gets the status
"missing files".
"""
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .feedback_pages import both_views, not_graded_views
from .records import DetailsRecord, Outcome, part_record, student_row
from .submissions import SubmissionError, prepare
from .verdict import GRADER_ERROR, syntax_errors, verdict


class _Stopped(Exception):
    """Raised in a worker when the batch is interrupted."""


@dataclass
class Gradable:
    """The folder graded for a submission.

    Attributes
    ----------
    folder : Path
        The student's files (an empty folder when nothing gradable was found).
    notes : list of str
        How they were found (:func:`submissions.prepare`).
    problem : str or None
        What made the submission ungradable: the CSV's reason.
    """
    folder: Path
    notes: list = field(default_factory=list)
    problem: str = None


def grade_safely(sub, parts, data_dir=None, timeout=None, stop=None, pool=None, budget=None):
    """:func:`grade_one`, whatever happens.

    Returns
    -------
    Outcome or None
        The grader's failure is an Outcome too (:func:`grader_error`); None
        when the batch was stopped.
    """
    start = time.monotonic()
    try:
        return grade_one(sub, parts, data_dir, timeout, stop, pool, budget)
    except Exception as exc:                                   # noqa: BLE001
        if stop is not None and stop.is_set():
            return None
        return grader_error(sub, parts, exc, time.monotonic() - start)


def grade_one(sub, parts, data_dir=None, timeout=None, stop=None, pool=None, budget=None):
    """Grade one submission.

    Parameters
    ----------
    sub : Submission
    parts : list of scheme.Part
        The parts to grade.
    data_dir : path-like, optional
        The course files' folder (``--data``).
    timeout : float, optional
        Seconds for every case (``--timeout``).
    stop : threading.Event, optional
        Set when the batch is interrupted: the grading stops after the
        current part.
    pool : supervisor.SupervisorPool, optional
        The batch's supervisors.
    budget : float, optional
        Seconds for the whole submission (``--budget``).

    Returns
    -------
    Outcome or None
        None if stopped.
    """
    from .grade import grade_submission

    def progress(_result):
        if stop is not None and stop.is_set():
            raise _Stopped

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ex4batch-") as scratch:
        found = gradable(sub, scratch)
        broken = syntax_errors(found.folder)
        try:
            results = grade_submission(found.folder, data_dir=data_dir,
                                       parts=[p.key for p in parts], timeout=timeout,
                                       progress=progress, pool=pool, budget=budget)
        except _Stopped:
            return None
        except Exception as exc:                               # noqa: BLE001
            if stop is not None and stop.is_set():
                return None
            return grader_error(sub, parts, exc, time.monotonic() - start)
    if stop is not None and stop.is_set():
        return None
    return outcome(sub, parts, results, found, broken, time.monotonic() - start)


def gradable(sub, scratch):
    """The Gradable of a submission, its zips extracted under ``scratch``."""
    try:
        folder, notes = prepare(sub.path, scratch)
        return Gradable(folder, notes)
    except SubmissionError as exc:
        problem = str(exc)
    except Exception as exc:                                   # noqa: BLE001
        problem = f"unreadable submission ({type(exc).__name__}: {exc})"
    folder = Path(scratch) / "empty"
    folder.mkdir(exist_ok=True)
    return Gradable(folder, [], problem)


def outcome(sub, parts, results, found, broken, seconds):
    """The Outcome of a graded submission.

    Parameters
    ----------
    sub : Submission
    parts : list of scheme.Part
    results : list of PartResult
    found : Gradable
    broken : list of verdict.BrokenFile
        Its files that do not compile.
    seconds : float
        How long its grading took.
    """
    from .results import total
    judged = verdict(results, {b.file for b in broken}, found.problem)
    row = student_row(sub.student, parts, results, total(results), judged, sub.participant)
    details = DetailsRecord(
        student=sub.student, path=str(Path(sub.path).resolve()), status=judged.status,
        reason=judged.reason, diagnosis=judged.diagnosis, total=float(total(results)),
        parts=[part_record(r) for r in results], syntax_errors=broken, notes=found.notes,
        feedback=both_views(sub.student, judged, results, found.notes))
    document = results_document(sub.student, judged, results, seconds, found)
    return Outcome(sub.student, row, document, seconds, found.notes, details)


def results_document(student, judged, results, seconds, found):
    """A student's results.json: Gradescope's document, with the student, the
    verdict and what was said of the submission (also at the top of its output)."""
    from .feedback import gradescope_json, report
    from .texts import say
    doc = gradescope_json(results, seconds)
    text = say(report(results))
    if found.problem is not None:
        text = f"Submission: {found.problem}\n\n{text}"
    if found.notes:
        text = "\n".join(f"Submission: {n}" for n in found.notes) + "\n\n" + text
    return {"student": student, "status": judged.status, "reason": judged.reason, **doc,
            "output": text, "submission_notes": found.notes}


def grader_error(sub, parts, exc, seconds):
    """The Outcome of a submission on which the grader itself failed.

    Its row says "crashed", with the reason "grader error: ..."; the next
    run grades it again.
    """
    message = f"{GRADER_ERROR}: {type(exc).__name__}: {exc}".splitlines()[0]
    row = {"student": sub.student, **({"participant": sub.participant} if sub.participant else {}),
           **{p.name: "0" if p.graded else "failed" for p in parts}, "total": "0",
           "status": "crashed", "reason": message, "diagnosis": GRADER_ERROR}
    doc = {"student": sub.student, "status": "crashed", "reason": message, "score": 0,
           "output": message, "tests": []}
    details = DetailsRecord(student=sub.student, path=str(Path(sub.path).resolve()),
                            status="crashed", reason=message, diagnosis=GRADER_ERROR,
                            total=0.0, feedback=not_graded_views(sub.student, "crashed", message))
    return Outcome(sub.student, row, doc, seconds, details=details)
