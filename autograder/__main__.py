"""Command line of the autograder: ``python -m autograder COMMAND ...``.

    grade SUBMISSION_DIR [--json results.json]   grade one student's files
    release OUT_DIR                              write the student release (instructors)
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
    g.add_argument("--timeout", type=float, help="seconds per part (default: 120; training 600)")
    g.add_argument("--parts", nargs="+", metavar="PART", help="grade only these parts (keys)")
    g.add_argument("--data", metavar="DIR", help="the folder with the course files (default: data/)")
    g.add_argument("--sandbox", choices=("auto", "bwrap", "process"), default="auto",
                   help="isolation of the student's code: bubblewrap where it works (auto), "
                        "or plain processes (default: %(default)s)")
    r = sub.add_parser("release", help="write the student release (instructors only)")
    r.add_argument("out", help="the folder to write (also OUT.zip)")
    args = parser.parse_args(argv)

    if args.command == "grade":
        from .grade import grade_submission, gradescope_json, report
        folder = Path(args.submission)
        if not folder.is_dir():
            parser.error(f"SUBMISSION_DIR must be a folder, found {folder!s} "
                         f"({'a file' if folder.exists() else 'nothing there'})")
        start = time.monotonic()
        try:
            results = grade_submission(folder, data_dir=args.data, parts=args.parts,
                                       timeout=args.timeout, sandbox=args.sandbox)
        except RuntimeError as exc:             # --sandbox bwrap where it cannot run
            print(f"grade: {exc}", file=sys.stderr)
            return 2
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
    return 2


if __name__ == "__main__":
    sys.exit(main())
