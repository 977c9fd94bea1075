"""``python -m autograder release OUT_DIR``: the student release.

The same exercise, generated from this one source: in the five student
files each region between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` is
replaced by a fenced ``YOUR CODE HERE`` block that raises
NotImplementedError (or, where the region holds ``# STUB:`` lines, by those
lines: the backpropagation part of nnCostFunction starts from zero
gradients, so that the cost can be checked before it is written).
Everything outside the regions is shared by both versions.

The release also holds the data, the public self-check (the grading engine
with the public cases and their expected values, computed here from the
reference) and the student README and ANSWERS.md. It holds nothing of the
reference solution, no hidden case and no instructor command.
"""
import json
import re
import shutil
import zipfile
from pathlib import Path

from . import scheme

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
MARKER = ".ex4-student-release"
HANDOUT_MISTAKES = "handout_mistakes.json"   # read by ex4helpers.py's verdicts
# The release's README in each language (release --lang).
READMES = {"en": ROOT / "docs" / "students.md", "fr": ROOT / "docs" / "students.fr.md"}

# Files copied as they are (besides the student files, which are stubbed).
PROJECT_FILES = ("ex4.py", "ex4_analysis.py", "lambda_study.py") + scheme.PROVIDED_FILES
# The release's requirements.txt: what a student needs (not the repository's).
STUDENT_REQUIREMENTS = ROOT / "requirements" / "student.txt"
# The part of the autograder that the self-check needs (no release.py,
# hidden.py, mistakes.py, nor any other instructor command).
AUTOGRADER_FILES = ("__init__.py", "__main__.py", "scheme.py", "cases.py", "grade.py",
                    "oracle.py", "course.py", "judge.py", "checks.py", "diagnoses.py", "hints.py",
                    "drift.py", "localise.py", "localise_causes.py", "values.py", "results.py",
                    "feedback.py", "runner.py", "isolation.py", "supervisor.py", "follow.py",
                    "time_limits.py", "child.py", "texts.py")
AUTOGRADER_PACKAGES = ("isolated",)     # the child's side, copied whole
TEST_FILES = ("conftest.py", "test_submission.py")

BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^[ \t]*# END SOLUTION\s*$")
STUB = re.compile(r"^[ \t]*# STUB: ?(?P<code>.*)$")


class ReleaseError(Exception):
    pass


def solution_regions(text):
    """[(first line index, last line index)] of each region, markers included."""
    regions, start = [], None
    for i, line in enumerate(text.splitlines()):
        if BEGIN.match(line):
            if start is not None:
                raise ReleaseError(f"line {i + 1}: BEGIN SOLUTION inside a region")
            start = i
        elif END.match(line):
            if start is None:
                raise ReleaseError(f"line {i + 1}: END SOLUTION without BEGIN")
            regions.append((start, i))
            start = None
    if start is not None:
        raise ReleaseError(f"line {start + 1}: BEGIN SOLUTION never ends")
    return regions


def _in_language(text, lang):
    """``text`` with the instruction blocks above its regions in ``lang``."""
    from ex4i18n import speaking, translated
    from .translations import instruction_blocks
    lines = text.splitlines()
    with speaking(lang):
        for first, last, indent, message in reversed(instruction_blocks(text)):
            lines[first:last + 1] = [f"{indent}# {line}".rstrip()
                                     for line in translated(message).splitlines()]
    return "\n".join(lines) + "\n"


def _stub_texts(function, filename, lang):
    """(the banner above a stub, the message its NotImplementedError raises)."""
    from ex4helpers import stub_message
    from ex4i18n import _, speaking
    with speaking(lang):
        return ((" " + _("YOUR CODE HERE") + " ").center(60, "="),
                stub_message(function, filename))


def stub_source(text, filename, lang="en"):
    """The student version of a source file (its instructions in ``lang``)."""
    if lang != "en":
        text = _in_language(text, lang)
    lines = text.splitlines()
    regions = solution_regions(text)
    if not regions:
        raise ReleaseError(f"{filename} has no solution region")
    function = Path(filename).stem
    banner, message = _stub_texts(function, filename, lang)
    out, i = [], 0
    for start, end in regions:
        out += lines[i:start]
        indent = BEGIN.match(lines[start]).group("indent")
        stubs = [m.group("code") for m in map(STUB.match, lines[start + 1:end]) if m]
        out.append(f"{indent}# {banner}")
        if stubs:
            out += [f"{indent}{code}" for code in stubs]
        else:
            literal = json.dumps(message, ensure_ascii=False)      # a Python string too
            out.append(f"{indent}raise NotImplementedError({literal})")
        out.append(f"{indent}# {'=' * 60}")
        i = end + 1
    out += lines[i:]
    return "\n".join(out) + "\n"


def _write_table(out_dir):
    """The public cases' expected values, computed with the reference."""
    import json
    from .cases import public_cases
    from .course import load_course
    from .oracle import TABLE_NAME, ReferenceOracle
    course, _ = load_course(ROOT / "data")
    rows = ReferenceOracle(ROOT, course).table(public_cases())
    (out_dir / "autograder" / TABLE_NAME).write_text(json.dumps(rows))


