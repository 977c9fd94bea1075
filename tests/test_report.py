"""The class report (``grade-all --report``, ``python -m autograder report``).

A synthetic class (tests/synthetic_class.py: right solutions in independent
styles, the known mistakes, a hang, a syntax error, a crash, missing files,
two students copying one another, one copying an outside solution) is graded
once through the real command; the report must count each diagnosis right,
count the hang, the crash, the syntax error and the missing files apart,
list exactly the copied pairs, and open in a real headless Chromium with no
network, showing its figures and tables.
"""
import io
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import records, report, scheme, similarity

import synthetic_class
from commands import CHROMIUM, autograder_command, chromium_screenshot

# The tests of this file share module fixtures: one pytest-xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("report")

PAIR_ROW = re.compile(r"^\| (\d+) \| (.+?) \| (.+?) \| ([0-9.]+) \| ([0-9.]+) / ([0-9.]+) \| "
                      r"(\d+) \|$", re.M)


def run(*args, timeout=600):
    return autograder_command(*args, timeout=timeout)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, grading_data):
    base = tmp_path_factory.mktemp("class")
    klass = synthetic_class.write_class(base)
    csv_path, out = base / "grades.csv", base / "report"
    # The default time limits: the hang costs one small case's 5 s.
    proc = run("grade-all", klass.submissions, "--csv", csv_path, "--jobs", 2,
               "--parts", *synthetic_class.PARTS, "--report", out,
               "--compare-with", klass.outside, "--data", grading_data)
    assert proc.returncode == 0, proc.stderr
    rows = {r["student"]: r for r in batch_rows(csv_path)}
    return SimpleNamespace(klass=klass, csv=csv_path, out=out, proc=proc, rows=rows,
                           md=(out / "report.md").read_text(encoding="utf-8"),
                           html=(out / "index.html").read_text(encoding="utf-8"),
                           stats=report.compute(report.load(csv_path)))


def batch_rows(path):
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def flagged(md):
    """{frozenset of the two names: score} of the pairs report.md lists."""
    return {frozenset((m[2], m[3])): float(m[4]) for m in PAIR_ROW.finditer(md)}


def expected_pairs(klass):
    return {frozenset(p) for family in klass.families for p in itertools.combinations(family, 2)}


# --- the grades ------------------------------------------------------------------------

@pytest.mark.slow
def test_the_csv_says_why_each_student_lost_points(graded):
    rows = graded.rows
    for name in graded.klass.right:
        assert rows[name]["total"] == "100", (name, rows[name]["reason"])
        assert rows[name]["reason"] == rows[name]["diagnosis"] == ""
    # extra checks: passed / failed, never a bare 0
    assert rows["ref_predict_0_based"][scheme.part("predict").name] == "failed"
    assert rows["ada_template_eye"][scheme.part("predict").name] == "passed"
    assert rows["ref_predict_0_based"]["reason"].startswith("Prediction: ")
    # a student at 0 or 5 for a reason is never "graded" with an empty reason
    for row in rows.values():
        if float(row["total"]) < 100:
            assert row["reason"], row
    assert rows["gil_bias"]["reason"] == ("Regularized Cost Function: "
                                          + rows["gil_bias"]["diagnosis"])
    assert rows["gil_bias"]["diagnosis"] == rows["ref_bias"]["diagnosis"] != ""
    assert rows["ref_syntax"]["diagnosis"] == "syntax error in nnCostFunction.py"
    assert (rows["ref_syntax"]["total"], rows["ref_syntax"]["status"]) == ("5", "graded")
    assert (rows["ref_hang"]["status"], rows["ref_hang"]["diagnosis"]) == ("timeout", "timeout")
    assert re.match(r"Sigmoid Gradient: (timeout|timed out: sigmoidGradient did not return)", rows["ref_hang"]["reason"]), rows["ref_hang"]["reason"]
    assert (rows["ref_crash"]["status"], rows["ref_crash"]["diagnosis"]) == ("crashed", "crashed")
    assert rows["ref_missing_files"]["status"] == "missing files"


