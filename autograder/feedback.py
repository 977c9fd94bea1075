"""The feedback a student reads: each part's text, the score table, the whole
report, and Gradescope's results.json.

A part's feedback leads with its diagnoses, each once with "(in N of M
cases)", then the failing cases (the first one in full; of the others, the
lines not shown yet), then the passing ones, then the robustness notes and
what the student's code printed (without sandbox noise or scratch paths).
"""
import re

from .drift import drift_for_warning, short_warning
from .results import NOT_GRADED, total
from .texts import Text, composed, indented, joined, known, reindented, said, say
from .values import FIRST_ONES, without_first_ones



def part_feedback(result, visibility=None):
    """The feedback text of a PartResult. ``visibility``: None, every case in full;
    "public" or "hidden", those cases only; "visible" (Gradescope before
    the due date), the public cases in full and, of a failing hidden
    case, its description and diagnosis but not its values.

    The diagnoses come first, each once with "(in N of M cases)", then
    the failing cases (the first one in full; of the others, the lines
    not shown yet), then the passing ones, then the robustness notes."""
    lines = list(result.messages)
    shown = [c for c in result.cases if visibility in (None, "visible")
             or c.case.visibility == visibility]

    def body(c):                # before the due date, no value of a hidden case
        if visibility == "visible" and c.case.hidden:
            return c.safe
        return c.lines[1:]

    scored = [c for c in shown if c.scored and not c.skipped]
    failing = [c for c in scored if not c.passed]
    total = len(scored)

    def count(n):
        return said(" (in {n} of {total} cases)", n=str(n), total=str(total)) \
            if total > 1 and n > 0 else ""

    advice = [c.advice for c in failing if c.advice]
    for line in dict.fromkeys(advice):
        lines.append(composed("{line}{count}", line=reindented(line, "  "),
                              count=count(advice.count(line))))
    lines += warning_summary([c for c in shown if c.scored and not c.skipped])
    seen = set(advice)
    occurrences = {}
    for c in failing:
        for line in set(body(c)):
            occurrences[line] = occurrences.get(line, 0) + 1
    first = True
    for c in failing + [c for c in shown if c not in failing and c.scored]:
        lines.append(c.lines[0])
        for line in body(c):
            if line in seen or (not first and not c.passed and line.startswith("      ")):
                continue
            seen.add(line)
            n = occurrences.get(line, 0) if not c.passed else 0
            if not first and not c.passed and line.endswith(FIRST_ONES):
                line = without_first_ones(line)     # its values are not shown
            lines.append(composed("{line}{count}", line=line, count=count(n) if n > 1 else ""))
        if not c.passed:
            first = False
    if not failing:      # a note matters once the graded cases pass
        for c in shown:
            if not c.scored and not c.passed:
                lines += note_lines(c, visibility == "visible")
    output, size = clean_output(result.output, result.output_bytes)
    if output and visibility != "hidden":
        lines.append(said("Your code printed {size} bytes, the first ones:", size=str(size))
                     if size > len(output) else said("Your code printed {size} bytes:",
                                                     size=str(size)))
        lines += ["    " + (line if len(line) <= 200 else line[:200] + " [...]")
                  for line in output[:2000].splitlines()[:30]]
    return joined("\n", lines)



def warning_summary(cases):
    """Each distinct warning the student's code raised in a part's cases,
    once: its category, where (the student's files and lines, or "the
    library"), in how many cases, its message in one short sentence, and
    the fix when drift.py knows the API."""
    found = {}
    for c in cases:
        for w in c.warnings:
            key = (w["category"], short_warning(w["message"]))
            where, seen_in = found.setdefault(key, ({}, set()))
            where.setdefault(w["file"], set()).add(w["line"])
            seen_in.add(id(c))
    lines = []
    for (category, message), (where, seen_in) in found.items():
        at = joined("; ", [_lines_of(name, numbers) for name, numbers in where.items()])
        among = said(", in {n} of {total} cases", n=str(len(seen_in)), total=str(len(cases))) \
            if len(cases) > 1 else ""
        line = said("your code warned ({category}, {at}{among}): {message}",
                    category=category, at=at, among=among, message=message)
        drift = drift_for_warning(message)
        fix = said(" Fix: {fix} ({short}).", fix=drift.fix, short=drift.short) if drift else ""
        lines.append(composed("  {line}{fix}", line=line, fix=fix))
    return lines


def _lines_of(name, numbers):
    if name == "the library":             # its line numbers say nothing to the student
        return said("in the library")
    where = ", ".join(map(str, sorted(numbers)))
    return said("{file}, lines {lines}", file=name, lines=where) if len(numbers) > 1 \
        else said("{file}, line {line}", file=name, line=where)


