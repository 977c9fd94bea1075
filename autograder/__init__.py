"""The autograder of exercise 4: student release, grading, packaging.

Instructor machinery, apart from the exercise's files at the repository
root. ``python -m autograder --help`` lists the commands.

A part of it ships in the student release as the offline self-check
(``python -m pytest`` there): the scheme, the public cases, the engine
that runs the student's code in separate processes, and the expected
values of the public cases, computed from the reference ahead of time.
The reference solution, the hidden cases and the instructor commands stay
here.
"""
