"""What the search needs to forgive a pinyin slip and to drop question words: readings of
Han characters, the site's character pairs by sound, and the stop words. The worker
(overrides/assets/javascripts/search-worker.js) reads the files written here only when a
query has no exact match; it computes `sound_hash` the same way.

A slip is a character typed through a pinyin input method that picked another character
of the same syllable (综治中新 for 综治中心): the two have the same toneless reading. Readings
are pypinyin's (tones removed, ü written v as input methods do). The site's pairs are filed
under every reading of a heteronym; a typed character is taken by its first (reading_table).
Stop words are the Chinese list of stopwords-iso (https://github.com/stopwords-iso/
stopwords-zh, through the `stopwordsiso` package), Han-only entries. Whether a two-character
pair is a word is read from jieba's dictionary (its dict.txt): a query of two characters is
mended only into a word (不组 → 不足, never 一共 → 一公)."""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from itertools import product

import jieba
from pypinyin.pinyin_dict import pinyin_dict
from stopwordsiso import stopwords

# Han blocks of the Basic Multilingual Plane; rarer characters have no reading here and are
# never treated as slips.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@cache
def table() -> dict[str, tuple[str, ...]]:
    """{character: its toneless readings}, for every BMP Han character pypinyin knows."""
    found: dict[str, tuple[str, ...]] = {}
    for code, readings in pinyin_dict.items():
        if any(low <= code <= high for low, high in HAN_RANGES):
            found[chr(code)] = tuple(dict.fromkeys(_toneless(r) for r in readings.split(",")))
    return found


def readings(char: str) -> tuple[str, ...]:
    """A character's toneless readings, () for one outside the table (digits, letters)."""
    return table().get(char, ())


def sound_keys(pair: str) -> list[str]:
    """Every way a two-character key of the site can sound: "调解" → ["diao jie", "tiao jie"]
    (a typed slip such as 条 must reach the tiao of 调); [] if a character has no reading.
    The worker takes a typed character by its first reading only."""
    return [f"{a} {b}" for a, b in product(readings(pair[0]), readings(pair[1]))]


def sound_hash(key: str) -> int:
    """A 32-bit hash of an ASCII sound key, the same in the worker (multiply by 31, add)."""
    value = 0
    for char in key:
        value = (value * 31 + ord(char)) & 0xFFFFFFFF
    return value


def loose_file() -> dict[str, object]:
    """The first file a query without an exact match reads: {"stop": stop_words(),
    "readings": reading_table()}. One file, not two: each file costs the reader about 1.5 ms
    even when fetched side by side (scripts/bench_search.py prints the figure)."""
    return {"stop": stop_words(), "readings": reading_table()}


@cache
def reading_table() -> dict[str, str]:
    """{toneless reading: the characters under it}, each character under its first reading
    only, as the worker takes a typed character, for the 6,763 characters of GB 2312-1980,
    the common characters a pinyin input method offers (Python's gb2312 codec names them).
    A character outside it is never taken as a slip. The same for every site: 400 readings, about 24 KB, 16.5 KB
    gzipped (measured on this table)."""
    by_reading: dict[str, list[str]] = {}
    for char, found in sorted(table().items()):
        if len(char.encode("gb2312", errors="ignore")) == 2:
            by_reading.setdefault(found[0], []).append(char)
    return {reading: "".join(chars) for reading, chars in sorted(by_reading.items())}


def sound_index(pairs: Iterable[tuple[str, int]]) -> dict[str, list[str]]:
    """{sound key: the site's character pairs with that sound, most pages first} from
    (pair, number of pages holding it). Pairs with a non-Han character are left out."""
    by_sound: dict[str, list[tuple[int, str]]] = {}
    for pair, pages in pairs:
        for key in sound_keys(pair):
            by_sound.setdefault(key, []).append((-pages, pair))
    return {key: [pair for _, pair in sorted(found)] for key, found in sorted(by_sound.items())}


def sound_shard(by_sound: dict[str, list[str]], keys: list[str], pages: Callable[[str], list[int]],
                page_count: int) -> dict[str, object]:
    """One file of the pairs by sound: {"sounds": {key: pairs}, "words": the pairs among them
    that are words, "pages": {pair: the pages holding it}}. The pages come along so that a
    mended part costs the reader no further round trip; each list is written the shorter
    way (page_pages).

    Measured with scripts/bench_search.py at 5,000 articles: with the k/ files' postings in
    their place, a question's sound files came to 100 KB and more; common pairs (中心 on
    most pages) are a few hundred bytes as a bitmap."""
    shard = {key: by_sound[key] for key in keys}
    pairs = sorted({pair for found in shard.values() for pair in found})
    known = words()
    return {"sounds": shard, "words": [pair for pair in pairs if pair in known],
            "pages": {pair: page_pages(pages(pair), page_count) for pair in pairs}}


def page_pages(ids: list[int], page_count: int) -> list[int] | str:
    """Page ids (ascending) as gaps from the previous id, [3, 1, 7] for 3, 4, 11; or, where
    that is longer, a bitmap (bit i of byte i // 8, lowest bit first) in base64."""
    bitmap_bytes = (page_count + 7) // 8
    if len(ids) * 3 < bitmap_bytes * 4 // 3:  # a gap is about three characters of JSON
        return [page_id - previous for previous, page_id in zip([0, *ids], ids, strict=False)]
    bits = bytearray(bitmap_bytes)
    for page_id in ids:
        bits[page_id // 8] |= 1 << (page_id % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


@cache
def words() -> frozenset[str]:
    """The two-character words of jieba's dictionary (about 114,000)."""
    with jieba.get_dict_file() as dictionary:
        lines = dictionary.read().decode("utf-8").splitlines()
    return frozenset(word for line in lines if len(word := line.split(" ", 1)[0]) == 2)


@cache
def stop_words() -> list[str]:
    """The Han entries of stopwords-iso's Chinese list, sorted."""
    return sorted(word for word in stopwords("zh") if word and all(readings(char) for char in word))


# ---- Helper functions ----


def _toneless(reading: str) -> str:
    """"lǜ" → "lv", "zhōng" → "zhong": tone marks off, ü as v."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(char for char in decomposed if not unicodedata.combining(char))
