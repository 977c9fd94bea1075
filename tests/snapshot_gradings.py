"""Grade every realistic submission through the real command and write what
a student and an instructor read of it, so that a change of the grader can be
compared before and after (docs/maintainers.md, "A refactor changes no grade").

    python tests/snapshot_gradings.py OUT_DIR [--data DIR] [--parts KEY ...] [--sandbox MODE]
    python tests/snapshot_gradings.py --compare BEFORE_DIR AFTER_DIR

The first form writes every submission of tests/students/ and of
tests/submissions.py into OUT_DIR/submissions/, grades them all with
``python -m autograder grade-all`` (every part but the training, which takes
minutes for the loop solutions, unless ``--parts`` says otherwise) and
writes OUT_DIR/snapshot.json: per student, the CSV row and each part's score,
status and feedback (visible and hidden), times left out. The second form
prints every difference between two snapshots and exits 1 if there is one.
"""
import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
TIMES = ("execution_time", "seconds")


def write_all(folder):
    """Every realistic submission into ``folder``, one sub-folder each."""
    sys.path[:0] = [str(ROOT), str(TESTS)]
    from submissions import SUBMISSIONS, write_submission
    folder.mkdir(parents=True)
    for student in sorted((TESTS / "students").iterdir()):
        if student.is_dir():
            shutil.copytree(student, folder / f"students-{student.name}")
    for name in SUBMISSIONS:
        if name != "reference":
            write_submission(name, folder / f"made-{name}")


def snapshot(out, data, parts, sandbox="auto"):
    folder = out / "submissions"
    write_all(folder)
    command = [sys.executable, "-m", "autograder", "grade-all", str(folder),
               "--csv", str(out / "grades.csv"), "--json-dir", str(out / "json"), "--jobs", "2"]
    command += ["--data", str(data)] if data else []
    command += ["--parts", *parts, "--sandbox", sandbox]
    subprocess.run(command, cwd=ROOT, check=True)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    found = {}
    for student, row in sorted(rows.items()):
        results = json.loads((out / "json" / f"{student}.json").read_text())
        found[student] = {"csv": row, "tests": [
            {k: v for k, v in test.items() if k not in TIMES and k != "extra_data"}
            for test in results["tests"]], "score": results["score"]}
    (out / "snapshot.json").write_text(json.dumps(found, indent=1, sort_keys=True))
    print(f"{len(found)} submissions graded: {out / 'snapshot.json'}")


def compare(before, after):
    a = json.loads((Path(before) / "snapshot.json").read_text())
    b = json.loads((Path(after) / "snapshot.json").read_text())
    differences = 0
    for student in sorted(set(a) | set(b)):
        if student not in a or student not in b:
            print(f"{student}: only in {'after' if student in b else 'before'}")
            differences += 1
            continue
        if a[student] == b[student]:
            continue
        differences += 1
        print(f"=== {student}")
        for key in sorted(set(a[student]["csv"]) | set(b[student]["csv"])):
            x, y = a[student]["csv"].get(key), b[student]["csv"].get(key)
            if x != y:
                print(f"  csv {key}: {x!r} -> {y!r}")
        for x, y in zip(a[student]["tests"], b[student]["tests"]):
            for key in sorted(set(x) | set(y)):
                if x.get(key) != y.get(key):
                    print(f"  {x.get('name')} {key}:")
                    print("    before: " + str(x.get(key)).replace("\n", "\n            "))
                    print("    after:  " + str(y.get(key)).replace("\n", "\n            "))
    print(f"{differences} of {len(set(a) | set(b))} submissions differ")
    return 1 if differences else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--data", type=Path, help="the course files' folder (--data of grade-all)")
    parser.add_argument("--parts", nargs="+", default=None)
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "process"),
                        help="the isolation mode (compare snapshots made in the same mode)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("OUT_DIR or --compare BEFORE AFTER")
    sys.path.insert(0, str(ROOT))
    from autograder import scheme
    parts = args.parts or [p.key for p in scheme.PARTS if p.key != "training"]
    snapshot(args.out, args.data, parts, args.sandbox)
    return 0


if __name__ == "__main__":
    sys.exit(main())
