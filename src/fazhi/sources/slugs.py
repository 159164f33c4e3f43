"""ASCII names for URLs: article file names, category and tag pages.

Chinese text becomes toneless pinyin joined by hyphens (法律援助 → fa-lv-yuan-zhu), so a URL
stays readable, stable and free of percent-encoding. The slug *rule* (lowercase letters,
digits, hyphens) is the schema's `slug` pattern; this module only produces such names."""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

NOT_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str, max_length: int = 60) -> str:
    """`text` as lowercase ASCII words joined by "-", cut at a word boundary to `max_length`.

    Returns "" when nothing usable is left (e.g. only punctuation)."""
    words = NOT_SLUG.split(" ".join(lazy_pinyin(text)).lower())
    slug = ""
    for word in filter(None, words):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug
