"""Markdown rendered the way the build renders it (the site's own extensions), reduced to
plain data the checks need: heading ids, references, unsafe markup, images without alt.
Plain data so that thousands of pages can be rendered in parallel processes."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import markdown
from lxml import html as lxml_html

DANGEROUS_TAGS = ("script", "iframe", "frame", "object", "embed")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data")
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
    unsafe: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, source needle)
    images_without_alt: list[str] = field(default_factory=list)  # their src


Extensions = tuple[list[str], dict[str, dict[str, Any]]]
_converters: dict[tuple[str, ...], markdown.Markdown] = {}


def render(body: str, extensions: Extensions) -> Rendered:
    try:
        converter = _converter(extensions)
        converter.reset()
        text = converter.convert(body)
        root = lxml_html.fragment_fromstring(text, create_parent="div") if text.strip() else None
    except Exception:  # noqa: BLE001 - a page Markdown cannot render has nothing to check
        return Rendered(ok=False)
    return _extract(root) if root is not None else Rendered()


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


def _converter(extensions: Extensions) -> markdown.Markdown:
    names, settings = extensions
    key = tuple(names)
    if key not in _converters:
        try:
            _converters[key] = markdown.Markdown(extensions=names, extension_configs=settings)
        except Exception:  # noqa: BLE001 - an extension that is not installed: the essentials
            _converters[key] = markdown.Markdown(extensions=FALLBACK_EXTENSIONS)
    return _converters[key]


def _extract(root: Any) -> Rendered:
    rendered = Rendered()
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if element.get("id"):
            rendered.ids.add(element.get("id"))
        if tag in REFERENCE_TAGS and element.get(REFERENCE_TAGS[tag]) is not None:
            rendered.references.append((tag, element.get(REFERENCE_TAGS[tag])))
        if tag in DANGEROUS_TAGS:
            rendered.unsafe.append(("tag", tag, f"<{tag}"))
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                rendered.unsafe.append(("event", name, f"{name}="))
            elif name.lower() in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                rendered.unsafe.append(("javascript", name, "javascript:"))
        if tag == "img" and not (element.get("alt") or "").strip():
            rendered.images_without_alt.append(element.get("src") or "")
    return rendered
