"""The class report's content, once, as section data.

``build_content`` gathers the statistics, the figures, the similar pairs and
the notes into a ``Content``: its header, then its three sections (the totals
and pass rates; the mistakes and what is counted apart; the similar pairs
with their code side by side). autograder/report_render.py renders the same
content as the HTML page and as the Markdown report.

The report's sentences are written here, once, as plain text: each template
escapes them as its format needs (the HTML page by Jinja2's autoescaping).
"""
import base64
from dataclasses import dataclass, field

from . import similarity
from .report_data import group_apart
from .report_figures import ALT

MAX_SIDE_BY_SIDE = 40          # pairs shown side by side (the others listed)
MAX_MATCHES = 12               # matched regions of a side in report.md
MISTAKES_INTRO = ("Every diagnosis the grader gave, per part, ranked by the number of students. "
                  "A student counts once per diagnosis and part.")


@dataclass
class Figure:
    """One figure: its file name, alternative text and PNG bytes."""

    name: str
    alt: str
    png: bytes

    @property
    def data_uri(self):
        """The PNG as a ``data:`` URI, for the self-contained page."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Header:
    """The report's title, its one-line summary's numbers and its notes.

    Attributes
    ----------
    title : str
    n : int
        Students.
    mean, max_total : float
        The mean total, out of the graded parts' points.
    statuses : list of (str, int)
        Each status and its number of students, by status.
    notes : list of str
        What the reader must know first (code or details not found...).
    """

    title: str
    n: int
    mean: float
    max_total: float
    statuses: list
    notes: list

    @property
    def summary(self):
        """``N students; mean total M / T; status count, ...``."""
        return (f"{self.n} students; mean total {self.mean:.1f} / {self.max_total:g}; "
                + ", ".join(f"{s} {n}" for s, n in self.statuses) + ".")


@dataclass
class TotalsSection:
    """1. The totals and pass rates: the two figures, one PassRate a part."""

    figures: list
    pass_rates: list


@dataclass
class ApartRow:
    """A category counted apart and its students, each with where it happened."""

    category: str
    students: list                   # [(student, [where, ...])]

    @property
    def who(self):
        """``student (where, where); student (where)``."""
        return "; ".join(f"{s} ({', '.join(w)})" for s, w in self.students)


@dataclass
class MistakesSection:
    """2. The mistakes: a figure, each part's mistakes, and what is counted apart.

    Attributes
    ----------
    figure : Figure or None
        The most frequent mistakes (None when no part was failed with a
        diagnosis).
    parts : list of report_data.PartMistakes
        Each part's diagnoses with their students, and its unrecognised
        failures.
    apart : list of ApartRow
        Timeouts, crashes, syntax errors, missing files (and other statuses).
    intro : str
        What the table of mistakes counts.
    """

    figure: object
    parts: list
    apart: list
    intro: str = MISTAKES_INTRO

    @property
    def any_failed(self):
        """Whether a row of mistakes is shown (a part failed, not apart)."""
        return any(m.diagnoses or m.unrecognised for m in self.parts)


@dataclass
class Match:
    """A matched region of one side, as plain text (report.md)."""

    file: str
    line: int
    lines: list                      # its text, line by line


@dataclass
class Side:
    """One submission of a pair shown side by side.

    Attributes
    ----------
    name : str
    files : list
        ``[(file, [(line number, [(text, matched)])])]``: its student code
        with the matched regions marked (similarity.marked_blocks).
    matches : list of Match
        Its first matched regions, as text.
    """

    name: str
    files: list
    matches: list


@dataclass
class SideBySide:
    """A listed pair drawn side by side: its number in the list, the pair, two sides."""

    number: int
    pair: object
    sides: list

    @property
    def title(self):
        """``N. A and B: score``."""
        return f"{self.number}. {self.pair.a} and {self.pair.b}: {self.pair.score:.2f}"


@dataclass
class PairRow:
    """A listed pair (a similarity.Pair), its number, and whether it is drawn."""

    number: int
    pair: object
    shown: bool


@dataclass
class SimilaritySection:
    """3. Similar code: the pairs for a human to look at.

    Attributes
    ----------
    not_computed : str or None
        Why there is no similarity (None when it was computed; the other
        attributes are then empty).
    compared, outside, n_pairs : int
        Submissions compared, outside solutions among them, pairs compared.
    threshold : float
    max_share : int
        A fragment in the code of more than this many students was ignored.
    figure : Figure or None
        The similarity scores of all pairs.
    pairs : list of PairRow
        The listed pairs, by decreasing score.
    groups : list of list of str
        The groups of more than two submissions linked by listed pairs.
    side_by_side : list of SideBySide
        The pairs drawn, the best of each group first.
    max_side_by_side : int
        At most this many pairs are drawn.
    """

    not_computed: object = None
    compared: int = 0
    outside: int = 0
    n_pairs: int = 0
    threshold: float = 0.0
    max_share: int = 0
    figure: object = None
    pairs: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    side_by_side: list = field(default_factory=list)
    max_side_by_side: int = MAX_SIDE_BY_SIDE

    @property
    def more_than_shown(self):
        """Whether some listed pairs are not drawn side by side."""
        return len(self.pairs) > self.max_side_by_side

    @property
    def not_computed_text(self):
        """Why the similarity is not there, as said in the report."""
        return f"Not computed: {self.not_computed}"

    @property
    def explanation(self):
        """What was compared, and what a listed pair means (and does not)."""
        return (f"{self.compared} submissions compared ({self.outside} of them outside "
                f"solutions from --compare-with), {self.n_pairs} pairs. A pair is listed when "
                f"its score is at least {self.threshold:g}: the share of each submission's own "
                "code (the release's template and files left out; names, comments and spacing "
                "ignored; a fragment found in the code of more than "
                f"{self.max_share} students (--max-share) ignored too, as what every right "
                "solution writes alike) found in the other, the smaller of the two. A listed "
                "pair is not evidence of copying: similar code can come from a shared source, "
                "permitted collaboration or chance. Read the code, and talk with the students "
                "before concluding anything.")

    @property
    def groups_text(self):
        """The groups of more than two submissions, in one sentence."""
        return "Groups (linked by listed pairs): " + "; ".join(", ".join(g) for g in self.groups)

    @property
    def limit_text(self):
        """What is drawn side by side when not every listed pair is."""
        return (f"Side by side: {self.max_side_by_side} pairs (the best of each group first, "
                "then by score); raise the threshold to see fewer pairs.")


@dataclass
class Content:
    """The whole report: the header, the three sections, and its build time."""

    header: Header
    totals: TotalsSection
    mistakes: MistakesSection
    similarity: SimilaritySection
    figures: dict                    # file name -> Figure, every figure
    seconds: object = None

    @property
    def footer(self):
        """The report's last line: what built it, in how long."""
        return ("Built by python -m autograder report"
                + (f" in {self.seconds:.1f} s." if self.seconds else "."))


