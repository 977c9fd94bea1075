"""The class report: ``python -m autograder report grades.csv --out REPORT_DIR``.

Built from a finished batch (the CSV of ``grade-all`` and the
``grades.details.jsonl`` beside it), without grading again; ``grade-all
--report REPORT_DIR`` builds it at the end of the batch. It writes

- ``REPORT_DIR/index.html``: one self-contained page (inline CSS, the figures
  embedded as base64 PNG, no script, no external resource: it opens offline);
- ``REPORT_DIR/report.md`` and its figures beside it (``*.png``).

Content: the distribution of the totals and each part's pass rate; the
mistakes (every diagnosis the grader gave, per part, ranked by the number of
students, with the students); timeouts, crashes, syntax errors and missing
files counted apart; and the pairs of submissions whose student code is
alike (autograder/similarity.py), for a human to look at.
"""
import base64
import csv
import io
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from . import batch, scheme, similarity

MAX_SIDE_BY_SIDE = 40          # pairs shown side by side (the others listed)
APART = ("timeout", "crashed", "missing files")


class ReportError(Exception):
    """The report cannot be built (the message says why)."""


# --- reading a finished batch --------------------------------------------------------

@dataclass
class ClassData:
    csv_path: Path
    rows: list                       # the CSV's rows (dicts), in its order
    details: dict                    # student -> details record
    parts: list                      # the scheme.Part of the CSV's columns
    missing_details: list = field(default_factory=list)


def load(csv_path):
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise ReportError(f"grades.csv must be the CSV of grade-all, found "
                          f"{'a folder' if csv_path.exists() else 'nothing'} at {csv_path}")
    try:
        with open(csv_path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            rows = [r for r in reader if r.get("student")]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"cannot read {csv_path}: {exc}") from None
    needed = {"student", "total", "status"}
    if not needed <= set(fields):
        raise ReportError(f"{csv_path} is not a grade-all CSV: columns student, total and "
                          f"status expected, found {', '.join(fields) or 'none'}")
    names = {p.name: p for p in scheme.PARTS}
    parts = [names[f] for f in fields if f in names]
    try:
        details = batch.read_details(batch.details_path(csv_path))
    except batch.BatchError as exc:
        raise ReportError(str(exc)) from None
    missing = [r["student"] for r in rows if r["student"] not in details]
    return ClassData(csv_path, rows, details, parts, missing)


# --- the numbers ------------------------------------------------------------------------

@dataclass
class Stats:
    n: int
    max_total: float
    totals: list
    pass_rates: list                 # [(part, passed, graded count)]
    mistakes: list                   # [(part, [(diagnosis, [students])], [(student, first)])]
    apart: dict                      # category -> [(student, where)]
    statuses: dict


def _records(data, student):
    rec = data.details.get(student)
    return {p["key"]: p for p in rec.get("parts", [])} if rec else {}


