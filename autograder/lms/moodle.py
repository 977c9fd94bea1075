"""Moodle's assignment, both ways: its download, its worksheet, its feedback zip.

Every name here is Moodle's own (moodle/moodle; the French strings from the
French language pack, projectestac/moodle-langpacks):

- **The download** ("Download all submissions", mod/assign/classes/downloader.php):
  each file is under a prefix ``FULLNAME_PARTICIPANTID_assignsubmission_file``
  (underscores in the name become spaces, so the name holds none), a folder
  per participant (the default since Moodle 3.1; a trailing ``_`` before
  4.1) or prefixed to each file name ("flat", the older layout). A
  participant with an online text only is there, with nothing gradable.
- **The offline grading worksheet** (mod/assign/gradingtable.php writes it,
  mod/assign/feedback/offline/importgradeslib.php reads it back): the
  columns are found by their names in the site's language, the identifier
  is "Participant 1234567" (``hiddenuser`` and the number), the grade is
  read with the site's decimal separator (``unformat_float``,
  mod/assign/feedback/offline/locallib.php), a grade above the maximum is
  skipped, and the import refuses a file without the identifier, grade or
  last-modified column.
- **The feedback zip** ("Upload multiple feedback files in a zip",
  mod/assign/feedback/file/importziplib.php): a path part
  ``FULLNAME_PARTICIPANTID_assignfeedback_file_`` names the participant and
  the plugin; what follows is the file's name.
"""
import re
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath

from .csvtable import write_cells
from .download import Layout, Located
from .sheets import SheetError, SheetRow, match_rows

SUBMISSION_PLUGIN = "assignsubmission"
FEEDBACK_PREFIX = "{name}_{participant}_assignfeedback_file_"
IDENTIFIER_NUMBER = re.compile(r"(\d+)\s*$")      # "Participant 1234567" -> 1234567


def locate(path):
    """The Located of a download entry (importziplib.php's rule: the first path
    part split on ``_`` into at most 5), or None when it is not Moodle's."""
    info = path.parts[0].split("_", 4)
    if len(info) < 4 or not info[1].isdigit() or info[2] != SUBMISSION_PLUGIN or not info[0]:
        return None
    rest = [info[4]] if len(info) == 5 and info[4] else []
    inner = [*rest, *path.parts[1:]]
    return Located(info[0], info[1], PurePosixPath(*inner) if inner else None)


LAYOUT = Layout("moodle", "Moodle", locate)


@dataclass(frozen=True)
class Column:
    """A worksheet column the grader needs, by its names in Moodle's languages.

    Attributes
    ----------
    key : str
    names : dict
        language -> the column's name(s) (a tuple).
    string : str
        Moodle's language string that names it.
    """
    key: str
    names: dict
    string: str

    def all_names(self):
        return [n for names in self.names.values() for n in names]


COLUMNS = (
    Column("identifier", {"en": ("Identifier",), "fr": ("Identifiant",)},
           "assign: recordid"),
    Column("grade", {"en": ("Grade",), "fr": ("Note",)}, "moodle: grade"),
    Column("maximum", {"en": ("Maximum grade", "Maximum Grade"), "fr": ("Note maximale",)},
           "assign: maxgrade"),
    Column("modified", {"en": ("Last modified (grade)",), "fr": ("Dernière modification (note)",)},
           "assign: lastmodifiedgrade"),
    Column("comments", {"en": ("Feedback comments",), "fr": ("Feedback par commentaires",)},
           "assignfeedback_comments: pluginname"),
)


