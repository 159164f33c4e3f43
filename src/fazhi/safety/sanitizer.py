"""The page HTML sanitizer: nh3 (Python binding of Ammonia, html5ever's parser) with the
allowlist of fazhi.safety.allowlist, and what it removed, for the checker's findings.

`sanitize` is the only way body HTML reaches a page: the plugin runs it on every page as soon
as MkDocs has converted it (its first on_page_content handler), the checker on its own
conversion of the same Markdown (fazhi.checks.rendering). The
removals are found by comparing the elements and attributes before and after, so a finding
names exactly what the sanitizer took out, never a guess of our own."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import nh3
from lxml import etree
from lxml import html as lxml_html

from fazhi.safety import allowlist

Kind = Literal["tag", "attribute"]


@dataclass(frozen=True)
class Removal:
    """One element or attribute the sanitizer removed. `name` is lower case (an element's
    tag, or an attribute's name); `value` the attribute's value ("" for an element)."""

    kind: Kind
    tag: str
    name: str
    value: str = ""

    @property
    def active(self) -> bool:
        """Markup that runs code, redirects, frames, collects input or loads from another
        host: it refuses the page (fazhi.safety.allowlist.ACTIVE_*)."""
        if self.kind == "tag":
            return self.name in allowlist.ACTIVE_TAGS
        return allowlist.is_active_attribute(self.name)

    @property
    def needle(self) -> str:
        """Text to look for in the Markdown source to find the line it was written on."""
        if self.kind == "tag":
            return f"<{self.name}"
        if self.name in ("href", "src") and self.value:
            return self.value.strip()[:40]
        return self.name


def clean(html: str) -> str:
    """`html` with everything outside the allowlist removed (comments included: they are
    notes to the editors, not text for readers)."""
    return nh3.clean(
        html,
        tags=set(allowlist.TAGS),
        clean_content_tags=set(allowlist.CLEAN_CONTENT),
        attributes={tag: set(names) for tag, names in allowlist.ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        tag_attribute_values={tag: {name: set(values) for name, values in attrs.items()}
                              for tag, attrs in allowlist.ATTRIBUTE_VALUES.items()},
        set_tag_attribute_values={tag: dict(values) for tag, values in allowlist.FORCED_VALUES.items()},
        url_schemes=set(allowlist.URL_SCHEMES),
        link_rel=None,  # links are left as written: no rel is added to internal ones
        strip_comments=True,
    )


def sanitize(html: str) -> tuple[str, list[Removal]]:
    """A page's HTML as it is published, and what was removed to make it so."""
    cleaned = clean(html)
    return cleaned, removals(html, cleaned)


def removals(before: str, after: str) -> list[Removal]:
    """What `clean` removed from `before` to give `after`, in document order: each element
    that is in `before` more often than in `after`, and each attribute of a kept element
    likewise. A removed element's attributes go with it and are not listed, except the
    active ones (an `onclick` on a `<font>`) when the element itself is not active."""
    elements = _elements(after)
    kept = Counter(tag for tag, _ in elements)
    kept_attributes = Counter(attribute for _, attributes in elements for attribute in attributes)
    removed: list[Removal] = []
    for tag, attributes in _elements(before):
        if kept[tag] > 0:
            kept[tag] -= 1
            for attribute in attributes:
                if kept_attributes[attribute] > 0:
                    kept_attributes[attribute] -= 1
                else:
                    removed.append(Removal("attribute", *attribute))
        else:
            element = Removal("tag", tag, tag)
            removed.append(element)
            if not element.active:
                removed += [Removal("attribute", *attribute) for attribute in attributes if allowlist.is_active_attribute(attribute[1])]
    return removed


# ---- Helper functions ----


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """Per-value rules nh3 has no option for: resources only from this site, and no
    element ids or interface classes of Material's own."""
    if (tag, name) in allowlist.RESOURCE_ATTRIBUTES and not _same_site(value):
        return None
    if name in allowlist.ID_ATTRIBUTES and value.startswith(allowlist.RESERVED_ID_PREFIX) and not value.startswith(allowlist.CONTENT_ID_PREFIXES):
        return None
    if name == "class" and allowlist.RESERVED_CLASS_PREFIX in value:
        kept = [word for word in value.split() if not word.startswith(allowlist.RESERVED_CLASS_PREFIX) or word in allowlist.CONTENT_CLASSES]
        return " ".join(kept) or None
    return value


_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _same_site(address: str) -> bool:
    """A relative address: no scheme and no host. Judged as a browser reads it (the WHATWG
    URL Standard): leading and trailing spaces and controls dropped, tabs and line breaks
    removed anywhere, a backslash taken for a slash, so `\\t\\host/x` is `//host/x`."""
    browser = re.sub(r"[\t\n\r]", "", address).strip(_C0_AND_SPACE).replace("\\", "/")
    try:
        parts = urlsplit(browser)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and not browser.startswith("//")


def fragment(html: str) -> Any | None:
    """A piece of HTML as lxml (libxml2) reads it, inside one <div>; None when there is
    nothing to read. (lxml has no type information.)"""
    if not html.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


# (tag, [(tag, attribute name, value)]) of one element: plain tuples, as pages have hundreds.
Element = tuple[str, list[tuple[str, str, str]]]


def _elements(html: str) -> list[Element]:
    """Every element of an HTML fragment with its attributes, as lxml (libxml2) reads it;
    names in lower case, the value of a boolean attribute as ""."""
    root = fragment(html)
    if root is None:
        return []
    boolean = allowlist.BOOLEAN_ATTRIBUTES
    result: list[Element] = []
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        tag = element.tag.lower()
        attributes = []
        for name, value in element.attrib.items():
            name = str(name).lower()
            attributes.append((tag, name, "" if name in boolean else str(value)))
        result.append((tag, attributes))
    return result
