"""Each student's feedback pages (``grade-all``: ``<csv stem>.feedback/``), and
a rerun that grades only what changed.

A class of three (a right solution, the bias regularised, an empty folder)
is graded once through the real command, on the two cost parts; a copy of
it is graded again after one submission changed and one arrived, with
``--after-due-date``. The pages must say what ``grade`` says (the score
table, the diagnosis first, the cases), without a hidden case's values
before the due date and with them after, never a scratch path; the rerun
must grade only the changed and the new submission and leave every output
complete; one page is opened in headless Chromium at a phone's width.
"""
import csv
import json
import re
import shutil
from types import SimpleNamespace

import pytest

import ex4data
from autograder import records, scheme
from autograder.feedback_pages import (FeedbackPage, Score, Section, headline, page_paths,
                                       render_html, write_pages)
from autograder.one_submission import grader_error
from autograder.records import selected_parts
from autograder.submissions import Submission, fingerprint
from commands import CHROMIUM, ROOT, autograder_command, chromium_screenshot

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("feedback_pages")

PARTS = ["cost", "regularized_cost"]
COST, REG = (scheme.part(k).name for k in PARTS)
STUDENTS = ROOT / "tests" / "students"
HIDDEN = f"{REG}: hidden cases"
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2",
             "p", "ul", "li", "section", "strong", "table", "thead", "tbody", "tr", "th", "td",
             "span", "small", "pre", "footer"}