def note_lines(c, safe_only):
    """A failing robustness case: a note with the one-line fix (0 points)."""
    form, fix = c.case.form or said("another input form"), c.case.fix or ""
    details = c.safe if safe_only else c.lines[1:]
    what = next((line.strip() for line in details
                 if "raised" in line or "must" in line or "differ" in line or "expected" in line),
                "")
    lines = [indented(said("note (0 points, robustness): {label}", label=c.case.label), "  "),
             indented(said("your function fails with {form}{what}. ex4.py and the graded cases "
                           "pass {graded}, so this costs nothing; to accept it too: {fix}",
                           form=form, what=composed(" ({what})", what=what) if what else "",
                           graded=c.case.graded_form or said("arrays"), fix=fix))]
    if "(m, 1)" in form and not any("raised" in line for line in c.lines):
        lines.append(indented(said(
            "the values differ without an error: with y of shape (m, 1), an operation "
            "with an (m,) array broadcasts silently into an (m, m) array")))
    return lines


# Sandbox and library noise that the student's code did not print.
NOISE = re.compile(r"^\s*(Fontconfig (error|warning)|Matplotlib is building the font cache"
                   r"|Matplotlib created a temporary (config/)?cache directory"
                   r"|.*mkdir -p failed for path|.*is not a writable directory)")
# A scratch path (/tmp/ex4grade-.../part-cost-.../nnCostFunction.py): only the file name.
SCRATCH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s'\"/\\:]+)*[/\\]ex4grade-[^\s'\"/\\:]*"
                     r"(?:[/\\][^\s'\"/\\:]+)*[/\\]([^\s'\"/\\:]+)")


def clean_output(text, size):
    """The student's output without sandbox noise and scratch paths, and its
    size in characters (as counted when nothing was removed)."""
    if not text:
        return "", 0
    kept = [SCRATCH.sub(r"\1", line) for line in text.splitlines() if not NOISE.match(line)]
    cleaned = "\n".join(kept)
    if len(text) >= size:                 # not truncated: count what is left
        return cleaned, len(cleaned)
    return cleaned, size


def scrub(text):
    return SCRATCH.sub(r"\1", text)




# --- the report of a submission ----------------------------------------

def verdict_word(result):
    """A part's word in the score table: passed, failed, its status
    (timeout...), or not graded (the grading environment failed it)."""
    if result.not_graded:
        return NOT_GRADED
    if result.passed:
        return "passed"
    return result.status if result.status != "graded" else "failed"


# A part's verdict word, a status, as the student reads them (the English
# ones are the CSV's and the class report's).
WORDS = {"passed": said("passed"), "failed": said("failed"), "timeout": said("timeout"),
         "crashed": said("crashed"), "missing files": said("missing files"),
         NOT_GRADED: said("not graded (grading environment)"), "graded": said("graded"),
         "environment error": said("environment error")}


def word(english):
    """A verdict word or a status, to be said in the student's language."""
    return WORDS.get(english, english)


def part_name(part):
    """A part's name: Coursera's, in English, and in French its French name beside it."""
    return known(part.name)


def _row(lang, name, score, points, verdict, width):
    """A part's line of the score table; a part not graded (score None) has no score."""
    shown = f"{'-':>3}" if score is None else f"{score:>3g}"
    return f"{say(name, lang):<{width}}{shown} / {points:<3}  {say(word(verdict), lang)}"


def part_heading(result):
    """A part's heading in the report: "Name: score / points", or "Name: not
    graded (...)"."""
    if result.not_graded:
        return said("{name}: {score}", name=part_name(result.part), score=word(NOT_GRADED))
    return said("{name}: {score}", name=part_name(result.part),
                score=f"{result.score:g} / {result.part.points}")


def table(results):
    """The score table (a Text: its columns fit the language it is said in)."""
    rows = [(part_name(r.part), None if r.not_graded else r.score, r.part.points,
             verdict_word(r), r.part.graded) for r in results]
    return Text(None, maker=(_table, (rows,)))


