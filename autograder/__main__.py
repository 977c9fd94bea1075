"""Command line of the autograder: ``python -m autograder COMMAND ...``.

    grade SUBMISSION_DIR [--json results.json]   grade one student's files
    release OUT_DIR                              write the student release (instructors)
    grade-all SUBMISSIONS_DIR --csv FILE         grade a class (instructors)
    report grades.csv --out REPORT_DIR           the class report of a graded class (instructors)
    gradescope OUT.zip                           build the Gradescope autograder (instructors)
    limits                                       the time limits and the budget

:func:`build_parser` builds the parser; each command has its handler,
``handler(args, parser) -> exit code``, found in :data:`COMMANDS`.
"""
import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import scheme

SANDBOXES = ("auto", "bwrap", "process")
DATA_HELP = "the folder with the course files (default: data/)"
LANG_HELP = ("the language of the student's feedback (default: EX4_LANG, else the system's "
             "locale, else English); the scores, statuses and the CSV are the same in both")
HANDOUT_ITERATIONS = 50      # the handout's training: MaxIter 50 of fmin_cg (ex4.py)
SMALL_EXAMPLES = 20          # the largest small problem: submit.m's, the hidden cases'


# --- the time limits ----------------------------------------------------------------------

@dataclass(frozen=True)
class Limit:
    """A time limit of the grader.

    Attributes
    ----------
    what : str
        What it limits, in words.
    seconds : float
        The limit.
    how : str
        How autograder/scheme.py makes it.
    """
    what: str
    seconds: float
    how: str


def _case_limit(call):
    """The limit scheme.case_timing gives a case making this call."""
    return scheme.case_timing({"call": call})["limit"]


def _cost_call(examples):
    """An nnCostFunction call on ``examples`` examples, as case_timing reads it."""
    X = {"__course__": "X"} if examples == "course" else {"shape": [examples, 1]}
    return {"kind": "call", "module": "nnCostFunction", "args": [None] * 4 + [X]}


def time_limits():
    """The time limits and the budget, as the grader computes them from scheme.

    Returns
    -------
    list of Limit
        A small problem, the 5000 examples, the handout's training, the
        imports of a part, and the budget of a submission.
    """
    case = f"CASE_SECONDS {scheme.CASE_SECONDS:g} s"
    example = f"SECONDS_PER_EXAMPLE {scheme.SECONDS_PER_EXAMPLE * 1000:g} ms"
    evaluation = (f"SECONDS_PER_EXAMPLE_EVALUATION "
                  f"{scheme.SECONDS_PER_EXAMPLE_EVALUATION * 1000:g} ms")
    per_iteration = scheme.TRAINING_EVALUATIONS_PER_ITERATION
    evaluations = round(per_iteration * HANDOUT_ITERATIONS)
    return [
        Limit(f"a small problem (m <= {SMALL_EXAMPLES}: submit.m's inputs, the gradient "
              "checks, the hidden cases, sigmoid...)",
              _case_limit(_cost_call(SMALL_EXAMPLES)), f"{case} + {example} an example, rounded"),
        Limit("the 5000 examples (the handout's costs, prediction)",
              _case_limit(_cost_call("course")), f"{case} + {example} x 5000 examples"),
        Limit(f"training: {HANDOUT_ITERATIONS} iterations of fmin_cg",
              _case_limit({"kind": "train", "maxiter": HANDOUT_ITERATIONS}),
              f"{case} + {evaluation} x 5000 examples x {evaluations} evaluations "
              f"({per_iteration:g} an iteration)"),
        Limit("importing the student's modules of a part", float(scheme.IMPORT_SECONDS),
              "IMPORT_SECONDS"),
        Limit("the budget: the whole grading of a submission (--budget)",
              float(scheme.DEFAULT_BUDGET), "DEFAULT_BUDGET"),
    ]


def limits_table(limits):
    """The ``limits`` command's output: each limit, what it limits, how it is made."""
    lines = ["Time limits of a case, and the budget of a submission (autograder/scheme.py):", "",
             "limit  what"]
    for limit in limits:
        lines.append(f"{limit.seconds:>3g} s  {limit.what}")
        lines.append(f"         = {limit.how}")
    lines += ["", "--timeout S gives every case the limit S instead; --budget S another budget."]
    return "\n".join(lines)


