"""Every front-matter and data field is text: the one escaping rule for each place a field
is published.

- HTML (templates: `<title>`, `<meta content>`, the header, navigation, 来源): `html_text`,
  MarkupSafe's escape. It returns `Markup`, which Jinja's `| e` leaves as it is, so a field
  is escaped exactly once whether a Material template escapes it or prints it raw.
- Markdown the build generates (lists, policy pages, figure cards): `markdown_text`. Every
  ASCII character that Markdown or one of its extensions reads as syntax (emphasis, links,
  raw HTML, attr_list's `{: }`, tables' `|`, a `#` or `1.` at a line start…) is written as a
  numeric character reference, which Markdown passes through as the character itself; line
  breaks become spaces, so a field cannot start a block of its own.
- XML (the feed) uses xml.sax.saxutils.escape, JSON (the search index) json.dumps and CSV the
  csv module, each in the module that writes the format.

Control characters never get this far: fazhi.sources refuses them in every field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from markupsafe import Markup, escape

# CommonMark's "ASCII punctuation character" (spec 0.31, 2.1): the only characters a
# backslash can escape, and so the only ones Markdown syntax is made of.
MARKDOWN_SYNTAX: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def html_text(value: object) -> Markup:
    """`value` as HTML text, safe in element content and in quoted attributes; None is ""."""
    return escape("" if value is None else value)


def markdown_text(value: object) -> str:
    """`value` as inline Markdown that renders to exactly its characters: whitespace runs
    (line breaks included) become one space, syntax characters numeric references."""
    text = " ".join(str("" if value is None else value).split())
    return "".join(f"&#{ord(char)};" if char in MARKDOWN_SYNTAX else char for char in text)


def template_values(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A page's front matter for the templates: every string, in lists and mappings too,
    as `html_text`; dates, numbers and booleans as they are."""
    return {key: _escaped(value) for key, value in meta.items()}


def plain(value: object) -> str:
    """The text of a value `template_values` escaped (for JSON, XML, CSV writers)."""
    return value.unescape() if isinstance(value, Markup) else str("" if value is None else value)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html_text(value)
    if isinstance(value, Mapping):
        return {_escaped(key): _escaped(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(item) for item in value]
    return value
