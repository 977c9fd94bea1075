"""The submissions of a class folder, and where each one's files are.

SUBMISSIONS_DIR holds one entry per student: a folder, or a zip file (as
LMS exports give them). The student is the folder's name, or the zip's name
without ``.zip`` (with it, when a folder has the same name, or when two
zips differ only by the case of ``.zip``). Other files, hidden entries and
``__MACOSX`` are ignored (and listed).

Students often zip a folder, or put a zip in their folder: the folder
graded is the one holding the most of the five student files, the
shallowest on a tie; a folder holding none of them but one zip file is
graded from that zip. Zips are extracted by :mod:`autograder.safezip`.
"""
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import scheme
from .safezip import SubmissionError, safe_extract

SEARCH_MAX_DEPTH = 8                # folder levels searched for the student's files
SEARCH_MAX_DIRS = 2000

__all__ = ["Submission", "Listing", "Located", "Prepared", "SubmissionError",
           "list_submissions", "sort_key", "fingerprint", "locate", "prepare"]


@dataclass
class Submission:
    """One student's submission.

    Attributes
    ----------
    student : str
        The student's name, as the CSV shows it.
    path : Path
        A folder or a zip file.
    participant : str
        The LMS's participant number, for a class folder unpacked from an
        LMS's download (autograder/lms/download.py); "" otherwise.
    """
    student: str
    path: Path
    participant: str = ""


class Listing(NamedTuple):
    """The entries of a class folder.

    Attributes
    ----------
    submissions : list of Submission
        Sorted by student (:func:`sort_key`).
    ignored : list of str
        The names of the entries that are neither a folder nor a zip file.
    """
    submissions: list
    ignored: list


class Located(NamedTuple):
    """Where a submission's student files are.

    Attributes
    ----------
    folder : Path
        The folder holding the most of them.
    count : int
        How many of the five it holds (0: none anywhere).
    """
    folder: Path
    count: int


class Prepared(NamedTuple):
    """A submission ready to grade.

    Attributes
    ----------
    folder : Path
        The folder to grade.
    notes : list of str
        What the student should know of how it was found (a subfolder, the
        zip it came from, the zip entries skipped).
    """
    folder: Path
    notes: list


def sort_key(student):
    """The order of students: case-insensitive, then exact."""
    return (student.casefold(), student)


def list_submissions(folder, exclude=()):
    """The submissions of a class folder.

    Parameters
    ----------
    folder : path-like
        SUBMISSIONS_DIR.
    exclude : iterable of path-like
        Entries that are not submissions (the CSV, the JSON folder...);
        None entries are ignored.

    Returns
    -------
    Listing
        The submissions sorted by student, and the ignored entries' names.
    """
    folders, zips, ignored = _entries(Path(folder), exclude)
    subs = [Submission(p.name, p) for p in folders] + _zip_submissions(zips, folders)
    numbers = participants(folder)
    for sub in subs:
        sub.participant = numbers.get(sub.student, "")
    subs.sort(key=lambda s: sort_key(s.student))
    return Listing(subs, ignored)


def participants(folder):
    """student -> participant number of a class folder unpacked from an LMS's
    download ({} for any other folder)."""
    try:
        from .lms.download import read_participants
    except ImportError:                                    # the student release
        return {}
    return read_participants(folder)


def _entries(folder, exclude):
    """(folders, zip files, names of the other entries) of ``folder``, by name."""
    excluded = {Path(p).resolve() for p in exclude if p}
    folders, zips, ignored = [], [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.resolve() in excluded or entry.name.startswith(".") \
                or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            folders.append(entry)
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            zips.append(entry)
        else:
            ignored.append(entry.name)
    return folders, zips, ignored


def _zip_submissions(zips, folders):
    """One Submission per zip file: named without ``.zip`` unless that name
    is taken by a folder or by another zip."""
    taken = {p.name for p in folders}
    stems = [p.name[:-4] for p in zips]
    subs = []
    for path, stem in zip(zips, stems):
        name = stem if stem and stem not in taken and stems.count(stem) == 1 else path.name
        subs.append(Submission(name, path))
    return subs


def fingerprint(path):
    """The SHA-256 of a submission's files (hex): a zip file's bytes, or a
    folder's files (their paths and contents), hidden entries, ``__MACOSX``
    and ``__pycache__`` left out. A rerun of the batch regrades a student
    whose fingerprint changed."""
    digest, path = hashlib.sha256(), Path(path)
    if path.is_file():
        _feed(digest, path)
        return digest.hexdigest()
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and d not in ("__MACOSX", "__pycache__"))
        for name in sorted(f for f in files if not f.startswith(".")):
            file = Path(current) / name
            digest.update(file.relative_to(path).as_posix().encode("utf-8", "surrogateescape")
                          + b"\0")
            _feed(digest, file)
    return digest.hexdigest()


def _feed(digest, file):
    """A file's size and content into ``digest`` (a symbolic link: its target;
    an unreadable file: the error)."""
    try:
        if file.is_symlink():
            digest.update(b"link\0" + os.fsencode(os.readlink(file)))
            return
        digest.update(f"{file.stat().st_size}\0".encode())
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        digest.update(f"unreadable\0{type(exc).__name__}".encode())


def locate(folder):
    """The folder under ``folder`` holding the most of the five student files.

    Parameters
    ----------
    folder : path-like
        Searched at most SEARCH_MAX_DEPTH levels deep, SEARCH_MAX_DIRS
        folders, skipping ``__MACOSX`` and hidden folders.

    Returns
    -------
    Located
        The folder (the shallowest on a tie, then the first by path) and how
        many of the files it holds; ``folder`` itself and 0 when none is found.
    """
    folder = Path(folder)
    best, seen = (0, 0, "", folder), 0          # (-count, depth, path text, path)
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        depth = len(here.relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if d != "__MACOSX" and not d.startswith(".")
                         and depth < SEARCH_MAX_DEPTH)
        seen += 1
        if seen > SEARCH_MAX_DIRS:
            break
        count = sum(name in files for name in scheme.STUDENT_FILES)
        key = (-count, depth, here.as_posix(), here)
        if count and key[:3] < best[:3]:
            best = key
    return Located(best[3], -best[0])


def prepare(path, scratch):
    """The folder to grade for a submission (a folder or a zip file).

    Parameters
    ----------
    path : path-like
        The submission: a folder or a zip file.
    scratch : path-like
        A folder of this grading's own, where zips are extracted.

    Returns
    -------
    Prepared
        The folder and the notes for the student.

    Raises
    ------
    SubmissionError
        When nothing gradable is found (the message is the CSV's reason).
    """
    path, scratch = Path(path), Path(scratch)
    notes = []
    if path.is_file():
        notes += safe_extract(path, scratch / "zip")
        root = scratch / "zip"
    else:
        root = path
    folder, count = locate(root)
    if count == 0 and path.is_dir():
        inner = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".zip")
        if len(inner) == 1:
            notes.append(f"graded the files of {inner[0].name}")
            notes += safe_extract(inner[0], scratch / "inner")
            folder, count = locate(scratch / "inner")
    if count == 0:
        raise SubmissionError(f"none of the student files ({', '.join(scheme.STUDENT_FILES)}) "
                              "found in the submission")
    for base in (root, scratch / "inner"):
        if folder != base and base in folder.parents:
            notes.append(f"files found in the subfolder {folder.relative_to(base).as_posix()}")
    return Prepared(folder, notes)
