"""Build the search index in a second process while MkDocs renders the pages.

Cutting every page into sections and character pairs, then writing a few thousand small
files, took a fifth of a 1,000-article build. fazhi.search.build hands each
page's HTML to this process as soon as MkDocs has converted it; the process indexes it
while the main process goes on with the theme, so on two cores the index costs almost no
wall time. A full build waits for the index before it ends; `mkdocs serve` does not, so
the edited page is shown at once and the search catches up a moment later.

An Indexing (kept on the plugin) holds what one run of `mkdocs build` or `mkdocs serve`
needs across rebuilds: the pages of a dirty preview and the indexer that may still be writing."""

from __future__ import annotations

import json
import pickle
import queue
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from fazhi.search.index import IndexBuilder, IndexStats, PageEntry
from fazhi.search.text import sections

# (url, title, html, listing) of one page, as MkDocs rendered it; listing: it lists other
# pages (PageEntry.listing).
Page = tuple[str, str, str, bool]


class IndexerError(RuntimeError):
    """The indexing process failed; the message holds what it printed."""


class BackgroundIndexer:
    """One index, built by one child process (`python -m fazhi.search.indexer <site_dir>`)
    that reads pickled pages on its standard input."""

    def __init__(self, site_dir: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "fazhi.search.indexer", str(site_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        # A thread feeds the pipe, so the build never waits for the child to read.
        self._pages: queue.SimpleQueue[Page | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, name="fazhi-search-index", daemon=True)
        self._feeder.start()
        self._stats: IndexStats | None = None

    def add(self, page: Page) -> None:
        """Queue one page; returns at once."""
        self._pages.put(page)

    def finish(self) -> None:
        """No more pages: the child finishes the index. Returns at once."""
        self._pages.put(None)

    def wait(self) -> IndexStats:
        """Wait until the index is written; IndexerError if the child failed."""
        if self._stats is None:
            self._feeder.join()
            output, errors = self._process.communicate()
            if self._process.returncode != 0:
                raise IndexerError(errors.decode("utf-8", "replace").strip()
                                   or f"搜索索引进程意外退出（退出码 {self._process.returncode}）。")
            self._stats = IndexStats(**json.loads(output))
        return self._stats

    def stop(self) -> None:
        self._pages.put(None)  # ends the feeder thread
        self._process.kill()
        self._feeder.join()
        self._process.communicate()

    def _feed(self) -> None:
        stream = self._process.stdin
        assert stream is not None
        try:
            while (page := self._pages.get()) is not None:
                pickle.dump(page, stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(None, stream)
            stream.flush()  # communicate() in wait() closes it
        except (BrokenPipeError, ValueError):
            pass  # the child has died or was stopped; wait() reports why


@dataclass
class Indexing:
    """The indexers of one run of `mkdocs build` or `mkdocs serve`."""

    pages: dict[str, Page] = field(default_factory=dict)  # src_uri → page, for --dirty
    current: BackgroundIndexer | None = None  # this build's indexer, taking pages
    pending: BackgroundIndexer | None = None  # the previous build's indexer, maybe still writing

    def start_indexer(self, site_dir: Path) -> None:
        self.finish_pending()
        self.stop_indexer()  # left over from a build that failed
        self.current = BackgroundIndexer(site_dir)

    def stop_indexer(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None

    def finish_pending(self) -> None:
        """Let the previous build's index finish before a new one starts writing."""
        if self.pending is None:
            return
        try:
            self.pending.wait()
        except IndexerError as error:
            print(f"上一次预览的搜索索引没有生成：{error}", file=sys.stderr)
        self.pending = None


# ---- The child process ----


def build_index(site_dir: Path, pages: BinaryIO) -> IndexStats:
    """Index the pickled pages read from `pages` (until None) into <site_dir>/search/."""
    builder = IndexBuilder(site_dir)
    while (page := pickle.load(pages)) is not None:  # noqa: S301 - written by our own build
        url, title, html, listing = page
        builder.add(PageEntry(url, title, sections(html, title), listing))
    return builder.finish()


if __name__ == "__main__":
    stats = build_index(Path(sys.argv[1]), sys.stdin.buffer)
    sys.stdout.write(json.dumps(asdict(stats)))
