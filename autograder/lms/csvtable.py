"""A CSV file read so that it can be written back changed in a few cells only.

An LMS's grade sheet (Moodle's offline grading worksheet, Canvas's gradebook
export) must go back exactly as it came, but for the cells the grader fills:
same bytes, same quoting, same line ends, same byte order mark. So the file
is not parsed and re-serialised: :func:`read_table` keeps where each cell
lies in the text, and :func:`write_cells` replaces those spans only. The
parsing is RFC 4180's (quoted cells, ``""`` inside them, line ends inside
quoted cells), with the separator found in the header.
"""
from dataclasses import dataclass, field
from pathlib import Path

BOM = "\ufeff"
SEPARATORS = (",", ";", "\t")           # what LMS exports use (Canvas: per user setting)


class TableError(Exception):
    """The file is not a CSV table the grader can fill; the message says why."""


@dataclass(frozen=True)
class Cell:
    """A cell: its text and where it lies (``text[start:end]``, quotes included)."""
    value: str
    start: int
    end: int


@dataclass
class Table:
    """A CSV file as read.

    Attributes
    ----------
    path : Path
    text : str
        The whole file, byte order mark excluded.
    bom : bool
        Whether the file starts with a UTF-8 byte order mark.
    separator : str
    records : list of list of Cell
        The header first.
    """
    path: Path
    text: str
    bom: bool
    separator: str
    records: list = field(default_factory=list)

    @property
    def header(self):
        """The header's cells' values."""
        return [c.value for c in self.records[0]]


def read_table(path):
    """The Table of a CSV file (UTF-8, with or without a byte order mark).

    Raises
    ------
    TableError
        When the file cannot be read, is not UTF-8, is empty or has an
        unterminated quote.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise TableError(f"cannot read {path} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise TableError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}): "
                         "download it again from the LMS, and do not save it from a "
                         "spreadsheet in another encoding") from None
    bom = text.startswith(BOM)
    text = text[1:] if bom else text
    if not text.strip():
        raise TableError(f"{path} is empty")
    separator = _separator(text)
    return Table(path, text, bom, separator, parse(text, separator, path))


def _separator(text):
    """The separator that splits the header into the most cells."""
    first = text.split("\n", 1)[0]
    return max(SEPARATORS, key=lambda s: len(parse(first, s, None)[0]) if first else 0)


def parse(text, separator, path):
    """The records of ``text``: lists of Cell (blank lines skipped)."""
    records, row, i, n = [], [], 0, len(text)
    while i < n or row:
        cell, i = _cell(text, i, separator, path)
        row.append(cell)
        if i < n and text[i] == separator:
            i += 1
            continue
        if text.startswith("\r\n", i):
            i += 2
        elif i < n:                                   # "\n" or "\r"
            i += 1
        if len(row) > 1 or row[0].value or row[0].end > row[0].start:
            records.append(row)
        row = []
        if i >= n:
            break
    return records


def _cell(text, i, separator, path):
    """The cell starting at ``i``, and where it ends."""
    if i < len(text) and text[i] == '"':
        j, parts = i + 1, []
        while True:
            k = text.find('"', j)
            if k < 0:
                raise TableError(f"{path}: a quoted cell is not closed (from character {i})")
            parts.append(text[j:k])
            if text.startswith('""', k):
                parts.append('"')
                j = k + 2
                continue
            return Cell("".join(parts), i, k + 1), k + 1
    j = i
    while j < len(text) and text[j] not in (separator, "\n", "\r"):
        j += 1
    return Cell(text[i:j], i, j), j


def quote(value, separator):
    """A cell's text as PHP's fputcsv (Moodle's writer) quotes it: in quotes
    when it holds the separator, a quote, a space, a tab or a line end."""
    if any(c in value for c in (separator, '"', " ", "\t", "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_cells(table, changes):
    """The file's text with some cells replaced, everything else as it was.

    Parameters
    ----------
    table : Table
    changes : dict
        (record index, column index) -> the new value.

    Returns
    -------
    bytes
        The file, UTF-8, with its byte order mark if it had one.
    """
    spans = [(table.records[r][c], value) for (r, c), value in changes.items()]
    out, at = [], 0
    for cell, value in sorted(spans, key=lambda s: s[0].start):
        out += [table.text[at:cell.start], quote(value, table.separator)]
        at = cell.end
    out.append(table.text[at:])
    return ((BOM if table.bom else "") + "".join(out)).encode("utf-8")
