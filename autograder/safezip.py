"""Safe extraction of a submission's zip file: its .py files, nothing else.

A zip is never extracted as it is: only its .py files are written, under
checked names (no absolute path, no "..", no drive letter, nothing from
``__MACOSX``, no hidden file or folder), at most ZIP_MAX_MEMBERS entries,
ZIP_MAX_PY .py files and ZIP_MAX_BYTES uncompressed. A member's size is
read capped, whatever its header says, so that a zip bomb stops at the
limit.
"""
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ZIP_MAX_BYTES = 50 * 1024 ** 2      # uncompressed, all the .py files of a zip together
ZIP_MAX_MEMBERS = 5000              # entries of a zip (files and folders)
ZIP_MAX_PY = 500                    # .py files written from a zip


class SubmissionError(Exception):
    """Nothing gradable in a submission; the message is the CSV's reason."""


@dataclass
class _Extraction:
    """What an extraction has written so far.

    Attributes
    ----------
    written : int
        The .py files written.
    total : int
        Their bytes, uncompressed.
    notes : list of str
        What was skipped, and why.
    """
    written: int = 0
    total: int = 0
    notes: list = field(default_factory=list)


def safe_member_path(name):
    """The relative path a zip member may be written to.

    Parameters
    ----------
    name : str
        The member's name as the zip holds it (``/`` or ``\\`` separators).

    Returns
    -------
    PurePosixPath or None
        The cleaned relative path, or None when the name is unsafe (absolute,
        with a drive letter, a NUL or a ``..``) or empty.
    """
    name = name.replace("\\", "/")
    if "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return PurePosixPath(*parts)


def is_code(rel):
    """Whether a member's (safe) relative path is a .py file worth writing.

    macOS debris (``__MACOSX``, ``._`` files) and hidden files or folders
    are not.
    """
    return not ("__MACOSX" in rel.parts or rel.name.startswith("._")
                or any(p.startswith(".") for p in rel.parts) or rel.suffix != ".py")


def safe_extract(zip_path, dest):
    """Write the .py files of a zip under ``dest``.

    Parameters
    ----------
    zip_path : path-like
        The zip file.
    dest : path-like
        The folder to write into (created as needed: not at all when
        nothing is written).

    Returns
    -------
    list of str
        Notes: the entries skipped (an unsafe path, a second entry of the
        same name, a name the file system refuses).

    Raises
    ------
    SubmissionError
        When the file is not a readable zip, or is over the limits.
    """
    dest = Path(dest)
    done = _Extraction()
    with _open_zip(zip_path) as z:
        for info in _members(z):
            if info.is_dir():
                continue
            rel = safe_member_path(info.filename)
            if rel is None:
                done.notes.append(f"ignored an entry with an unsafe path: {info.filename!r}")
                continue
            if not is_code(rel):
                continue
            data = _read_member(z, info, done)
            if _write_member(dest.joinpath(*rel.parts), data, info.filename, done.notes):
                done.written += 1
    return done.notes


def _open_zip(zip_path):
    """The open ZipFile; SubmissionError when it is not a zip."""
    try:
        return zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SubmissionError(f"not a valid zip file ({exc})") from None


def _members(z):
    """The zip's entries, at most ZIP_MAX_MEMBERS (SubmissionError otherwise)."""
    try:
        members = z.infolist()
    except Exception as exc:                               # noqa: BLE001
        raise SubmissionError(f"unreadable zip file ({exc})") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise SubmissionError(f"zip file with {len(members)} entries "
                              f"(at most {ZIP_MAX_MEMBERS})")
    return members


def _too_big():
    return SubmissionError(f"zip file over {ZIP_MAX_BYTES // 1024 ** 2} MB of .py "
                           "files uncompressed")


def _read_member(z, info, done):
    """A member's bytes, read within the limits left (counted in ``done``)."""
    if done.written >= ZIP_MAX_PY:
        raise SubmissionError(f"zip file with more than {ZIP_MAX_PY} .py files")
    if done.total + info.file_size > ZIP_MAX_BYTES:
        raise _too_big()
    try:
        with z.open(info) as f:          # the header's size may lie: read capped
            data = f.read(ZIP_MAX_BYTES - done.total + 1)
    except Exception as exc:                               # noqa: BLE001
        raise SubmissionError(f"unreadable zip file ({info.filename}: {exc})") from None
    done.total += len(data)
    if done.total > ZIP_MAX_BYTES:
        raise _too_big()
    return data


def _write_member(target, data, name, notes):
    """Write a member's bytes to ``target``; False (and a note) if it was not."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            notes.append(f"ignored a second entry {name!r}")
            return False
        target.write_bytes(data)
    except OSError as exc:              # a name the file system refuses
        notes.append(f"ignored an entry that could not be written: {name!r} ({exc.strerror})")
        return False
    return True
