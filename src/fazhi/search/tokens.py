"""How text is cut into index keys. The worker (overrides/assets/javascripts/search-worker.js)
repeats these rules in JavaScript; change both together.

A "word run" is a stretch of Han characters, ASCII letters and digits after NFKC
normalisation and lower-casing (so full-width ２９７４ is 2974). Every run is indexed by its
single characters and its overlapping character pairs: any substring of two or more
characters is then found through its pairs, a single character through itself."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Han ideographs (BMP blocks, compatibility ideographs, the supplementary planes), a-z, 0-9.
WORD_RUN = re.compile(
    "[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
)


def normalize(text: str) -> str:
    """Full-width letters and digits become ASCII, capitals become lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    """The word runs of already normalized text."""
    return WORD_RUN.findall(text)


def count_keys(text: str, counts: Counter[str]) -> None:
    """Add the single characters and character pairs of normalized text to counts."""
    keys: list[str] = []
    for run in WORD_RUN.findall(text):
        keys.extend(run)
        keys.extend(map(str.__add__, run, run[1:]))
    counts.update(keys)


def key_set(text: str) -> set[str]:
    counts: Counter[str] = Counter()
    count_keys(text, counts)
    return set(counts)


def shard_of(key: str, shard_count: int) -> int:
    """Which shard file holds a key; the worker computes the same number."""
    second = ord(key[1]) if len(key) > 1 else 0
    return (ord(key[0]) * 131 + second) % shard_count
