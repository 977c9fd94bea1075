"""Each student's feedback, as ``grade-all`` writes it beside the CSV.

For every student of the CSV, two files in the feedback folder (default
``<csv stem>.feedback/``, ``--feedback-dir``): ``<student>.txt``, the report
``python -m autograder grade`` prints for that submission, and
``<student>.html``, the same content as a self-contained page (inline CSS, no
script, no external resource, one column readable on a phone), rendered
from the Jinja2 template of autograder/templates/feedback/.

The content is built once per student (a :class:`FeedbackPage`, from
autograder/feedback.py's pieces) and rendered twice. Before the due date
(the default) a hidden case shows its description and diagnosis, not its
values, as on Gradescope; ``--after-due-date`` shows everything. Both views
are kept in the student's line of grades.details.jsonl, so that a rerun
rewrites every page (in the view asked for) without grading again.

:func:`page_paths` says where a student's two files are: the one place that
knows it.
"""
import functools
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ex4data

from . import feedback, templating
from .records import beside
from .texts import said, say
from .verdict import GRADER_ERROR

VIEWS = ("before", "after")            # before / after the due date
# A case's first line in a part's feedback ("  ok   [public] ...", "  FAIL ...").
CASE_HEAD = re.compile(r"^  (ok|FAIL|skip|note)\b")


@dataclass(frozen=True)
class StatusLine:
    """What a page says first of a student's status.

    Attributes
    ----------
    scored : bool
        Whether the scores are a verdict on the student's code.
    text : str
        The sentence; ``{reason}`` is replaced by the CSV's reason.
    """
    scored: bool
    text: str


STATUS_LINES = {
    "graded": StatusLine(True, said("Every part ran; the scores below say how well.")),
    "missing files": StatusLine(True, said("Files are missing: {reason}.")),
    "timeout": StatusLine(True, said("A part did not finish in time: {reason}.")),
    "crashed": StatusLine(True, said("A part stopped abruptly: {reason}.")),
}
# The grader failed on the submission (the next run grades it again).
GRADER_FAILED = StatusLine(False, said("Not graded: the grader itself failed on your "
                                       "submission. This says nothing about your code; your "
                                       "instructor will grade it again."))
# Any other status: the scores are no verdict on the code.
NOT_GRADED = StatusLine(False, said("Not graded ({status}): this says nothing about your code; "
                                    "your instructor will grade it again."))


@dataclass
class Score:
    """A line of the score table.

    Attributes
    ----------
    name : str
    score : float
    points : int
    graded : bool
        False for an extra check (feedback only).
    verdict : str
        "passed", "failed" or the part's status (the page's style reads it).
    word : str
        The verdict as the student reads it, in the page's language.
    """
    name: str
    score: float
    points: int
    graded: bool
    verdict: str
    word: str = ""


@dataclass
class Section:
    """A part's feedback.

    Attributes
    ----------
    heading : str
        "Name: score / points".
    verdict : str
        As in the score table.
    text : str
        The part's feedback text (feedback.part_text).
    word : str
        The verdict as the student reads it, in the page's language.
    """
    heading: str
    verdict: str
    text: str
    word: str = ""

    @property
    def lead(self):
        """The lines before the first case, stripped: the diagnoses and what
        happened to the process, which the page shows first."""
        return split_lead(self.text)[0]

    @property
    def rest(self):
        """The cases, the notes and what the code printed."""
        return split_lead(self.text)[1]


@dataclass
class FeedbackPage:
    """A student's feedback, in one view (before or after the due date).

    Attributes
    ----------
    student, status, reason : str
        As in the CSV.
    headline : str
        What the page says first (:data:`STATUS_LINES`).
    scored : bool
        Whether the scores are a verdict on the code (False: not graded).
    after_due_date : bool
        Whether hidden cases show their values.
    total, max_total : float
        The graded parts' total and maximum.
    submission : list of str
        How the submission was found (a subfolder, a zip).
    table : str
        The score table as text (feedback.table).
    scores : list of Score
    sections : list of Section
    isolation : str
    data_notes : list of str
        The course files missing (their cases not checked).
    """
    student: str
    status: str
    reason: str
    headline: str
    scored: bool
    after_due_date: bool
    total: float = 0.0
    max_total: float = 0.0
    submission: list = field(default_factory=list)
    table: str = ""
    scores: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    isolation: str = ""
    data_notes: list = field(default_factory=list)
    lang: str = "en"

    def to_json(self):
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        """The page of its JSON form (:meth:`to_json`); TypeError when it is not one."""
        data = dict(data)
        data["scores"] = [Score(**s) for s in data.get("scores", [])]
        data["sections"] = [Section(**s) for s in data.get("sections", [])]
        return cls(**data)


def readable(views):
    """Whether ``views`` (from grades.details.jsonl) hold both pages as this
    version writes them (else the student is graded again)."""
    import ex4i18n
    try:
        return all(FeedbackPage.from_json(views[view]).lang == ex4i18n.language()
                   for view in VIEWS)
    except (TypeError, KeyError, AttributeError):
        return False