def _table(lang, rows):
    width = max(len(say(name, lang)) for name, *_ in rows) + 2
    part, score, status = (say(w, lang) for w in (said("Part"), said("Score"), said("Status")))
    lines = [f"{part:<{width}}{score:>7}  {status}", "-" * (width + 22)]
    graded = [r for r in rows if r[4]]
    extra = [r for r in rows if not r[4]]
    for r in graded:
        lines.append(_row(lang, *r[:4], width))
    lines.append("-" * (width + 22))
    pending = [r for r in graded if r[1] is None]
    note = ""
    if pending:
        note = say(said("  not final: {n} parts not graded", n=str(len(pending)))
                   if len(pending) > 1 else said("  not final: 1 part not graded"), lang)
    total_word = say(said("Total"), lang)
    lines.append(f"{total_word:<{width}}{sum(r[1] or 0 for r in graded):>3g} / "
                 f"{sum(r[2] for r in graded):<3}" + note)
    if extra:
        lines.append("")
        lines.append(say(said("Extra checks (feedback only)")
                         if not any(r[2] for r in extra) else said("Extra checks"), lang))
        for r in extra:
            lines.append(_row(lang, *r[:4], width))
    return "\n".join(lines)


def part_text(result, visibility=None):
    """A part's feedback as a student reads it: in full (``visibility``
    None, after the due date), or "visible" (before the due date: the public
    cases in full, of the hidden ones their descriptions and diagnoses and
    how many passed, not their values)."""
    text = result.feedback(visibility)
    hidden = [c for c in result.cases if c.case.hidden and c.scored]
    if visibility == "visible" and hidden:
        n_fail = sum(not c.passed for c in hidden)
        counts = {"passed": str(len(hidden) - n_fail), "total": str(len(hidden))}
        hidden_line = said("hidden cases: {passed} of {total} passed (their values after "
                           "the due date)", **counts) if n_fail \
            else said("hidden cases: {passed} of {total} passed", **counts)
        text = composed("{text}\n  {hidden}", text=text, hidden=hidden_line)
    return text


def report_text(table_text, sections, isolation="", data_notes=()):
    """The report of a submission from its pieces: the score table, then
    each part's (heading, text), the isolation line and the course files
    missing."""
    lines = [table_text, "", said("Feedback\n========")]
    for heading, text in sections:
        lines.append(composed("\n{heading}", heading=heading))
        lines.append(text)
    if isolation:
        lines.append(composed("\n{line}", line=said("Isolation: {isolation}",
                                                     isolation=isolation)))
    if data_notes:
        lines.append(composed("\n{line}", line=said(
            "Not available (the cases that need it were not checked): {notes}",
            notes=joined("; ", data_notes))))
    return joined("\n", lines)


def report(results, visibility=None):
    """The report ``grade`` prints (every case in full; ``visibility``
    "visible": before the due date, see :func:`part_text`)."""
    return report_text(table(results), [(part_heading(r), part_text(r, visibility))
                                        for r in results],
                       results[0].isolation if results else "",
                       results[0].data_notes if results else ())


def gradescope_json(results, seconds):
    """Gradescope's results.json: one test per part. Before the due date a
    failing hidden case shows its description (sizes, K, lambda, m) and its
    diagnosis; its values are shown after the due date."""
    tests = []
    for r in results:
        hidden = [c for c in r.cases if c.case.hidden and c.scored]
        n_fail = sum(not c.passed for c in hidden)
        visible_text = part_text(r, "visible")
        # "status": Gradescope shows it, and it is the only verdict of the
        # extra checks (0 points).
        tests.append({"name": say(part_name(r.part)), "score": r.score,
                      "max_score": r.part.points, "status": "passed" if r.passed else "failed",
                      "output": say(visible_text), "visibility": "visible"})
        errors = r.internal_errors + [f"{c.case.id}:\n{c.internal_error}"
                                      for c in r.cases if c.internal_error]
        if errors:                       # for the instructor: Gradescope does not show extra_data
            tests[-1]["extra_data"] = {"internal_errors": errors}
        if hidden:
            tests.append({"name": say(said("{part}: hidden cases", part=part_name(r.part))),
                          "score": 0, "max_score": 0,
                          "status": "failed" if n_fail else "passed",
                          "output": say(r.feedback("hidden")), "visibility": "after_due_date"})
    return {"score": total(results), "execution_time": round(seconds, 2), "tests": tests}


def grader_failure_json(exc, seconds):
    """Gradescope's results.json when the grader itself failed on ``exc``:
    score 0, a line saying it is not the student's fault, the traceback for
    the instructor (extra_data, which Gradescope does not show)."""
    import traceback
    return {"score": 0, "execution_time": round(seconds, 2),
            "output": say(said("The autograder failed ({error}). This is not about your "
                               "code: tell your instructor.",
                               error=f"{type(exc).__name__}: {exc}")),
            "tests": [], "extra_data": {"internal_error": traceback.format_exc()}}
