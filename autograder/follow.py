"""Following a supervisor's run: its events, and what each part's process wrote.

The supervisor enforces the time limit of each case; the grader follows
its events file, collects each part's records and output when the part
ends, and is the backstop: a supervisor still busy
``scheme.BACKSTOP_SECONDS`` after the budget's end is killed.
"""
import os
import time
from dataclasses import dataclass, field

from . import scheme
from .isolated.part import OUTPUT_FILE, RESULTS_FILE
from .isolated.watch import NewLines, json_objects
from .supervisor import kill_process_group
from .texts import said
from .time_limits import apply_timing

OUTPUT_CAP = 20_000                # characters of the student's output kept
POLL_SECONDS = 0.01                # between two readings of the events
HUNG_FIELDS = ("size", "limit", "on", "what", "import")   # what a "hung" event says


@dataclass
class RunResult:
    """What running one part gave.

    Attributes
    ----------
    records : dict
        Case id -> the record its process wrote (isolated/part.py), or the
        record of a time limit (time_limits.apply_timing).
    status : str
        "done", "timeout", "crashed" or "not run".
    returncode, signal : int
        How the part's last process ended, when it crashed.
    seconds : float
        How long the part ran.
    output : str
        The first OUTPUT_CAP characters printed.
    output_bytes : int
        How many characters were printed.
    notes : list of str
        What the student reads about the part as a whole.
    internal_error : str or None
        The grader's traceback, when it failed itself.
    """
    records: dict
    status: str = "done"
    returncode: int = 0
    signal: int = 0
    seconds: float = 0.0
    output: str = ""
    output_bytes: int = 0
    notes: list = field(default_factory=list)
    internal_error: str = None


@dataclass
class SubmissionRun:
    """What is known of a submission's run, across the supervisors that run its parts.

    Attributes
    ----------
    budget : float
        The submission's budget in seconds.
    budget_end : float
        When it ends (time.monotonic).
    plans : dict
        Part key -> its planned cases (time_limits.plan_cases).
    results : dict
        Part key -> its RunResult, once it has ended.
    timing : dict
        Part key -> its time-limit events so far.
    hung : dict
        Function -> what is known of its hanging (the fields of its "hung"
        event), told to the next supervisor.
    """
    budget: float
    budget_end: float
    plans: dict
    results: dict = field(default_factory=dict)
    timing: dict = field(default_factory=dict)
    hung: dict = field(default_factory=dict)


def read_jsonl(path):
    """The JSON objects of the file ``path``, one a line ([] when unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return json_objects(f)
    except OSError:
        return []


def collect(job, folder, seconds):
    """The RunResult of a part from what its processes wrote in ``folder``."""
    wanted = {c["id"] for c in job["cases"]}
    records, output_chars = {}, None
    for row in read_jsonl(folder / RESULTS_FILE):
        if row.get("id") == "__end__":
            output_chars = row.get("output_chars")
        elif row.get("id") in wanted and row["id"] not in records:
            records[row["id"]] = row
    try:
        with open(folder / OUTPUT_FILE, "rb") as f:
            raw = f.read(OUTPUT_CAP * 4)
        size = (folder / OUTPUT_FILE).stat().st_size
    except OSError:
        raw, size = b"", 0
    output = raw.decode("utf-8", "replace")[:OUTPUT_CAP]
    printed = output_chars if isinstance(output_chars, int) else size
    return RunResult(records=records, seconds=seconds, output=output,
                     output_bytes=max(printed, len(output)))


def follow(proc, jobs, folders, events_path, run):
    """Follow a supervisor's events until every part of ``jobs`` has ended.

    Parameters
    ----------
    proc : subprocess.Popen
        The supervisor.
    jobs : list of dict
        The parts it runs.
    folders : dict
        Part key -> its scratch folder.
    events_path : Path
        The supervisor's events file.
    run : SubmissionRun
        Updated with the results, the time-limit events and the hanging functions.

    Returns
    -------
    bool
        True when the supervisor is still healthy (it may serve the next
        submission), False when it died or was stuck: then the part it was
        running is a crash or a timeout, and the parts it never started are
        left for a new supervisor, with what is known of the functions that
        hang.
    """
    parts = PartsFollowed(jobs, folders, run)
    events = NewLines(events_path)
    while True:
        exited = proc.poll() is not None
        for ev in events.rows():
            parts.take(ev)
        if parts.all_ended():
            if os.name != "posix" or not exited:
                return True
            stuck = False
            break
        stuck = time.monotonic() > run.budget_end + scheme.BACKSTOP_SECONDS
        if exited or stuck:
            break
        time.sleep(POLL_SECONDS)
    kill_process_group(proc)
    proc.wait()
    parts.end_interrupted(proc.returncode, stuck)
    return False


class PartsFollowed:
    """The parts a supervisor runs, as its events tell of them.

    Parameters
    ----------
    jobs : list of dict
        The parts.
    folders : dict
        Part key -> its scratch folder.
    run : SubmissionRun
        Where the results go.
    """

    def __init__(self, jobs, folders, run):
        self.jobs = {j["key"]: j for j in jobs}
        self.folders, self.run = folders, run
        self.started, self.current = {}, None
        self.start_of_run = time.monotonic()

    def all_ended(self):
        """Whether every part has its result."""
        return all(k in self.run.results for k in self.jobs)

    def take(self, ev):
        """Take in one event of the supervisor."""
        kind, key = ev.get("event"), ev.get("part")
        if kind == "hung" and isinstance(ev.get("function"), str):
            self.run.hung[ev["function"]] = {k: ev[k] for k in HUNG_FIELDS if k in ev}
        elif key not in self.jobs:
            return
        elif kind == "start":
            self.started.setdefault(key, time.monotonic())
            self.current = key
        elif kind in ("case_timeout", "import_timeout", "not_run"):
            self.run.timing.setdefault(key, []).append(ev)
        elif kind == "end" and key not in self.run.results:
            self._end(key, ev)

    def _end(self, key, ev):
        """The part ended: its result, from its folder and its "end" event."""
        result = collect(self.jobs[key], self.folders[key],
                         time.monotonic() - self.started.get(key, self.start_of_run))
        if isinstance(ev.get("internal_error"), str):
            result.status = "crashed"
            result.internal_error = ev["internal_error"]
            result.notes.append(said("internal error in the grader while running this part: "
                                     "not a verdict on your code; your instructor has the "
                                     "details"))
        elif ev.get("signal") or ev.get("exit"):
            result.status = "crashed"
            result.returncode = ev.get("exit") or 0
            result.signal = ev.get("signal") or 0
        self._finish(key, result)
        self.current = None

    def end_interrupted(self, returncode, stuck):
        """The supervisor died (``returncode``) or was killed as ``stuck``:
        the part it was running is a crash or a timeout."""
        key = self.current
        if key is None or key in self.run.results:
            return
        result = collect(self.jobs[key], self.folders[key], time.monotonic() - self.started[key])
        result.status = "timeout" if stuck else "crashed"
        result.returncode = returncode or 0
        self._finish(key, result)
        if stuck:
            result.notes.append(said("the grading budget of {budget} s for a submission ran "
                                     "out during this part", budget=f"{self.run.budget:g}"))

    def _finish(self, key, result):
        apply_timing(result, key, self.run.plans[key], self.run.timing.get(key, []),
                     self.run.budget)
        self.run.results[key] = result
