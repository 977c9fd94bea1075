"""``grade-all`` with an LMS: its download in, its grade sheet and feedback out.

Before the batch (:func:`before_batch`): when SUBMISSIONS_DIR is Moodle's
or Canvas's download (a zip, or the folder it extracts to), it is unpacked
into the class folder ``<csv stem>.submissions/`` (autograder/lms/
download.py), which the batch grades; the grade sheets given are checked
first, so that a wrong file stops the command before any grading.

After it (:func:`after_batch`), beside the CSV:

- ``<csv stem>.moodle-feedback.zip``: each student's feedback files, as
  Moodle's "Upload multiple feedback files in a zip" takes them;
- ``<csv stem>.moodle-worksheet.csv`` (``--moodle-worksheet``): Moodle's
  offline grading worksheet, filled;
- ``<csv stem>.canvas-gradebook.csv`` (``--canvas-gradebook``): Canvas's
  gradebook export, the assignment's column filled.

A sheet is never written over; what could not be matched is listed
(autograder/lms/sheets.py).
"""
import sys
from pathlib import Path

import ex4data

from ..feedback_pages import default_dir
from ..records import beside, details_path
from . import canvas, moodle
from .csvtable import TableError, read_table
from .download import DownloadError, read_sidecar, unpack
from .graded import GradedError, read_graded
from .sheets import SheetError, summary, write_new

LAYOUTS = (moodle.LAYOUT, canvas.LAYOUT)
CLASS_FOLDER = ".submissions"
MOODLE_FEEDBACK_ZIP = ".moodle-feedback.zip"
MOODLE_WORKSHEET = ".moodle-worksheet.csv"
CANVAS_GRADEBOOK = ".canvas-gradebook.csv"

LMS_ERRORS = (DownloadError, TableError, SheetError, GradedError, OSError)


def before_batch(args, err=None):
    """Unpack an LMS download into the class folder, and check the sheets given.

    ``args.submissions`` becomes the class folder when it was a download.

    Returns
    -------
    int
        0, or 2 (said on ``err``) when the download or a sheet is unusable.
    """
    err = err or sys.stderr
    try:
        _check_sheets(args)
        class_folder = beside(args.csv, CLASS_FOLDER)
        source = Path(args.submissions)
        if source.resolve() != class_folder.resolve():
            unpacked = unpack(source, class_folder, LAYOUTS, exclude=_outputs(args))
            if unpacked is None and source.is_file():
                raise DownloadError(f"SUBMISSIONS_DIR must be a folder, or Moodle's or "
                                    f"Canvas's download zip; {source} is a zip file whose "
                                    "names are neither's")
            if unpacked is not None:
                err.write(f"{unpacked.layout.title} download {source}: "
                          f"{len(unpacked.participants)} participant(s), unpacked into "
                          f"{class_folder}\n" + "".join(f"  {n}\n" for n in unpacked.notes))
                args.submissions = str(class_folder)
        lms = read_sidecar(args.submissions)[0]
        for option, wanted in (("moodle_worksheet", "moodle"), ("canvas_gradebook", "canvas")):
            if getattr(args, option, None) and lms != wanted:
                raise SheetError(f"--{option.replace('_', '-')} needs {wanted.title()}'s "
                                 f"download as SUBMISSIONS_DIR (its participants' numbers "
                                 f"match the rows), found {source}")
    except LMS_ERRORS as exc:
        err.write(f"grade-all: {exc}\n")
        return 2
    return 0


def after_batch(args, out=None):
    """Write the LMS's files of a graded class (nothing for a plain class folder).

    Returns
    -------
    int
        0, or 2 (said on stderr) when a file cannot be written.
    """
    out = out or sys.stdout
    lms, participants = read_sidecar(args.submissions)
    if lms is None:
        return 0
    try:
        graded = read_graded(args.csv)
        if lms == "moodle":
            _moodle_outputs(args, participants, graded, out)
        elif getattr(args, "canvas_gradebook", None):
            table = read_table(args.canvas_gradebook)
            filled = canvas.fill_gradebook(table, participants, graded,
                                           getattr(args, "canvas_assignment", None))
            _write_sheet(filled, args.canvas_gradebook, beside(args.csv, CANVAS_GRADEBOOK),
                         "Canvas gradebook", out)
    except LMS_ERRORS as exc:
        print(f"grade-all: {exc}", file=sys.stderr)
        return 2
    out.flush()
    return 0


def _moodle_outputs(args, participants, graded, out):
    """The feedback zip, and the worksheet filled (``--moodle-worksheet``)."""
    feedback = Path(getattr(args, "feedback_dir", None) or default_dir(args.csv))
    target = beside(args.csv, MOODLE_FEEDBACK_ZIP)
    if feedback.is_dir():
        chosen = [p for p in participants
                  if p.participant in graded and graded[p.participant].fillable]
        with ex4data.atomic_output(target, "wb") as f:
            missing = moodle.feedback_zip(f, chosen, feedback)
        out.write(f"Moodle feedback files: {target} ({len(chosen) - len(missing)} "
                  "participant(s))\n")
        if missing:
            out.write(f"  no feedback file in {feedback} for: {', '.join(missing[:8])}\n")
    else:
        out.write(f"Moodle feedback files: not written, no feedback folder {feedback}\n")
    if getattr(args, "moodle_worksheet", None):
        filled = moodle.fill_worksheet(read_table(args.moodle_worksheet), participants, graded)
        _write_sheet(filled, args.moodle_worksheet, beside(args.csv, MOODLE_WORKSHEET),
                     "Moodle worksheet", out)


def _write_sheet(filled, source, target, what, out):
    write_new(target, filled.data, source)
    out.write("\n".join(summary(filled, target, what)) + "\n")


def _check_sheets(args):
    """Read the sheets given and find their columns, before any grading."""
    worksheet = getattr(args, "moodle_worksheet", None)
    gradebook = getattr(args, "canvas_gradebook", None)
    for sheet, suffix in ((worksheet, MOODLE_WORKSHEET), (gradebook, CANVAS_GRADEBOOK)):
        if sheet:
            write_target = beside(args.csv, suffix)
            if Path(sheet).resolve() == write_target.resolve():
                raise SheetError(f"{sheet} would be written over by the filled sheet: "
                                 "give it another name")
    if worksheet:
        try:
            moodle.column_indexes(read_table(worksheet).header, worksheet)
        except ValueError as exc:
            raise SheetError(str(exc)) from None
    if gradebook:
        table = read_table(gradebook)
        canvas.assignment_column(table.header, getattr(args, "canvas_assignment", None),
                                 gradebook)


def _outputs(args):
    """What grade-all writes, which a download's folder may hold: not the download's."""
    csv_path = Path(args.csv)
    return [csv_path, details_path(csv_path), beside(csv_path, CLASS_FOLDER),
            getattr(args, "json_dir", None),
            getattr(args, "feedback_dir", None), default_dir(csv_path),
            *(beside(csv_path, s) for s in (MOODLE_FEEDBACK_ZIP, MOODLE_WORKSHEET,
                                                 CANVAS_GRADEBOOK)),
            getattr(args, "moodle_worksheet", None), getattr(args, "canvas_gradebook", None),
            getattr(args, "report", None)]
