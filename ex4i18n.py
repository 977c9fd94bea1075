"""The language the exercise speaks: English (the source) or French.

Provided: nothing to write here. Every text a student reads is written
once, in English, as ``_("... {name} ...", name=value)``; the French
translation comes from the gettext catalog ``locales/fr/LC_MESSAGES/ex4``
(``.po`` in the repository, compiled ``.mo`` in the student release).

The language, first match wins:

1. ``--lang fr`` or ``--lang en`` on a script's command line;
2. the environment variable ``EX4_LANG`` (``fr`` or ``en``);
3. the language the release was made in (``release --lang fr`` writes it
   in ``locales/DEFAULT_LANGUAGE``);
4. the system's: a French ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or
   ``LANG``, or, when none is set (Windows, macOS apps), the user's locale
   as ``locale.getlocale()`` gives it (``French_France``, ``fr_FR``);
5. English.

Identifiers, file names, the handout's section numbers and every number
are the same in both languages.
"""
import gettext
import io
import locale
import os
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCALES = ROOT / "locales"
DOMAIN = "ex4"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "fr")
ENVIRONMENT_VARIABLE = "EX4_LANG"
DEFAULT_FILE = LOCALES / "DEFAULT_LANGUAGE"      # written by the release, if any
SYSTEM_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")   # gettext's order

_chosen = None            # set_language's choice, above everything else
_catalogs = {}            # language -> gettext translations, loaded once


def language_of(name):
    """``"fr"``, ``"en"`` or None: the language a locale or option names.

    ``fr``, ``fr_FR.UTF-8``, ``fr-CA``, ``French_France`` -> ``"fr"``;
    ``en``, ``C``, ``POSIX``, ``English_United States`` -> ``"en"``.
    """
    if not name:
        return None
    name = str(name).strip().lower()
    if name.startswith(("fr", "french")):
        return "fr"
    if name.startswith(("en", "english")) or name.split(".")[0] in ("c", "posix"):
        return "en"
    return None


def system_language(environ=None):
    """The user's language, ``"fr"`` or ``"en"``: the first locale variable
    set, else ``locale.getlocale()`` (Windows' and macOS' user locale)."""
    environ = os.environ if environ is None else environ
    for variable in SYSTEM_VARIABLES:
        value = environ.get(variable)
        if value:
            return "fr" if language_of(value.split(":")[0]) == "fr" else "en"
    try:
        name = locale.getlocale()[0]
    except ValueError:
        name = None
    return "fr" if language_of(name) == "fr" else "en"


def _from_command_line(argv):
    """The value of ``--lang`` in ``argv``, or None."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


@lru_cache(maxsize=None)
def _recorded_default(path):
    """The language the release recorded in ``path`` (read once), or None."""
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def language(argv=None, environ=None):
    """The language to speak now, ``"fr"`` or ``"en"`` (see the module's order).

    A value that is not ``fr`` or ``en`` (``EX4_LANG=de``) is skipped: the
    next source decides (``--lang`` itself is checked by the scripts' parser).
    """
    if _chosen is not None:
        return _chosen
    environ = os.environ if environ is None else environ
    for value in (_from_command_line(sys.argv[1:] if argv is None else argv),
                  environ.get(ENVIRONMENT_VARIABLE), _recorded_default(DEFAULT_FILE)):
        if value and value.strip().lower() in LANGUAGES:
            return value.strip().lower()
    return system_language(environ)


def set_language(lang):
    """Speak ``lang`` (``"fr"`` or ``"en"``) from now on; None: choose again."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"the language must be one of {', '.join(LANGUAGES)}, found {lang!r}")
    _chosen = lang


@contextmanager
def speaking(lang):
    """``with speaking("fr"):`` the texts made inside are in ``lang``."""
    previous = _chosen
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def catalog_files(lang, locales=LOCALES):
    """(``.po``, ``.mo``) of ``lang``'s catalog (either may be missing)."""
    folder = Path(locales) / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_po(po_path):
    """The ``.mo`` bytes of a ``.po`` file, compiled in memory with Babel
    (fuzzy entries left out); None without Babel."""
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:
        return None
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _catalog_bytes(lang):
    """The compiled catalog: the ``.mo``, unless the ``.po`` is newer (the
    repository, after an edit): then the ``.po`` compiled in memory."""
    po, mo = catalog_files(lang)
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        data = compile_po(po)
        if data is not None:
            return data
    return mo.read_bytes() if mo.exists() else None


def translations(lang):
    """The gettext translations of ``lang`` (English: the texts as written).

    A missing catalog gives English: the scripts still run.
    """
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    if lang not in _catalogs:
        data = _catalog_bytes(lang)
        _catalogs[lang] = (gettext.GNUTranslations(io.BytesIO(data)) if data
                           else gettext.NullTranslations())
    return _catalogs[lang]


def _(message, **values):
    """``message`` in the current language, its ``{placeholders}`` filled
    with ``values`` (``_("Cost: {cost}", cost=f"{J:f}")``)."""
    text = translations(language()).gettext(message)
    return text.format(**values) if values else text


def N_(message):
    """Marks ``message`` for the catalog where it is written; translated
    where it is shown, with :func:`translated`."""
    return message


def translated(message):
    """``message``, a text of the catalog held in a variable, in the current
    language (unchanged when the catalog has no translation of it)."""
    return translations(language()).gettext(message)


# The scripts' name for _: in Spyder's console, where ex4.py runs, _ is
# IPython's last result, and the scripts use _ for values they drop.
tr = _