def side_by_side_order(pairs, found_groups):
    """The pairs in the order they are drawn.

    Parameters
    ----------
    pairs : list of similarity.Pair
        By decreasing score.
    found_groups : list of list of str
        similarity.groups(pairs).

    Returns
    -------
    list of similarity.Pair
        The best pair of each group first (groups by their best score), then
        the rest in their order.
    """
    best = []
    for group in found_groups:
        members = set(group)
        best.append(next(p for p in pairs if p.a in members))
    best.sort(key=lambda p: -p.score)
    chosen = {id(p) for p in best}
    return best + [p for p in pairs if id(p) not in chosen]


def _side(doc, slices):
    """One side of a pair drawn side by side."""
    matches = [Match(file, line, text.splitlines())
               for file, line, text in similarity.matched_text(doc, slices)[:MAX_MATCHES]]
    return Side(doc.name, similarity.marked_blocks(doc, slices), matches)


def _similarity_section(sim, threshold, figure):
    """The similarity section of a computed Similarity (report_code)."""
    section = SimilaritySection(compared=len(sim.docs), outside=sum(d.outside for d in sim.docs),
                                n_pairs=len(sim.scores), threshold=threshold,
                                max_share=sim.max_share, figure=figure)
    if not sim.pairs:
        return section
    found_groups = similarity.groups(sim.pairs)
    drawn = side_by_side_order(sim.pairs, found_groups)[:MAX_SIDE_BY_SIDE]
    shown = {id(p) for p in drawn}
    number = {id(p): i for i, p in enumerate(sim.pairs, 1)}
    by_name = {d.name: d for d in sim.docs}
    section.pairs = [PairRow(i, p, id(p) in shown) for i, p in enumerate(sim.pairs, 1)]
    section.groups = [g for g in found_groups if len(g) > 2]
    section.side_by_side = [
        SideBySide(number[id(p)], p, [_side(by_name[p.a], p.slices[0]),
                                      _side(by_name[p.b], p.slices[1])])
        for p in drawn]
    return section


def build_content(data, stats, figs, sim, notes, threshold, seconds=None):
    """The report's content.

    Parameters
    ----------
    data : report_data.ClassData
    stats : report_data.Stats
    figs : dict
        File name -> PNG bytes (report_figures.figures).
    sim : report_code.Similarity or None
        None: the similarity was not computed (the last note says why).
    notes : list of str
        The notes about the code (report_code.collect_code).
    threshold : float
    seconds : float, optional
        The time taken so far, said at the end.

    Returns
    -------
    Content
    """
    figures = {name: Figure(name, ALT[name], png) for name, png in figs.items()}
    all_notes = list(notes)
    if data.missing_details:
        all_notes.append(f"no details for {len(data.missing_details)} student(s) "
                         f"({', '.join(data.missing_details[:5])}): grade them again with "
                         "this version of grade-all")
    header = Header(f"Class report: {data.csv_path.name}", stats.n, stats.mean,
                    stats.max_total, sorted(stats.statuses.items()), all_notes)
    totals = TotalsSection([figures[n] for n in ("totals.png", "pass_rates.png")
                            if n in figures], stats.pass_rates)
    mistakes = MistakesSection(figures.get("mistakes.png"), stats.mistakes,
                               [ApartRow(c, group_apart(e)) for c, e in stats.apart.items()])
    if sim is None:
        section = SimilaritySection(
            not_computed=notes[-1] if notes else "no code found.")
    else:
        section = _similarity_section(sim, threshold, figures.get("similarity.png"))
    return Content(header, totals, mistakes, section, figures, seconds)
