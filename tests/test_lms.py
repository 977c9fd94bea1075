"""Moodle and Canvas, both ways (autograder/lms/).

One small Moodle class is graded through ``grade-all`` from Moodle's
download zip (a folder per participant: accents, spaces, an apostrophe, two
students of the same name, a student's own zip, an online text only, a
participant missing from the worksheet), with the English worksheet; the
filled worksheet is compared with the input field by field and byte by
byte, and the feedback zip's names are checked with the rule of Moodle's
import (a port of importziplib.php's ``is_valid_filename_for_import``). The
flat layout, the French worksheet and the refusals are tested in-process.
One smaller Canvas class goes the same way with its gradebook.
"""
import csv
import io
import re
from html import escape
import zipfile
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pytest

from autograder import scheme
from autograder.lms import canvas, moodle
from autograder.lms.csvtable import quote, read_table
from autograder.lms.download import DownloadError, read_sidecar, unpack
from autograder.lms.graded import Graded, read_graded
from autograder.lms.roundtrip import LAYOUTS, before_batch
from autograder.lms.sheets import SheetError, write_new
from autograder.mistakes import SIGMOID_GRADIENT_MISTAKES
from commands import ROOT, autograder_command
from submissions import write_submission

pytestmark = pytest.mark.xdist_group("lms")

SG = scheme.part("sigmoid_gradient").name
WRONG_SG = SIGMOID_GRADIENT_MISTAKES["sigmoid"].short


def reference(name):
    return (ROOT / name).read_text()


def student_files(tmp_path, name):
    """The files of tests/submissions.py's submission ``name``."""
    folder = write_submission(name, tmp_path / "written" / name)
    return {p.name: p.read_text() for p in folder.iterdir()}


def own_zip(files):
    """A student's own zip: the files in a folder, with macOS debris."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(f"ex4 final/{name}", text)
        z.writestr("__MACOSX/ex4 final/._nnCostFunction.py", b"\x00junk")
    return out.getvalue()


# --- Moodle ---------------------------------------------------------------------------------

# participant number -> (full name, {file in the submission: content}); Moodle writes the
# name with its underscores as spaces. 5678901 is in the download, not in the worksheet.
MOODLE_NAMES = {"1234567": "Élodie Martin", "2345678": "Jean Dupont", "3456789": "Jean Dupont",
                "4567890": "Anne-Marie O'Neil", "5678901": "Paul Nouveau"}


def moodle_class(tmp_path):
    """participant number -> the files of the submission."""
    right = student_files(tmp_path, "reference")
    return {"1234567": right, "2345678": student_files(tmp_path, "sigmoid_as_gradient"),
            "3456789": {"ex4.zip": own_zip(right)}, "4567890": {},      # an online text only
            "5678901": {"notes.txt": "I could not finish."}}



MOODLE_STUDENTS = {"1234567": "Élodie Martin", "2345678": "Jean Dupont (2345678)",
                   "3456789": "Jean Dupont (3456789)", "4567890": "Anne-Marie O'Neil",
                   "5678901": "Paul Nouveau"}
NOT_DOWNLOADED = ("9999999", "Zoé Absente")          # in the worksheet only
EN_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade",
             "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
             "Feedback comments"]
FR_HEADER = ["Identifiant", "Nom complet", "Adresse de courriel", "Statut", "Note",
             "Note maximale", "La note peut être modifiée",
             "Dernière modification (travail remis)", "Dernière modification (note)",
             "Feedback par commentaires"]


def moodle_download(path, flat=False):
    """Moodle's "Download all submissions" zip: a folder per participant, or flat."""
    with zipfile.ZipFile(path, "w") as z:
        for number, files in moodle_class(path.parent).items():
            name = MOODLE_NAMES[number]
            if not files:                          # an online text only
                z.writestr(f"{name}_{number}_assignsubmission_onlinetext/onlinetext.html",
                           "<p>see my files</p>")
            for file, content in files.items():
                prefix = f"{name}_{number}_assignsubmission_file"
                z.writestr(f"{prefix}_{file}" if flat else f"{prefix}/{file}", content)
    return path