# --- the parser ---------------------------------------------------------------------------

def build_parser():
    """The parser of every command (``args.command`` names the command)."""
    small, course, training, _imports, budget = time_limits()
    default_limits = (f"{small.seconds:g} s for a small problem, {course.seconds:g} s for the "
                      f"5000 examples, {training.seconds:g} s for training")
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Exercise 4's autograder.")
    sub = parser.add_subparsers(dest="command", required=True)
    _grade_options(sub, default_limits, budget.seconds)
    r = sub.add_parser("release", help="write the student release (instructors only)")
    r.add_argument("out", help="the folder to write (also OUT.zip)")
    r.add_argument("--lang", choices=("en", "fr"), default="en",
                   help="the language of its README, of the stubs' instructions and, by "
                   "default, of its scripts (default: en: the scripts follow the "
                   "student's system)")
    _grade_all_options(sub, budget.seconds)
    c = sub.add_parser("report", help="the class report of a graded class (instructors)")
    c.add_argument("csv", metavar="grades.csv", help="the CSV of grade-all (its "
                   "grades.details.jsonl beside it)")
    c.add_argument("--out", required=True, metavar="REPORT_DIR", help="where to write it")
    c.add_argument("--submissions", metavar="DIR", help="the submissions' folder (default: "
                   "where grade-all found them)")
    _report_options(c)
    _gradescope_options(sub, budget.seconds)
    sub.add_parser("limits", help="print the time limits of a case and the budget of a "
                   "submission, as the grader computes them")
    sub.add_parser("diagnoses", help="print every diagnosis the grader can give, from its "
                   "registry")
    return parser


def _grade_options(sub, default_limits, budget):
    g = sub.add_parser("grade", help="grade one submission (a folder with the student's files)")
    g.add_argument("submission", help="the folder with the student's .py files")
    g.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json there")
    g.add_argument("--timeout", type=float, metavar="S",
                   help="seconds for every case (default: a limit that fits the case's size: "
                        f"{default_limits})")
    g.add_argument("--budget", type=float, metavar="S",
                   help=f"seconds for the whole submission (default: {budget:g}); what it "
                        "leaves no time for is reported as not run")
    g.add_argument("--parts", nargs="+", metavar="PART", help="grade only these parts (keys)")
    g.add_argument("--data", metavar="DIR", help=DATA_HELP)
    g.add_argument("--lang", choices=("en", "fr"), help=LANG_HELP)
    g.add_argument("--sandbox", choices=SANDBOXES, default="auto",
                   help="isolation of the student's code: bubblewrap where it works (auto), "
                        "or plain processes (default: %(default)s)")


def _grade_all_options(sub, budget):
    b = sub.add_parser("grade-all", help="grade a folder of submissions into a CSV (instructors)")
    b.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                   help="one folder or zip file per student, or Moodle's or Canvas's "
                        "download of all submissions (its zip, or the folder it extracts to)")
    b.add_argument("--csv", required=True, metavar="FILE", help="the grades (resumed if present)")
    b.add_argument("--jobs", type=int, metavar="N", help="submissions at a time (default: cores)")
    b.add_argument("--json-dir", metavar="DIR", help="also write DIR/STUDENT.json (results.json)")
    b.add_argument("--feedback-dir", metavar="DIR",
                   help="write each student's feedback there, STUDENT.html and STUDENT.txt "
                        "(default: the CSV's name with .feedback, beside it)")
    b.add_argument("--after-due-date", action="store_true",
                   help="the feedback shows the hidden cases' values (default: their "
                        "descriptions and diagnoses only, as before the due date)")
    b.add_argument("--force", action="store_true",
                   help="regrade the students already in the CSV (without it, only the "
                        "new submissions and those whose files changed are graded)")
    b.add_argument("--parts", nargs="+", metavar="PART", help="grade only these parts (keys)")
    b.add_argument("--timeout", type=float, metavar="S",
                   help="seconds for every case (default: by the case's size, as for grade)")
    b.add_argument("--budget", type=float, metavar="S",
                   help=f"seconds for each submission (default: {budget:g})")
    b.add_argument("--data", metavar="DIR", help=DATA_HELP)
    b.add_argument("--lang", choices=("en", "fr"), help=LANG_HELP)
    b.add_argument("--sandbox", choices=SANDBOXES, default="auto",
                   help="isolation of the student's code, as for grade (default: %(default)s)")
    b.add_argument("--report", metavar="REPORT_DIR",
                   help="then write the class report there (index.html, report.md)")
    _lms_options(b)
    _report_options(b)


