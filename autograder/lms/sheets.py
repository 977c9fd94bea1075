"""Filling an LMS's grade sheet: which rows get a grade, and what is reported.

A grade goes to a row only when the row's participant number is one of the
download's and was graded; anything else is reported, never guessed: a
participant of the download missing from the sheet, a row of the sheet
whose participant is not in the download (left as it was), a number that
appears on two rows (neither filled), a submission the grader could not
grade (left as it was: a fault of the grader is never a grade).
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import ex4data



class SheetError(Exception):
    """The grade sheet cannot be filled; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    """A row of a grade sheet, as the matching sees it.

    Attributes
    ----------
    index : int
        Its record's index in the file (the header is 0).
    participant : str or None
        The participant number it names (None: none).
    label : str
        The row for people (its identifier, its name).
    """
    index: int
    participant: Optional[str]
    label: str


@dataclass
class Filled:
    """A grade sheet filled.

    Attributes
    ----------
    data : bytes
        The file to write.
    filled : list of str
        The students whose row got a grade.
    not_in_sheet : list of str
        The download's students that no row of the sheet names.
    not_in_download : list of str
        The sheet's rows (their name or number) that are not in the download.
    not_filled : list of str
        Students in both, left as they were, with why.
    """
    data: bytes = b""
    filled: list = field(default_factory=list)
    not_in_sheet: list = field(default_factory=list)
    not_in_download: list = field(default_factory=list)
    not_filled: list = field(default_factory=list)


def match_rows(rows, participants, graded):
    """Which row gets which grading.

    Parameters
    ----------
    rows : list of SheetRow
    participants : list of download.Participant
        The download's.
    graded : dict
        participant number -> graded.Graded.

    Returns
    -------
    (dict, Filled)
        record index -> Graded, and the Filled with its lists (no data yet).
    """
    known = {p.participant: p for p in participants}
    numbers = [row.participant for row in rows]
    out, chosen = Filled(), {}
    for index, number, label in ((r.index, r.participant, r.label) for r in rows):
        if number not in known:
            out.not_in_download.append(label)
        elif numbers.count(number) > 1:
            out.not_filled.append(f"{known[number].student} (participant {number} is on "
                                  f"{numbers.count(number)} rows: none filled)")
        elif number not in graded:
            out.not_filled.append(f"{known[number].student} (not graded)")
        elif not graded[number].fillable:
            out.not_filled.append(f"{known[number].student} (the grader failed on it: "
                                  "grade it again)")
        else:
            chosen[index] = graded[number]
            out.filled.append(known[number].student)
    out.not_in_sheet = [p.student for p in participants if p.participant not in numbers]
    return chosen, out


def write_new(path, data, source):
    """Write ``data`` to ``path`` atomically; never over the sheet it came from."""
    path, source = Path(path), Path(source)
    if path.resolve() == source.resolve():
        raise SheetError(f"{source} would be written over: the filled sheet is "
                         f"{path.name}, give the LMS's sheet another name or another --csv")
    with ex4data.atomic_output(path, "wb") as f:
        f.write(data)


def summary(filled, sheet, what):
    """The lines that say what a filled sheet holds, and what was left."""
    lines = [f"{what}: {len(filled.filled)} grade(s) filled in {sheet}"]
    for label, names in (("in the download, not in the sheet (no grade written)",
                          filled.not_in_sheet),
                         ("in the sheet, not in the download (left as they were)",
                          filled.not_in_download),
                         ("left as they were", filled.not_filled)):
        if names:
            lines.append(f"  {len(names)} {label}: {', '.join(names[:8])}"
                         f"{' ...' if len(names) > 8 else ''}")
    return lines
