"""An LMS's "download all submissions" turned into a class folder ``grade-all`` grades.

An LMS gives every submission in one zip (or the folder it extracts to),
its file names carrying the student's name and number (autograder/lms/
moodle.py and canvas.py say how each LMS names them: a :class:`Layout`).
:func:`unpack` writes one folder per participant, named by the student's
readable name (with the number when two students have the same name), with
the submission's ``.py`` and ``.zip`` files only (a student's own zip is
graded as any zip is), and an empty folder for a participant whose
submission holds neither (graded "missing files"). Beside them, the hidden
file ``.participants.json`` keeps each student's participant number: the
CSV's ``participant`` column, and what the grade sheets are matched by.

The class folder is the grader's own: each run writes it again whole from
the download, so that it is what the download holds, nothing more.
"""
import json
import os
import shutil
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Optional

from ..safezip import safe_member_path

SIDECAR = ".participants.json"
KEPT_SUFFIXES = (".py", ".zip")         # what a submission's files are graded from
DOWNLOAD_MAX_BYTES = 500 * 1024 ** 2    # the kept files of a download, uncompressed
DOWNLOAD_MAX_MEMBERS = 50000            # the entries of a download


class DownloadError(Exception):
    """The download cannot be unpacked; the message says why."""


@dataclass(frozen=True)
class Located:
    """What an LMS's file name says of a file of its download.

    Attributes
    ----------
    name : str
        The student's name as the LMS wrote it.
    participant : str
        The participant's number.
    path : PurePosixPath or None
        The file's path in the student's submission; None for an entry that
        only says the participant is there (a folder, an online text).
    """
    name: str
    participant: str
    path: Optional[PurePosixPath]


@dataclass(frozen=True)
class Layout:
    """How an LMS names the files of its download.

    Attributes
    ----------
    lms : str
        "moodle" or "canvas".
    title : str
        The LMS's name, for people.
    locate : callable
        PurePosixPath (the entry's path in the download) -> Located, or
        None when the name is not the LMS's.
    tidy : callable
        [PurePosixPath] (a participant's files) -> the same paths, renamed
        where the LMS renamed the student's files.
    """
    lms: str
    title: str
    locate: Callable
    tidy: Callable = lambda paths: paths


@dataclass(frozen=True)
class Participant:
    """A participant of the download.

    Attributes
    ----------
    student : str
        The CSV's ``student``: the name, unique in the class.
    participant : str
        The LMS's number for the participant.
    name : str
        The name as the download's file names give it.
    """
    student: str
    participant: str
    name: str


@dataclass
class Unpacked:
    """A download unpacked into a class folder.

    Attributes
    ----------
    layout : Layout
    folder : Path
    participants : list of Participant
    notes : list of str
        What was left out, and why.
    """
    layout: Layout
    folder: Path
    participants: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class _Member:
    """An entry of the download: its safe path, and how to read it (None: a folder)."""
    path: PurePosixPath
    read: Optional[Callable]


def unpack(source, dest, layouts, exclude=()):
    """Write the class folder ``dest`` from a download.

    Parameters
    ----------
    source : path-like
        The download: a zip file or the folder it was extracted to.
    dest : path-like
        The class folder, written whole (an earlier one, with its
        ``.participants.json``, is replaced; any other folder is refused).
    layouts : list of Layout
    exclude : iterable of path-like
        Entries of a folder that are not the download's (the CSV...).

    Returns
    -------
    Unpacked or None
        None when ``source`` is not an LMS download (a folder of submissions).
    """
    source, dest = Path(source), Path(dest)
    with _Download(source, exclude) as download:
        layout = _layout(source, download.top_level(), layouts)
        if layout is None:
            return None
        found = _group(download.members(), layout)
        participants = _named(found)
        _clear(dest)
        notes = _write(dest, participants, found, layout)
    (dest / SIDECAR).write_text(json.dumps(
        {"lms": layout.lms, "source": str(source.resolve()),
         "participants": [asdict(p) for p in participants]}, indent=1, ensure_ascii=False),
        encoding="utf-8")
    return Unpacked(layout, dest, participants, notes)


def read_participants(folder):
    """student -> participant number, from a class folder's ``.participants.json``
    ({} for a folder that is not an unpacked download)."""
    return {p.student: p.participant for p in read_sidecar(folder)[1]}


def _layout(source, paths, layouts):
    """The layout that names every entry; None if none names any."""
    for layout in layouts:
        odd = [p for p in paths if layout.locate(p) is None]
        if not odd:
            return layout if paths else None
        if len(odd) < len(paths):
            raise DownloadError(
                f"{source} holds {layout.title}'s download and {len(odd)} other entr"
                f"{'y' if len(odd) == 1 else 'ies'} ({', '.join(p.as_posix() for p in odd[:3])}"
                f"{' ...' if len(odd) > 3 else ''}): give the download alone, as "
                f"{layout.title} gives it")
    return None


