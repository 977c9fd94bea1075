"""Gradescope: ``python -m autograder gradescope OUT.zip`` builds the autograder zip.

The zip holds, at its top level (Gradescope unpacks it into
/autograder/source):

    setup.sh          installs requirements.txt (run once, when the image is built)
    run_autograder    grades /autograder/submission into /autograder/results/results.json
    autograder/       the grader, with its hidden cases and modelled mistakes
    the five reference student files (the oracle: the grader computes the
    expected values with them, in its own process; the student's code runs
    in a scratch folder that holds neither them nor the expected values)
    the provided modules, requirements.txt, data/*.mat (the course files)

``run_autograder`` runs ``python3 -m autograder.gradescope run SUBMISSION
RESULTS``: the same grader as ``grade`` and ``grade-all``, on the student's
files at the top level of the submission or in a subfolder (or in the one
zip file it holds), writing Gradescope's results.json whatever happens. The
base folder /autograder can be changed with AUTOGRADER_ROOT, the
interpreter with AUTOGRADER_PYTHON (the tests run it in a temporary folder).

Time: the grading of a submission is bounded by its budget (``--budget`` of
the build, written into run_autograder; AUTOGRADER_BUDGET overrides it),
scheme.DEFAULT_BUDGET by default (``python -m autograder limits`` prints
it), so that run_autograder ends well within Gradescope's default autograder
timeout, GRADESCOPE_TIMEOUT (the budget, plus about 10 s to start and
report, plus the grader's backstop if a grading process is stuck).

The scripts are templates (autograder/templates/gradescope/): their
``@NAME@`` placeholders are filled at build time (:func:`fill_template`).
"""
import json
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from . import scheme

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = HERE / "templates" / "gradescope"
SCRIPTS = ("setup.sh", "run_autograder")
GRADESCOPE_TIMEOUT = 600        # seconds: Gradescope's default autograder timeout
PLACEHOLDER = re.compile(rb"@([A-Z][A-Z_]*)@")


class BuildError(Exception):
    """The zip cannot be built; the message says why."""


def ex4data_module():
    """The project's ex4data (the course files, atomic_output), ROOT put on
    sys.path if needed."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import ex4data
    return ex4data


def autograder_files():
    """The grader's own files (relative to ROOT): the whole package but its
    caches, its templates and a student release's table of expected values."""
    from .oracle import TABLE_NAME
    files = []
    for path in sorted(HERE.rglob("*")):
        rel = path.relative_to(HERE)
        if not path.is_file() or "__pycache__" in rel.parts or rel.parts[0] == "templates" \
                or path.suffix in (".pyc", ".pyo") or rel.name == TABLE_NAME \
                or any(p.startswith(".") for p in rel.parts):
            continue
        files.append(Path("autograder") / rel)
    return files


def build_zip(out, data_dir=None, verbose=True, budget=None, lang=None):
    """Write the Gradescope autograder zip.

    Parameters
    ----------
    out : path-like
        The zip to write (its name ends with .zip); written atomically.
    data_dir : path-like, optional
        The course files' folder (default: the project's data/);
        ex4data1.mat is built there if missing.
    verbose : bool
        Print what was written.
    budget : float, optional
        The seconds run_autograder gives each submission (default
        scheme.DEFAULT_BUDGET).
    lang : {"en", "fr"}, optional
        The language of the students' feedback, written into run_autograder
        (AUTOGRADER_LANG overrides it); default: the language of
        Gradescope's machine (ex4i18n.language: its locale, else English).

    Returns
    -------
    Path
        The zip's path.

    Raises
    ------
    BuildError
        When the budget, the name or a file is wrong.
    """
    budget = float(budget or scheme.DEFAULT_BUDGET)
    if not budget > 0:
        raise BuildError(f"--budget must be a positive number of seconds, found {budget:g}")
    out = Path(out).resolve()
    data_dir = Path(data_dir).resolve() if data_dir else ROOT / "data"
    if out.suffix.lower() != ".zip":
        raise BuildError(f"OUT.zip must end with .zip, found {out.name}")
    mats = course_files(data_dir, verbose)
    with tempfile.TemporaryDirectory(prefix="ex4gs-build-") as scratch:
        entries = zip_entries(mats) + compiled_catalogs(Path(scratch))
        write_zip(out, entries, template_values(budget, lang))
    if verbose:
        print(f"Gradescope autograder written to {out} ({len(entries)} files, "
              f"{out.stat().st_size / 1024 ** 2:.1f} MB, with {', '.join(m.name for m in mats)}).\n"
              "On Gradescope: a Programming Assignment, Configure Autograder, Zip file upload; "
              "base image Ubuntu.")
    return out


def course_files(data_dir, verbose=True):
    """The .mat files of ``data_dir`` that the zip carries.

    ex4data1.mat is built if missing (BuildError if it cannot be); a missing
    ex4weights.mat is only warned about (the cases at the course weights are
    then not checked).
    """
    ex4data = ex4data_module()
    try:
        ex4data.load_ex4data1(data_dir / ex4data.DATA_FILE, verbose=verbose)   # built if missing
    except Exception as exc:                                       # noqa: BLE001
        raise BuildError(f"cannot provide {data_dir / ex4data.DATA_FILE}: {exc}") from None
    mats = sorted(data_dir.glob("*.mat"))
    if not (data_dir / "ex4weights.mat").exists():
        print(f"warning: {data_dir / 'ex4weights.mat'} is missing (copy it from the course "
              "materials): the cases at the course weights will not be checked on Gradescope",
              file=sys.stderr)
    return mats


REQUIREMENTS = Path("requirements") / "student.txt"   # the zip's requirements.txt