@pytest.mark.slow
def test_details_are_kept_beside_the_csv(graded):
    details = records.read_details(records.details_path(graded.csv))
    assert sorted(details) == sorted(graded.rows)
    bias = {p["key"]: p for p in details["gil_bias"]["parts"]}
    assert [p["key"] for p in details["gil_bias"]["parts"]] == synthetic_class.PARTS
    assert bias["regularized_cost"]["passed"] is False and bias["regularized_cost"]["diagnoses"]
    assert bias["cost"]["passed"] is True and bias["cost"]["diagnoses"] == []
    assert details["ref_syntax"]["syntax_errors"][0]["file"] == "nnCostFunction.py"
    assert Path(details["gil_bias"]["path"]) == graded.klass.submissions / "gil_bias"


# --- the mistakes ---------------------------------------------------------------------

@pytest.mark.slow
def test_each_diagnosis_is_counted_with_its_students(graded):
    by_part = {m.part.key: [(d.text, d.students) for d in m.diagnoses]
               for m in graded.stats.mistakes}
    for key, students in graded.klass.mistakes:
        entries = [(d, s) for d, s in by_part[key] if students[0] in s]
        assert entries, f"{students[0]}: no diagnosis in {key}"
        assert any(sorted(s) == students for _, s in entries), (key, entries)
    # the right solutions appear under no diagnosis
    named = {s for found in by_part.values() for _, students in found for s in students}
    assert not named & set(graded.klass.right)
    # ranked by the number of students
    for found in by_part.values():
        counts = [len(s) for _, s in found]
        assert counts == sorted(counts, reverse=True)
    # and shown: the three students of the bias mistake on one line of report.md
    bias = graded.rows["gil_bias"]["diagnosis"]
    assert f"| Regularized Cost Function | {bias} | 3 | gil_bias, hal_copies_gil, ref_bias |" \
        in graded.md


@pytest.mark.slow
def test_timeouts_crashes_syntax_errors_and_missing_files_are_counted_apart(graded):
    apart = {k: sorted({s for s, _ in v}) for k, v in graded.stats.apart.items()}
    klass = graded.klass
    assert apart == {"timeout": [klass.timeout], "crashed": [klass.crash],
                     "syntax error": [klass.syntax], "missing files": [klass.missing]}
    assert "| timeout | 1 | ref_hang (Sigmoid Gradient) |" in graded.md
    assert re.search(r"\| syntax error \| 1 \| ref_syntax \(nnCostFunction\.py, line \d+: "
                     r"SyntaxError", graded.md)
    # a part lost to the syntax error is not "failed, no mistake recognised"
    unexplained = {u.student for m in graded.stats.mistakes for u in m.unrecognised}
    assert klass.syntax not in unexplained


# --- similarity ---------------------------------------------------------------------------

@pytest.mark.slow
def test_exactly_the_copied_pairs_are_listed(graded):
    listed = flagged(graded.md)
    assert set(listed) == expected_pairs(graded.klass)
    assert listed[frozenset(("gil_bias", "hal_copies_gil"))] >= 0.6
    assert listed[frozenset(("ivy_copies_outside", "outside/github_solution"))] >= 0.6
    assert "pairs for a human to look at" in graded.md
    # side by side, with the matching regions marked
    assert '<h3 id="pair' in graded.html and '<span class="match">' in graded.html