def handout_mistakes(course):
    """step -> {mistake: [diagnosis, value]}: what the modelled mistakes of
    mistakes.py give at the values ex4.py prints (ex4helpers.py's verdicts).

    The costs at the course weights (lambda = 0, 1, 3; only when the course
    weights are there), sigmoidGradient([-1 -0.5 0 0.5 1]), and the gradients
    of checkNNGradients' problem (lambda = 0 and 3). A mistake that gives the
    right value at a step (e.g. the bias regularised, with lambda = 0) is left
    out of that step.
    """
    import numpy as np
    from .cases import COURSE, Case, cost_call, debug_problem, function_call
    from .oracle import ReferenceOracle

    steps = {"sigmoid_gradient": function_call(
        "sigmoidGradient", np.array([-1, -0.5, 0, 0.5, 1]), names=["z"])}
    params, X, y = debug_problem()
    steps["gradient_check"] = cost_call(params, 3, 5, 3, X, y, 0)
    steps["regularized_gradient_check"] = cost_call(params, 3, 5, 3, X, y, 3)
    if "params" in course and "X" in course:
        for step, lambda_ in (("cost", 0), ("regularized_cost", 1), ("cost_lambda3", 3)):
            steps[step] = cost_call(COURSE["params"], 400, 25, 10, COURSE["X"], COURSE["y"],
                                    lambda_)
    oracle = ReferenceOracle(ROOT, course)
    table = {}
    for step, call in steps.items():
        found = oracle.evaluate(Case(f"handout/{step}", "", step, "J_grad", call))
        right = found.expected
        rows = {}
        for name, variant in found.variants.items():
            text, value = variant.mistake.sentence, variant.value
            if step.startswith("gradient") or step.startswith("regularized_gradient"):
                value, right_value = value[1], right[1]          # the gradient
            elif step == "sigmoid_gradient":
                right_value = right
            else:
                value, right_value = value[0], right[0]          # the cost
            value = np.asarray(value, dtype=np.float64)
            if not np.allclose(value, right_value, rtol=1e-6, atol=1e-9):
                rows[name] = [text, value.tolist()]
        table[step] = rows
    return table


def _write_catalogs(out_dir, lang):
    """The compiled catalogs (``.mo``), and the release's language if not English."""
    import ex4i18n
    from .translations import compile_catalogs
    compile_catalogs(out_dir)
    if lang != ex4i18n.SOURCE_LANGUAGE:
        (out_dir / ex4i18n.DEFAULT_FILE.relative_to(ex4i18n.ROOT)).write_text(lang + "\n")


def make_release(out_dir, verbose=True, lang="en"):
    """Write the student release to ``out_dir`` and ``out_dir``.zip.

    ``lang`` ("en" or "fr"): the language of the README and of the stubs'
    instructions, recorded as the scripts' default (EX4_LANG and --lang
    still choose); in an English release the scripts follow the system's
    language.
    """
    if lang not in READMES:
        raise ReleaseError(f"the language must be one of {', '.join(READMES)}, found {lang!r}")
    out_dir = Path(out_dir).resolve()
    if out_dir == ROOT or ROOT in out_dir.parents:
        raise ReleaseError(f"OUT_DIR must be outside the project, found {out_dir}")
    if out_dir.exists():
        if not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
            raise ReleaseError(f"{out_dir} exists and is not an earlier release: "
                               "choose a new folder")
        shutil.rmtree(out_dir)
    answers = ROOT / "docs" / "ANSWERS_QUESTIONS.md"
    readme = READMES[lang]
    for needed in (answers, readme):
        if not needed.exists():
            raise ReleaseError(f"{needed} is missing: the release needs it")

    (out_dir / "autograder").mkdir(parents=True)
    (out_dir / "tests").mkdir()
    (out_dir / "data").mkdir()
    (out_dir / MARKER).write_text("Written by python -m autograder release.\n")
    for name in scheme.STUDENT_FILES:
        text = (ROOT / name).read_text()
        (out_dir / name).write_text(stub_source(text, name, lang))
    for name in PROJECT_FILES:
        shutil.copyfile(ROOT / name, out_dir / name)
    for name in AUTOGRADER_FILES:
        shutil.copyfile(HERE / name, out_dir / "autograder" / name)
    for name in AUTOGRADER_PACKAGES:
        shutil.copytree(HERE / name, out_dir / "autograder" / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in TEST_FILES:
        shutil.copyfile(ROOT / "tests" / name, out_dir / "tests" / name)
    shutil.copyfile(readme, out_dir / "README.md")
    _write_catalogs(out_dir, lang)
    shutil.copyfile(STUDENT_REQUIREMENTS, out_dir / "requirements.txt")
    shutil.copyfile(answers, out_dir / "ANSWERS.md")
    (out_dir / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (out_dir / ".gitignore").write_text("figures/\n__pycache__/\n.pytest_cache/\n")

    import ex4data                                    # builds ex4data1.mat if missing
    ex4data.load_ex4data1(ROOT / "data" / ex4data.DATA_FILE, verbose=verbose)
    for mat in sorted((ROOT / "data").glob("*.mat")):
        shutil.copyfile(mat, out_dir / "data" / mat.name)
    _write_table(out_dir)
    import json
    from .course import load_course
    course, _ = load_course(ROOT / "data")
    (out_dir / "autograder" / HANDOUT_MISTAKES).write_text(json.dumps(handout_mistakes(course)))

    archive = out_dir.with_name(out_dir.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(out_dir.rglob("*")):
            if path.is_file():
                z.write(path, Path(out_dir.name) / path.relative_to(out_dir))
    if verbose:
        files = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
        print(f"Student release written to {out_dir} ({len(files)} files) and {archive}")
    return out_dir, archive
