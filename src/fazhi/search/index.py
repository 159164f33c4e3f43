"""Write the search index into the built site.

Layout under <site>/search/ (all UTF-8 JSON, never \\uXXXX escapes):
- search_index.json: the small file Material's page script loads on every page. It holds
  only the settings its highlighter needs, the name of the current index folder and the
  shard counts (postings, pairs by sound).
- <version>/meta.json: page count, shard count and each page's length (for ranking).
- <version>/k/<n>.json: shard n of the postings, {key: [page gap, weight, page gap, weight …]}
  where weight = min(count, 63) * 4 + 1 (key in the title) + 2 (key in a heading).
- <version>/p/<page>.json: one page's address, title and sections, for the result list.
- For a query without an exact match only (fazhi.search.sounds): <version>/loose.json, the
  stop words and the characters by reading (fazhi.search.sounds.loose_file);
  <version>/s/<n>.json, shard n of the site's character pairs by sound,
  {"sounds": {"zhong xin": ["中心", …]}, "words": ["中心", …], "pages": {"中心": page ids}}
  (fazhi.search.sounds.page_pages).
The worker fetches meta.json and the few shards and pages a query needs, nothing before the
first query. <version> is a hash of the content, so a browser never mixes two builds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fazhi.search import sounds
from fazhi.search.tokens import count_keys, key_set, normalize, runs, shard_of

MAX_COUNT = 63
TITLE, HEADING = 1, 2
# Material's own separator for Chinese, used by its highlighter on the page a reader lands on.
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
# Roughly this many postings per shard file; the shard count is a power of two.
POSTINGS_PER_SHARD = 1500
# Sound keys per file of pairs by sound: a loosened query fetches one file per doubtful pair,
# so these stay small. Measured with scripts/bench_search.py at 5,000 articles: 200 keys made
# files of 10–18 KB gzipped, and a question fetching eight of them read over 100 KB; 50 keys
# make them a quarter of that.
SOUNDS_PER_SHARD = 50
MIN_SHARDS, MAX_SHARDS = 16, 4096


@dataclass
class PageEntry:
    url: str  # relative to the site root, as MkDocs writes page.url ("" is the home page)
    title: str
    sections: list[tuple[str, str, str, str]]  # (anchor, heading, text, leads); the first has anchor ""
    listing: bool = False  # a list of other pages (home, article list): ranked below content


@dataclass
class IndexStats:
    pages: int
    keys: int
    shards: int
    files: int
    raw_bytes: int
    version: str


class IndexBuilder:
    """Takes the pages one at a time and writes <site_dir>/search/.

    Page ids follow the order the pages come in (MkDocs' own order of files, which is
    fixed), so each page's record is written as soon as it arrives and only the postings
    stay in memory. Files go into a staging folder that is renamed after their hash when
    the index is complete; search_index.json names the new folder only then, so a reader of
    a live preview never finds half an index."""

    def __init__(self, site_dir: Path) -> None:
        self.search_dir = site_dir / "search"
        self.writer = _Writer(self.search_dir / f"_staging-{os.getpid()}")
        if self.writer.folder.exists():  # left by an interrupted build
            shutil.rmtree(self.writer.folder)
        self.lengths: list[int] = []
        self.listings: list[int] = []  # ids of the pages that list other pages
        # key → [page id << 8 | weight, …]. One packed unsigned int per posting keeps
        # 5,000 pages' postings in tens of megabytes.
        self.postings: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))

    def add(self, entry: PageEntry) -> None:
        page_id = len(self.lengths)
        if entry.listing:
            self.listings.append(page_id)
        self.writer.write(f"p/{page_id}.json",
                          {"u": entry.url, "t": entry.title, "s": [list(section) for section in entry.sections]})
        title = normalize(entry.title)
        # Bold openings (fazhi.search.text) rank like headings; their words are also in the body.
        headings = normalize(" ".join([heading for anchor, heading, _, _ in entry.sections if anchor]
                                      + [leads for _, _, _, leads in entry.sections if leads]))
        body = normalize(" ".join(text for _, _, text, _ in entry.sections))
        counts: Counter[str] = Counter()
        for part in (title, headings, body):
            count_keys(part, counts)
        self.lengths.append(sum(map(len, runs(body))) + sum(map(len, runs(title))))
        base = page_id << 8
        postings = self.postings
        for key, count in counts.items():
            postings[key].append(base | (count << 2 if count < MAX_COUNT else MAX_COUNT << 2))
        # Flags go on the posting just appended for this page.
        for key in key_set(title):
            postings[key][-1] |= TITLE
        for key in key_set(headings):
            postings[key][-1] |= HEADING

    def finish(self) -> IndexStats:
        """Write the postings and meta.json, and switch search_index.json to this index."""
        writer, search_dir = self.writer, self.search_dir
        shard_count = _shard_count(sum(len(values) for values in self.postings.values()))
        for number, keys in enumerate(_keys_by_shard(self.postings, shard_count)):
            writer.write(f"k/{number}.json", {key: _encode(self.postings[key]) for key in keys})
        by_sound = sounds.sound_index((key, len(values)) for key, values in self.postings.items() if len(key) == 2)
        sound_count = _shard_count(len(by_sound), SOUNDS_PER_SHARD)
        for number, keys in enumerate(_keys_by_shard(by_sound, sound_count, sounds.sound_hash)):
            writer.write(f"s/{number}.json", sounds.sound_shard(
                by_sound, keys, lambda pair: _page_ids(self.postings[pair]), len(self.lengths)))
        writer.write("loose.json", sounds.loose_file())
        writer.write("meta.json", {"pages": len(self.lengths), "shards": shard_count, "len": self.lengths,
                                   "lists": self.listings})
        version = writer.digest.hexdigest()[:10]
        if (search_dir / version).exists():  # the same index as before
            shutil.rmtree(writer.folder)
        else:
            writer.folder.rename(search_dir / version)
        # The shard counts are known before the first query, so the worker can fetch a query's
        # postings at once, without waiting for meta.json.
        config = {"lang": ["zh"], "separator": SEPARATOR, "pipeline": [], "fields": {},
                  "index": version, "shards": shard_count, "sounds": sound_count}
        pointer = search_dir / f"search_index.json.{os.getpid()}"
        pointer.write_text(_json({"config": config, "docs": []}), encoding="utf-8")
        pointer.replace(search_dir / "search_index.json")
        for old in search_dir.iterdir():
            if old.is_dir() and old.name != version and not old.name.startswith("_staging"):
                shutil.rmtree(old)
        return IndexStats(pages=len(self.lengths), keys=len(self.postings), shards=shard_count,
                          files=writer.files + 1, raw_bytes=writer.bytes, version=version)


class _Writer:
    """Writes UTF-8 JSON files under one folder and hashes names and contents as it goes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.digest = hashlib.sha1()
        self.files = 0
        self.bytes = 0
        self._made: set[Path] = set()

    def write(self, name: str, data: object) -> None:
        encoded = _json(data).encode("utf-8")
        self.digest.update(name.encode("utf-8"))
        self.digest.update(encoded)
        path = self.folder / name
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        path.write_bytes(encoded)
        self.files += 1
        self.bytes += len(encoded)


