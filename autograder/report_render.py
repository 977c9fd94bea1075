"""The class report written: the HTML page and the Markdown report, rendered
from one content (report_sections.Content) with the Jinja2 templates of
autograder/templates/report/.

- ``index.html``: one self-contained page (inline CSS, the figures embedded
  as base64 PNG, no script, no external resource). Autoescaping is on: every
  name, diagnosis and line of student code is escaped by the template.
- ``report.md``: the same content in Markdown (its table cells escaped by the
  ``md`` filter), its figures beside it as PNG files.

The sentences are the content's (report_sections.py), so that both documents
say the same; the templates give them their form.
"""
from pathlib import Path

from . import templating



def md_cell(text):
    """``text`` fit for a cell of a Markdown table (``|`` escaped, one line)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def environment():
    """The Jinja2 environment of the report's templates (templating.py),
    with the ``md`` filter."""
    return templating.environment("report", md=md_cell)


def render(content):
    """The report's two documents.

    Parameters
    ----------
    content : report_sections.Content

    Returns
    -------
    html, markdown : str
    """
    env = environment()
    return (env.get_template("index.html").render(c=content),
            env.get_template("report.md").render(c=content))


def write_report(out_dir, content):
    """Write the report into ``out_dir`` (created if need be).

    Parameters
    ----------
    out_dir : str or Path
    content : report_sections.Content

    Returns
    -------
    Path
        The path of ``index.html``; ``report.md`` and the figures' PNG files
        are beside it.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for figure in content.figures.values():
        (out_dir / figure.name).write_bytes(figure.png)
    html, markdown = render(content)
    (out_dir / "index.html").write_text(html, encoding="utf-8")
    (out_dir / "report.md").write_text(markdown, encoding="utf-8")
    return out_dir / "index.html"
