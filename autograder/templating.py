"""The Jinja2 environment of the grader's pages (the class report, the
students' feedback pages), set up once: the templates of one folder of
``templates/``, autoescaping for ``.html``, blocks trimmed (a block tag on
its own line writes nothing), an undefined name an error."""
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment(folder, **filters):
    """The environment of the templates in ``templates/<folder>``, with the
    given ``filters`` (name -> function)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=True, default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    env.filters.update(filters)
    return env
