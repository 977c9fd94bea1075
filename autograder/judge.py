"""Judge one case from what the student's process recorded: the
check's lines, or the error with its likely cause, then the warnings the
code raised and the inputs it changed in place."""
import traceback

from .checks import CHECKS
from .diagnoses import INPUT_MODIFIED, NOT_IMPLEMENTED
from .hints import ErrorText, hint_for
from .results import CaseResult
from .feedback import scrub
from .texts import Text, composed, indented, known, said
from .values import BadValue, student_value


def check_case(case, record, oracle, course):
    """The CaseResult of one case; an exception in the grader's own checking
    code makes it a failed case with an "internal error in the grader" note
    (the traceback goes to the JSON), never an aborted grade."""
    try:
        return _check_case(case, record, oracle, course)
    except Exception as exc:                       # noqa: BLE001
        return CaseResult(case, False, [
            head_line(case, False),
            indented(said("internal error in the grader while checking this case ({error}): "
                          "not a verdict on your code; your instructor has the details",
                          error=type(exc).__name__))],
            internal_error=traceback.format_exc())


PREFIXES = {"likely mistake": said("likely mistake: {sentence}"),
            "likely cause": said("likely cause: {sentence}")}


def head_line(case, ok):
    """A case's first line: "  ok   [public] its label" or "  FAIL ..."."""
    return composed("  {mark} {tag} {label}", mark="ok  " if ok else "FAIL", tag=case.tag,
                    label=case.label)


def _check_case(case, record, oracle, course):
    def result(ok, lines, safe, diag=None, prefix="likely mistake", warnings=()):
        advice = None
        if diag and diag.sentence:
            advice = indented(PREFIXES[prefix].format(sentence=known(diag.sentence)))
            lines, safe = lines + [advice], safe + [advice]
        return CaseResult(case, ok, [head_line(case, ok)] + lines,
                          diagnosis=diag, advice=advice, safe=safe, scored=case.scored,
                          warnings=list(warnings))

    if record is None:
        lines = [indented(said("no result: the process stopped before or during this case "
                               "(see above)"))]
        return result(False, lines, lines)
    if record.get("timing"):                       # timed out, or not run (runner.py)
        lines = [indented(record.get("said") or record["message"])]
        return result(False, lines, lines)
    notes = record.get("notes") or {}
    if not record.get("ok"):
        lines, hint = error_lines(case, record.get("error") or {})
        return result(False, lines, list(lines), hint, "likely cause")
    diag, prefix = None, "likely mistake"
    try:
        value = student_value(record.get("value"))
        check = CHECKS[case.check](case, value, notes, oracle, course)
        ok, lines, diag, safe = check.ok, check.lines, check.diagnosis, []
    except BadValue as exc:
        text = exc.args[0]
        ok, lines = False, [indented(said("your function {text}", text=text)
                                     if text.startswith("returned") else text)]
        safe = list(lines)
        diag, prefix = hint_for(ErrorText(case, text)), "likely cause"
    overflow, warned = split_warnings(case, notes)
    extra = overflow_lines(case, overflow) + mutation_lines(notes, ok)
    if notes.get("mutated"):
        diag = diag or (INPUT_MODIFIED if ok else None)
    return result(ok, lines + extra, safe + extra, diag, prefix, warned)


def error_lines(case, error):
    """The lines of an exception, and the Diagnosis of its likely cause (or None)."""
    kind, message = error.get("type", "Error"), scrub(error.get("message", ""))
    if kind == "NotImplementedError":
        return ([indented(Text(message)) if "not implemented yet" in message
                 else indented(said("not implemented yet: {message}", message=message))],
                NOT_IMPLEMENTED)
    lines = [indented(said("your code raised {kind}: {message}", kind=kind,
                           message=grader_words(message)))]
    where = error.get("where")
    # A syntax error's message names the file and line; its traceback holds
    # only the import machinery ("<frozen importlib._bootstrap>").
    if where and not where["file"].startswith("<") and \
            kind not in ("SyntaxError", "IndentationError", "TabError"):
        lines.append(indented(said("at {file}, line {line}: {code}", file=where["file"],
                                   line=str(where["line"]), code=where["code"])))
    where = where or {}
    return lines, hint_for(ErrorText(case, message, kind, where.get("code", ""), where.get("file")))


