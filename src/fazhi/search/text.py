"""The searchable text of a rendered page, cut into sections at headings that carry an id
(the same sections Material's search shows: the page itself, then each heading).

A paragraph or list item that opens with bold text has a heading of its own in that text:
the reports' numbered items (“**3.深化行政复议“大作为”。**”, fazhi.cli.import_report) are
the third level of the original's outline. Those leads rank a page like its headings do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Text inside these never reaches the index (scripts, styles, permalink signs).
SKIPPED = {"script", "style", "object", "template"}
# Between these blocks a space is inserted, so words of two paragraphs never join.
BLOCKS = {
    "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "br", "dd", "dt", "dl",
    "blockquote", "pre", "section", "article", "details", "summary", "figure", "figcaption",
} | HEADINGS
SPACES = re.compile(r"\s+")
LEADS = {"strong", "b"}  # bold text opening a paragraph or list item


@dataclass
class Section:
    anchor: str  # "" for the part of the page before its first heading
    heading: str
    parts: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)  # bold openings of its paragraphs and list items

    @property
    def text(self) -> str:
        return _spaced("".join(self.parts))


def sections(html: str, page_title: str) -> list[tuple[str, str, str, str]]:
    """(anchor, heading, text, leads) for each section of a page's rendered content; leads
    are the section's bold openings, joined by spaces."""
    if not html.strip():
        return [("", page_title, "", "")]
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    found = [Section("", page_title)]
    _walk(root, found, in_heading=None)
    return [(s.anchor, _spaced(s.heading), s.text, _spaced(" ".join(s.leads))) for s in found]


# ---- Helper functions ----


def _walk(el: etree._Element, found: list[Section], in_heading: Section | None) -> None:
    for child in el:
        if not isinstance(child.tag, str):  # a comment or processing instruction: only its tail is text
            _append(found, in_heading, "", tail=child.tail)
            continue
        tag = child.tag
        if tag in SKIPPED or _excluded(child):
            _append(found, in_heading, " " if tag in BLOCKS else "", tail=child.tail)
            continue
        heading = in_heading
        if tag in LEADS and in_heading is None and _opens(el, child):
            found[-1].leads.append(child.text_content())
        if tag in HEADINGS and child.get("id") and in_heading is None:
            heading = _open_section(found, tag, child.get("id", ""))
        if tag in BLOCKS:
            _append(found, heading, " ")
        _append(found, heading, child.text or "")
        _walk(child, found, heading)
        if tag in BLOCKS:
            _append(found, heading, " ")
        _append(found, in_heading, "", tail=child.tail)


def _open_section(found: list[Section], tag: str, anchor: str) -> Section:
    # The page title (usually repeated as the h1) names the first section, so the text of a
    # leading h1 goes to a section that is thrown away.
    if tag == "h1" and len(found) == 1 and not found[0].text:
        return Section("", "")
    section = Section(anchor, "")
    found.append(section)
    return section


def _append(found: list[Section], heading: Section | None, text: str, tail: str | None = None) -> None:
    value = text + (tail or "")
    if not value:
        return
    if heading is not None:
        heading.heading += value
    else:
        found[-1].parts.append(value)


def _opens(parent: etree._Element, child: etree._Element) -> bool:
    """Whether child is the first thing in a paragraph or list item."""
    return parent.tag in {"p", "li"} and not (parent.text or "").strip() and parent.index(child) == 0


def _spaced(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def _excluded(el: etree._Element) -> bool:
    classes = (el.get("class") or "").split()
    return "headerlink" in classes or el.get("data-search-exclude") is not None
