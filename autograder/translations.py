"""The gettext catalog of the kit: extract, update, compile, check (maintainers).

Every text a student reads is written once, in English, in the code
(``_("... {name} ...", name=value)``; ``tr`` in the scripts; see
``ex4i18n.py``) and in the instructions of the five student files. Babel
extracts them with ``babel.cfg`` into the template ``locales/ex4.pot``; the
French catalog ``locales/fr/LC_MESSAGES/ex4.po`` holds their translations.
The ``.mo`` is compiled into the student release by ``release``; in the
repository ``ex4i18n`` compiles the ``.po`` in memory when no ``.mo`` is
there or the ``.po`` is newer (``compile`` writes one, never committed)::

    python -m autograder.translations update    # new texts -> .pot and .po
    python -m autograder.translations check     # untranslated / fuzzy / placeholders
    python -m autograder.translations compile   # locales/fr/LC_MESSAGES/ex4.mo
"""
import argparse
import contextlib
import io
import re
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPING = ROOT / "babel.cfg"
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "ex4.pot"
TRANSLATED = ("fr",)                      # the languages with a catalog
LANGUAGE_NAMES = {"fr": "French"}
PROJECT = "ex4"

BEGIN = re.compile(r"^[ \t]*# BEGIN SOLUTION\s*$")
COMMENT = re.compile(r"^(?P<indent>[ \t]*)#(?: (?P<text>.*)|(?P<empty>))$")
TRANSLATOR_NOTE = ("Instructions above a solution region of a student file, "
                   "shown as # comments: keep each line under 72 characters.")


def instruction_blocks(text):
    """[(first, last, indent, message)]: each block of ``#`` comment lines
    right above a ``# BEGIN SOLUTION`` line (line indices, the last included;
    the message is the comments' text, one line per line)."""
    lines = text.splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if not BEGIN.match(line):
            continue
        first = i
        while first > 0 and COMMENT.match(lines[first - 1]) \
                and not BEGIN.match(lines[first - 1]) and "END SOLUTION" not in lines[first - 1]:
            first -= 1
        if first == i:
            continue
        matches = [COMMENT.match(line) for line in lines[first:i]]
        message = "\n".join(m.group("text") or "" for m in matches)
        blocks.append((first, i - 1, matches[0].group("indent"), message))
    return blocks