def zip_entries(mats):
    """[(source file, name in the zip, mode)] of the zip: the scripts, the
    project's files, the grader's, the course files. BuildError if one is missing."""
    project = [Path(n) for n in scheme.STUDENT_FILES + scheme.PROVIDED_FILES]
    missing = [str(p) for p in project + [REQUIREMENTS] if not (ROOT / p).is_file()]
    missing += [str(TEMPLATES / s) for s in SCRIPTS if not (TEMPLATES / s).is_file()]
    if missing:
        raise BuildError(f"missing: {', '.join(missing)}")
    entries = [(TEMPLATES / s, s, 0o755) for s in SCRIPTS]
    # What grading needs is what a student's code may use: the students' requirements.
    entries += [(ROOT / REQUIREMENTS, "requirements.txt", 0o644)]
    entries += [(ROOT / p, p.as_posix(), 0o644) for p in project + autograder_files()]
    entries += [(m, f"data/{m.name}", 0o644) for m in mats]
    return entries


def compiled_catalogs(folder):
    """[(source file, name in the zip, mode)] of the compiled catalogs (``.mo``)
    of every translated language, written into ``folder``: the feedback's
    words in the language run_autograder chooses (as the student release
    ships them)."""
    ex4data_module()                         # the project's root on sys.path (ex4i18n)
    from .translations import compile_catalogs
    return [(folder / mo, mo.as_posix(), 0o644) for mo in compile_catalogs(folder)]


def template_values(budget, lang=None):
    """The values of the scripts' placeholders (@NAME@ -> text); LANG is
    empty when no language was chosen."""
    return {"BUDGET": f"{budget:g}", "DEFAULT_BUDGET": f"{scheme.DEFAULT_BUDGET:g}",
            "GRADESCOPE_TIMEOUT": f"{GRADESCOPE_TIMEOUT:g}", "LANG": lang or ""}


def fill_template(data, values):
    """A script's bytes with its @NAME@ placeholders replaced by ``values``.

    Raises BuildError when a placeholder has no value.
    """
    unknown = sorted({m.decode() for m in PLACEHOLDER.findall(data)} - set(values))
    if unknown:
        raise BuildError(f"no value for the placeholder(s) {', '.join(unknown)} of the scripts")
    return PLACEHOLDER.sub(lambda m: values[m.group(1).decode()].encode(), data)


def write_zip(out, entries, values):
    """Write the entries into the zip ``out`` (atomically), the scripts filled with ``values``."""
    with ex4data_module().atomic_output(out, "wb") as f, \
            zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for source, name, mode in entries:
            info = zipfile.ZipInfo(name, date_time=time.localtime(source.stat().st_mtime)[:6])
            info.external_attr = (0o100000 | mode) << 16          # a regular file, its mode
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read_bytes()
            if name in SCRIPTS:
                data = fill_template(data, values)
            z.writestr(info, data)


def main_build(args):
    """The ``gradescope`` command (``args`` from the command line's parser).

    Returns its exit code: 2 when the zip cannot be built.
    """
    try:
        build_zip(args.out, data_dir=args.data, budget=getattr(args, "budget", None),
                  lang=getattr(args, "lang", None))
    except BuildError as exc:
        print(f"gradescope: {exc}", file=sys.stderr)
        return 2
    return 0


# --- on Gradescope ------------------------------------------------------------------------

def run_submission(submission, results_path, budget=None):
    """Grade a Gradescope submission folder; always writes ``results_path``.

    Parameters
    ----------
    submission : path-like
        The submission: the student's files at its top level, in a
        subfolder, or in the one zip file it holds.
    results_path : path-like
        Gradescope's results.json, written atomically.
    budget : float, optional
        Seconds for the grading (default scheme.DEFAULT_BUDGET).

    Returns
    -------
    int
        0, or 1 when the grader itself failed (results.json then says so,
        with a score of 0).
    """
    from .submissions import SubmissionError, prepare
    from .feedback import grader_failure_json, gradescope_json
    from .grade import grade_submission
    start = time.monotonic()
    results_path = Path(results_path)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    code = 0
    try:
        with tempfile.TemporaryDirectory(prefix="ex4gs-") as scratch:
            notes = []
            try:
                folder, notes = prepare(Path(submission), scratch)
            except SubmissionError as exc:
                notes = [f"{exc}: upload your .py files (at the top level, or in one folder)"]
                folder = Path(scratch) / "empty"
                folder.mkdir()
            results = grade_submission(folder, budget=budget)
            document = gradescope_json(results, time.monotonic() - start)
        if notes:
            document["output"] = "\n".join(notes)
    except Exception as exc:                                       # noqa: BLE001
        code = 1
        document = grader_failure_json(exc, time.monotonic() - start)
    with ex4data_module().atomic_output(results_path) as f:
        f.write(json.dumps(document, indent=2))
    print(f"score {document['score']:g}; results written to {results_path}")
    return code


def main(argv=None):
    """``python -m autograder.gradescope run SUBMISSION_DIR RESULTS_JSON [--budget S]``
    (what run_autograder runs); returns the exit code (2: a wrong command line)."""
    argv = sys.argv[1:] if argv is None else argv
    budget = None
    if len(argv) == 5 and argv[3] == "--budget":
        try:
            budget = float(argv[4])
        except ValueError:
            budget = -1
        argv = argv[:3]
    if len(argv) != 3 or argv[0] != "run" or (budget is not None and not budget > 0):
        print("usage: python -m autograder.gradescope run SUBMISSION_DIR RESULTS_JSON "
              "[--budget SECONDS]", file=sys.stderr)
        return 2
    return run_submission(argv[1], argv[2], budget)


if __name__ == "__main__":
    sys.exit(main())
