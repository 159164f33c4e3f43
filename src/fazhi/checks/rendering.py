"""Markdown rendered the way the build renders it (the site's own extensions), reduced to
plain data the checks need: heading ids, references, what the sanitizer removed, images
without alt.

One extension, `PageFacts`, collects that data while Python-Markdown converts a page: its
treeprocessor runs after the inline patterns and the heading ids (toc, attr_list) and before
MkDocs rewrites links (MkDocs' `relpath`, priority 0), so it sees every address as the
author wrote it; raw HTML is read from Python-Markdown's stash, where it waits to be put
back unchanged. The finished HTML of a page goes through the sanitizer
(fazhi.safety.sanitizer.sanitize) as soon as it is converted: here for the checker, in the
plugin's first on_page_content handler for the build, so the checker reports exactly what the
build removes. (Not as a Markdown postprocessor: toc and MkDocs run the postprocessors on
heading fragments too, so a postprocessor cannot tell the page's own run.) The checker renders with its own Markdown instance; the build adds the same
extension to MkDocs' Markdown, so both judge exactly the same facts, and the build does not
render any page twice. Plain data, so that the checker can render thousands of pages in
parallel processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

from fazhi.safety import sanitizer
from fazhi.safety.sanitizer import Removal

REFERENCE_TAGS = {"a": "href", "img": "src", "source": "src", "video": "src", "audio": "src"}
PARALLEL_FROM = 300  # items: below this, starting processes costs more than it saves
FALLBACK_EXTENSIONS = ["toc", "attr_list", "tables", "md_in_html"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Rendered:
    ok: bool = True  # False when the Markdown could not be rendered at all
    ids: set[str] = field(default_factory=set)
    references: list[tuple[str, str]] = field(default_factory=list)  # (tag, address)
    removed: list[Removal] = field(default_factory=list)  # what the sanitizer took out of the page
    images_without_alt: list[str] = field(default_factory=list)  # their src


Extensions = tuple[list[str], dict[str, dict[str, Any]]]
_converters: dict[tuple[str, ...], tuple[markdown.Markdown, PageFacts]] = {}


class PageFacts(markdown.Extension):
    """Collects a Rendered for each conversion; `result` holds the last page's."""

    def __init__(self) -> None:
        super().__init__()
        self.result = Rendered()
        # "all", or "ids" for pages the build generates itself: links to them need their
        # heading ids, but their raw HTML is ours and needs no reading.
        self.mode = "all"

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After `inline` (20), `attr_list` (8) and `toc` (5); before MkDocs' `relpath` (0).
        md.treeprocessors.register(_FactsTreeprocessor(md, self), "fazhi_page_facts", 1)

    def take(self) -> Rendered:
        """The facts of the page converted last (a fresh, empty Rendered afterwards)."""
        result, self.result = self.result, Rendered()
        return result


def render(body: str, extensions: Extensions) -> Rendered:
    try:
        converter, facts = _converter(extensions)
        converter.reset()
        html = converter.convert(body)
    except Exception:  # noqa: BLE001 - a page Markdown cannot render has nothing to check
        return Rendered(ok=False)
    rendered = facts.take()
    rendered.removed = sanitizer.sanitize(html)[1]
    return rendered


def render_many(bodies: list[str], extensions: Extensions) -> list[Rendered]:
    return parallel_map(_render_packed, [(body, extensions) for body in bodies])


def parallel_map(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`map` over processes when there is enough work to pay for them (2 cores in CI)."""
    items = list(items)
    workers = min(os.cpu_count() or 1, 4)
    if len(items) < PARALLEL_FROM or workers < 2:
        return list(map(function, items))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items, chunksize=max(16, len(items) // (workers * 8))))


# ---- Helper functions ----


def _render_packed(item: tuple[str, Extensions]) -> Rendered:
    return render(*item)


def _converter(extensions: Extensions) -> tuple[markdown.Markdown, PageFacts]:
    names, settings = extensions
    key = tuple(names)
    if key not in _converters:
        facts = PageFacts()
        try:
            converter = markdown.Markdown(extensions=[*names, facts], extension_configs=settings)
        except Exception:  # noqa: BLE001 - an extension that is not installed: the essentials
            converter = markdown.Markdown(extensions=[*FALLBACK_EXTENSIONS, facts])
        _converters[key] = (converter, facts)
    return _converters[key]


class _FactsTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, owner: PageFacts) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: ElementTree.Element) -> None:
        rendered = Rendered()
        if self.owner.mode == "ids":
            rendered.ids = {str(element.get("id")) for element in root.iter() if element.get("id")}
            self.owner.result = rendered
            return
        _extract(root.iter(), rendered)
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, ElementTree.Element):  # md_in_html leaves some parts as elements
                _extract(block.iter(), rendered)
            elif str(block).strip():
                _extract(_raw_elements(str(block)), rendered)
        self.owner.result = rendered


def _raw_elements(text: str) -> Iterable[Any]:
    """Every element of a piece of raw HTML (lxml, as a browser would read it)."""
    root = sanitizer.fragment(text)
    return [] if root is None else cast("Iterable[Any]", root.iter())


def _extract(elements: Iterable[Any], rendered: Rendered) -> Rendered:
    for element in elements:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element.get("id"):
            rendered.ids.add(element.get("id"))
        if tag in REFERENCE_TAGS and element.get(REFERENCE_TAGS[tag]) is not None:
            rendered.references.append((tag, element.get(REFERENCE_TAGS[tag])))
        if tag == "img" and not (element.get("alt") or "").strip():
            rendered.images_without_alt.append(element.get("src") or "")
    return rendered
