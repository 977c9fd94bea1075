"""``python -m autograder grade-all SUBMISSIONS_DIR --csv grades.csv``: a whole class.

The batch: the submissions of SUBMISSIONS_DIR (autograder/submissions.py)
are graded several at a time (``--jobs``, default: the number of cores), in
threads: the grader's own work is light, the children do the computing. Each
worker keeps one supervisor process for the whole batch
(``supervisor.SupervisorPool``), so that NumPy, SciPy and the course data are
loaded once per worker. Each submission is graded whatever it holds
(autograder/one_submission.py), and recorded as soon as it is done: the CSV,
grades.details.jsonl, the results.json files (autograder/records.py) and
each student's feedback pages (autograder/feedback_pages.py), with the
students' status, reason and diagnosis (autograder/verdict.py). A rerun
grades only the students not recorded yet and those whose files changed
since (the fingerprint of submissions.py), and writes every student's
feedback pages again (``--force``: grades all of them).
A progress bar shows the batch, a summary ends it
(autograder/progress.py). Ctrl-C or SIGTERM stops it, the processes it
started killed (autograder/stopping.py): exit code 130, and the CSV holds
the rows done.

The names the class report and the benches use are importable from here
too (``batch.read_details``, ``batch.list_submissions``...).
"""
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import scheme
from .one_submission import grade_safely
from .progress import BatchCounts, Progress, summary
from .records import BatchError, ClassRecords, columns, selected_parts
from .stopping import kill_children, stop_on_signals
from .feedback_pages import default_dir
from .isolation import isolation_mode, not_graded_note
from .submissions import fingerprint, list_submissions, participants, sort_key
from .results import ENVIRONMENT_ERROR, ENVIRONMENT_EXIT
from .verdict import GRADER_ERROR

STOP_SECONDS = 30        # how long an interrupted batch waits for its workers to end


@dataclass(frozen=True)
class BatchSettings:
    """What a batch grades, and how.

    Attributes
    ----------
    submissions_dir : Path
        SUBMISSIONS_DIR.
    csv_path : Path
        The CSV (``--csv``).
    parts : list of scheme.Part
        The parts graded (``--parts``; all of them by default).
    jobs : int
        Submissions at a time.
    json_dir : Path or None
        ``--json-dir``.
    feedback_dir : Path
        ``--feedback-dir`` (default: feedback_pages.default_dir of the CSV).
    after_due_date : bool
        The feedback pages show the hidden cases' values.
    force : bool
        Regrade the students already in the CSV.
    timeout, budget : float or None
        ``--timeout`` (seconds for every case), ``--budget`` (seconds a submission).
    data_dir : Path or None
        The course files' folder (``--data``).
    sandbox : str
        ``--sandbox``: "auto", "bwrap" or "process".
    """
    submissions_dir: Path
    csv_path: Path
    parts: list
    jobs: int
    json_dir: Path = None
    feedback_dir: Path = None
    after_due_date: bool = False
    force: bool = False
    timeout: float = None
    budget: float = None
    data_dir: Path = None
    sandbox: str = "auto"


