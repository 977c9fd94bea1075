"""The code of a graded class, and the pairs of submissions whose code is alike.

``collect_code`` reads the code of each student (where ``grade-all`` found
it, or in the folder given with ``--submissions``) and of the outside
solutions of ``--compare-with``; ``similar_code`` fingerprints and compares
it (autograder/similarity.py).
"""
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import similarity
from .submissions import SubmissionError, list_submissions, prepare
from .report_data import ReportError


@dataclass
class Similarity:
    """The similarity of a class's code.

    Attributes
    ----------
    docs : list of similarity.Document
        The submissions compared (the outside solutions last).
    pairs : list of similarity.Pair
        The pairs at or above the threshold, by decreasing score.
    scores : list of float
        The score of every pair compared.
    max_share : int
        A fragment in the code of more than this many students was ignored.
    """

    docs: list
    pairs: list
    scores: list
    max_share: int = 0


def _folder(path, option):
    """``path`` as a folder, or a ReportError naming ``option``."""
    folder = Path(path)
    if not folder.is_dir():
        raise ReportError(f"{option} must be a folder, found {folder} "
                          f"({'a file' if folder.exists() else 'nothing there'})")
    return folder


def _student_code(data, submissions, scratch):
    """The code of each student of the batch.

    Parameters
    ----------
    data : report_data.ClassData
    submissions : str or Path or None
        The submissions' folder (``--submissions``); None: where grade-all
        found each submission (its details).
    scratch : Path
        A folder for the unpacked submissions.

    Returns
    -------
    students : list of (str, dict)
        ``[(student, {file name: text})]``, the students with code only.
    notes : list of str
        What the report must say (the students whose code was not found).
    """
    where = {}
    if submissions:
        found, _ = list_submissions(_folder(submissions, "--submissions"))
        where = {s.student: s.path for s in found}
    students, missing = [], []
    for i, r in enumerate(data.rows):
        student = r["student"]
        path = where.get(student)
        if path is None and not submissions:
            stored = (data.details.get(student) or {}).get("path")
            path = Path(stored) if stored else None
        if path is None or not Path(path).exists():
            missing.append(student)
            continue
        try:
            folder, _ = prepare(path, scratch / str(i))
        except SubmissionError:
            continue                             # nothing gradable: nothing to compare
        files = similarity.read_files(folder)
        if files:
            students.append((student, files))
    notes = []
    if missing:
        notes.append(f"the code of {len(missing)} student(s) was not found "
                     f"({', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}): "
                     "give the submissions' folder with --submissions")
    return students, notes


def _outside_code(compare_with, scratch):
    """The code of the outside solutions: ``[("outside/NAME", {file: text})]``.

    The folder's own .py files are one solution (named for the folder);
    each subfolder or zip in it is another (at most 50 .py files each).
    """
    ref_dir = _folder(compare_with, "--compare-with")
    outside = []
    top = similarity.read_files(ref_dir)
    if top:
        outside.append((f"outside/{ref_dir.name}", top))
    entries, _ = list_submissions(ref_dir)
    for j, s in enumerate(entries):
        if s.path.is_dir():
            files = {p.relative_to(s.path).as_posix(): p.read_text("utf-8", "replace")
                     for p in sorted(s.path.rglob("*.py"))[:50] if p.is_file()}
        else:
            try:
                folder, _ = prepare(s.path, scratch / f"out{j}")
                files = similarity.read_files(folder)
            except SubmissionError:
                files = {}
        if files:
            outside.append((f"outside/{s.student}", files))
    return outside


def collect_code(data, submissions=None, compare_with=None):
    """The code of the class and of the outside solutions.

    Parameters
    ----------
    data : report_data.ClassData
    submissions : str or Path, optional
        The submissions' folder; by default, where grade-all found them.
    compare_with : str or Path, optional
        A folder of outside solutions (one folder or zip per solution).

    Returns
    -------
    students : list of (str, dict)
        ``[(student, {file name: text})]``.
    outside : list of (str, dict)
        ``[("outside/NAME", {file name: text})]``.
    notes : list of str
        What the report must say about the code it did not find.

    Raises
    ------
    ReportError
        When ``submissions`` or ``compare_with`` is not a folder.
    """
    with tempfile.TemporaryDirectory(prefix="ex4report-") as scratch:
        students, notes = _student_code(data, submissions, Path(scratch))
        outside = _outside_code(compare_with, Path(scratch)) if compare_with else []
    return students, outside, notes


def similar_code(students, outside, threshold, notes, max_share=None):
    """Fingerprint and compare the code; None for fewer than two submissions.

    Parameters
    ----------
    students, outside : list of (str, dict)
        As ``collect_code`` returns them.
    threshold : float
        The score from which a pair is listed.
    notes : list of str
        The report's notes: when there is nothing to compare and no note
        says why, one is added.
    max_share : int, optional
        ``--max-share`` (default: similarity.max_share_for the class).

    Returns
    -------
    Similarity or None
    """
    if len(students) + len(outside) >= 2:
        shared = similarity.max_share_for(len(students), max_share)
        docs = similarity.build_documents(students, outside, max_share=shared)
        pairs, scores = similarity.compare(docs, threshold)
        return Similarity(docs, pairs, scores, shared)
    if not notes:
        notes.append("fewer than two submissions with code: no similarity")
    return None
