"""Time limits: the cases planned with their limits, and what the student reads when one is hit.

Each case has a limit that fits its size (``scheme.case_timing``); the
supervisor kills a case that hangs, and reports the cases it then does not
run. Here those events become the records of the cases (read by
grade.check_case) and the notes of their part.
"""
from . import scheme
from .texts import composed, said

# The student's modules, in the order they are imported before a part's
# cases (those imported by others first): a module that hangs at import is
# then named.
IMPORT_ORDER = ("sigmoid", "sigmoidGradient", "randInitializeWeights", "predictNeuralNetwork",
                "nnCostFunction")


def plan_cases(job):
    """The cases of a job as the supervisor runs them.

    Each with its time limit and size (``scheme.case_timing``), smallest
    problem first, so that a function that hangs does so on the smallest
    problem and the larger ones are not run.

    Parameters
    ----------
    job : dict
        A part to run: "cases" (cases.py's dicts) and "timeout" (--timeout,
        or None).

    Returns
    -------
    list of dict
        The case's "id" and "call" with the keys of its timing.
    """
    planned = []
    for c in job["cases"]:
        timing = scheme.case_timing(c, job.get("timeout"))
        planned.append({"id": c["id"], "call": c["call"], **timing})
    return sorted(planned, key=lambda c: c["size"])


def student_modules_in_order(files):
    """The student's modules of a part's ``files``, in `IMPORT_ORDER`."""
    return [m for m in IMPORT_ORDER if f"{m}.py" in files]


def apply_timing(result, key, plan, events, budget):
    """Turn a part's time-limit events into records of its cases and notes of the part.

    The part is then a timeout (unless it crashed).

    Parameters
    ----------
    result : RunResult
        The part's result, changed in place.
    key : str
        The part's key.
    plan : list of dict
        Its planned cases (`plan_cases`).
    events : list of dict
        Its "case_timeout", "import_timeout" and "not_run" events.
    budget : float
        The submission's budget in seconds.
    """
    by_id = {c["id"]: c for c in plan}
    timed_out, not_run = [], {}
    for ev in events:
        if ev.get("event") == "import_timeout":
            timed_out.append(timing_message(ev, {}, budget, key))
            continue
        case = by_id.get(ev.get("case"))
        if case is None or ev.get("case") in result.records:
            continue
        message = timing_message(ev, case, budget, key)
        kind = "timeout" if ev["event"] == "case_timeout" else "not run"
        result.records[case["id"]] = {"id": case["id"], "ok": False, "timing": kind,
                                      "message": message}
        if kind == "timeout":
            timed_out.append(message)
        else:
            not_run[message] = not_run.get(message, 0) + 1
    notes = list(dict.fromkeys(timed_out)) + _counted(not_run)
    if notes:
        if result.status != "crashed":
            result.status = "timeout"
        result.notes = notes + result.notes


def _counted(not_run):
    """"not run (4 cases): ..." for each message and how many cases it is about."""
    return [(said("not run ({n} cases): {why}", n=str(count), why=message.values["why"])
             if count > 1 else said("not run (1 case): {why}", why=message.values["why"]))
            for message, count in not_run.items()]


def timing_message(ev, plan, budget, here=None):
    """The line of a case that timed out or was not run.

    Parameters
    ----------
    ev : dict
        The event: "case_timeout", "import_timeout" or "not_run".
    plan : dict
        The planned case ("who", "what"; {} for an import).
    budget : float
        The submission's budget in seconds.
    here : str
        The key of the part the case belongs to.
    """
    if ev["event"] == "case_timeout":
        return _case_timeout_message(ev, plan, budget)
    if ev["event"] == "import_timeout":
        return _import_timeout_message(ev, budget)
    return _not_run_message(ev, budget, here)


def _case_timeout_message(ev, plan, budget):
    if ev.get("budget"):
        return said("timed out: the grading budget of {budget} s for a submission ran out "
                    "during this case", budget=f"{budget:g}")
    return said("timed out: {who} did not return within {limit} s on {what} (an infinite "
                "loop? a very slow loop?)", who=plan["who"], limit=f"{ev['limit']:g}",
                what=plan["what"])


def _import_timeout_message(ev, budget):
    if ev.get("budget"):
        return said("timed out: the grading budget of {budget} s for a submission ran out "
                    "while importing {file}", budget=f"{budget:g}",
                    file=f"{ev.get('function')}.py")
    return said("timed out: importing {file} did not finish within {limit} s (code at the "
                "top level of the file that never ends?)", file=f"{ev.get('function')}.py",
                limit=f"{ev['limit']:g}")


def _not_run_message(ev, budget, here):
    reason = ev.get("reason")
    if reason == "budget":
        why = said("the grading budget of {budget} s for a submission was used up",
                   budget=f"{budget:g}")
    elif reason == "import":
        why = said("importing {file} did not finish within {limit} s",
                   file=f"{ev.get('function')}.py", limit=f"{ev.get('limit', 0):g}")
    else:
        on = str(ev.get("on") or "")
        where = _part_name(on) if on.split("/")[0] != here else None
        why = said("{function} did not return on {what} within {limit} s{where}",
                   function=str(ev.get("function")), what=ev.get("what", said("a problem")),
                   limit=f"{ev.get('limit', 0):g}",
                   where=said(" (in {part})", part=where) if where else "")
    return composed("not run: {why}", why=why)


def _part_name(case_id):
    """The name of the part a case id belongs to (None when unknown)."""
    try:
        return scheme.part(str(case_id).split("/")[0]).name
    except KeyError:
        return None