def grade_all(klass, base, *options):
    proc = autograder_command("grade-all", klass, "--csv", base / "grades.csv", "--json-dir",
                              base / "json", "--jobs", 2, "--parts", *PARTS, *options,
                              timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def read(base, student):
    """(html, text, results.json) of a student."""
    html, txt = page_paths(base / "grades.feedback", student)
    return (html.read_text(encoding="utf-8"), txt.read_text(encoding="utf-8"),
            json.loads((base / "json" / f"{student}.json").read_text(encoding="utf-8")))


def rows(base):
    with open(base / "grades.csv", newline="", encoding="utf-8") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def hidden_values(document):
    """The lines of a results.json's hidden cases that show values."""
    test = next(t for t in document["tests"] if t["name"] == HIDDEN)
    return [line.strip() for line in test["output"].splitlines() if "obtained" in line]


def page_text(html):
    """The visible text of a page and its tags, by an HTML parser."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text, self.skip = set(), [], False

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)
            self.skip = tag in ("style", "title")

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip:
                self.text.append(data)

    page = Page()
    page.feed(html)
    return page.tags, "".join(page.text)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, course_data):
    base = tmp_path_factory.mktemp("feedback")
    # The course data without the weights: the cases on the weights (5000
    # examples) are not checked, the small ones are.
    data = base / "data"
    data.mkdir()
    shutil.copyfile(ex4data.DATA_DIR / ex4data.DATA_FILE, data / ex4data.DATA_FILE)
    klass = base / "class"
    shutil.copytree(STUDENTS / "right_vectorised_french", klass / "ann")
    shutil.copytree(STUDENTS / "wrong_regularize_bias", klass / "bob")
    (klass / "cy").mkdir()
    proc = grade_all(klass, base, "--data", data)
    return SimpleNamespace(base=base, klass=klass, proc=proc, data=data,
                           pages={s: read(base, s) for s in ("ann", "bob", "cy")})


@pytest.fixture(scope="module")
def rerun(graded, tmp_path_factory):
    """The class graded again after bob fixed his cost and dan handed in bob's
    first version, with --after-due-date."""
    base = tmp_path_factory.mktemp("rerun")
    for name in ("class", "json", "grades.feedback"):
        shutil.copytree(graded.base / name, base / name)
    for name in ("grades.csv", "grades.details.jsonl"):
        shutil.copyfile(graded.base / name, base / name)
    shutil.copytree(STUDENTS / "wrong_regularize_bias", base / "class" / "dan")
    shutil.copyfile(STUDENTS / "right_vectorised_french" / "nnCostFunction.py",
                    base / "class" / "bob" / "nnCostFunction.py")
    proc = grade_all(base / "class", base, "--data", graded.data, "--after-due-date")
    return SimpleNamespace(base=base, proc=proc,
                           pages={s: read(base, s) for s in ("ann", "bob", "dan")})


@pytest.mark.slow
def test_every_student_gets_a_page_and_a_text(graded):
    folder = graded.base / "grades.feedback"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{s}.{ext}" for s in ("ann", "bob", "cy") for ext in ("html", "txt")]
    assert page_paths(folder, "bob") == (folder / "bob.html", folder / "bob.txt")
    assert "3 to grade" in graded.proc.stderr


@pytest.mark.slow
def test_the_text_is_the_report_of_grade_with_the_diagnosis_first(graded):
    html, txt, document = graded.pages["bob"]
    assert f"{REG}        0 / 15   failed" in txt and "Total                           30 / 45" in txt
    section = txt[txt.index(f"\n{REG}: 0 / 15\n"):]
    lines = section.splitlines()[2:]
    assert lines[0].startswith("  likely mistake: the bias weights are regularised")
    assert re.search(r"\(in (\d+) of \1 cases\)$", lines[0])
    assert lines[1].startswith("  FAIL [public] J of nnCostFunction(t, 2, 4, 4, Xm, ym, 1.5)")
    assert "obtained J = 3.83454" in section                       # a public case's values
    assert "hidden cases: 0 of 6 passed (their values after the due date)" in section
    visible = next(t["output"] for t in document["tests"] if t["name"] == REG)
    assert visible in txt                                         # Gradescope's visible text
    assert rows(graded.base)["bob"]["total"] == "30"


@pytest.mark.slow
def test_no_hidden_value_and_no_scratch_path_before_the_due_date(graded):
    values = hidden_values(graded.pages["bob"][2])
    assert len(values) == 6 and all("obtained J = " in v for v in values)
    for student, (html, txt, _) in graded.pages.items():
        for text in (html, txt):
            assert not any(v in text for v in values), student
            assert not re.search(r"ex4(grade|batch)-|/tmp/|pytest-", text), student
            assert str(graded.base) not in text, student


@pytest.mark.slow
def test_the_html_says_what_the_text_says(graded):
    html, txt, _ = graded.pages["bob"]
    tags, text = page_text(html)
    assert tags <= PAGE_TAGS, tags - PAGE_TAGS
    for line in txt.splitlines():
        if line.startswith("  likely mistake") or line.startswith("  FAIL"):
            assert line.strip() in text, line
    assert "Total: 30 / 45" in text and "bob" in text
    assert text.index("likely mistake") < text.index("FAIL [public]")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"https?:|src=|url\(", html)


@pytest.mark.slow
def test_an_empty_submission_gets_a_page_that_says_so(graded):
    html, txt, _ = graded.pages["cy"]
    assert txt.startswith("Feedback for cy\n\nFiles are missing: none of the student files")
    assert f"{COST}    0 / 30   missing files" in txt
    assert "Files are missing: none of the student files" in page_text(html)[1]


def test_a_grader_failure_gets_a_page_that_says_it_is_no_verdict(tmp_path):
    failure = KeyError(f"{tmp_path}/ex4batch-x/nnCostFunction.py")
    outcome = grader_error(Submission("eve", tmp_path), selected_parts(PARTS), failure, 1.0)
    html_path, txt_path = write_pages(tmp_path, outcome.details.feedback)
    text = txt_path.read_text(encoding="utf-8")
    assert text == ("Feedback for eve\n\nNot graded: the grader itself failed on your "
                    "submission. This says nothing about your code; your instructor will "
                    "grade it again.\n")
    assert "the grader itself failed" in page_text(html_path.read_text(encoding="utf-8"))[1]
    assert headline("environment error", "no numpy") == (
        False, "Not graded (environment error): this says nothing about your code; your "
               "instructor will grade it again.")


def test_the_fingerprint_follows_the_files_not_the_folder(tmp_path):
    one = tmp_path / "one"
    shutil.copytree(STUDENTS / "wrong_regularize_bias", one)
    first = fingerprint(one)
    (one / "__pycache__").mkdir()
    (one / "__pycache__" / "sigmoid.cpython-311.pyc").write_bytes(b"x")
    (one / ".DS_Store").write_bytes(b"x")
    shutil.copytree(one, tmp_path / "two")
    assert fingerprint(one) == first == fingerprint(tmp_path / "two")
    (one / "notes.txt").write_text("mine")
    assert fingerprint(one) != first
    (one / "notes.txt").unlink()
    with open(one / "sigmoid.py", "a") as f:
        f.write("\n")
    assert fingerprint(one) != first


def test_names_and_messages_are_shown_as_text():
    page = FeedbackPage("<b>eve</b> & co", "graded", "", "Every part ran.", True, False,
                        scores=[Score(COST, 0.0, 30, True, "failed")],
                        sections=[Section(f"{COST}: 0 / 30", "failed",
                                          "  <script>alert(1)</script>\n  FAIL <i>it</i>")])
    html = render_html(page)
    tags, text = page_text(html)
    assert "<script>" not in html and not {"b", "i"} & tags
    for shown in ("<b>eve</b> & co", "<script>alert(1)</script>", "FAIL <i>it</i>"):
        assert shown in text, shown


@pytest.mark.slow
def test_a_rerun_grades_only_the_changed_and_the_new_submissions(graded, rerun):
    assert "4 submission(s)" in rerun.proc.stderr
    assert "2 to grade (1 changed or not complete), 2 already in" in rerun.proc.stderr
    assert "2 graded now" in rerun.proc.stdout
    before, after = rows(graded.base), rows(rerun.base)
    assert after["ann"] == before["ann"] and after["cy"] == before["cy"]
    assert after["bob"]["total"] == "45" and after["dan"]["total"] == "30"
    old = records.read_details(records.details_path(graded.base / "grades.csv"))
    new = records.read_details(records.details_path(rerun.base / "grades.csv"))
    assert new["ann"] == old["ann"]                              # not graded again
    assert new["bob"]["fingerprint"] != old["bob"]["fingerprint"]
    lines = (rerun.base / "grades.details.jsonl").read_text().splitlines()
    assert [json.loads(line)["student"] for line in lines] == ["ann", "bob", "cy", "dan"]
    assert rerun.pages["bob"][2]["score"] == 45
    assert "Total                           45 / 45" in rerun.pages["bob"][1]


@pytest.mark.slow
def test_after_the_due_date_the_pages_show_the_hidden_values(graded, rerun):
    values = hidden_values(graded.pages["bob"][2])
    html, txt, document = rerun.pages["dan"]
    assert all(v in txt for v in values) and all(v in page_text(html)[1] for v in values)
    assert txt.endswith(document["output"] + "\n")               # what grade prints
    ann_txt = rerun.pages["ann"][1]                               # kept, its page rewritten
    assert ann_txt != graded.pages["ann"][1] and "obtained J = " in ann_txt.split("[hidden]")[1]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.slow
def test_a_page_opens_in_headless_chromium_at_a_phones_width(graded, tmp_path):
    import numpy as np
    from matplotlib import image
    shot = tmp_path / "bob.png"
    proc = chromium_screenshot(page_paths(graded.base / "grades.feedback", "bob")[0], shot,
                               390, 3000, tmp_path / "profile")
    assert shot.exists(), proc.stderr[-2000:]
    rgb = np.round(image.imread(shot)[..., :3] * 255).astype(int)
    assert rgb.shape[:2] == (3000, 390)

    def count(colour, columns=slice(None)):
        return int(np.sum(np.all(np.abs(rgb[:, columns] - np.array(colour)) <= 3, axis=-1)))

    dark = np.all(rgb < 100, axis=-1)
    assert dark[:, :195].sum() > 5000                            # text
    assert dark[:, -12:].sum() == 0                              # nothing runs off the screen
    assert count((0xe8, 0xee, 0xf7)) > 3000                      # the headline, table header
    assert count((0xfd, 0xf1, 0xe3)) > 3000                      # the diagnosis, first


def test_a_student_is_done_only_with_the_same_files_and_readable_pages(tmp_path):
    outcome = grader_error(Submission("ann", tmp_path), selected_parts(PARTS), OSError(), 1.0)
    kept = records.ClassRecords(tmp_path / "g.csv", records.columns(selected_parts(PARTS)),
                                feedback_dir=tmp_path / "pages")
    kept.rows = {"ann": {"reason": "", "status": "graded"}}
    kept.details = {"ann": {"student": "ann", "fingerprint": "1", "feedback":
                            outcome.details.feedback}}
    assert kept.done("ann", "1") and not kept.done("ann", "2")
    kept.details["ann"]["feedback"] = {"before": {"student": "ann", "lead": []}}
    assert not kept.done("ann", "1")                  # pages of another form: graded again
    del kept.details["ann"]["feedback"]
    assert not kept.done("ann", "1")