def default_jobs():
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def grade_all(submissions_dir, csv_path, jobs=None, json_dir=None, force=False, parts=None,
              timeout=None, data_dir=None, out=None, err=None, sandbox="auto", budget=None,
              feedback_dir=None, after_due_date=False):
    """Grade every submission of ``submissions_dir`` into ``csv_path``.

    Parameters
    ----------
    submissions_dir, csv_path : path-like
    jobs : int, optional
        Submissions at a time (default: :func:`default_jobs`).
    json_dir : path-like, optional
        Also write each student's results.json there.
    force : bool
        Regrade the students already in the CSV.
    parts : list of str, optional
        The keys of the parts to grade (default: all).
    timeout, budget : float, optional
        Seconds for every case; seconds for each submission.
    data_dir : path-like, optional
        The course files' folder (default: the project's data/).
    out, err : file, optional
        Where the summary and the progress go (default: stdout, stderr).
    sandbox : str
        "auto", "bwrap" or "process".
    feedback_dir : path-like, optional
        Where each student's feedback pages go (default: ``<csv stem>.feedback/``).
    after_due_date : bool
        Show the hidden cases' values in the feedback pages.

    Returns
    -------
    int
        The exit code: 0 when done, ENVIRONMENT_EXIT (3) when a part of a
        submission was not graded because of the grader's environment (the
        rows "environment error", graded again by the next run), 130 when
        interrupted (the CSV then holds the rows done).

    Raises
    ------
    BatchError
        When the batch cannot start.
    """
    out, err = out or sys.stdout, err or sys.stderr
    settings = _settings(submissions_dir, csv_path, jobs, json_dir, force, parts, timeout,
                         data_dir, sandbox, budget, feedback_dir, after_due_date)
    records = ClassRecords.open(settings.csv_path, columns(settings.parts, bool(participants(
        settings.submissions_dir))), settings.json_dir, settings.force, settings.feedback_dir,
        settings.after_due_date)
    subs = _listed(settings, records, err)
    todo, prints = _to_grade(settings, records, subs, err)
    skipped = len(subs) - len(todo)
    start = time.monotonic()
    graded_now = _grade(settings, records, todo, prints, err)
    if graded_now is None:
        return 130
    records.compact()
    counts = BatchCounts(settings.csv_path, len(records.rows), graded_now,
                         time.monotonic() - start, settings.jobs, skipped)
    return _report_end(records, settings.parts, counts, out, settings.sandbox)


def _to_grade(settings, records, subs, err):
    """The submissions to grade, and student -> the fingerprint of their files.

    A student is graded again when not done (records.ClassRecords.done):
    new, changed since graded, or the grader failed on them; with
    ``--force``, every student (the records are emptied). The students kept
    get their feedback pages written again.
    """
    prints = {s.student: fingerprint(s.path) for s in subs}
    todo = [s for s in subs if settings.force or not records.done(s.student, prints[s.student])]
    again = 0 if settings.force else sum(s.student in records.rows for s in todo)
    if settings.force:
        records.clear()                              # empty: the old rows are gone
    skipped = len(subs) - len(todo)
    err.write(f"{len(subs)} submission(s) in {settings.submissions_dir}: {len(todo)} to grade"
              + (f" ({again} changed or not complete)" if again else "")
              + (f", {skipped} already in {settings.csv_path}" if skipped else "")
              + f" ({settings.jobs} at a time)\n")
    err.flush()
    waiting = {s.student for s in todo}
    for student in records.rows:                     # the pages of the students kept
        if student not in waiting:
            records.write_feedback(student)
    return todo, prints


def _settings(submissions_dir, csv_path, jobs, json_dir, force, parts, timeout, data_dir,
              sandbox, budget, feedback_dir=None, after_due_date=False):
    """The BatchSettings of grade_all's arguments; BatchError when they are wrong."""
    submissions_dir, csv_path = Path(submissions_dir), Path(csv_path)
    if not submissions_dir.is_dir():
        raise BatchError(f"SUBMISSIONS_DIR must be a folder, found {submissions_dir} "
                         f"({'a file' if submissions_dir.exists() else 'nothing there'})")
    if parts:
        known = {p.key for p in scheme.PARTS}
        unknown = [k for k in parts if k not in known]
        if unknown:
            raise BatchError(f"unknown part(s) {', '.join(unknown)}; parts: {', '.join(known)}")
    return BatchSettings(submissions_dir, csv_path, selected_parts(parts),
                         max(1, int(jobs or default_jobs())),
                         json_dir=Path(json_dir) if json_dir else None,
                         feedback_dir=Path(feedback_dir) if feedback_dir
                         else default_dir(csv_path), after_due_date=after_due_date, force=force,
                         timeout=timeout, budget=budget,
                         data_dir=Path(data_dir) if data_dir else None, sandbox=sandbox)


def _listed(settings, records, err):
    """The submissions of the batch; the entries ignored are listed on ``err``."""
    subs, ignored = list_submissions(settings.submissions_dir,
                                     exclude=(settings.csv_path, settings.json_dir,
                                              records.details_file, settings.feedback_dir))
    if ignored:
        one = len(ignored) == 1
        err.write(f"ignored {len(ignored)} entr{'y' if one else 'ies'} that "
                  f"{'is' if one else 'are'} neither a folder nor a .zip file: "
                  f"{', '.join(ignored[:10])}{' ...' if len(ignored) > 10 else ''}\n")
    return subs