def extract_instructions(fileobj, keywords, comment_tags, options):
    """Babel extractor (``babel.cfg``): the instruction blocks of a student file."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for first, _last, _indent, message in instruction_blocks(text):
        yield first + 1, None, message, [TRANSLATOR_NOTE]


def _babel():
    try:
        from babel.messages import extract, frontend, mofile, pofile  # noqa: F401
        from babel.messages.catalog import Catalog  # noqa: F401
    except ImportError as exc:
        raise SystemExit("the translations need Babel: python -m pip install -r "
                         "requirements/instructor.txt") from exc
    import babel.messages as messages
    return messages


def extract():
    """The template: a Babel Catalog of every message of the sources."""
    messages = _babel()
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    with open(MAPPING, encoding="utf-8") as f:
        method_map, options_map = messages.frontend.parse_mapping_cfg(f, str(MAPPING))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))        # the custom extractor's module
    catalog = Catalog(project=PROJECT, charset="utf-8")
    warnings = io.StringIO()
    with contextlib.redirect_stderr(warnings):       # Babel's warnings, filtered below
        for path, lineno, message, comments, context in extract_from_dir(
                ROOT, method_map, options_map, strip_comment_tags=True):
            catalog.add(message, None, [(path, lineno)], auto_comments=comments,
                        context=context)
    for line in warnings.getvalue().splitlines():
        # mistakes.together() composes two sentences of the catalog in an f-string;
        # the grader's said("... {x} ...", x=f"{value:.5f}") formats its numbers in
        # f-strings outside the message (tests/test_french_grader.py checks that
        # every said() has a plain string as its message).
        if not line.startswith(str(ROOT / "autograder" / "mistakes.py")) and not (
                line.startswith(str(ROOT / "autograder")) and "Skipping f-string" in line):
            print(line, file=sys.stderr)
    return catalog


def catalog_path(lang):
    return LOCALES / lang / "LC_MESSAGES" / f"{PROJECT}.po"


def read_catalog(lang):
    _babel()
    from babel.messages.pofile import read_po
    with open(catalog_path(lang), "rb") as f:
        return read_po(f, locale=lang)


HEADER = ("The texts a student reads, in {language}: "
          "see docs/maintainers.md, \"Translations\".")
DATED = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.M)


def _write(catalog, path, language="English, the source"):
    """Write ``catalog`` as a .po file, without dates (they would change
    the file on every update) and with the kit's header."""
    from babel.messages.pofile import write_po
    catalog.header_comment = "# " + HEADER.format(language=language)
    catalog.fuzzy = False
    catalog.project, catalog.version = PROJECT, "1"
    catalog.msgid_bugs_address = catalog.last_translator = ""
    catalog.language_team = language
    out = io.BytesIO()
    write_po(out, catalog, width=79, ignore_obsolete=True, sort_by_file=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(DATED.sub(b"", out.getvalue()))


def update():
    """Write the template and bring each language's catalog up to it: new
    messages untranslated, changed ones fuzzy (to review), gone ones dropped."""
    _babel()
    from babel.messages.catalog import Catalog
    template = extract()
    _write(template, TEMPLATE)
    for lang in TRANSLATED:
        path = catalog_path(lang)
        catalog = read_catalog(lang) if path.exists() else Catalog(locale=lang, project=PROJECT)
        catalog.update(template)
        _write(catalog, path, LANGUAGE_NAMES[lang])
    return template


def compile_catalog(lang, mo_path):
    """Write ``lang``'s ``.mo`` (fuzzy entries left out) to ``mo_path``."""
    _babel()
    from babel.messages.mofile import write_mo
    catalog = read_catalog(lang)
    mo_path = Path(mo_path)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with open(mo_path, "wb") as f:
        write_mo(f, catalog)
    return mo_path


def compile_catalogs(out_root):
    """Compile every translated catalog to its ``.mo`` under ``out_root``, at
    the place ex4i18n reads it (``locales/<lang>/LC_MESSAGES/ex4.mo``), as a
    student release and the Gradescope zip ship them. Returns the ``.mo``
    paths, relative to ``out_root``."""
    import ex4i18n
    out_root = Path(out_root)
    written = []
    for lang in TRANSLATED:
        mo = ex4i18n.catalog_files(lang, LOCALES)[1].relative_to(ROOT)
        compile_catalog(lang, out_root / mo)
        written.append(mo)
    return written


ARGPARSE_FIELD = re.compile(r"%\((\w+)\)[sdr]")


def placeholders(text):
    """The ``{name:spec}`` fields and argparse's ``%(name)s`` of a text, sorted,
    each once (a translation may use a field more or fewer times)."""
    found = [field.group(0) for field in ARGPARSE_FIELD.finditer(text)]
    try:
        found += [f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                  for _lit, name, spec, conv in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        found.append(f"<unbalanced braces: {text.count('{')} {{ and {text.count('}')} }}>")
    return sorted(set(found))


def problems(template=None, langs=TRANSLATED):
    """Every reason a catalog is behind the sources, as sentences ([] when none):
    a message untranslated, fuzzy, missing, with other placeholders, or left
    in the catalog after it left the sources."""
    template = extract() if template is None else template
    found = []
    for lang in langs:
        catalog = read_catalog(lang)
        wanted = {m.id for m in template if m.id}
        for message in template:
            if not message.id:
                continue
            where = ", ".join(f"{p}:{n}" for p, n in message.locations[:2])
            entry = catalog.get(message.id)
            if entry is None or not entry.string:
                found.append(f"{lang}: not translated ({where}): {message.id!r}")
            elif entry.fuzzy:
                found.append(f"{lang}: fuzzy, to review ({where}): {message.id!r}")
            elif placeholders(entry.string) != placeholders(message.id):
                found.append(f"{lang}: placeholders {placeholders(entry.string)} instead of "
                             f"{placeholders(message.id)} ({where}): {message.id!r}")
        found += [f"{lang}: no longer in the sources (run update): {m.id!r}"
                  for m in catalog if m.id and m.id not in wanted]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.translations",
                                     description="The kit's gettext catalog (maintainers).")
    parser.add_argument("command", choices=("update", "check", "compile"))
    args = parser.parse_args(argv)
    if args.command == "update":
        template = update()
        print(f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages; updated "
              + ", ".join(str(catalog_path(lang).relative_to(ROOT)) for lang in TRANSLATED))
        args.command = "check"
    if args.command == "check":
        found = problems()
        print("\n".join(found) if found else "every message is translated")
        return 1 if found else 0
    for lang in TRANSLATED:
        mo = compile_catalog(lang, catalog_path(lang).with_suffix(".mo"))
        print(f"wrote {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
