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
from .values import FIRST_ONES



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
        return f" (in {n} of {total} cases)" if total > 1 and n > 0 else ""

    advice = [c.advice for c in failing if c.advice]
    for line in dict.fromkeys(advice):
        lines.append(line[2:] + count(advice.count(line)))
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
                line = line[:-len(FIRST_ONES)]      # its values are not shown
            lines.append(line + (count(n) if n > 1 else ""))
        if not c.passed:
            first = False
    if not failing:      # a note matters once the graded cases pass
        for c in shown:
            if not c.scored and not c.passed:
                lines += note_lines(c, visibility == "visible")
    output, size = clean_output(result.output, result.output_bytes)
    if output and visibility != "hidden":
        lines.append(f"Your code printed {size} bytes"
                     + (", the first ones:" if size > len(output) else ":"))
        lines += ["    " + (line if len(line) <= 200 else line[:200] + " [...]")
                  for line in output[:2000].splitlines()[:30]]
    return "\n".join(lines)



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
        at = "; ".join(_lines_of(name, numbers) for name, numbers in where.items())
        among = f", in {len(seen_in)} of {len(cases)} cases" if len(cases) > 1 else ""
        line = f"  your code warned ({category}, {at}{among}): {message}"
        drift = drift_for_warning(message)
        lines.append(line + (f" Fix: {drift.fix} ({drift.short})." if drift else ""))
    return lines


def _lines_of(name, numbers):
    if name == "the library":             # its line numbers say nothing to the student
        return "in the library"
    return f"{name}, line{'s' if len(numbers) > 1 else ''} " + ", ".join(map(str, sorted(numbers)))


def note_lines(c, safe_only):
    """A failing robustness case: a note with the one-line fix (0 points)."""
    form, fix = c.case.form or "another input form", c.case.fix or ""
    details = c.safe if safe_only else c.lines[1:]
    what = next((line.strip() for line in details
                 if "raised" in line or "must" in line or "differ" in line or "expected" in line),
                "")
    lines = [f"  note (0 points, robustness): {c.case.label}",
             f"    your function fails with {form}" + (f" ({what})" if what else "")
             + f". ex4.py and the graded cases pass {c.case.graded_form or 'arrays'}, "
             "so this costs nothing; to accept it too: " + fix]
    if "(m, 1)" in form and not any("raised" in line for line in c.lines):
        lines.append("    the values differ without an error: with y of shape (m, 1), an operation "
                     "with an (m,) array broadcasts silently into an (m, m) array")
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


def _row(r, width):
    """A part's line of the score table; a part not graded has no score."""
    if r.not_graded:
        return f"{r.part.name:<{width}}{'-':>3} / {r.part.points:<3}  {verdict_word(r)}"
    return f"{r.part.name:<{width}}{r.score:>3g} / {r.part.points:<3}  {verdict_word(r)}"


def part_heading(result):
    """A part's heading in the report: "Name: score / points", or "Name: not
    graded (...)"."""
    if result.not_graded:
        return f"{result.part.name}: {NOT_GRADED}"
    return f"{result.part.name}: {result.score:g} / {result.part.points}"


def table(results):
    width = max(len(r.part.name) for r in results) + 2
    lines = [f"{'Part':<{width}}{'Score':>7}  Status", "-" * (width + 22)]
    graded = [r for r in results if r.part.graded]
    extra = [r for r in results if not r.part.graded]
    for r in graded:
        lines.append(_row(r, width))
    lines.append("-" * (width + 22))
    pending = [r for r in graded if r.not_graded]
    lines.append(f"{'Total':<{width}}{sum(r.score for r in graded):>3g} / "
                 f"{sum(r.part.points for r in graded):<3}"
                 + (f"  not final: {len(pending)} part{'s' if len(pending) > 1 else ''} "
                    "not graded" if pending else ""))
    if extra:
        lines.append("")
        lines.append("Extra checks" + (" (feedback only)" if not any(r.part.points for r in extra) else ""))
        for r in extra:
            lines.append(_row(r, width))
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
        text += (f"\n  hidden cases: {len(hidden) - n_fail} of {len(hidden)} passed"
                 + (" (their values after the due date)" if n_fail else ""))
    return text


def report_text(table_text, sections, isolation="", data_notes=()):
    """The report of a submission from its pieces: the score table, then
    each part's (heading, text), the isolation line and the course files
    missing."""
    lines = [table_text, "", "Feedback", "========"]
    for heading, text in sections:
        lines.append(f"\n{heading}")
        lines.append(text)
    if isolation:
        lines.append(f"\nIsolation: {isolation}")
    if data_notes:
        lines.append("\nNot available (the cases that need it were not checked): "
                     + "; ".join(data_notes))
    return "\n".join(lines)


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
        tests.append({"name": r.part.name, "score": r.score, "max_score": r.part.points,
                      "status": "passed" if r.passed else "failed",
                      "output": visible_text, "visibility": "visible"})
        errors = r.internal_errors + [f"{c.case.id}:\n{c.internal_error}"
                                      for c in r.cases if c.internal_error]
        if errors:                       # for the instructor: Gradescope does not show extra_data
            tests[-1]["extra_data"] = {"internal_errors": errors}
        if hidden:
            tests.append({"name": f"{r.part.name}: hidden cases", "score": 0, "max_score": 0,
                          "status": "failed" if n_fail else "passed",
                          "output": r.feedback("hidden"), "visibility": "after_due_date"})
    return {"score": total(results), "execution_time": round(seconds, 2), "tests": tests}


def grader_failure_json(exc, seconds):
    """Gradescope's results.json when the grader itself failed on ``exc``:
    score 0, a line saying it is not the student's fault, the traceback for
    the instructor (extra_data, which Gradescope does not show)."""
    import traceback
    return {"score": 0, "execution_time": round(seconds, 2),
            "output": f"The autograder failed ({type(exc).__name__}: {exc}). This is "
                      "not about your code: tell your instructor.",
            "tests": [], "extra_data": {"internal_error": traceback.format_exc()}}
