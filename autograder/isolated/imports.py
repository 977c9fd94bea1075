"""Process mode as root: the scientific packages a submission imports,
imported for it before the privileges are dropped.

Where Python is installed in a folder that the user nobody cannot read
(e.g. under /root), a module that nobody imports for the first time is not
found (``No module named 'sklearn'``), while bubblewrap, which runs the code
as the grader's user, finds it. So that process mode grades as bubblewrap
does, the supervisor reads the import statements of the part's files (with
``ast``: nothing of them runs) and imports, with the grader's rights, the
modules they name among :data:`SCIENTIFIC_PACKAGES` and their submodules:
well-known packages whose import defines functions and classes and does
nothing else. Never the student's own modules (a name of the part's files
wins over a package's), never another installed module, whose import could
do anything as root. The part's process, forked afterwards, finds them
imported.
"""
import ast
import importlib
import os

# What a submission may import that the supervisor imports for it as root:
# top-level names of well-known scientific packages.
SCIENTIFIC_PACKAGES = ("numpy", "scipy", "matplotlib", "mpl_toolkits", "pandas", "sklearn",
                       "seaborn", "statsmodels", "sympy", "PIL", "skimage", "mlxtend", "joblib")
MAX_SOURCE_BYTES = 200_000      # a longer file is read up to this size only


def attribute_chain(node):
    """``np.linalg.norm`` -> ["np", "linalg", "norm"]; None when the chain
    does not start with a name (``f().x``)."""
    chain = []
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = node.value
    return [node.id, *reversed(chain)] if isinstance(node, ast.Name) else None


def imported_names(source):
    """The dotted names a module's source imports, or may reach as submodules.

    ``import a.b`` gives a.b; ``from a.b import c`` gives a.b and a.b.c (c
    may be a submodule); ``x.sub.f`` where x names an imported module gives
    the module's ``.sub`` (``scipy.optimize.fmin_cg`` after ``import scipy``:
    SciPy loads its submodules on first use). Relative imports are the
    student's own. Returns an empty set for a file that does not compile.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names, aliases = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            for alias in node.names:
                if alias.name != "*":
                    names.add(f"{node.module}.{alias.name}")
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        chain = attribute_chain(node) if isinstance(node, ast.Attribute) else None
        if chain and chain[0] in aliases:
            for end in range(2, len(chain)):           # every prefix but the last attribute
                names.add(".".join([aliases[chain[0]], *chain[1:end]]))
    return names


def own_names(folder):
    """The names the part's folder itself defines (its .py files and folders)."""
    found = set()
    for entry in os.listdir(folder):
        stem = entry[:-3] if entry.endswith(".py") else entry
        found.add(stem)
    return found


def modules_to_import(folder, allowed=SCIENTIFIC_PACKAGES):
    """The modules to import for the .py files of a part's folder, sorted.

    Parameters
    ----------
    folder : str
        The part's scratch folder (the student's files, the provided modules).
    allowed : sequence of str
        The top-level packages that may be imported (:data:`SCIENTIFIC_PACKAGES`).

    Returns
    -------
    list of str
        Dotted names whose top level is in ``allowed`` and is not a name of
        the folder's own files; no ``__main__``.
    """
    own = own_names(folder)
    wanted = set()
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(".py"):
            continue
        try:
            with open(os.path.join(folder, entry), "rb") as f:
                source = f.read(MAX_SOURCE_BYTES)
        except OSError:
            continue
        wanted |= imported_names(source)
    return sorted(name for name in wanted
                  if name.split(".")[0] in allowed and name.split(".")[0] not in own
                  and "__main__" not in name.split("."))


def import_for_submission(folders, allowed=SCIENTIFIC_PACKAGES):
    """Import (with the current rights) what the parts' files import among
    ``allowed``; a name that is no module (``sklearn.preprocessing.OneHotEncoder``)
    or is not installed is passed over. Returns the names imported."""
    done = []
    for name in sorted({n for folder in folders for n in modules_to_import(folder, allowed)}):
        try:
            importlib.import_module(name)
            done.append(name)
        except Exception:                  # noqa: BLE001  not a module, not installed
            continue
    return done