# ---- Helper functions ----


def _shard_count(total: int, per_shard: int = POSTINGS_PER_SHARD) -> int:
    count = MIN_SHARDS
    while count < MAX_SHARDS and count * per_shard < total:
        count *= 2
    return count


def _keys_by_shard(keyed: Mapping[str, object], shard_count: int,
                   number: Callable[[str], int] | None = None) -> list[list[str]]:
    """Each shard's keys, sorted, so the files depend only on the pages. `number` gives a
    key's hash (the shard is hash % shard_count); by default the postings' shard_of."""
    shards: list[list[str]] = [[] for _ in range(shard_count)]
    for key in sorted(keyed):
        shards[number(key) % shard_count if number else shard_of(key, shard_count)].append(key)
    return shards


def _encode(packed: array[int]) -> list[int]:
    """[page gap, weight, page gap, weight …]: gaps from the previous page id are small numbers."""
    values = packed.tolist()
    page_ids = _page_ids(packed)
    gaps = [page_id - previous for previous, page_id in zip([0, *page_ids], page_ids, strict=False)]  # one longer: the last id has no successor
    weights = [value & 255 for value in values]
    return [n for pair in zip(gaps, weights, strict=True) for n in pair]


def _page_ids(packed: array[int]) -> list[int]:
    """The page ids of a key's packed postings (page id << 8 | weight), ascending."""
    return [value >> 8 for value in packed]


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
