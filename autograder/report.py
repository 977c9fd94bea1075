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

The steps, one module each:

- autograder/report_data.py: read the batch, compute the statistics;
- autograder/report_code.py: read the code, find the similar pairs;
- autograder/report_figures.py: the figures;
- autograder/report_sections.py: the content, as section data;
- autograder/report_render.py: the HTML and the Markdown, from the Jinja2
  templates of autograder/templates/report/.
"""
import sys
import time
from pathlib import Path

from . import similarity
from .report_code import Similarity, collect_code, similar_code
from .report_data import ClassData, ReportError, Stats, compute, load
from .report_figures import figures
from .report_render import render, write_report
from .report_sections import build_content

__all__ = ["ClassData", "ReportError", "Similarity", "Stats", "build_content", "build_report",
           "collect_code", "compute", "figures", "load", "main_after_batch", "main_report",
           "render", "similar_code", "write_report"]


def build_report(csv_path, out_dir, submissions=None, compare_with=None, threshold=None,
                 err=None, max_share=None):
    """Build the class report of a finished batch.

    Parameters
    ----------
    csv_path : str or Path
        The CSV of grade-all (its details beside it).
    out_dir : str or Path
        REPORT_DIR, created if need be.
    submissions : str or Path, optional
        The submissions' folder, when they are no longer where grade-all
        found them.
    compare_with : str or Path, optional
        A folder of outside solutions, compared with every student.
    threshold : float, optional
        The similarity from which a pair is listed, in (0, 1]
        (default: similarity.DEFAULT_THRESHOLD).
    err : file, optional
        Where the one-line summary is written (default: stderr).
    max_share : int, optional
        A code fragment in the code of more than this many students is
        ignored (default: similarity.max_share_for the class).

    Returns
    -------
    Path
        The path of ``index.html``.

    Raises
    ------
    ReportError
        When an argument is wrong or the batch cannot be read.
    """
    err = err or sys.stderr
    start = time.monotonic()
    threshold = similarity.DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0 < threshold <= 1:
        raise ReportError(f"--threshold must be in (0, 1], found {threshold:g}")
    if max_share is not None and not (float(max_share).is_integer() and max_share >= 1):
        raise ReportError(f"--max-share must be a whole number of students, at least 1, "
                          f"found {max_share:g}")
    data = load(csv_path)
    stats = compute(data)
    students, outside, notes = collect_code(data, submissions, compare_with)
    sim = similar_code(students, outside, threshold, notes, max_share)
    figs = figures(stats, sim.scores if sim else [], threshold)
    content = build_content(data, stats, figs, sim, notes, threshold, time.monotonic() - start)
    out = write_report(out_dir, content)
    flagged = len(sim.pairs) if sim else 0
    err.write(f"class report written to {out} and {Path(out_dir) / 'report.md'} "
              f"({stats.n} students, {flagged} pair(s) for a human to look at, "
              f"{time.monotonic() - start:.1f} s)\n")
    return out


def main_report(args):
    """The ``report`` subcommand: 0, or 2 with the reason on stderr."""
    try:
        build_report(args.csv, args.out, submissions=args.submissions,
                     compare_with=args.compare_with, threshold=args.threshold,
                     max_share=args.max_share)
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    return 0


def main_after_batch(args):
    """``grade-all --report DIR``: the report of the batch just graded (0, or 2)."""
    try:
        build_report(args.csv, args.report, submissions=args.submissions,
                     compare_with=args.compare_with, threshold=args.threshold,
                     max_share=args.max_share)
    except ReportError as exc:
        print(f"grade-all --report: {exc}", file=sys.stderr)
        return 2
    return 0
