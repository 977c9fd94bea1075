"""The code that runs apart from the grader: the supervisor and the parts' processes.

``child.py`` is its entry script. The grader copies both into the scratch
folder of a supervisor and runs ``python -I child.py ...`` there, out of
reach of the project: so nothing here imports the ``autograder`` package,
only the standard library, NumPy, SciPy and the provided modules. NumPy is
imported inside the functions that need it, so that the supervisor can
check what an unprivileged user may import before loading it itself.

Modules: ``wire`` (the JSON form of values), ``request`` (what the grader
asks), ``course`` (the course data), ``calls`` (one call of a student's
function), ``part`` (a part's process), ``limits`` (resource limits,
cgroups, leftover processes), ``privileges`` (running as the user nobody),
``imports`` (the scientific packages a submission imports, imported for it
before the privileges drop), ``watch`` (the time limits of a part's process), ``supervise`` (the
supervisor's loop and the entry point).
"""