def _lms_options(parser):
    """The LMS's grade sheets grade-all fills (autograder/lms/)."""
    parser.add_argument("--moodle-worksheet", metavar="WORKSHEET.csv",
                        help="Moodle's offline grading worksheet of the assignment: written "
                             "filled as <csv stem>.moodle-worksheet.csv")
    parser.add_argument("--canvas-gradebook", metavar="GRADEBOOK.csv",
                        help="Canvas's gradebook export: written with the assignment's "
                             "column filled as <csv stem>.canvas-gradebook.csv")
    parser.add_argument("--canvas-assignment", metavar="TITLE_OR_ID",
                        help="the gradebook's column to fill, when it has several "
                             "assignments: its title or its id")


def _report_options(parser):
    """The class report's options (report, and grade-all --report)."""
    parser.add_argument("--compare-with", metavar="DIR",
                        help="a folder of outside solutions (one folder or zip each) that "
                             "the similarity also compares with")
    parser.add_argument("--threshold", type=float, metavar="X",
                        help="list the pairs whose similarity is at least X, in (0, 1] "
                             "(default: autograder/similarity.py's DEFAULT_THRESHOLD, 0.4)")
    parser.add_argument("--max-share", type=float, metavar="N",
                        help="ignore a code fragment found in the code of more than N "
                             "students, as lines every right solution writes alike (as "
                             "MOSS's -m; default: 60%% of the class, at least 4)")


def _gradescope_options(sub, budget):
    try:
        from .gradescope import GRADESCOPE_TIMEOUT
        timeout = f"; keep it well under the assignment's autograder timeout, " \
                  f"{GRADESCOPE_TIMEOUT:g} s by default"
    except ImportError:                 # the student release: no gradescope command
        timeout = ""
    z = sub.add_parser("gradescope", help="build the Gradescope autograder zip (instructors)")
    z.add_argument("out", metavar="OUT.zip", help="the zip to write")
    z.add_argument("--data", metavar="DIR", help=DATA_HELP)
    z.add_argument("--budget", type=float, metavar="S",
                   help=f"seconds for each submission on Gradescope (default: {budget:g}"
                        f"{timeout})")
    z.add_argument("--lang", choices=("en", "fr"),
                   help="the language of the students' feedback on Gradescope (default: "
                        "the locale of Gradescope's machine, else English); the scores are "
                        "the same in both")


# --- the commands ---------------------------------------------------------------------------

def grade(args, parser):
    """``grade``: the report of one submission; 0 when graded, 1 when the
    grader failed (``--json`` still written), 2 for an unusable sandbox,
    ENVIRONMENT_EXIT (3) when a part was not graded because of the grader's
    environment (the fix on stderr)."""
    from .feedback import gradescope_json, report
    from .grade import grade_submission
    from .texts import say
    folder = Path(args.submission)
    if not folder.is_dir():
        parser.error(f"SUBMISSION_DIR must be a folder, found {folder!s} "
                     f"({'a file' if folder.exists() else 'nothing there'})")
    for name in ("timeout", "budget"):
        value = getattr(args, name)
        if value is not None and not value > 0:
            parser.error(f"--{name} must be a positive number of seconds, found {value:g}")
    start = time.monotonic()
    try:
        results = grade_submission(folder, data_dir=args.data, parts=args.parts,
                                   timeout=args.timeout, sandbox=args.sandbox,
                                   budget=args.budget)
    except RuntimeError as exc:             # --sandbox bwrap where it cannot run
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:                # noqa: BLE001  the grader itself failed
        _grader_failed(args, exc, start)
        return 1
    print(say(report(results)))
    if args.json:
        Path(args.json).write_text(json.dumps(gradescope_json(results, time.monotonic() - start),
                                              indent=2))
        print(f"\nresults written to {args.json}")
    return _not_graded(results, args.sandbox)