def grader_words(message):
    """An error's message: the words the student's process wrote for the grader
    (isolated/calls.py, isolated/part.py), said in the student's language; the
    student's own exceptions as they are."""
    import re
    exited = re.fullmatch(r"the code called sys\.exit\((.*)\)", message)
    if exited:
        return said("the code called sys.exit({code})", code=exited[1])
    if message in CHILD_MESSAGES:
        return Text(message)
    return message


# What the part's process writes in an error's message (isolated/).
CHILD_MESSAGES = (said("the code raised KeyboardInterrupt"),
                  said("out of memory (MemoryError): the memory limit was reached"))


MUTATION_WHY = {
    "nn_params": said("ex4.py uses its parameters again after the call (the regularised cost, "
                      "the gradient check, the training's starting point), and would see the "
                      "changed values"),
    "X": said("ex4.py uses X again (the next costs, the training, the accuracy)"),
    "y": said("ex4.py uses y again (the next costs, the training, the accuracy)"),
    "z": said("the caller's array (z2 in nnCostFunction, the values ex4.py prints) is changed"),
}
MUTATION_FIX = {
    "nn_params": said("a reshape is a view of nn_params: copy before editing it, "
                      "Theta1 = nn_params[:h * (n + 1)].reshape(h, n + 1).copy()"),
    "X": said("build new arrays (a1 = np.column_stack([np.ones(m), X])) instead of editing X"),
    "y": said("y = y - 1 (or .copy()) makes a new array, where y -= 1 changes the caller's"),
    "z": said("np.exp(-z) makes a new array, where np.exp(-z, out=z) or z *= ... change the "
              "caller's"),
}


def mutation_lines(notes, values_right):
    lines = []
    details = {d["name"]: d for d in notes.get("mutations") or []}
    for name in notes.get("mutated") or []:
        d = details.get(name, {})
        if d and d.get("shape_before") != d.get("shape_after"):
            what = said("its shape changed")
        elif d.get("changed") is not None and d["changed"] == d.get("size"):
            what = said("all its values changed")
        else:
            what = said("some of its values changed")
        lines.append(indented(said(
            "your function changed its input {name} in place ({what}): {why}. {kept}Fix: {fix}",
            name=name, what=what,
            why=MUTATION_WHY.get(name, said("the caller sees the changed values")),
            kept=said("The values returned are right, so the part keeps its points. ")
            if values_right else "",
            fix=MUTATION_FIX.get(name, said("work on a copy (.copy())")))))
    return lines




# Cases whose inputs are extreme on purpose (sigmoid(±800)): an overflow
# warning there is a hint about the student's code, not noise they printed.
def split_warnings(case, notes):
    """The warnings a call raised: (the overflow warnings of an extreme case,
    which are a hint on this case; the others, which the part's feedback
    summarises once, feedback.warning_summary)."""
    overflow, others = [], []
    for w in notes.get("warnings") or []:
        extreme = case.extreme and w["category"] == "RuntimeWarning" and "overflow" in w["message"]
        (overflow if extreme else others).append(w)
    return overflow, others


def overflow_lines(case, warnings):
    return [indented(said(
        "hint: your {module} warns on overflow for large |z| ({file}, line {line}: {message}); "
        "the values are right (1 / (1 + inf) = 0), but every call with large |z| warns: "
        "compute np.exp inside `with np.errstate(over='ignore'):`, or use scipy.special.expit",
        module=case.module or said("code"), file=w["file"], line=str(w["line"]),
        message=w["message"])) for w in warnings]
