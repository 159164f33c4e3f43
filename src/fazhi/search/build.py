"""Site search in the build: index the pages MkDocs actually renders (drafts were never
built) into a sharded index of character pairs, read by our own search worker behind
Material's search box and result list.

Material's `search` plugin stays in mkdocs.yml because its templates show the search box
only when it is enabled; `switch_off_stock_index` removes its own (slow, jieba-based)
indexing, and the page is pointed at overrides/assets/javascripts/search-worker.js instead.

The index is built by a second process (fazhi.search.indexer) while MkDocs renders the
pages. SearchBuild keeps, on the plugin instance, what a run needs across rebuilds."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from fazhi.safety.escaping import plain
from fazhi.search.indexer import BackgroundIndexer, IndexerError, Indexing
from fazhi.sources import schema

WORKER = "assets/javascripts/search-worker.js"
STOCK_EVENTS = ("page_context", "post_build")

log = logging.getLogger("mkdocs.plugins.fazhi.search")


class SearchBuild:
    """The search index of each build of one `mkdocs build` or `mkdocs serve` run."""

    def __init__(self, *, serving: bool, dirty: bool) -> None:
        self.enabled = True  # false: Material's stock index stays (plugin option `search`)
        self.serving = serving  # `mkdocs serve`: the reader waits for the page, not for the index
        self.dirty = dirty  # `--dirty`: only changed pages are rendered; keep the others
        self.indexing = Indexing()
        self._built: set[str] = set()  # src_uri of the pages rendered in this build
        self._current: set[str] = set()  # src_uri of every page of this build
        self.worker = WORKER  # the worker's published path (its content-hash name, once known)

    def configure(self, config: MkDocsConfig) -> None:
        """Switch off the stock index and tell the templates (overrides/main.html) which
        worker address to put in place of Material's. PluginError without `- search`."""
        if not self.enabled:
            return
        stock = config.plugins.get("material/search")
        if stock is None or not stock.config.enabled:
            raise PluginError(
                "mkdocs.yml：站内搜索需要在 plugins 下保留 search（它提供页眉的搜索框），"
                "请在 plugins: 下加回一行 `- search`。"
            )
        switch_off_stock_index(config, stock)
        self.worker = WORKER
        config.extra["search_worker"] = {"stock": _stock_worker(config), "ours": WORKER}

    def publish_worker(self, config: MkDocsConfig, published: dict[str, str]) -> None:
        """The worker is published under `published[WORKER]` (fazhi.hosting.fingerprint):
        the pages name that."""
        if not self.enabled:
            return
        self.worker = published.get(WORKER, WORKER)
        config.extra["search_worker"]["ours"] = self.worker

    def start(self, site_dir: Path, src_uris: list[str]) -> None:
        """A new build: start its indexer (after MkDocs has emptied the site folder)."""
        if not self.enabled:
            return
        self.indexing.start_indexer(site_dir)
        self._built.clear()
        self._current = set(src_uris)

    def add(self, page: Page, html: str) -> None:
        """Hand one rendered page to the indexer, unless `search: exclude: true`."""
        if not self.enabled:
            return
        src_uri = page.file.src_uri
        self._built.add(src_uri)
        search = page.meta.get("search") or {}
        if isinstance(search, dict) and search.get("exclude"):
            self.indexing.pages.pop(src_uri, None)
            return
        # The index holds text; the worker escapes it when it shows a result.
        entry = (page.url, plain(page.meta.get("title") or page.title), html, is_listing(page))
        self._indexer().add(entry)
        if self.dirty:  # kept for the next rebuild, which renders only the changed pages
            self.indexing.pages[src_uri] = entry

    def finish_pages(self) -> None:
        """Every page has been converted (MkDocs renders the theme next): the index can be
        written while the theme is rendered."""
        if not self.enabled:
            return
        indexer = self._indexer()
        if self.dirty:  # pages a dirty rebuild skipped are still on the site
            for src_uri in sorted(set(self.indexing.pages) - self._built):
                if src_uri in self._current:
                    indexer.add(self.indexing.pages[src_uri])
                else:
                    del self.indexing.pages[src_uri]
        indexer.finish()

    def check_page(self, page: Page, output: str) -> None:
        """PluginError when a page does not load our worker (a Material upgrade changed the
        configuration block overrides/main.html swaps)."""
        if not self.enabled:
            return
        if 'id="__config"' in output and self.worker not in output:
            raise PluginError(
                f"{page.file.src_uri}：页面没有使用本站的搜索程序 {self.worker}，"
                "请检查 overrides/main.html 的 {% block config %}（Material 升级后可能需要调整）。"
            )

    def wait(self) -> None:
        """The end of a build: wait for the index (PluginError if it failed). A preview
        does not wait: the edited page is served now, the search follows in a moment."""
        if not self.enabled:
            return
        indexer = self._indexer()
        self.indexing.current = None
        if self.serving:
            self.indexing.pending = indexer
            return
        started = time.perf_counter()
        try:
            stats = indexer.wait()
        except IndexerError as error:
            raise PluginError(f"站内搜索索引没有生成：\n{error}") from None
        log.debug(
            "search index: %d pages, %d keys, %d shards, %d files, %.1f MB; waited %.2f s after the pages",
            stats.pages, stats.keys, stats.shards, stats.files, stats.raw_bytes / 1e6,
            time.perf_counter() - started,
        )

    def stop(self) -> None:
        """A build failed: stop its indexer."""
        if not self.enabled:
            return
        self.indexing.stop_indexer()

    def shutdown(self) -> None:
        """Let a preview's last index finish before `mkdocs serve` deletes its site folder."""
        if not self.enabled:
            return
        self.indexing.finish_pending()

    def _indexer(self) -> BackgroundIndexer:
        if self.indexing.current is None:
            raise PluginError("fazhi.search：搜索索引进程没有启动（on_files 没有运行）。")
        return self.indexing.current


def is_listing(page: Page) -> bool:
    """Whether a page lists other pages (ranked below content, issue 16): the home page and
    the pages whose body is a generated list, named by their marker in the content schema
    (registry.yml `markers`). Generated list pages (archive, category, tag) are not indexed."""
    return page.is_homepage or page.file.src_uri in schema.registry()["markers"]


def switch_off_stock_index(config: MkDocsConfig, stock: BasePlugin) -> None:  # type: ignore[type-arg]  # any plugin's config
    """Unregister the stock plugin's indexing (on_page_context) and index writing
    (on_post_build); its search box and settings stay."""
    for event in STOCK_EVENTS:
        handlers = config.plugins.events[event]
        handlers[:] = [handler for handler in handlers if getattr(handler, "__self__", None) is not stock]


# ---- Helper functions ----


def _stock_worker(config: MkDocsConfig) -> str:
    """The address of Material's own worker (its name carries a content hash)."""
    for theme_dir in config.theme.dirs:
        found = sorted(Path(theme_dir).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].relative_to(theme_dir).as_posix()
    raise PluginError("找不到 Material 自带的搜索程序 assets/javascripts/workers/search.*.min.js，请检查 mkdocs-material 的安装。")
