"""Library drift: APIs that code copied from an older tutorial meets removed
or renamed, each once, with its one-line fix.

Students copy code written years ago for older libraries: each
:class:`Drift` is one API that was removed, renamed or turned into an error,
in which version, what replaces it, and how to recognise it: the text of the
exception (and the line that raised it), or the text of a warning. The
``LIBRARY_DRIFT`` hint of diagnoses.py reads the errors (:func:`drift_for_error`);
the feedback summarises each distinct warning once per part, with the fix
when this table knows it (:func:`drift_for_warning`, :func:`short_warning`).

Where the facts come from: the libraries' release notes and API-change
pages (scikit-learn 1.2, "OneHotEncoder: sparse renamed sparse_output",
removed in 1.4; pandas 0.23 and 1.0 "Removal of prior version
deprecations", ``as_matrix`` and ``.ix``; NumPy 1.15 (the matrix subclass's
PendingDeprecationWarning), 1.16 and 1.23 ``asscalar``, 1.20 and 1.24 (the
aliases of builtin types), 1.24 ("Ragged array creation will now always
raise a ValueError", NEP 34) and 2.0 (the expired attributes, whose own
message names the replacement); SciPy 1.0 and 1.3.0 (``scipy.misc``'s
``imread`` and ``logsumexp`` removed); Matplotlib 3.9 API changes
(``matplotlib.cm.get_cmap`` removed)). The messages matched are those of the
versions the grader runs with; tests/test_diagnoses.py raises each one with
the installed libraries.
"""
import re
from dataclasses import dataclass

from .texts import said


@dataclass(frozen=True)
class Drift:
    """One removed or renamed API.

    api : str
        What the old code calls, in a few words ("OneHotEncoder(sparse=...)");
        may hold ``{placeholders}`` filled from the named groups of ``error``.
    library : str
        "scikit-learn", "pandas", "NumPy", "SciPy", "Matplotlib".
    version : str
        The version since which the old code fails (or warns).
    change : str
        What happened there, as it reads before the library's name
        ("removed in", "an error since", "pending deprecation since").
    history : str
        The change in one clause, with its versions.
    fix : str
        The one-line fix, in code.
    error : str
        A regular expression searched in the exception's message (or, for
        ``warning`` entries, in the warning's message).
    code : str, optional
        A regular expression the line that raised must match too (when the
        line is known).
    warning : bool
        A warning, not an error: read by the feedback's warning summary.
    """
    api: str
    library: str
    version: str
    change: str
    history: str
    fix: str
    error: str
    code: str = None
    warning: bool = False

    def filled(self, values):
        """This entry with the placeholders of its texts filled from ``values``."""
        def fill(text):
            return text.format(**values) if values else text
        return Drift(fill(self.api), self.library, self.version, self.change,
                     fill(self.history), fill(self.fix), self.error, self.code, self.warning)

    @property
    def short(self):
        """A few words: the CSV's diagnosis column."""
        return f"{self.api}, {self.change} {self.library} {self.version}"

    @property
    def sentence(self):
        """What the student reads: the change and the fix."""
        if self.warning:                   # it still works: no older library to blame
            return said("{history}: {fix}", history=self.history, fix=self.fix)
        return said("{history}; your code was written for an older {library} (this grader "
                    "runs a newer one): {fix}", history=self.history, library=self.library,
                    fix=self.fix)