def _not_graded(results, sandbox):
    """0, or ENVIRONMENT_EXIT with the instructor's note when a part was not graded."""
    from .isolation import isolation_mode, not_graded_note
    from .results import ENVIRONMENT_EXIT
    pending = [r for r in results if r.not_graded]
    if not pending:
        return 0
    what = "; ".join(f"{r.part.name} ({r.missing_module} could not be imported by the "
                     "student's process)" for r in pending)
    print(f"grade: {not_graded_note(what, isolation_mode(sandbox)[0])}", file=sys.stderr)
    return ENVIRONMENT_EXIT


def _grader_failed(args, exc, start):
    """The grader failed: its traceback, and a results.json that says so (``--json``)."""
    import traceback
    traceback.print_exc()
    if args.json:                       # a results.json, whatever happens
        from .feedback import grader_failure_json
        Path(args.json).write_text(json.dumps(
            grader_failure_json(exc, time.monotonic() - start), indent=2))
        print(f"\nresults written to {args.json}")


def release(args, parser):
    """``release``: write the student release; 2 when it cannot."""
    try:
        from .release import make_release
    except ImportError:
        print("release is an instructor command: it is not part of the student release",
              file=sys.stderr)
        return 2
    from .release import ReleaseError
    try:
        make_release(Path(args.out), lang=args.lang)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 2
    return 0


def _instructor_modules(command):
    """True when the instructor commands' modules import; otherwise says why (False)."""
    try:
        from . import batch, gradescope, report  # noqa: F401
    except ImportError:
        print(f"{command} is an instructor command: it is not part of the student release",
              file=sys.stderr)
        return False
    return True


def grade_all(args, parser):
    """``grade-all``: grade a class, then its report with ``--report``."""
    if not _instructor_modules(args.command):
        return 2
    from .batch import main_grade_all
    from .lms.roundtrip import after_batch, before_batch
    from .report import main_after_batch
    from .results import ENVIRONMENT_EXIT
    code = before_batch(args)
    if code == 0:
        code = main_grade_all(args)
    if code in (0, ENVIRONMENT_EXIT):       # the rows that wait are left unfilled
        code = after_batch(args) or code
    if code in (0, ENVIRONMENT_EXIT) and args.report:   # the report says which rows wait
        code = main_after_batch(args) or code
    return code


def class_report(args, parser):
    """``report``: the class report of a graded class."""
    if not _instructor_modules(args.command):
        return 2
    from .report import main_report
    return main_report(args)


def gradescope(args, parser):
    """``gradescope``: build the Gradescope autograder zip."""
    if not _instructor_modules(args.command):
        return 2
    from .gradescope import main_build
    return main_build(args)


def limits(args, parser):
    """``limits``: print the time limits and the budget."""
    print(limits_table(time_limits()))
    return 0


def diagnoses(args, parser):
    """``diagnoses``: every diagnosis of the registry (diagnoses.py, mistakes.py)."""
    from .diagnoses import catalogue
    print(catalogue())
    return 0


COMMANDS = {"grade": grade, "release": release, "grade-all": grade_all,
            "report": class_report, "gradescope": gradescope, "limits": limits,
            "diagnoses": diagnoses}


def main(argv=None):
    """Run the command of ``argv`` (default: sys.argv); returns its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "lang", None) and args.command in ("grade", "grade-all"):
        choose_language(args.lang)
    return COMMANDS[args.command](args, parser)


def choose_language(lang):
    """The feedback's language for this command and every process it starts
    (a batch's workers, the parts' processes): ``grade``/``grade-all --lang``."""
    import os

    import ex4i18n
    os.environ[ex4i18n.ENVIRONMENT_VARIABLE] = lang
    ex4i18n.set_language(lang)


if __name__ == "__main__":
    sys.exit(main())
