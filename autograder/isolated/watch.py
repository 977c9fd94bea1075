"""The time limits of a part's process, followed through its results file.

The supervisor sees a case end when its record is written: the case after
it then has its own limit from that moment. A case (or an import) that
does not end within its limit, or before the submission's budget ends, is
killed with the whole process.
"""
import json
import os
import signal
import time
from dataclasses import dataclass, field

from .part import RESULTS_FILE

POLL_SECONDS = 0.005         # between two looks at the part's process


@dataclass
class Progress:
    """How far a part's process has got, read from its results file.

    Attributes
    ----------
    ids : list of str
        The ids of the cases it runs, in order.
    lines : NewLines
        The results file, read from where the last look stopped.
    imported : set of str
        The student's modules imported.
    seen : set of str
        The cases whose record is written.
    ready : bool
        Whether the imports are done.
    index : int
        The case running (``len(ids)``: all done).
    since : float
        When the import or the running case started (time.monotonic).
    """
    lines: "NewLines"
    ids: list
    imported: set = field(default_factory=set)
    seen: set = field(default_factory=set)
    ready: bool = False
    index: int = 0
    since: float = field(default_factory=time.monotonic)

    def update(self):
        """Read the lines written since last time; returns the time they were read."""
        rows = self.lines.rows()
        now = time.monotonic()
        for row in rows:
            if row.get("id") == "__import__":
                self.imported.add(row.get("module"))
            elif row.get("id") == "__ready__" and not self.ready:
                self.ready, self.since = True, now
            elif row.get("id") in self.ids:
                self.seen.add(row["id"])
        while self.ready and self.index < len(self.ids) and self.ids[self.index] in self.seen:
            self.index, self.since = self.index + 1, now
        return now


class NewLines:
    """The JSON objects appended to a file since the last call, read from
    where the previous call stopped (the supervisor follows a part's results
    file, the grader a supervisor's events file). A line not yet ended (the
    writer is writing it) waits for the next call; a line that is not a JSON
    object is skipped.

    Parameters
    ----------
    path : path
        The file, which may not exist yet.
    offset : int
        Where to start reading.
    """

    def __init__(self, path, offset=0):
        self.path, self.offset, self.pending = path, offset, b""

    def rows(self):
        """The objects of the lines completed since the last call."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
            self.offset += len(chunk)
        except OSError:
            chunk = b""
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        return json_objects(line.decode("utf-8", "replace") for line in lines)


def json_objects(lines):
    """The JSON objects of ``lines``, one a line; a line that is not one is skipped."""
    rows = []
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


def watch_part(pid, part, runnable, budget_end, event, hung, exit_seconds, offset=0):
    """Follow a part's process until it ends or is killed at a limit.

    Parameters
    ----------
    pid : int
        The part's process, leader of its process group.
    part : PartRequest
        The part (its folder, its modules, its import limit).
    runnable : list of dict
        The cases the process runs, in order.
    budget_end : float
        When the submission's budget ends (time.monotonic).
    event : callable
        Writes an event for the grader (keyword arguments).
    hung : dict
        The functions known to hang, updated when one does.
    exit_seconds : float
        How long the process may take to exit once every record is written.
    offset : int
        Where the lines of this process start in the results file.

    Returns
    -------
    status : dict
        {"exit": code}, {"signal": n} or {"timeout": True}.
    stopped : int or None
        None when the process ended by itself, i when case i was killed at
        its limit, -1 when an import was.
    """
    progress = Progress(NewLines(os.path.join(part.dir, RESULTS_FILE), offset),
                        [c["id"] for c in runnable])
    while True:
        done, raw = os.waitpid(pid, os.WNOHANG)
        now = progress.update()
        if done:
            return exit_status(raw), None
        limit = current_limit(progress, part, runnable, exit_seconds)
        if now < min(progress.since + limit, budget_end):
            time.sleep(POLL_SECONDS)
            continue
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        cut = budget_end <= progress.since + limit                # the budget ran out first
        if not progress.ready:
            import_timed_out(part, progress.imported, limit, cut, event, hung)
            return {"timeout": True}, -1
        if progress.index >= len(runnable):
            return {"exit": 0}, None
        case_timed_out(part, runnable[progress.index], limit, cut, event, hung)
        return {"timeout": True}, progress.index


def exit_status(raw):
    """{"exit": code} or {"signal": n} of a status of os.waitpid."""
    if os.WIFEXITED(raw):
        return {"exit": os.WEXITSTATUS(raw)}
    return {"signal": os.WTERMSIG(raw)}


def current_limit(progress, part, runnable, exit_seconds):
    """The seconds allowed to what the process does now, counted from ``progress.since``."""
    if not progress.ready:
        return part.import_limit
    if progress.index < len(runnable):
        return runnable[progress.index]["limit"]
    return exit_seconds                                           # all written: it is exiting


def import_timed_out(part, imported, limit, cut, event, hung):
    """Report the module whose import did not finish; unless the budget
    ran out first (``cut``), it is now known to hang."""
    modules = list(part.modules)
    module = next((m for m in modules if m not in imported), modules[-1] if modules else None)
    event(event="import_timeout", part=part.key, function=module, limit=limit, budget=cut)
    if module is not None and not cut:
        hung[module] = {"import": True, "limit": limit, "on": None,
                        "what": f"importing {module}.py"}
        event(event="hung", function=module, **hung[module])


def case_timed_out(part, case, limit, cut, event, hung):
    """Report the case that did not return; unless the budget ran out first
    (``cut``), the functions it blames are now known to hang on a problem
    of its size."""
    event(event="case_timeout", part=part.key, case=case["id"], limit=limit, budget=cut)
    for name in [] if cut else case.get("blame", ()):
        if name not in hung or hung[name].get("size", 0) > case["size"]:
            hung[name] = {"size": case["size"], "limit": limit, "on": case["id"],
                          "what": case.get("what", "")}
            event(event="hung", function=name, **hung[name])