@pytest.mark.slow
def test_independent_right_solutions_stay_far_below_the_threshold(graded):
    """The scores of every pair, measured: the margin the default threshold keeps."""
    klass = graded.klass
    subs, outside, notes = report.collect_code(report.load(graded.csv), klass.submissions,
                                               klass.outside)
    assert len(subs) == 21 and [n for n, _ in outside] == ["outside/github_solution"]
    assert not notes
    docs = similarity.build_documents(subs, outside)
    pairs, scores = similarity.compare(docs, threshold=1e-9)
    assert len(scores) == len(docs) * (len(docs) - 1) // 2
    score = {frozenset((p.a, p.b)): p.score for p in pairs}
    score = {frozenset(p): score.get(frozenset(p), 0.0)
             for p in itertools.combinations([d.name for d in docs], 2)}
    copies = expected_pairs(klass)
    right = [frozenset(p) for p in itertools.combinations(klass.right, 2)]
    assert max(score[p] for p in right) < similarity.DEFAULT_THRESHOLD / 2
    assert min(score[p] for p in copies) > similarity.DEFAULT_THRESHOLD * 1.5


@pytest.mark.slow
def test_the_report_is_rebuilt_from_the_batch_alone(graded, tmp_path):
    out = tmp_path / "again"
    proc = run("report", graded.csv, "--out", out, "--compare-with", graded.klass.outside,
               timeout=300)
    assert proc.returncode == 0, proc.stderr
    again = (out / "report.md").read_text(encoding="utf-8")
    strip = lambda text: re.sub(r"Built by .*", "", text)            # noqa: E731
    assert strip(again) == strip(graded.md)
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html", "mistakes.png", "pass_rates.png", "report.md", "similarity.png",
        "totals.png"]
    # a higher threshold lists fewer pairs: only the near-identical copies
    proc = run("report", graded.csv, "--out", tmp_path / "high", "--threshold", 0.9,
               "--submissions", graded.klass.submissions, timeout=300)
    assert proc.returncode == 0, proc.stderr
    high = flagged((tmp_path / "high" / "report.md").read_text(encoding="utf-8"))
    assert high and set(high) < expected_pairs(graded.klass)
    assert all(s >= 0.9 for s in high.values())


def test_report_errors_name_the_argument(tmp_path):
    proc = run("report", tmp_path / "nothing.csv", "--out", tmp_path / "r", timeout=120)
    assert proc.returncode == 2 and "grades.csv must be the CSV of grade-all" in proc.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\nann,3\n")
    proc = run("report", bad, "--out", tmp_path / "r", timeout=120)
    assert proc.returncode == 2 and "columns student, total and status expected" in proc.stderr
    good = tmp_path / "g.csv"
    good.write_text("student,total,status\nann,3,graded\n")
    proc = run("report", good, "--out", tmp_path / "r", "--threshold", 1.5, timeout=120)
    assert proc.returncode == 2 and "--threshold must be in (0, 1], found 1.5" in proc.stderr


# --- what students wrote is shown as text ---------------------------------------------------

MARKUP = '<script>alert("x")</script>|'
HOSTILE_CODE = """import numpy as np


def helper(values):
    label = '<script>alert(1)</script> | <img src=x>'
    total = np.zeros(len(values))
    for i, value in enumerate(values):
        total[i] = np.sum(np.square(value)) / (1 + len(label))
    return total
"""
REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div",
               "img", "table", "tr", "th", "td", "i", "b", "a", "span", "pre"}


