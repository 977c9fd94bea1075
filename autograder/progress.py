"""What a class batch shows while it runs and when it ends.

While it runs: a progress bar (count, rate, seconds a submission, time
left), one line rewritten in place on a terminal, a line now and then
otherwise (a log). At the end: how many students, how many graded now and
how fast, how many per status, and a histogram of the totals.
"""
import shutil
import sys
import time
from dataclasses import dataclass

import ex4data

from .verdict import STATUSES

LOG_EVERY = 30           # seconds: the longest a log goes without a progress line


class Progress:
    """The progress bar of a batch.

    On a terminal, one line rewritten with ``\\r`` after each submission;
    otherwise a line every tenth of the batch, at the end, and after
    LOG_EVERY seconds without one.

    Parameters
    ----------
    total : int
        The submissions to grade.
    stream : file, optional
        Where to write (default sys.stderr).
    width : int
        The bar's width in characters.
    """

    def __init__(self, total, stream=None, width=24):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.last_line = self.start
        self.step = max(1, total // 10)
        self.shown = 0

    def line(self, last=""):
        """The progress line, with ``last`` (the submission just graded) at its end."""
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0
        left = (self.total - self.done) / rate if rate > 0 else None
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        return (f"[{bar}] {self.done}/{self.total}  {rate * 60:.1f}/min  "
                f"{elapsed / self.done if self.done else 0:.1f} s each  "
                f"left {ex4data.format_duration(left) if left is not None else '?'}"
                + (f"  ({last})" if last else ""))

    def update(self, last=""):
        """One more submission done (``last`` says which, on a terminal)."""
        self.done += 1
        now = time.monotonic()
        if self.tty:
            text = self.line(last)[:max(20, shutil.get_terminal_size().columns - 1)]
            self.stream.write("\r" + text + " " * max(0, self.shown - len(text)))
            self.stream.flush()
            self.shown = len(text)
        elif self.done == self.total or self.done % self.step == 0 \
                or now - self.last_line > LOG_EVERY:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line = now

    def finish(self):
        """End the terminal's progress line."""
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()


@dataclass(frozen=True)
class BatchCounts:
    """How a batch went, for its summary's first line.

    Attributes
    ----------
    csv_path : path-like
        The CSV.
    students : int
        Its rows.
    graded_now : int
        The submissions graded by this run.
    seconds : float
        How long this run's grading took.
    jobs : int
        Submissions at a time.
    skipped : int
        Students already done by an earlier run.
    """
    csv_path: object
    students: int
    graded_now: int
    seconds: float
    jobs: int
    skipped: int

    def line(self):
        """E.g. "grades.csv: 65 student(s); 65 graded now in 3 minutes (2.38 s per
        submission, 2 at a time)"."""
        return (f"{self.csv_path}: {self.students} student(s); {self.graded_now} graded now in "
                f"{ex4data.format_duration(self.seconds)}"
                + (f" ({self.seconds / self.graded_now:.2f} s per submission, {self.jobs} at a "
                   "time)" if self.graded_now else "")
                + (f", {self.skipped} from an earlier run" if self.skipped else ""))


def summary(rows, parts, counts):
    """The final summary: ``counts``, how many per status and the histogram of the totals.

    Parameters
    ----------
    rows : dict
        student -> CSV row.
    parts : list of scheme.Part
        The parts of the batch (their points are the histogram's 100%).
    counts : str
        The first line (:meth:`BatchCounts.line`).
    """
    lines = [counts]
    by_status = {s: 0 for s in STATUSES}
    for row in rows.values():
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    lines.append("Status: " + ", ".join(f"{s} {n}" for s, n in by_status.items()))
    top = sum(p.points for p in parts)
    if rows and top > 0:
        lines.append(f"Totals (out of {top:g}), share of the points:")
        lines += _histogram(rows, top)
    return "\n".join(lines)


def _histogram(rows, top):
    """The lines of the histogram of the totals, by tenth of ``top`` (100% apart)."""
    bins = [0] * 11                              # 0-9%, ..., 90-99%, 100%
    for row in rows.values():
        try:
            share = float(row["total"]) / top
        except ValueError:
            continue
        bins[10 if share >= 1 else max(0, int(share * 10))] += 1
    scale = max(1, max(bins) / 40)
    lines = []
    for i, n in enumerate(bins):
        label = "100%" if i == 10 else f"{10 * i}-{10 * i + 9}%"
        lines.append(f"  {label:>7} | {'#' * int(round(n / scale)):<40} {n}")
    return lines
