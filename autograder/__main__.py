"""Command line of the autograder: ``python -m autograder COMMAND ...``.

    grade SUBMISSION_DIR [--json results.json]   grade one student's files
    release OUT_DIR                              write the student release (instructors)
    grade-all SUBMISSIONS_DIR --csv FILE         grade a class (instructors)
    report grades.csv --out REPORT_DIR           the class report of a graded class (instructors)
    gradescope OUT.zip                           build the Gradescope autograder (instructors)
"""
import argparse
import json
import sys
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Exercise 4's autograder.")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade one submission (a folder with the student's files)")
    g.add_argument("submission", help="the folder with the student's .py files")
    g.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json there")
    g.add_argument("--timeout", type=float, metavar="S",
                   help="seconds for every case (default: a limit that fits the case's size: "
                        "5 s for a small problem, 45 s for the 5000 examples, 245 s for training)")
    g.add_argument("--budget", type=float, metavar="S",
                   help="seconds for the whole submission (default: 300); what it leaves no "
                        "time for is reported as not run")
    g.add_argument("--parts", nargs="+", metavar="PART", help="grade only these parts (keys)")
    g.add_argument("--data", metavar="DIR", help="the folder with the course files (default: data/)")
    g.add_argument("--sandbox", choices=("auto", "bwrap", "process"), default="auto",
                   help="isolation of the student's code: bubblewrap where it works (auto), "
                        "or plain processes (default: %(default)s)")
    r = sub.add_parser("release", help="write the student release (instructors only)")
    r.add_argument("out", help="the folder to write (also OUT.zip)")
    b = sub.add_parser("grade-all", help="grade a folder of submissions into a CSV (instructors)")
    b.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                   help="one folder or zip file per student")
    b.add_argument("--csv", required=True, metavar="FILE", help="the grades (resumed if present)")
    b.add_argument("--jobs", type=int, metavar="N", help="submissions at a time (default: cores)")
    b.add_argument("--json-dir", metavar="DIR", help="also write DIR/STUDENT.json (results.json)")
    b.add_argument("--force", action="store_true", help="regrade the students already in the CSV")
    b.add_argument("--parts", nargs="+", metavar="PART", help="grade only these parts (keys)")
    b.add_argument("--timeout", type=float, metavar="S",
                   help="seconds for every case (default: by the case's size, as for grade)")
    b.add_argument("--budget", type=float, metavar="S",
                   help="seconds for each submission (default: 300)")
    b.add_argument("--data", metavar="DIR", help="the folder with the course files (default: data/)")
    b.add_argument("--sandbox", choices=("auto", "bwrap", "process"), default="auto",
                   help="isolation of the student's code, as for grade (default: %(default)s)")
    b.add_argument("--report", metavar="REPORT_DIR",
                   help="then write the class report there (index.html, report.md)")
    _report_options(b)
    c = sub.add_parser("report", help="the class report of a graded class (instructors)")
    c.add_argument("csv", metavar="grades.csv", help="the CSV of grade-all (its "
                   "grades.details.jsonl beside it)")
    c.add_argument("--out", required=True, metavar="REPORT_DIR", help="where to write it")
    c.add_argument("--submissions", metavar="DIR", help="the submissions' folder (default: "
                   "where grade-all found them)")
    _report_options(c)
    z = sub.add_parser("gradescope", help="build the Gradescope autograder zip (instructors)")
    z.add_argument("out", metavar="OUT.zip", help="the zip to write")
    z.add_argument("--data", metavar="DIR", help="the folder with the course files (default: data/)")
    z.add_argument("--budget", type=float, metavar="S",
                   help="seconds for each submission on Gradescope (default: 300; keep it well "
                        "under the assignment's autograder timeout, 600 s by default)")
    args = parser.parse_args(argv)

    if args.command == "grade":
        from .grade import grade_submission, gradescope_json, report
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
            import traceback
            traceback.print_exc()
            if args.json:                       # a results.json, whatever happens
                Path(args.json).write_text(json.dumps({
                    "score": 0, "execution_time": round(time.monotonic() - start, 2),
                    "output": f"The autograder failed ({type(exc).__name__}: {exc}). This is "
                              "not about your code: tell your instructor.",
                    "tests": [], "extra_data": {"internal_error": traceback.format_exc()}},
                    indent=2))
                print(f"\nresults written to {args.json}")
            return 1
        print(report(results))
        if args.json:
            Path(args.json).write_text(json.dumps(gradescope_json(results, time.monotonic() - start),
                                                  indent=2))
            print(f"\nresults written to {args.json}")
        return 0
    if args.command == "release":
        try:
            from .release import make_release
        except ImportError:
            print("release is an instructor command: it is not part of the student release",
                  file=sys.stderr)
            return 2
        from .release import ReleaseError
        try:
            make_release(Path(args.out))
        except ReleaseError as exc:
            print(f"release: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command in ("grade-all", "gradescope", "report"):
        try:
            from .batch import main_grade_all
            from .gradescope import main_build
            from .report import main_after_batch, main_report
        except ImportError:
            print(f"{args.command} is an instructor command: it is not part of the student release",
                  file=sys.stderr)
            return 2
        if args.command == "report":
            return main_report(args)
        if args.command == "grade-all":
            code = main_grade_all(args)
            if code == 0 and args.report:
                code = main_after_batch(args)
            return code
        return main_build(args)
    return 2


def _report_options(parser):
    """The class report's options (report, and grade-all --report)."""
    parser.add_argument("--compare-with", metavar="DIR",
                        help="a folder of outside solutions (one folder or zip each) that "
                             "the similarity also compares with")
    parser.add_argument("--threshold", type=float, metavar="X",
                        help="list the pairs whose similarity is at least X, in (0, 1] "
                             "(default: autograder/similarity.py's DEFAULT_THRESHOLD, 0.4)")


if __name__ == "__main__":
    sys.exit(main())
