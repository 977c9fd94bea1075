"""The graded parts, as pytest tests: one test per part of the scheme.

By default the files graded are the ones next to this folder (in the
instructors' repository: the reference solution, which must get every
point; in the student release: the student's own files, the offline
self-check). ``python -m pytest tests/test_submission.py --submission DIR``
grades the files in DIR instead. The same engine as
``python -m autograder grade``: same parts, points and feedback.
"""
import pytest

from autograder import scheme
from autograder.feedback import part_heading
from autograder.texts import composed, say


@pytest.mark.parametrize("key", [p.key for p in scheme.PARTS if p.graded]
                         + [p.key for p in scheme.PARTS if not p.graded])
def test_part(graded_submission, key):
    result = graded_submission[key]
    if not result.passed:
        pytest.fail(say(composed("{heading}\n{feedback}", heading=part_heading(result),
                                 feedback=result.feedback())), pytrace=False)
    assert result.score == result.part.points