def worksheet(path, header, maximum="100.00", grade="", hidden="Participant "):
    """A worksheet as Moodle writes it: UTF-8 with a byte order mark, fputcsv's quoting;
    the identifier is the language's ``hiddenuser`` and the number ("Participant" with
    no space in French)."""
    rows = [(n, name) for n, name in MOODLE_NAMES.items() if n != "5678901"]
    rows.insert(2, NOT_DOWNLOADED)
    lines = [header] + [[f"{hidden}{number}", name, f"{number}@example.org",
                         "Submitted for grading", grade, maximum, "Yes",
                         "Monday, 1 December 2025, 10:00 AM", "-", ""] for number, name in rows]
    text = "".join(",".join(quote(cell, ",") for cell in line) + "\n" for line in lines)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def moodle_graded(tmp_path_factory, course_data):
    base = tmp_path_factory.mktemp("moodle")
    download = moodle_download(base / "ML-Exercise 4-42.zip")
    sheet = worksheet(base / "Grades-ML-Exercise 4-42.csv", EN_HEADER)
    csv_path = base / "grades.csv"
    proc = autograder_command("grade-all", download, "--csv", csv_path, "--jobs", 1,
                              "--timeout", 8, "--parts", "sigmoid_gradient",
                              "--moodle-worksheet", sheet, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return SimpleNamespace(base=base, download=download, sheet=sheet, csv=csv_path, proc=proc,
                           filled=base / "grades.moodle-worksheet.csv",
                           zip=base / "grades.moodle-feedback.zip",
                           feedback=base / "grades.feedback")


def test_moodle_download_graded_with_readable_students_and_their_numbers(moodle_graded):
    with open(moodle_graded.csv, newline="", encoding="utf-8") as f:
        rows = {r["participant"]: r for r in csv.DictReader(f)}
    assert {n: r["student"] for n, r in rows.items()} == MOODLE_STUDENTS
    assert {n: (r["total"], r["status"]) for n, r in rows.items()} == {
        "1234567": ("5", "graded"), "2345678": ("0", "graded"),
        "3456789": ("5", "graded"),                  # from the student's own zip
        "4567890": ("0", "missing files"), "5678901": ("0", "missing files")}
    assert rows["2345678"]["diagnosis"] == WRONG_SG


def moodle_import_target(entry, participants):
    """importziplib.php's is_valid_filename_for_import, ported: (participant, plugin,
    file name) of a zip entry, or None."""
    if entry.endswith("/") or entry.split("/")[-1].startswith((".", "~")):
        return None
    parts = entry.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit() or info[1] not in participants:
            continue
        return info[1], f"{info[2]}_{info[3]}", "/".join([info[4] if len(info) > 4 else "",
                                                           *parts]).strip("/")
    return None


def test_moodle_feedback_zip_names_pass_moodles_import_rule(moodle_graded):
    with zipfile.ZipFile(moodle_graded.zip) as z:
        names = z.namelist()
    targets = [moodle_import_target(n, MOODLE_STUDENTS) for n in names]
    assert sorted(targets) == sorted((n, "assignfeedback_file", f"feedback{s}")
                                     for n in MOODLE_STUDENTS for s in (".html", ".txt"))
    assert "Élodie Martin_1234567_assignfeedback_file_/feedback.html" in names
    from autograder.feedback_pages import page_paths
    html, txt = page_paths(moodle_graded.feedback, "Jean Dupont (2345678)")
    with zipfile.ZipFile(moodle_graded.zip) as z:        # the student's own pages
        assert z.read("Jean Dupont_2345678_assignfeedback_file_/feedback.txt") == txt.read_bytes()
        assert z.read("Jean Dupont_2345678_assignfeedback_file_/feedback.html") == \
            html.read_bytes()
    assert txt.read_text().startswith("Feedback for Jean Dupont (2345678)")


def test_moodle_worksheet_filled_field_by_field(moodle_graded):
    before, after = read_table(moodle_graded.sheet), read_table(moodle_graded.filled)
    assert after.bom and after.header == before.header == EN_HEADER
    assert len(after.records) == len(before.records) == 6
    grade, comments = EN_HEADER.index("Grade"), EN_HEADER.index("Feedback comments")
    changed = {}
    for old, new in zip(before.records, after.records):
        for i, (a, b) in enumerate(zip(old, new)):
            if a.value != b.value:
                changed[(old[0].value, EN_HEADER[i])] = b.value
    grades = {k[0]: v for k, v in changed.items() if k[1] == "Grade"}
    assert grades == {"Participant 1234567": "100.00", "Participant 2345678": "0.00",
                      "Participant 3456789": "100.00", "Participant 4567890": "0.00"}
    assert {k[1] for k in changed} == {"Grade", "Feedback comments"}
    wrong = changed[("Participant 2345678", "Feedback comments")]
    diagnosis = escape(WRONG_SG, quote=False)
    assert wrong == f"<p>Exercise 4 autograder: 0 / 5<br>{SG}: 0 / 5 ({diagnosis})</p>"
    assert "Status: missing files" in changed[("Participant 4567890", "Feedback comments")]
    # Everything but the filled cells is byte for byte the input.
    cells = [(r, c) for r in range(1, 6) for c in (grade, comments)]
    assert outside(after, cells) == outside(before, cells)


def outside(table, cells):
    """The file's text between the given cells (a list of segments)."""
    spans = sorted((table.records[r][c].start, table.records[r][c].end) for r, c in cells)
    ends = [0] + [end for _, end in spans]
    starts = [start for start, _ in spans] + [len(table.text)]
    return [table.text[a:b] for a, b in zip(ends, starts)]


def test_moodle_round_trip_reports_who_is_missing_on_either_side(moodle_graded):
    out = moodle_graded.proc.stdout
    assert "Moodle worksheet: 4 grade(s) filled" in out
    assert "1 in the download, not in the sheet (no grade written): Paul Nouveau" in out
    assert "1 in the sheet, not in the download (left as they were): Participant 9999999" in out
    assert moodle_graded.sheet.read_bytes().startswith(b"\xef\xbb\xbf")   # left as it was


def test_moodle_flat_layout_unpacks_as_the_folders_do(tmp_path):
    folders = unpack(moodle_download(tmp_path / "a.zip"), tmp_path / "a", LAYOUTS)
    flat = unpack(moodle_download(tmp_path / "b.zip", flat=True), tmp_path / "b", LAYOUTS)
    assert folders.layout.lms == flat.layout.lms == "moodle"
    assert folders.participants == flat.participants
    files = {p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")}
    assert files == {p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")}
    assert Path("Jean Dupont (3456789)/ex4.zip") in files
    assert Path("Anne-Marie O'Neil") in files and Path("Paul Nouveau/notes.txt") not in files
    # The extracted folder is a download too; a rerun writes the class folder again.
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        z.extractall(tmp_path / "extracted")
    again = unpack(tmp_path / "extracted", tmp_path / "a", LAYOUTS)
    assert again.participants == folders.participants
    assert read_sidecar(tmp_path / "a")[0] == "moodle"


def test_names_written_without_the_zip_utf8_flag_are_read_as_utf8(tmp_path):
    """Zips written without the UTF-8 flag (older zip tools) often hold UTF-8 names."""
    path = tmp_path / "d.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("XXlodie Martin_1234567_assignsubmission_file/sigmoid.py", "x = 1\n")
    path.write_bytes(path.read_bytes().replace(b"XXlodie", "Élodie".encode()))
    with zipfile.ZipFile(path) as z:
        assert z.namelist()[0].startswith("├ëlodie")           # read as cp437
    unpacked = unpack(path, tmp_path / "out", LAYOUTS)
    assert [p.student for p in unpacked.participants] == ["Élodie Martin"]
    assert (tmp_path / "out" / "Élodie Martin" / "sigmoid.py").read_text() == "x = 1\n"


def test_moodle_french_worksheet_filled_with_its_decimal_comma(moodle_graded, tmp_path):
    sheet = worksheet(tmp_path / "fr.csv", FR_HEADER, maximum="20,00", hidden="Participant")
    _, participants = read_sidecar(moodle_graded.base / "grades.submissions")
    filled = moodle.fill_worksheet(read_table(sheet), participants,
                                   read_graded(moodle_graded.csv))
    (tmp_path / "out.csv").write_bytes(filled.data)
    rows = {r[0].value: r for r in read_table(tmp_path / "out.csv").records[1:]}
    assert rows["Participant2345678"][FR_HEADER.index("Note")].value == "0,00"
    assert rows["Participant1234567"][FR_HEADER.index("Note")].value == "20,00"
    assert rows["Participant9999999"][FR_HEADER.index("Note")].value == ""
    assert filled.not_in_sheet == ["Paul Nouveau"]


def test_grades_scaled_and_written_as_each_sheet_writes_its_numbers():
    graded = Graded("a", "1", 30.0, 45, "graded", "", ())
    assert graded.scaled(100) == 66.67 and graded.scaled(20) == 13.33
    assert moodle.grade_text(66.67, "100.00") == "66.67"
    assert moodle.grade_text(13.33, "20,00") == "13,33"
    assert moodle.grade_text(13.5, "20,0") == "13,5"
    assert canvas._score(42.5, comma=False) == "42.5" and canvas._score(20.0, comma=True) == "20"
    assert moodle.participant_number("Participant 0042") == "0042"
    assert moodle.participant_number("Participant") is None


@pytest.mark.parametrize("missing", ["Feedback comments", "Identifier", "Last modified (grade)"])
def test_moodle_worksheet_without_a_needed_column_is_refused(tmp_path, missing):
    header = [h if h != missing else "Something else" for h in EN_HEADER]
    with pytest.raises(SheetError, match=f'no column "{re.escape(missing)}"'):
        moodle.fill_worksheet(read_table(worksheet(tmp_path / "w.csv", header)), [], {})


def test_sheets_are_checked_before_grading_and_never_written_over(tmp_path):
    download = moodle_download(tmp_path / "d.zip")
    bad = worksheet(tmp_path / "bad.csv", EN_HEADER[:-1] + ["Comments"])
    proc = autograder_command("grade-all", download, "--csv", tmp_path / "g.csv",
                              "--moodle-worksheet", bad)
    assert proc.returncode == 2 and 'no column "Feedback comments"' in proc.stderr
    assert not (tmp_path / "g.csv").exists()
    same = worksheet(tmp_path / "g.moodle-worksheet.csv", EN_HEADER)
    err = io.StringIO()
    args = SimpleNamespace(submissions=str(download), csv=str(tmp_path / "g.csv"),
                           moodle_worksheet=str(same))
    assert before_batch(args, err) == 2 and "would be written over" in err.getvalue()
    with pytest.raises(SheetError, match="would be written over"):
        write_new(same, b"", same)


def test_a_download_mixed_with_other_entries_is_refused(tmp_path):
    download = moodle_download(tmp_path / "d.zip")
    with zipfile.ZipFile(download, "a") as z:
        z.writestr("stray.py", "x = 1\n")
    with pytest.raises(DownloadError, match="holds Moodle's download and 1 other entry"):
        unpack(download, tmp_path / "out", LAYOUTS)


# --- Canvas ---------------------------------------------------------------------------------

GRADED_SIG = {"sigmoidGradient.py": reference("sigmoidGradient.py"),
              "sigmoid.py": reference("sigmoid.py")}
CANVAS_ENTRIES = {                                   # Canvas's names (lib/content_zipper.rb)
    "martinélodie_1001_5001_sigmoidGradient.py": GRADED_SIG["sigmoidGradient.py"],
    "martinélodie_1001_5002_sigmoid.py": GRADED_SIG["sigmoid.py"],
    "dupontjean_LATE_1002_5003_sigmoidGradient-1.py": GRADED_SIG["sigmoidGradient.py"],
    "dupontjean_LATE_1002_5004_sigmoid.py": GRADED_SIG["sigmoid.py"],
    "smithbob_1003_text.html": "<p>I forgot the files</p>",
}
GRADEBOOK = ('Student,ID,SIS User ID,SIS Login ID,Section,Exercise 4 (777),Quiz 1 (778),'
             'Current Score\n'
             '    Points Possible,,,,,20.00,10.00,(read only)\n'
             '"Martin, Élodie",1001,S1,emartin,ML 2025,,8.00,40.00\n'
             '"Dupont, Jean",1002,S2,jdupont,ML 2025,,9.00,45.00\n'
             '"Smith, Bob",1003,S3,bsmith,ML 2025,,7.00,35.00\n'
             '"Absent, Zoé",1004,S4,zabsent,ML 2025,,,0.00\n'
             '"Student, Test",1005,,,ML 2025,,,0.00\n')


@pytest.fixture(scope="module")
def canvas_graded(tmp_path_factory, course_data):
    base = tmp_path_factory.mktemp("canvas")
    with zipfile.ZipFile(base / "submissions.zip", "w") as z:
        for name, text in CANVAS_ENTRIES.items():
            z.writestr(name, text)
    (base / "gradebook.csv").write_text(GRADEBOOK, encoding="utf-8")
    proc = autograder_command("grade-all", base / "submissions.zip", "--csv", base / "g.csv",
                              "--jobs", 1, "--timeout", 8, "--parts", "sigmoid_gradient",
                              "--canvas-gradebook",
                              base / "gradebook.csv", "--canvas-assignment", "777", timeout=300)
    assert proc.returncode == 0, proc.stderr
    return SimpleNamespace(base=base, proc=proc, csv=base / "g.csv",
                           filled=base / "g.canvas-gradebook.csv")


def test_canvas_download_graded_and_gradebook_column_filled(canvas_graded):
    with open(canvas_graded.csv, newline="", encoding="utf-8") as f:
        rows = {r["participant"]: (r["student"], r["total"], r["status"])
                for r in csv.DictReader(f)}
    assert rows == {"1001": ("martinélodie", "5", "graded"),
                    "1002": ("dupontjean", "5", "graded"),     # sigmoidGradient-1.py
                    "1003": ("smithbob", "0", "missing files")}
    before = GRADEBOOK.splitlines()
    after = canvas_graded.filled.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after) if a != b]
    assert changed == [(before[2], before[2].replace(",,8.00", ",20,8.00")),
                       (before[3], before[3].replace(",,9.00", ",20,9.00")),
                       (before[4], before[4].replace(",,7.00", ",0,7.00"))]
    out = canvas_graded.proc.stdout
    assert "Canvas gradebook: 3 grade(s) filled" in out
    assert "2 in the sheet, not in the download (left as they were): Absent, Zoé (1004), " \
           "Student, Test (1005)" in out


def test_canvas_names_and_the_assignment_column(tmp_path):
    assert canvas.locate(PurePosixPath("o_brien_LATE_12_34_my_file.py")) == \
        canvas.Located("o_brien", "12", PurePosixPath("my_file.py"))
    assert canvas.locate(PurePosixPath("anon_AbC12_99_a.py")) == \
        canvas.Located("", "anon_AbC12", PurePosixPath("a.py"))
    assert canvas.locate(PurePosixPath("LATE_anon_AbC12_text.html")).participant == "anon_AbC12"
    assert canvas.locate(PurePosixPath("smithbob_1003_link.html")) == \
        canvas.Located("smithbob", "1003", None)
    assert canvas.locate(PurePosixPath("folder/x_1_2_a.py")) is None
    assert canvas.locate(PurePosixPath("smithbob_1003_5001_text.html")) == \
        canvas.Located("smithbob", "1003", PurePosixPath("text.html"))
    assert canvas.tidy([PurePosixPath("nnCostFunction-2.py"), PurePosixPath("utils-1.py")]) == \
        [PurePosixPath("nnCostFunction.py"), PurePosixPath("utils-1.py")]
    header = GRADEBOOK.splitlines()[0].split(",")
    assert canvas.assignment_column(header, "Exercise 4", "g") == 5
    with pytest.raises(SheetError, match="2 assignment columns"):
        canvas.assignment_column(header, None, "g")