def _group(members, layout):
    """participant -> (name, {path: reader}), in the download's order."""
    found = {}
    for member in members:
        where = layout.locate(member.path)
        name, files = found.setdefault(where.participant, (where.name, {}))
        if where.path is not None and member.read is not None:
            files[where.path] = member.read
    return {pid: (name, dict(zip(layout.tidy(list(files)), files.values())))
            for pid, (name, files) in found.items()}


def _named(found):
    """The Participants: the name, with the number when two share the name."""
    names = [name.casefold() for name, _ in found.values()]
    participants = []
    for pid, (name, _) in found.items():
        readable = name.replace("/", " ").strip() or pid
        if names.count(name.casefold()) > 1 or readable.startswith("."):
            readable = f"{readable} ({pid})"
        participants.append(Participant(readable, pid, name))
    return sorted(participants, key=lambda p: (p.student.casefold(), p.student))


def _clear(dest):
    """Remove an earlier class folder of the grader's; refuse any other."""
    if not dest.exists():
        return
    if not (dest / SIDECAR).is_file():
        raise DownloadError(f"{dest} exists and is not a class folder the grader wrote "
                            f"(no {SIDECAR} in it): move it away, or use another --csv")
    shutil.rmtree(dest)


def _write(dest, participants, found, layout):
    """Write each participant's kept files; the notes of what was left out."""
    notes, total = [], 0
    for p in participants:
        folder = dest / p.student
        folder.mkdir(parents=True)
        for path, read in found[p.participant][1].items():
            if path.suffix.lower() not in KEPT_SUFFIXES:
                continue
            target = folder.joinpath(*path.parts)
            if target.exists():
                notes.append(f"{p.student}: a second {path.as_posix()} left out")
                continue
            data = read()
            total += len(data)
            if total > DOWNLOAD_MAX_BYTES:
                raise DownloadError(f"the download's .py and .zip files are over "
                                    f"{DOWNLOAD_MAX_BYTES // 1024 ** 2} MB uncompressed")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return notes


class _Download:
    """The entries of a download (a context manager: a zip stays open in it)."""

    def __init__(self, source, exclude):
        self.source, self.exclude = source, {Path(p).resolve() for p in exclude if p}
        self.zip, self.infos = None, []

    def __enter__(self):
        if self.source.is_file():
            self._open_zip()
        elif not self.source.is_dir():
            raise DownloadError(f"SUBMISSIONS_DIR must be a folder or a zip file, found "
                                f"{self.source} (nothing there)")
        return self

    def __exit__(self, *exc):
        if self.zip is not None:
            self.zip.close()

    def top_level(self):
        """The names at the download's top (what an LMS's names are checked on)."""
        if self.zip is not None:
            tops = {PurePosixPath(path.parts[0]) for path, _ in self.infos}
        else:
            tops = {PurePosixPath(p.name) for p in self.source.iterdir()
                    if not _hidden(PurePosixPath(p.name)) and p.resolve() not in self.exclude}
        return sorted(tops)

    def members(self):
        """The download's entries (_Member), folders included."""
        if self.zip is not None:
            return [_Member(path, None if info.is_dir() else _zip_reader(self.zip, info))
                    for path, info in self.infos]
        return self._folder_members()

    def _open_zip(self):
        try:
            self.zip = zipfile.ZipFile(self.source)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise DownloadError(f"SUBMISSIONS_DIR must be a folder or an LMS's download "
                                f"zip; {self.source} is not a zip file ({exc})") from None
        if len(infos) > DOWNLOAD_MAX_MEMBERS:
            raise DownloadError(f"{self.source} has {len(infos)} entries "
                                f"(at most {DOWNLOAD_MAX_MEMBERS})")
        for info in infos:
            path = safe_member_path(_utf8_name(info))
            if path is not None and not _hidden(path):
                self.infos.append((path, info))

    def _folder_members(self):
        members = []
        for current, dirs, files in os.walk(self.source):
            here = Path(current)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX"
                             and (here / d).resolve() not in self.exclude)
            rel = PurePosixPath(here.relative_to(self.source).as_posix())
            if here == self.source:
                members += [_Member(PurePosixPath(d), None) for d in dirs]
            for name in sorted(files):
                if name.startswith(".") or (here / name).resolve() in self.exclude:
                    continue
                members.append(_Member(rel / name, (here / name).read_bytes))
            if len(members) > DOWNLOAD_MAX_MEMBERS:
                raise DownloadError(f"{self.source} has more than {DOWNLOAD_MAX_MEMBERS} files")
        return members


def _hidden(path):
    return any(p.startswith(".") or p == "__MACOSX" for p in path.parts)


def _utf8_name(info):
    """A member's name: zips written without the UTF-8 flag are often UTF-8 all the same."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_reader(z, info):
    """A function reading a member, capped at the download's limit."""
    def read():
        with z.open(info) as f:
            return f.read(DOWNLOAD_MAX_BYTES + 1)
    return read


def read_sidecar(folder):
    """(lms, [Participant]) of a class folder unpacked from a download; (None, [])
    for any other folder."""
    try:
        data = json.loads((Path(folder) / SIDECAR).read_text(encoding="utf-8"))
        return data["lms"], [Participant(**p) for p in data["participants"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None, []