def _grade(settings, records, todo, prints, err):
    """Grade ``todo``, recording each as it is done (with its fingerprint,
    ``prints[student]``).

    Returns the number graded, or None when interrupted (Ctrl-C, SIGTERM).
    """
    from .grade import ROOT
    from .supervisor import SupervisorPool
    stop = threading.Event()
    progress = Progress(len(todo), err)
    graded_now = 0
    restore = stop_on_signals()
    # One supervisor per worker, kept for the whole batch: the imports and the
    # course data are paid once per worker, not once per submission.
    supervisors = SupervisorPool(settings.sandbox, settings.data_dir or ROOT / "data")
    err.write(f"isolation: {supervisors.text}\n")
    pool = ThreadPoolExecutor(max_workers=settings.jobs, thread_name_prefix="grade")
    futures = []
    try:
        futures = [pool.submit(grade_safely, s, settings.parts, settings.data_dir,
                               settings.timeout, stop, supervisors, settings.budget)
                   for s in todo]
        for fut in as_completed(futures):
            outcome = fut.result()
            if outcome is None:
                continue
            records.add(outcome, prints[outcome.student])
            graded_now += 1
            progress.update(f"{outcome.student}: {outcome.row['total']} {outcome.row['status']}")
    except KeyboardInterrupt:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        progress.finish()
        _interrupted(records, futures, err)
        return None
    finally:
        restore()
        pool.shutdown(wait=True, cancel_futures=True)
        supervisors.close()
    progress.finish()
    return graded_now


def _interrupted(records, futures, err):
    """Say what an interruption leaves, and kill the grading processes until
    the workers have ended (at most STOP_SECONDS; a second Ctrl-C exits now)."""
    err.write(f"\ninterrupted: {records.csv_path} holds the {len(records.rows)} row(s) done; "
              "run the same command again to grade the rest\n")
    err.flush()
    try:
        deadline = time.monotonic() + STOP_SECONDS
        while any(f.running() for f in futures) and time.monotonic() < deadline:
            kill_children()
            time.sleep(0.1)
    except KeyboardInterrupt:
        kill_children()
        os._exit(130)


def _report_end(records, parts, counts, out, sandbox="auto"):
    """The final summary, and the students on whom the grader failed; returns
    the exit code (ENVIRONMENT_EXIT when a row is an environment error)."""
    out.write(summary(records.rows, parts, counts.line()) + "\n")
    errors = sorted(s for s, r in records.rows.items() if r["reason"].startswith(GRADER_ERROR))
    if errors:
        out.write(f"The grader failed on {len(errors)} submission(s) ({', '.join(errors[:5])}"
                  f"{' ...' if len(errors) > 5 else ''}): see their reason; a rerun grades "
                  "them again\n")
    pending = sorted((s for s, r in records.rows.items() if r["status"] == ENVIRONMENT_ERROR),
                     key=sort_key)
    if pending:
        what = (f"{len(pending)} submission(s) ({', '.join(pending[:5])}"
                f"{' ...' if len(pending) > 5 else ''}), status \"{ENVIRONMENT_ERROR}\" (their "
                "reason says what could not be imported)")
        out.write(f"grade-all: {not_graded_note(what, isolation_mode(sandbox)[0])}\n")
    out.flush()
    return ENVIRONMENT_EXIT if pending else 0


def main_grade_all(args):
    """The ``grade-all`` command (``args`` from the command line's parser).

    Returns its exit code: 2 when the batch cannot start.
    """
    try:
        return grade_all(args.submissions, args.csv, jobs=args.jobs, json_dir=args.json_dir,
                         force=args.force, parts=args.parts, timeout=args.timeout,
                         data_dir=args.data, sandbox=args.sandbox,
                         budget=getattr(args, "budget", None),
                         feedback_dir=getattr(args, "feedback_dir", None),
                         after_due_date=getattr(args, "after_due_date", False))
    except (BatchError, RuntimeError) as exc:        # RuntimeError: --sandbox bwrap unusable
        print(f"grade-all: {exc}", file=sys.stderr)
        return 2