def headline(status, reason):
    """(scored, the sentence a page starts with) of a student's status and reason."""
    if reason.startswith(GRADER_ERROR):
        line = GRADER_FAILED
    else:
        line = STATUS_LINES.get(status, NOT_GRADED)
    reason = reason[:-1] if reason.endswith(".") else reason
    return line.scored, say(line.text.format(status=feedback.word(status), reason=reason))


def split_lead(text):
    """(the lines before the first case, stripped; the rest) of a part's text."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if CASE_HEAD.match(line)), len(lines))
    return [line.strip() for line in lines[:first] if line.strip()], "\n".join(lines[first:])


def build_page(student, judged, results, notes=(), after_due_date=False):
    """A graded student's FeedbackPage.

    Parameters
    ----------
    student : str
    judged : verdict.Verdict
    results : list of PartResult
    notes : list of str
        How the submission was found.
    after_due_date : bool
        Show the hidden cases' values.
    """
    scored, first = headline(judged.status, judged.reason)
    visibility = None if after_due_date else "visible"
    sections = []
    import ex4i18n
    for r in results:
        sections.append(Section(say(feedback.part_heading(r)), feedback.verdict_word(r),
                                say(feedback.part_text(r, visibility)),
                                say(feedback.word(feedback.verdict_word(r)))))
    graded = [r for r in results if r.part.graded]
    return FeedbackPage(
        student=student, status=judged.status, reason=judged.reason, headline=first,
        scored=scored, after_due_date=after_due_date, total=float(sum(r.score for r in graded)),
        max_total=float(sum(r.part.points for r in graded)), submission=list(notes),
        table=say(feedback.table(results)) if results else "",
        scores=[Score(say(feedback.part_name(r.part)), float(r.score), r.part.points,
                      r.part.graded, feedback.verdict_word(r),
                      say(feedback.word(feedback.verdict_word(r)))) for r in results],
        sections=sections, isolation=results[0].isolation if results else "",
        data_notes=[say(n) for n in results[0].data_notes] if results else [],
        lang=ex4i18n.language())


def both_views(student, judged, results, notes=()):
    """{"before": page, "after": page} as JSON (what grades.details.jsonl keeps);
    what made the submission ungradable is the verdict's reason."""
    return {view: build_page(student, judged, results, notes,
                             after_due_date=view == "after").to_json() for view in VIEWS}


def not_graded_views(student, status, reason):
    """Both views of the page of a student the grader could not grade."""
    import ex4i18n
    scored, first = headline(status, reason)
    return {view: FeedbackPage(student, status, reason, first, scored, view == "after",
                               lang=ex4i18n.language()).to_json() for view in VIEWS}


# --- rendering and writing ----------------------------------------------------------------

def render_text(page):
    """The plain-text feedback: ``grade``'s report, after the headline and
    how the submission was found."""
    def words(text):
        return say(text, page.lang)
    lines = [words(said("Feedback for {student}", student=page.student)), "", page.headline]
    lines += [words(said("Submission: {note}", note=note)) for note in page.submission]
    if page.sections:
        lines += ["", words(feedback.report_text(page.table, [(s.heading, s.text)
                                                               for s in page.sections],
                                                 page.isolation, page.data_notes))]
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=None)
def environment(lang):
    """The Jinja2 environment of the page's template in ``lang`` (templating.py;
    the ``g`` filter writes a score as the CSV does, ``_`` translates): one per
    language and process, so that a batch compiles the template once."""
    import ex4i18n
    env = templating.environment("feedback", g=lambda x: f"{float(x):g}")
    env.globals["_"] = ex4i18n.translations(lang).gettext
    return env


def render_html(page):
    """The feedback page (self-contained HTML)."""
    css = (templating.TEMPLATES / "feedback" / "style.css").read_text(encoding="utf-8")
    return environment(page.lang).get_template("page.html").render(p=page, css=css)


def default_dir(csv_path):
    """grades.csv -> grades.feedback/, beside it."""
    return beside(csv_path, ".feedback")


def page_paths(feedback_dir, student):
    """(html_path, txt_path) of a student's feedback: ``<student>.html`` and
    ``<student>.txt`` in ``feedback_dir``, ``<student>`` being the CSV's
    ``student`` exactly (a folder's or a zip's name: a file name already)."""
    folder = Path(feedback_dir)
    return folder / f"{student}.html", folder / f"{student}.txt"


def write_pages(feedback_dir, views, after_due_date=False):
    """Write a student's two files from both views (:func:`both_views`).

    Returns
    -------
    (Path, Path)
        The HTML and text files written.
    """
    page = FeedbackPage.from_json(views["after" if after_due_date else "before"])
    html_path, txt_path = page_paths(feedback_dir, page.student)
    for path, text in ((html_path, render_html(page)), (txt_path, render_text(page))):
        with ex4data.atomic_output(path) as f:
            f.write(text)
    return html_path, txt_path
