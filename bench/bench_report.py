"""How fast the class report is built: ``python bench/bench_report.py [--n 200]``.

Fabricates a finished batch of N students without grading (the report reads
only the batch's files): the submission folders, the CSV and the
grades.details.jsonl that ``grade-all`` would write, with random scores and
diagnoses. The code of each student is one of the synthetic class's
independent styles (tests/synthetic_class.py) with its variables renamed at
random and its comments changed, so that the similarity has realistic work:
about one student in eight shares a style with another, the others are
alone in theirs... as far as seven styles allow: most pairs of one style do
score as copies, which is the worst case for the report (every such pair is
compared in full, and up to 40 are drawn side by side).

Then it times the report's steps in this process (loading, fingerprinting,
comparing, writing), then the whole command ``python -m autograder report
grades.csv --out DIR`` in a new process (start-up and imports included), and
prints the seconds with the load average. The goal: 200
submissions in at most 30 s beyond the grading, on 2 cores.
"""
import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from autograder import records, report, scheme, similarity  # noqa: E402
from autograder.verdict import SEVERITY, STATUSES  # noqa: E402
import synthetic_class as sc  # noqa: E402

WORDS = ("alpha", "beta", "gamma", "delta", "acc", "tmp", "val", "res", "mat", "vec", "out",
         "hid", "lay", "err", "cost", "grad", "w", "x", "z", "act", "pre", "post", "tot")


def styles():
    loop = {"nnCostFunction.py": sc.LOOP_NN_COST_FUNCTION, **sc.small_files_e()}
    return [sc.style_a(), sc.style_b(), sc.style_c(), sc.style_d(), sc.style_g(),
            sc.outside_files(), loop]


def rename(text, rng, template=""):
    """Rename the names a student assigns at random (whole words, not
    attributes; not the names of the release's template)."""
    names = sorted(set(re.findall(r"^\s*([A-Za-z_]\w*)\s*=[^=]", text, re.M)))
    for name in names:
        if name in ("m", "J", "W", "g", "p") or re.search(rf"\b{re.escape(name)}\b", template):
            continue
        new = f"{rng.choice(WORDS)}_{rng.randrange(1000)}"
        text = re.sub(rf"(?<![.\w]){re.escape(name)}\b", new, text)
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("#") and rng.random() < 0.5:
            continue
        lines.append(line)
        if rng.random() < 0.05:
            lines.append(" " * (len(line) - len(line.lstrip())) + f"# note {rng.randrange(99)}")
    return "\n".join(lines) + "\n"


def fabricate(base, n, seed=0):
    rng = random.Random(seed)
    subs = base / "submissions"
    parts = list(scheme.PARTS)
    fields = records.columns(parts)
    rows = {}
    details_file = records.details_path(base / "grades.csv")
    details_file.write_text("")
    all_styles = styles()
    templates = similarity.release_texts()
    diagnoses = ["the bias weights are regularised", "the 1/m factor is missing",
                 "nn_params is unrolled column-major (order='F')",
                 "the labels y are used as they are", "the labels are 0-based"]
    for i in range(n):
        student = f"student{i:03d}"
        files = all_styles[i % len(all_styles)]
        folder = subs / student
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(rename(text, rng, templates.get(name, "")))
        records, row = [], {"student": student}
        for p in parts:
            passed = rng.random() < 0.75
            status = "graded" if passed or rng.random() < 0.9 else rng.choice(STATUSES[1:])
            found = [] if passed else ([status] if status != "graded" else []) + (
                [rng.choice(diagnoses)] if status == "graded" and rng.random() < 0.7 else [])
            score = p.points if passed else 0
            records.append({"key": p.key, "name": p.name, "points": p.points,
                            "graded": p.graded, "score": score, "passed": passed,
                            "status": status, "diagnoses": found,
                            "first": "" if passed else "expected J = 0.28763, obtained J = 0.1",
                            "cases": 5, "failed_cases": 0 if passed else 2})
            row[p.name] = records.fmt_score(score) if p.graded else ("passed" if passed else "failed")
        status = max((r["status"] for r in records), key=lambda s: SEVERITY[s])
        total = sum(r["score"] for r in records)
        row.update(total=records.fmt_score(total), status=status, reason="", diagnosis="")
        rows[student] = row
        records.append_details(details_file, {
            "student": student, "path": str(folder), "status": status, "reason": "",
            "diagnosis": "", "total": total, "parts": records, "syntax_errors": [],
            "notes": []})
    records.write_csv(base / "grades.csv", fields, rows)
    return base / "grades.csv"


def _pairs(docs):
    """The pairs in similarity.compare's order (no outside documents here)."""
    import itertools
    return [(a.name, b.name) for a, b in itertools.combinations(docs, 2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="students (default: %(default)s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ex4bench-report-") as tmp:
        base = Path(tmp)
        csv_path = fabricate(base, args.n)
        start = time.perf_counter()
        data = report.load(csv_path)
        stats = report.compute(data)
        students, outside, notes = report.collect_code(data)
        loaded = time.perf_counter()
        docs = similarity.build_documents(students, outside)
        fingerprinted = time.perf_counter()
        pairs, scores = similarity.compare(docs)
        compared = time.perf_counter()
        n_styles = len(styles())
        style = {d.name: int(d.name[7:]) % n_styles for d in docs}
        same = [s for (a, b), s in zip(_pairs(docs), scores) if style[a] == style[b]]
        across = [s for (a, b), s in zip(_pairs(docs), scores) if style[a] != style[b]]
        figs = report.figures(stats, scores, similarity.DEFAULT_THRESHOLD)
        content = report.build_content(data, stats, figs, report.Similarity(docs, pairs, scores),
                                       notes, similarity.DEFAULT_THRESHOLD)
        report.write_report(base / "report", content)
        done = time.perf_counter()
        size = (base / "report" / "index.html").stat().st_size
        import subprocess
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "report", str(csv_path),
                        "--out", str(base / "report2")], cwd=ROOT, check=True,
                       env=dict(os.environ, MPLBACKEND="Agg"))
        command = time.perf_counter() - begin
    print(f"class report of {args.n} fabricated submissions ({len(scores)} pairs, "
          f"{len(pairs)} above {similarity.DEFAULT_THRESHOLD}):")
    print(f"  load the batch and the code   {loaded - start:6.2f} s")
    print(f"  fingerprint (copydetect)      {fingerprinted - loaded:6.2f} s")
    print(f"  compare every pair            {compared - fingerprinted:6.2f} s")
    print(f"  figures and writing           {done - compared:6.2f} s  "
          f"(index.html {size / 1e6:.1f} MB)")
    print(f"  total                         {done - start:6.2f} s  (goal: <= 30 s on 2 cores)")
    print(f"  the command, python -m autograder report (start-up and imports included): "
          f"{command:.2f} s")
    print(f"  similarity of two students of one style (renamed, comments changed): "
          f"min {min(same):.2f}, median {sorted(same)[len(same) // 2]:.2f}")
    print(f"  similarity of two students of different styles (independent): "
          f"max {max(across):.2f}, median {sorted(across)[len(across) // 2]:.2f}")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    print(json.dumps({"n": args.n, "seconds": round(done - start, 2),
                      "command_seconds": round(command, 2)}))


if __name__ == "__main__":
    main()
