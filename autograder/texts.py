"""The grader's texts, composed once and said in the student's language.

A :class:`Text` is a ``str`` whose value is the English text (what the
tests match, the CSV's columns, the class report: identical in every
language) and which remembers how it was made: a message of the catalog
with its values, or pieces joined. :func:`say` gives it in the language
chosen (``ex4i18n.language()``: ``--lang``, ``EX4_LANG``, the system's),
where the feedback is shown. Grading composes the texts once, in the same
way in every language: scores, statuses and diagnoses never depend on it.

- ``said("expected J = {expected}", expected=fmt(J))``: a sentence of the
  catalog (extracted by babel.cfg), its values str or Text, the numbers
  formatted outside;
- ``composed("    {text}", text=...)``: a layout, not translated;
- ``joined("\\n", lines)``: pieces and their separator;
- ``Text.format(**values)`` keeps a Text a Text (a diagnosis's
  placeholders, filled later).

Any ``str`` operation that is not one of these (slicing, ``+``, an
f-string) gives the English ``str``: the place where a Text loses its
other languages is where the feedback would stay English.
"""
SOURCE_LANGUAGE = "en"          # ex4i18n's; imported where a text is said


class Text(str):
    """An English text that knows how to say itself in another language."""

    def __new__(cls, message, values=None, translate=True, sep=None, items=None, maker=None):
        if maker is not None:
            english = maker[0](SOURCE_LANGUAGE, *maker[1])
        elif items is not None:
            english = sep.join(str(i) for i in items)
        else:
            english = message.format(**{k: str(v) for k, v in values.items()}) \
                if values else message
        self = super().__new__(cls, english)
        self.message, self.values, self.in_catalog = message, dict(values or {}), translate
        self.sep, self.items = sep, None if items is None else list(items)
        self.maker = maker
        return self

    def __reduce__(self):               # pickled between processes (a batch's workers)
        return (Text, (self.message, self.values, self.in_catalog, self.sep, self.items,
                       self.maker))

    def format(self, *args, **values):
        """The same message with its placeholders filled by ``values`` (still a Text)."""
        if args or self.items is not None or self.maker is not None:
            return str.format(self, *args, **values)
        return Text(self.message, {**self.values, **values}, self.in_catalog)

    def strip(self, chars=None):
        """Without the spaces around it: an indented line gives its text (still a Text)."""
        if str.strip(self, chars) == self:
            return self
        if chars is None and self.message and not self.in_catalog and self.items is None \
                and self.maker is None and self.message.strip() == "{text}":
            inner = self.values["text"]
            inner = inner.strip() if isinstance(inner, Text) else inner
            if str(inner) == str.strip(self):
                return inner
        return str.strip(self, chars)

    def in_language(self, lang):
        """This text in ``lang`` ("fr", "en")."""
        if self.maker is not None:
            return self.maker[0](lang, *self.maker[1])
        if self.items is not None:
            return self.sep.join(say(i, lang) for i in self.items)
        import ex4i18n
        template = ex4i18n.translations(lang).gettext(self.message) if self.in_catalog \
            else self.message
        if not self.values:
            return template
        return template.format(**{k: say(v, lang) for k, v in self.values.items()})


def said(message, /, **values):
    """A sentence of the catalog, its ``{placeholders}`` filled with ``values``."""
    return Text(message, values)


def known(text):
    """A text of the catalog held in a variable (a modelled mistake's sentence,
    marked where it is written), to be said in the student's language."""
    return text if isinstance(text, Text) or text is None else Text(text)


def composed(layout, /, **values):
    """A layout of texts (indentation, punctuation), not itself translated."""
    return Text(layout, values, translate=False)


def joined(sep, items):
    """``sep.join(items)``, each item said in the language of the whole."""
    return Text(None, sep=sep, items=items)


def indented(text, pad="    "):
    """``text`` after ``pad`` (a Text stays one)."""
    return composed(pad + "{text}", text=text)


def reindented(line, pad):
    """A line with another indentation: an :func:`indented` Text keeps its words."""
    if isinstance(line, Text) and not line.in_catalog and line.items is None \
            and line.message.strip() == "{text}":
        return indented(line.values["text"], pad)
    return pad + line.lstrip(" ")


def say(text, lang=None):
    """``text`` in ``lang`` (default: the language chosen now); a plain ``str``
    (a number, the student's own error message) as it is."""
    import ex4i18n
    if lang is None:
        lang = ex4i18n.language()
    if isinstance(text, Text) and lang != SOURCE_LANGUAGE:
        return text.in_language(lang)
    return str(text)


def speaking(lang):
    """``with speaking("fr"):`` :func:`say` speaks ``lang`` (None: as chosen)."""
    import ex4i18n
    return ex4i18n.speaking(lang)
