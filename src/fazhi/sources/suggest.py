"""The allowed value a slip most likely meant: “是不是‘律师进小区’？”.

Staff type a tag or category from memory (律师进社区 for 律师进小区) or through a pinyin input
method that picks a character of the same sound (法律名白人 for 法律明白人). Two measures,
both from well-kept libraries: difflib's ratio over the characters (Python's standard
library), and the same ratio over the toneless pinyin of each (pypinyin)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import cache

from pypinyin import lazy_pinyin

# difflib.get_close_matches' scale (2·matches / total length). 0.5 keeps one changed
# character in four (律师进社区 → 律师进小区 is 0.6) and drops unrelated words; the pinyin of a
# same-sound slip matches nearly whole, so its bar is higher.
CHARACTER_CUTOFF = 0.5
PINYIN_CUTOFF = 0.8
# Field names are short ASCII words: a typo (tittle, sumary, catgories) is above 0.75.
KEY_CUTOFF = 0.75


def nearest(value: str, choices: Sequence[str]) -> str | None:
    """The choice closest to `value` by characters, else by sound; None when none is close.
    An exact choice is never suggested (the value would not be a slip)."""
    candidates = [choice for choice in choices if choice != value]
    if not value or not candidates:
        return None
    by_characters = difflib.get_close_matches(value, candidates, n=1, cutoff=CHARACTER_CUTOFF)
    if by_characters:
        return by_characters[0]
    sounds = {_pinyin(choice): choice for choice in candidates}
    by_sound = difflib.get_close_matches(_pinyin(value), list(sounds), n=1, cutoff=PINYIN_CUTOFF)
    return sounds[by_sound[0]] if by_sound else None


def nearest_key(key: str, keys: Sequence[str]) -> str | None:
    """The declared field name closest to an unknown one (case-insensitive), or None."""
    lowered = {name.lower(): name for name in keys}
    found = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=KEY_CUTOFF)
    return lowered[found[0]] if found else None


def nearest_anchor(anchor: str, ids: Iterable[str]) -> str | None:
    """The heading id closest to a mistyped anchor (without its #), or None. Ids the site's
    own interface uses (__drawer, __search…) are never suggested."""
    return nearest(anchor, sorted(i for i in ids if i and not i.startswith("__")))


def question(suggestion: str | None) -> str:
    """“是不是‘X’？” for a message, or "" without a suggestion."""
    return f"是不是“{suggestion}”？" if suggestion else ""


@cache
def _pinyin(text: str) -> str:
    return " ".join(lazy_pinyin(text))