def column_indexes(header, where):
    """key -> index of each needed column in a worksheet's header.

    Raises
    ------
    ValueError
        Naming the columns missing, their names in English and French, and
        the columns found.
    """
    found, missing = {}, []
    for column in COLUMNS:
        hits = [i for i, name in enumerate(header) if name.strip() in column.all_names()]
        if hits:
            found[column.key] = hits[0]
        else:
            missing.append(" / ".join(f'"{n}"' for n in column.all_names()))
    if missing:
        hint = (" (the worksheet has a feedback comments column when the assignment's "
                "feedback types include Feedback comments)" if any("Feedback comments" in m
                                                                   for m in missing) else "")
        raise ValueError(f"{where} is not Moodle's offline grading worksheet: no column "
                         f"{'; no column '.join(missing)}{hint}. Found: "
                         f"{', '.join(header[:12])}{' ...' if len(header) > 12 else ''}")
    return found


def participant_number(identifier):
    """1234567 of "Participant 1234567" (any language), or None."""
    found = IDENTIFIER_NUMBER.search(identifier)
    return found.group(1) if found else None


def comment_html(lines):
    """The feedback comment: Moodle's comments are HTML, one paragraph, a line each."""
    return "<p>" + "<br>".join(escape(line, quote=False) for line in lines) + "</p>"


def grade_text(value, maximum_text):
    """A grade written as the worksheet writes its maximum grade (its decimal
    separator, its number of decimals: format_float), e.g. 85,50."""
    separator = "," if "," in maximum_text and "." not in maximum_text else "."
    decimals = len(re.split(r"[.,]", maximum_text.strip())[1]) if re.search(
        r"[.,]\d+$", maximum_text.strip()) else 2
    return f"{value:.{decimals}f}".replace(".", separator)


def read_number(text):
    """A number as Moodle or Canvas writes it (either decimal separator), or None."""
    try:
        return float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def feedback_zip(path, participants, feedback_dir, files=(".html", ".txt")):
    """Write the zip of feedback files Moodle's feedback import takes.

    Parameters
    ----------
    path : Path
        The zip to write.
    participants : list of download.Participant
        Those whose feedback goes in (each name as the download gave it).
    feedback_dir : Path
        ``<student>.html`` and ``<student>.txt`` of each student.

    Returns
    -------
    list of str
        The students with no feedback file.
    """
    missing = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in participants:
            prefix = FEEDBACK_PREFIX.format(name=p.name.replace("_", " "),
                                            participant=p.participant)
            written = 0
            for suffix in files:
                source = feedback_dir / f"{p.student}{suffix}"
                if source.is_file():
                    z.write(source, f"{prefix}/feedback{suffix}")
                    written += 1
            if not written:
                missing.append(p.student)
    return missing


def fill_worksheet(table, participants, graded):
    """Moodle's worksheet with the grade and the comment of every participant graded.

    Parameters
    ----------
    table : csvtable.Table
        The worksheet as downloaded.
    participants : list of download.Participant
    graded : dict
        participant number -> graded.Graded.

    Returns
    -------
    sheets.Filled
        Every other cell, row and byte of the file as it was.

    Raises
    ------
    sheets.SheetError
        When a needed column is missing, or a row is shorter than the header.
    """
    try:
        at = column_indexes(table.header, table.path)
    except ValueError as exc:
        raise SheetError(str(exc)) from None
    rows = []
    for index, record in enumerate(table.records[1:], start=1):
        if len(record) <= max(at.values()):
            raise SheetError(f"{table.path}: row {index + 1} has {len(record)} cells, "
                             f"the header {len(table.header)}")
        identifier = record[at["identifier"]].value
        rows.append(SheetRow(index, participant_number(identifier), identifier))
    chosen, filled = match_rows(rows, participants, graded)
    changes = {}
    for index, grading in chosen.items():
        maximum_text = table.records[index][at["maximum"]].value
        maximum = read_number(maximum_text)
        if maximum is None or maximum <= 0:
            raise SheetError(f"{table.path}: row {index + 1}'s maximum grade is "
                             f"{maximum_text!r}, not a positive number (a scale?)")
        changes[(index, at["grade"])] = grade_text(grading.scaled(maximum), maximum_text)
        changes[(index, at["comments"])] = comment_html(grading.comment_lines())
    filled.data = write_cells(table, changes)
    return filled