def write_hostile_batch(folder):
    """A finished batch (no grading) whose names, diagnoses, messages and code
    hold markup and Markdown table separators."""
    import csv
    import json
    ann, bob, gone = "<b>ann</b>", "bob & <i>co|</i>", "<u>gone</u>"
    cost, sig = scheme.part("cost"), scheme.part("sigmoid")
    for student in (ann, bob):
        synthetic_class.write(folder / "subs" / student,
                              {**synthetic_class.style_a(), "helper.py": HOSTILE_CODE})

    def part(p, passed, diagnoses=(), first=""):
        return {"key": p.key, "name": p.name, "points": p.points, "graded": p.graded,
                "score": p.points if passed else 0, "passed": passed, "status": "graded",
                "diagnoses": list(diagnoses), "first": first}

    details = [
        {"student": ann, "path": str(folder / "subs" / ann), "status": "graded",
         "parts": [part(cost, False, [MARKUP]), part(sig, True)], "syntax_errors": []},
        {"student": bob, "path": str(folder / "subs" / bob), "status": "graded",
         "parts": [part(cost, False, first=MARKUP), part(sig, True)],
         "syntax_errors": [{"file": "helper.py", "line": 3, "message": MARKUP}]},
        {"student": gone, "path": str(folder / "subs" / gone), "status": "missing files",
         "reason": MARKUP, "parts": [], "syntax_errors": []}]
    csv_path = folder / "grades.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", cost.name, sig.name, "total", "status", "reason",
                         "diagnosis"])
        for rec in details:
            writer.writerow([rec["student"], 0, "passed" if rec["parts"] else "failed", 0,
                             rec["status"], "", ""])
    records.details_path(csv_path).write_text("".join(json.dumps(r) + "\n" for r in details),
                                            encoding="utf-8")
    return csv_path, (ann, bob, gone)


def page_of(html):
    """(the tags, the visible text) of a page, by an HTML parser."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        tags, text = set(), []

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)

        def handle_data(self, data):
            self.text.append(data)

    page = Page()
    page.feed(html)
    return page.tags, "".join(page.text)


def test_names_diagnoses_messages_and_code_are_shown_as_text(tmp_path):
    """Whatever a name, a diagnosis, a message or the code holds, the page
    shows it as text (no markup of theirs) and report.md's tables keep their
    columns."""
    csv_path, names = write_hostile_batch(tmp_path)
    out = report.build_report(csv_path, tmp_path / "report", err=io.StringIO())
    html = out.read_text(encoding="utf-8")
    tags, text = page_of(html)
    assert tags <= REPORT_TAGS, tags - REPORT_TAGS
    assert "<script" not in html and "<u>" not in html and "<i>co" not in html
    for shown in (*names, MARKUP, "<script>alert(1)</script> | <img src=x>"):
        assert shown in text, shown
    assert '<span class="match">' in html                  # the pair, side by side
    md = (out.parent / "report.md").read_text(encoding="utf-8")
    columns = 0
    for line in md.splitlines():
        if not line.startswith("|"):
            columns = 0
            continue
        cells = len(re.split(r"(?<!\\)\|", line)) - 2
        columns = columns or cells                        # the header's
        assert cells == columns, line
    escaped = MARKUP.replace("|", "\\|")
    assert f"| {scheme.part('cost').name} | {escaped} | 1 | {names[0]} |" in md


# --- the page, in a real browser -----------------------------------------------------------

@pytest.mark.slow
def test_the_html_is_self_contained(graded):
    html = graded.html
    assert "http://" not in html and "https://" not in html
    assert re.findall(r'src="([^"]{0,22})', html) and all(
        s.startswith("data:image/png;base64,") for s in re.findall(r'src="([^"]{0,22})', html))
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.count("<table>") >= 4 and html.count("<img ") == 4


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.slow
def test_the_report_opens_in_headless_chromium_without_network(graded, tmp_path):
    import numpy as np
    from matplotlib import image
    shot = tmp_path / "shot.png"
    proc = chromium_screenshot(graded.out / "index.html", shot, 1280, 2000, tmp_path / "profile")
    assert shot.exists(), proc.stderr[-2000:]
    pixels = image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    rgb = np.round(pixels * 255).astype(int)

    def count(colour):
        return int(np.sum(np.all(np.abs(rgb - np.array(colour)) <= 3, axis=-1)))

    assert pixels.std() > 0.1                                # not a blank page
    assert count((0x3b, 0x6f, 0xb6)) > 5000                  # the figures' bars
    assert count((0x8c, 0x8c, 0x8c)) > 1000                  # the extra checks' bars
    assert count((0xe8, 0xee, 0xf7)) > 2000                  # table headers
    assert count((0xd9, 0x82, 0x2b)) > 2000                  # the mistakes' bars
