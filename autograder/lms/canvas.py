"""Canvas, both ways: its "Download submissions" zip and its gradebook export.

Every name here is Canvas's own (instructure/canvas-lms):

- **The download** (lib/content_zipper.rb, ``get_filename`` and
  ``add_upload_submission``): each file is named
  ``NAME[_LATE]_USERID_ATTACHMENTID_FILENAME``, NAME being the student's
  sortable name lowercased with everything but letters, digits and ``_``
  removed ("Martin, Élodie" -> ``martinélodie``), USERID the Canvas user id
  (``anon_ID``, and no NAME, when the assignment is graded anonymously: such a
  student is named by that id); a text entry is
  ``NAME_USERID_text.html``, a URL ``NAME_USERID_link.html``. When a
  student uploads a file again, Canvas renames it ``nnCostFunction-1.py``
  (instructure/canvas-lms issues 606 and 2310): such a name is graded as
  ``nnCostFunction.py`` when the student has no file of that name.
- **The gradebook export** (lib/gradebook_exporter.rb): a header
  ``Student, ID, [SIS User ID,] SIS Login ID, [Integration ID, Root Account,]
  Section``, then one column per assignment titled ``NAME (ASSIGNMENT ID)``
  and the totals; possibly a row of hidden-assignment notes, then the row
  ``    Points Possible``, then one row per student, ID being the user id.
"""
import re
from pathlib import PurePosixPath

from .csvtable import write_cells
from .download import Layout, Located
from .moodle import read_number
from .sheets import SheetError, SheetRow, match_rows
from .. import scheme

PREFIX = r"^(?:(?P<name>.*?)(?:_LATE)?_|LATE_)?(?P<id>\d+|anon_[A-Za-z0-9]+)_"
UPLOAD = re.compile(PREFIX + r"(?P<att>\d+)_(?P<file>.+)$", re.IGNORECASE)
ONLINE = re.compile(PREFIX + r"(?:text|link)\.html$", re.IGNORECASE)
RENAMED = re.compile(r"^(?P<stem>.+)-\d+(?P<suffix>\.py)$")
ASSIGNMENT = re.compile(r"^(?P<title>.*) \((?P<id>\d+)\)$")
POINTS_POSSIBLE = "Points Possible"


def locate(path):
    """The Located of a download entry, or None when it is not Canvas's."""
    if len(path.parts) != 1:
        return None
    upload = UPLOAD.match(path.name)               # first: a file may be called text.html
    if upload:
        return Located(upload["name"] or "", upload["id"], PurePosixPath(upload["file"]))
    online = ONLINE.match(path.name)
    return Located(online["name"] or "", online["id"], None) if online else None


def tidy(paths):
    """The paths with Canvas's re-upload suffix removed from a student file's name
    (``nnCostFunction-1.py``), unless the student has a file of that name."""
    names = {p.name for p in paths}
    out = []
    for p in paths:
        renamed = RENAMED.match(p.name)
        if renamed and renamed["stem"] + ".py" in scheme.STUDENT_FILES \
                and renamed["stem"] + ".py" not in names:
            p = p.with_name(renamed["stem"] + ".py")
            names.add(p.name)
        out.append(p)
    return out


LAYOUT = Layout("canvas", "Canvas", locate, tidy)


def assignment_column(header, wanted, where):
    """The index of the assignment's column: ``wanted`` is its title, its id, or
    its whole header; None picks the only assignment column there is.

    Raises
    ------
    SheetError
        When no column, or more than one, fits.
    """
    columns = {i: ASSIGNMENT.match(name.strip()) for i, name in enumerate(header)}
    columns = {i: m for i, m in columns.items() if m}
    if wanted is None:
        hits = list(columns)
    else:
        hits = [i for i, m in columns.items()
                if wanted.strip() in (m["title"], m["id"], header[i].strip())]
    if len(hits) == 1:
        return hits[0]
    titles = ", ".join(f'"{header[i]}"' for i in columns) or "none"
    if not hits:
        raise SheetError(f"{where}: no assignment column "
                         f"{'is ' + repr(wanted) if wanted else 'found'}; its assignment "
                         f"columns: {titles}")
    raise SheetError(f"{where} has {len(hits)} assignment columns: say which with "
                     f"--canvas-assignment (its title or id): {titles}")


def fill_gradebook(table, participants, graded, wanted=None):
    """Canvas's gradebook with the assignment's column filled for every student graded.

    Parameters
    ----------
    table : csvtable.Table
        The gradebook as exported.
    participants : list of download.Participant
    graded : dict
        Canvas user id -> graded.Graded.
    wanted : str, optional
        The assignment (``--canvas-assignment``).

    Returns
    -------
    sheets.Filled
        Every other cell, row and byte of the file as it was.
    """
    header = [h.strip() for h in table.header]
    if "ID" not in header or not ({"Student", "LastName"} & set(header)):
        raise SheetError(f"{table.path} is not Canvas's gradebook export: no column "
                         f'"Student" and "ID". Found: {", ".join(header[:8])}')
    id_at, column = header.index("ID"), assignment_column(table.header, wanted, table.path)
    points, points_text, rows = None, "", []
    for index, record in enumerate(table.records[1:], start=1):
        first = record[0].value.strip()
        if first == POINTS_POSSIBLE and len(record) > column:
            points_text = record[column].value
            points = read_number(points_text)
            continue
        if len(record) <= max(id_at, column) or not record[id_at].value.strip():
            continue                                  # the notes row, a blank row
        rows.append(SheetRow(index, record[id_at].value.strip(),
                             f"{first} ({record[id_at].value})"))
    if points is None or points <= 0:
        raise SheetError(f"{table.path}: no \"{POINTS_POSSIBLE}\" row giving the points of "
                         f'"{table.header[column]}"')
    chosen, filled = match_rows(rows, participants, graded)
    comma = "," in points_text
    changes = {(index, column): _score(g.scaled(points), comma) for index, g in chosen.items()}
    filled.data = write_cells(table, changes)
    return filled


def _score(value, comma):
    """A score as the gradebook writes its numbers: 42.5, 85 (42,5 with a comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text