DRIFTS = (
    Drift("OneHotEncoder(sparse=...)", "scikit-learn", "1.4", "removed in",
          said("OneHotEncoder's argument sparse was renamed sparse_output in scikit-learn 1.2, "
               "and sparse was removed in 1.4"),
          said("write OneHotEncoder(sparse_output=False)"),
          r"OneHotEncoder\.__init__\(\) got an unexpected keyword argument 'sparse'"),
    Drift("DataFrame.as_matrix()", "pandas", "1.0", "removed in",
          said("DataFrame.as_matrix() was deprecated in pandas 0.23 and removed in 1.0"),
          said("write .to_numpy() (or .values) instead of .as_matrix()"),
          r"'(DataFrame|Series)' object has no attribute 'as_matrix'"),
    Drift("DataFrame.ix", "pandas", "1.0", "removed in",
          said("the .ix indexer was deprecated in pandas 0.20 and removed in 1.0"),
          said("write .iloc[...] (positions) or .loc[...] (labels) instead of .ix[...]"),
          r"'(DataFrame|Series)' object has no attribute 'ix'"),
    Drift("np.array of arrays of different shapes", "NumPy", "1.24", "an error since",
          said("np.array([A, B]) of arrays of different shapes made an object array before "
               "NumPy 1.24 (with a warning since 1.19) and is an error since"),
          said("unroll them into one vector, "
               "np.concatenate([Theta1_grad.ravel(), Theta2_grad.ravel()])"),
          r"inhomogeneous shape after \d+ dimensions?"),
    Drift("np.{name}", "NumPy", "1.24", "removed in",
          said("np.{name} was an alias of the builtin {name}, deprecated in NumPy 1.20 and "
               "removed in 1.24"),
          said("write {name} (or a NumPy type such as np.float64, np.int64)"),
          r"module 'numpy' has no attribute '(?P<name>float|int|object|complex|str|long|"
          r"unicode)'"),
    Drift("np.asscalar", "NumPy", "1.23", "removed in",
          said("np.asscalar(a) was deprecated in NumPy 1.16 and removed in 1.23"),
          said("write a.item()"),
          r"module 'numpy' has no attribute 'asscalar'"),
    Drift("np.{name}", "NumPy", "2.0", "removed in",
          said("np.{name} was removed in NumPy 2.0"),
          "{fix}",
          r"`np\.(?P<name>\w+)` was removed in the NumPy 2\.0 release\. (?P<fix>.+)"),
    Drift("scipy.misc.logsumexp", "SciPy", "1.3", "removed in",
          said("scipy.misc.logsumexp was deprecated in SciPy 1.0 and removed in 1.3"),
          said("from scipy.special import logsumexp"),
          r"(cannot import name 'logsumexp' from 'scipy\.misc'|"
          r"module 'scipy\.misc' has no attribute 'logsumexp')"),
    Drift("scipy.misc.imread", "SciPy", "1.3", "removed in",
          said("scipy.misc.imread was deprecated in SciPy 1.0 and removed in 1.3"),
          said("use matplotlib.pyplot.imread"),
          r"(cannot import name 'imread' from 'scipy\.misc'|"
          r"module 'scipy\.misc' has no attribute 'imread')"),
    Drift("matplotlib.cm.get_cmap", "Matplotlib", "3.9", "removed in",
          said("matplotlib.cm.get_cmap was deprecated in Matplotlib 3.7 and removed in 3.9"),
          said("write matplotlib.colormaps[name] (or plt.get_cmap(name))"),
          r"module 'matplotlib\.cm' has no attribute 'get_cmap'"),
    Drift("np.matrix", "NumPy", "1.15", "pending deprecation since",
          said("np.matrix has raised a PendingDeprecationWarning since NumPy 1.15, to move code "
               "away from it before it is deprecated"),
          said("use arrays (np.asarray) and @ for the matrix product: on arrays, * is "
               "elementwise, as the handout's formulas need"),
          r"the matrix subclass is not the recommended way", warning=True),
)


def _match(entry, text):
    found = re.search(entry.error, text or "")
    if not found:
        return None
    return entry.filled({k: v for k, v in found.groupdict().items() if v})


def drift_for_error(message, code=None):
    """The Drift of an exception's message (and the line that raised it,
    when known), filled; None when no entry matches."""
    for entry in DRIFTS:
        if entry.warning:
            continue
        found = _match(entry, message)
        if found and (entry.code is None or not code or re.search(entry.code, code)):
            return found
    return None


def drift_for_warning(message):
    """The Drift of a warning's message, filled; None when no entry matches."""
    for entry in DRIFTS:
        found = _match(entry, message)
        if found:
            return found
    return None


def short_warning(message, limit=120):
    """A warning's message in one short sentence: without the addresses it
    cites in parentheses, its first sentence, at most ``limit`` characters."""
    text = re.sub(r"\s*\((see )?https?://[^)]*\)", "", " ".join(str(message).split()))
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit - 6].rstrip() + " [...]"