def compute(data):
    rows = data.rows
    graded = [p for p in data.parts if p.graded]
    top = sum(p.points for p in graded)
    totals = []
    for r in rows:
        try:
            totals.append(float(r["total"]))
        except (TypeError, ValueError):
            totals.append(0.0)
    pass_rates = []
    for p in data.parts:
        passed = 0
        for r in rows:
            part = _records(data, r["student"]).get(p.key)
            if part is not None:
                passed += bool(part.get("passed"))
            elif not p.graded:
                passed += r.get(p.name) == "passed"
            else:
                try:
                    passed += p.points > 0 and float(r.get(p.name, "")) >= p.points
                except ValueError:
                    pass
        pass_rates.append((p, passed, len(rows)))
    apart = {"timeout": [], "crashed": [], "syntax error": [], "missing files": []}
    mistakes = []
    broken = {}
    for r in rows:
        rec = data.details.get(r["student"]) or {}
        files = sorted({e["file"] for e in rec.get("syntax_errors", [])})
        broken[r["student"]] = files
        for e in rec.get("syntax_errors", []):
            apart["syntax error"].append((r["student"], f"{e['file']}, line {e['line']}: "
                                                        f"{e['message']}"))
        if rec and not rec.get("parts") and r["status"] != "graded":
            apart.setdefault(r["status"], []).append((r["student"], rec.get("reason", "")))
    for p in data.parts:
        by_diagnosis, unexplained = {}, []
        for r in rows:
            student = r["student"]
            part = _records(data, student).get(p.key)
            if part is None or part.get("passed"):
                continue
            status = part.get("status", "graded")
            if status != "graded":
                apart.setdefault(status, []).append((student, p.name))
                continue
            if set(p.files) & set(broken[student]):
                continue                  # counted apart, with the syntax errors
            found = [d for d in part.get("diagnoses", []) if d not in APART]
            for d in found:
                by_diagnosis.setdefault(d, []).append(student)
            if not found:
                unexplained.append((student, part.get("first", "")))
        ranked = sorted(by_diagnosis.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        mistakes.append((p, ranked, unexplained))
    statuses = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return Stats(len(rows), top, totals, pass_rates, mistakes, apart, statuses)


def _group_apart(entries):
    """[(student, where)] -> [(student, [where...])] in student order."""
    out = {}
    for student, where in entries:
        out.setdefault(student, []).append(where)
    return sorted(out.items(), key=lambda kv: batch.sort_key(kv[0]))


# --- the code of the submissions ---------------------------------------------------------

def collect_code(data, submissions=None, compare_with=None):
    """([(student, files)], [(outside name, files)], notes)."""
    notes = []
    where = {}
    if submissions:
        subs_dir = Path(submissions)
        if not subs_dir.is_dir():
            raise ReportError(f"--submissions must be a folder, found {subs_dir} "
                              f"({'a file' if subs_dir.exists() else 'nothing there'})")
        found, _ = batch.list_submissions(subs_dir)
        where = {s.student: s.path for s in found}
    students, missing = [], []
    with tempfile.TemporaryDirectory(prefix="ex4report-") as scratch:
        for i, r in enumerate(data.rows):
            student = r["student"]
            path = where.get(student)
            if path is None and not submissions:
                stored = (data.details.get(student) or {}).get("path")
                path = Path(stored) if stored else None
            if path is None or not Path(path).exists():
                missing.append(student)
                continue
            try:
                folder, _ = batch.prepare(path, Path(scratch) / str(i))
            except batch.SubmissionError:
                continue                             # nothing gradable: nothing to compare
            files = similarity.read_files(folder)
            if files:
                students.append((student, files))
        if missing:
            notes.append(f"the code of {len(missing)} student(s) was not found "
                         f"({', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}): "
                         "give the submissions' folder with --submissions")
        outside = []
        if compare_with:
            ref_dir = Path(compare_with)
            if not ref_dir.is_dir():
                raise ReportError(f"--compare-with must be a folder, found {ref_dir} "
                                  f"({'a file' if ref_dir.exists() else 'nothing there'})")
            top = similarity.read_files(ref_dir)
            if top:
                outside.append((f"outside/{ref_dir.name}", top))
            entries, _ = batch.list_submissions(ref_dir)
            for j, s in enumerate(entries):
                if s.path.is_dir():
                    files = {p.relative_to(s.path).as_posix(): p.read_text("utf-8", "replace")
                             for p in sorted(s.path.rglob("*.py"))[:50] if p.is_file()}
                else:
                    try:
                        folder, _ = batch.prepare(s.path, Path(scratch) / f"out{j}")
                        files = similarity.read_files(folder)
                    except batch.SubmissionError:
                        files = {}
                if files:
                    outside.append((f"outside/{s.student}", files))
    return students, outside, notes


# --- figures ---------------------------------------------------------------------------

COLOURS = {"bars": "#3b6fb6", "extra": "#8c8c8c", "mistake": "#d9822b", "threshold": "#c0392b"}


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def figures(stats, scores, threshold):
    """name -> PNG bytes of each figure."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    out = {}

    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    top = stats.max_total or 1
    step = 5 if top >= 50 else 1
    bins = np.linspace(0, top, int(round(top / step)) + 1) if top >= 2 * step else 10
    ax.hist(np.clip(stats.totals, 0, top), bins=bins, color=COLOURS["bars"], edgecolor="white")
    ax.set_xlabel(f"total (out of {top:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Totals of {stats.n} students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    out["totals.png"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(stats.pass_rates) + 1.2))
    names = [f"{p.name} ({p.points} pts)" if p.graded else f"{p.name} (extra)"
             for p, _, _ in stats.pass_rates]
    rates = [100.0 * k / n if n else 0.0 for _, k, n in stats.pass_rates]
    colours = [COLOURS["bars"] if p.graded else COLOURS["extra"] for p, _, _ in stats.pass_rates]
    y = np.arange(len(names))[::-1]
    ax.barh(y, rates, color=colours)
    for yi, rate in zip(y, rates):
        ax.text(min(rate + 1, 88), yi, f"{rate:.0f}%", va="center", fontsize=8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("students who passed the part (%)")
    ax.set_title("Pass rate of each part")
    fig.tight_layout()
    out["pass_rates.png"] = _png(fig)
    plt.close(fig)

    ranked = [(f"{p.name}: {d}", len(s)) for p, found, _ in stats.mistakes for d, s in found]
    ranked.sort(key=lambda kv: -kv[1])
    ranked = ranked[:12]
    if ranked:
        fig, ax = plt.subplots(figsize=(6.4, 0.4 * len(ranked) + 1.2))
        y = np.arange(len(ranked))[::-1]
        ax.barh(y, [n for _, n in ranked], color=COLOURS["mistake"])
        ax.set_yticks(y, [_cut(t, 60) for t, _ in ranked], fontsize=7)
        ax.set_xlabel("students")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title("The most frequent mistakes")
        fig.tight_layout()
        out["mistakes.png"] = _png(fig)
        plt.close(fig)

    if scores:
        fig, ax = plt.subplots(figsize=(6.4, 3.0))
        ax.hist(scores, bins=np.linspace(0, 1, 41), color=COLOURS["bars"])
        ax.axvline(threshold, color=COLOURS["threshold"], linestyle="--",
                   label=f"threshold {threshold:g}")
        ax.set_yscale("log")
        ax.set_xlim(0, 1)
        ax.set_xlabel("similarity of a pair (share of its code found in the other)")
        ax.set_ylabel("pairs")
        ax.set_title(f"Similarity of all {len(scores)} pairs")
        ax.legend()
        fig.tight_layout()
        out["similarity.png"] = _png(fig)
        plt.close(fig)
    return out


def _cut(text, n):
    return text if len(text) <= n else text[:n - 3] + "..."


# --- writing -------------------------------------------------------------------------

CSS = """
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1200px; color: #222;
       padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #3b6fb6; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1.2em; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
td.n { text-align: right; }
.figs img { max-width: 100%; margin: .3em; border: 1px solid #ddd; }
.note { color: #555; font-size: .92em; }
.pair { display: flex; gap: .8em; margin-bottom: 1.5em; }
.side { flex: 1; min-width: 0; }
.side pre { background: #f7f7f7; border: 1px solid #ddd; padding: .4em; font-size: .78em;
            overflow-x: auto; margin: .2em 0; }
.match { background: #ffd966; }
.ln { color: #999; user-select: none; }
"""


def _img(name, data, alt):
    return (f'<img src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}" '
            f'alt="{escape(alt)}">')


def _students_html(names):
    return ", ".join(escape(n) for n in names)


def write_report(out_dir, data, stats, figs, sim, notes, threshold, seconds=None):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, png in figs.items():
        (out_dir / name).write_bytes(png)
    alts = {"totals.png": "histogram of the totals", "pass_rates.png": "pass rate of each part",
            "mistakes.png": "the most frequent mistakes",
            "similarity.png": "similarity scores of all pairs"}
    html, md = [], []
    title = f"Class report: {data.csv_path.name}"
    html += ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1>"]
    md += [f"# {title}", ""]
    mean = sum(stats.totals) / len(stats.totals) if stats.totals else 0
    summary = (f"{stats.n} students; mean total {mean:.1f} / {stats.max_total:g}; "
               + ", ".join(f"{s} {n}" for s, n in sorted(stats.statuses.items())) + ".")
    html.append(f"<p>{escape(summary)}</p>")
    md += [summary, ""]
    for note in notes + ([f"no details for {len(data.missing_details)} student(s) "
                          f"({', '.join(data.missing_details[:5])}): grade them again with "
                          "this version of grade-all"] if data.missing_details else []):
        html.append(f'<p class="note">Note: {escape(note)}</p>')
        md += [f"> Note: {note}", ""]

    # 1. totals and pass rates
    html.append("<h2>1. Totals and pass rates</h2><div class=figs>")
    md += ["## 1. Totals and pass rates", ""]
    for name in ("totals.png", "pass_rates.png"):
        if name in figs:
            html.append(_img(name, figs[name], alts[name]))
            md.append(f"![{alts[name]}]({name})")
    html.append("</div><table><tr><th>part</th><th>points</th><th>passed</th>"
                "<th>pass rate</th></tr>")
    md += ["", "| part | points | passed | pass rate |", "|---|---|---|---|"]
    for p, k, n in stats.pass_rates:
        rate = f"{100.0 * k / n:.0f}%" if n else "-"
        pts = f"{p.points}" if p.graded else "extra"
        html.append(f"<tr><td>{escape(p.name)}</td><td class=n>{pts}</td>"
                    f"<td class=n>{k} / {n}</td><td class=n>{rate}</td></tr>")
        md.append(f"| {p.name} | {pts} | {k} / {n} | {rate} |")
    html.append("</table>")
    md.append("")

    # 2. mistakes
    html.append("<h2>2. The mistakes</h2>")
    md += ["## 2. The mistakes", ""]
    intro = ("Every diagnosis the grader gave, per part, ranked by the number of students. "
             "A student counts once per diagnosis and part.")
    html.append(f"<p>{escape(intro)}</p>")
    md += [intro, ""]
    if "mistakes.png" in figs:
        html.append('<div class=figs>' + _img("mistakes.png", figs["mistakes.png"],
                                              alts["mistakes.png"]) + "</div>")
        md += ["![the most frequent mistakes](mistakes.png)", ""]
    html.append("<table><tr><th>part</th><th>diagnosis</th><th>students</th><th>who</th></tr>")
    md += ["| part | diagnosis | students | who |", "|---|---|---|---|"]
    any_row = False
    for p, found, unexplained in stats.mistakes:
        for d, students in found:
            any_row = True
            html.append(f"<tr><td>{escape(p.name)}</td><td>{escape(d)}</td>"
                        f"<td class=n>{len(students)}</td><td>{_students_html(students)}</td></tr>")
            md.append(f"| {p.name} | {_md(d)} | {len(students)} | {_md(', '.join(students))} |")
        if unexplained:
            any_row = True
            who = ", ".join(f"{s} ({_cut(first, 70)})" if first else s for s, first in unexplained)
            html.append(f"<tr><td>{escape(p.name)}</td><td><i>failed, no mistake recognised</i>"
                        f"</td><td class=n>{len(unexplained)}</td><td>{escape(who)}</td></tr>")
            md.append(f"| {p.name} | *failed, no mistake recognised* | {len(unexplained)} | "
                      f"{_md(who)} |")
    if not any_row:
        html.append("<tr><td colspan=4>no part failed</td></tr>")
        md.append("| | no part failed | | |")
    html.append("</table>")
    md.append("")

    html.append("<h3>Counted apart: timeouts, crashes, syntax errors, missing files</h3>")
    md += ["### Counted apart: timeouts, crashes, syntax errors, missing files", ""]
    html.append("<table><tr><th>what</th><th>students</th><th>who (parts or files)</th></tr>")
    md += ["| what | students | who (parts or files) |", "|---|---|---|"]
    for category, entries in stats.apart.items():
        grouped = _group_apart(entries)
        who = "; ".join(f"{s} ({', '.join(w)})" for s, w in grouped)
        html.append(f"<tr><td>{escape(category)}</td><td class=n>{len(grouped)}</td>"
                    f"<td>{escape(who)}</td></tr>")
        md.append(f"| {category} | {len(grouped)} | {_md(who)} |")
    html.append("</table>")
    md.append("")

    # 3. similarity
    html.append("<h2>3. Similar code: pairs for a human to look at</h2>")
    md += ["## 3. Similar code: pairs for a human to look at", ""]
    if sim is None:
        text = "Not computed: " + (notes[-1] if notes else "no code found.")
        html.append(f"<p>{escape(text)}</p>")
        md += [text, ""]
    else:
        docs, pairs, scores = sim
        explain = (f"{len(docs)} submissions compared ({sum(d.outside for d in docs)} of them "
                   f"outside solutions from --compare-with), {len(scores)} pairs. A pair is "
                   f"listed when its score is at least {threshold:g}: the share of each "
                   "submission's own code (the release's template and files left out; names, "
                   "comments and spacing ignored) found in the other, the smaller of the two. "
                   "A listed pair is not evidence of copying: similar code can come from a "
                   "shared source, permitted collaboration or chance. Read the code, and talk "
                   "with the students before concluding anything.")
        html.append(f"<p>{escape(explain)}</p>")
        md += [explain, ""]
        if "similarity.png" in figs:
            html.append('<div class=figs>' + _img("similarity.png", figs["similarity.png"],
                                                  alts["similarity.png"]) + "</div>")
            md += ["![similarity scores of all pairs](similarity.png)", ""]
        if not pairs:
            html.append("<p>No pair above the threshold.</p>")
            md += ["No pair above the threshold.", ""]
        else:
            found_groups = similarity.groups(pairs)
            shown = {id(p) for p in side_by_side_order(pairs, found_groups)[:MAX_SIDE_BY_SIDE]}
            html.append("<table><tr><th>#</th><th>submission</th><th>submission</th>"
                        "<th>score</th><th>shares</th><th>tokens in common</th></tr>")
            md += ["| # | submission | submission | score | shares | tokens in common |",
                   "|---|---|---|---|---|---|"]
            for i, p in enumerate(pairs, 1):
                link = f'<a href="#pair{i}">{i}</a>' if id(p) in shown else str(i)
                html.append(f"<tr><td>{link}</td><td>{escape(p.a)}</td><td>{escape(p.b)}</td>"
                            f"<td class=n>{p.score:.2f}</td><td class=n>{p.shares[0]:.2f} / "
                            f"{p.shares[1]:.2f}</td><td class=n>{p.tokens}</td></tr>")
                md.append(f"| {i} | {_md(p.a)} | {_md(p.b)} | {p.score:.2f} | "
                          f"{p.shares[0]:.2f} / {p.shares[1]:.2f} | {p.tokens} |")
            html.append("</table>")
            md.append("")
            if any(len(g) > 2 for g in found_groups):
                text = "Groups (linked by listed pairs): " + "; ".join(
                    ", ".join(g) for g in found_groups if len(g) > 2)
                html.append(f"<p>{escape(text)}</p>")
                md += [text, ""]
            by_name = {d.name: d for d in docs}
            number = {id(p): i for i, p in enumerate(pairs, 1)}
            for p in side_by_side_order(pairs, found_groups)[:MAX_SIDE_BY_SIDE]:
                i = number[id(p)]
                a, b = by_name[p.a], by_name[p.b]
                html.append(f'<h3 id="pair{i}">{i}. {escape(p.a)} and {escape(p.b)}: '
                            f'{p.score:.2f}</h3><div class="pair">')
                for doc, slices in ((a, p.slices[0]), (b, p.slices[1])):
                    html.append(f'<div class="side"><b>{escape(doc.name)}</b>')
                    for file, lines in similarity.highlighted_blocks(doc, slices):
                        body = "\n".join(
                            ('<span class="ln">    </span>' + text) if n is None else
                            f'<span class="ln">{n:4d} </span>{text}' for n, text in lines)
                        html.append(f"<div>{escape(file)}</div><pre>{body}</pre>")
                    html.append("</div>")
                html.append("</div>")
                md += [f"### {i}. {p.a} and {p.b}: {p.score:.2f}", ""]
                for doc, slices in ((a, p.slices[0]), (b, p.slices[1])):
                    md += [f"Matching regions in {doc.name}:", "", "```python"]
                    for file, line, text in similarity.matched_text(doc, slices)[:12]:
                        md.append(f"# {file}, line {line}")
                        md += text.splitlines()
                    md += ["```", ""]
            if len(pairs) > MAX_SIDE_BY_SIDE:
                text = (f"Side by side: {MAX_SIDE_BY_SIDE} pairs (the best of each group first, "
                        "then by score); raise the threshold to see fewer pairs.")
                html.append(f"<p class=note>{escape(text)}</p>")
                md += [text, ""]
    foot = "Built by python -m autograder report" + (f" in {seconds:.1f} s." if seconds else ".")
    html.append(f'<p class="note">{escape(foot)}</p></body></html>')
    md += ["", foot, ""]
    (out_dir / "index.html").write_text("\n".join(html), encoding="utf-8")
    (out_dir / "report.md").write_text("\n".join(md), encoding="utf-8")
    return out_dir / "index.html"


def side_by_side_order(pairs, found_groups):
    """The best pair of each group first (groups by their best score), then the rest."""
    best = []
    for group in found_groups:
        members = set(group)
        best.append(next(p for p in pairs if p.a in members))
    best.sort(key=lambda p: -p.score)
    chosen = {id(p) for p in best}
    return best + [p for p in pairs if id(p) not in chosen]


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


# --- the command ---------------------------------------------------------------------

def build_report(csv_path, out_dir, submissions=None, compare_with=None, threshold=None,
                 err=None):
    """Build REPORT_DIR from a finished batch; returns the index.html path."""
    err = err or sys.stderr
    start = time.monotonic()
    threshold = similarity.DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0 < threshold <= 1:
        raise ReportError(f"--threshold must be in (0, 1], found {threshold:g}")
    data = load(csv_path)
    stats = compute(data)
    students, outside, notes = collect_code(data, submissions, compare_with)
    sim = None
    if len(students) + len(outside) >= 2:
        docs = similarity.build_documents(students, outside)
        pairs, scores = similarity.compare(docs, threshold)
        sim = (docs, pairs, scores)
    elif not notes:
        notes.append("fewer than two submissions with code: no similarity")
    figs = figures(stats, sim[2] if sim else [], threshold)
    out = write_report(out_dir, data, stats, figs, sim, notes, threshold,
                       time.monotonic() - start)
    flagged = len(sim[1]) if sim else 0
    err.write(f"class report written to {out} and {Path(out_dir) / 'report.md'} "
              f"({stats.n} students, {flagged} pair(s) for a human to look at, "
              f"{time.monotonic() - start:.1f} s)\n")
    return out


def main_report(args):
    """The ``report`` subcommand."""
    try:
        build_report(args.csv, args.out, submissions=args.submissions,
                     compare_with=args.compare_with, threshold=args.threshold)
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    return 0


def main_after_batch(args):
    """``grade-all --report DIR``: the report of the batch just graded."""
    try:
        build_report(args.csv, args.report, submissions=args.submissions,
                     compare_with=args.compare_with, threshold=args.threshold)
    except ReportError as exc:
        print(f"grade-all --report: {exc}", file=sys.stderr)
        return 2
    return 0

