"""Site search: index the pages MkDocs actually renders (drafts and future-dated articles were
already removed by metadata.py) into a sharded index of character pairs, read by our own
search worker behind Material's search box and result list.

Material's `search` plugin stays in mkdocs.yml because its templates show the search box
only when it is enabled; this hook switches off its own (slow, jieba-based) indexing and
points the page at overrides/assets/javascripts/search-worker.js instead.

The index is built by a second process (fazhi.search.indexer) while MkDocs renders the
pages."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from fazhi.search.indexer import INDEXING, BackgroundIndexer, IndexerError
from fazhi.session import SESSION

WORKER = "assets/javascripts/search-worker.js"
STOCK_EVENTS = ("page_context", "post_build")

log = logging.getLogger("mkdocs.hooks.search_index")
_built: set[str] = set()  # src_uri of the pages rendered in this build
_current: set[str] = set()  # src_uri of every page of this build


def on_startup(*, command: str, dirty: bool) -> None:
    INDEXING.pages.clear()


def on_shutdown() -> None:
    INDEXING.finish_pending()  # before `mkdocs serve` deletes its temporary site folder


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    stock = config.plugins.get("material/search")
    if stock is None or not stock.config.enabled:
        raise PluginError(
            "mkdocs.yml：站内搜索需要在 plugins 下保留 search（它提供页眉的搜索框），"
            "请在 plugins: 下加回一行 `- search`。"
        )
    _switch_off_stock_index(config, stock)
    # overrides/main.html swaps the stock worker's address for ours in Material's __config.
    config.extra["search_worker"] = {"stock": _stock_worker(config), "ours": WORKER}
    return config


def on_build_error(*, error: Exception) -> None:
    INDEXING.stop_indexer()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    # Started here, after MkDocs has emptied the site folder for a full build.
    INDEXING.start_indexer(Path(config.site_dir))
    _built.clear()
    _current.clear()
    _current.update(file.src_uri for file in files.documentation_pages())
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    src_uri = page.file.src_uri
    _built.add(src_uri)
    search = page.meta.get("search") or {}
    if isinstance(search, dict) and search.get("exclude"):
        INDEXING.pages.pop(src_uri, None)
        return html
    entry = (page.url, str(page.meta.get("title") or page.title or ""), html)
    _indexer().add(entry)
    if SESSION.dirty:  # kept for the next rebuild, which renders only the changed pages
        INDEXING.pages[src_uri] = entry
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if 'id="__config"' in output and WORKER not in output:
        raise PluginError(
            f"{page.file.src_uri}：页面没有使用本站的搜索程序 {WORKER}，"
            "请检查 overrides/main.html 的 {% block config %}（Material 升级后可能需要调整）。"
        )
    return output


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Every page has been converted (MkDocs renders the theme next): the index can be
    written while the theme is rendered."""
    indexer = _indexer()
    if SESSION.dirty:  # pages a dirty rebuild skipped are still on the site
        for src_uri in sorted(set(INDEXING.pages) - _built):
            if src_uri in _current:
                indexer.add(INDEXING.pages[src_uri])
            else:
                del INDEXING.pages[src_uri]
    indexer.finish()
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    indexer = _indexer()
    INDEXING.current = None
    if SESSION.serving:
        INDEXING.pending = indexer  # the edited page is served now; the search follows in a moment
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


# ---- Helper functions ----


def _indexer() -> BackgroundIndexer:
    if INDEXING.current is None:
        raise PluginError("overrides/hooks/search_index.py：搜索索引进程没有启动（on_files 没有运行）。")
    return INDEXING.current


def _stock_worker(config: MkDocsConfig) -> str:
    """The address of Material's own worker (its name carries a content hash)."""
    for theme_dir in config.theme.dirs:
        found = sorted(Path(theme_dir).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].relative_to(theme_dir).as_posix()
    raise PluginError("找不到 Material 自带的搜索程序 assets/javascripts/workers/search.*.min.js，请检查 mkdocs-material 的安装。")


def _switch_off_stock_index(config: MkDocsConfig, stock: object) -> None:
    """Unregister the stock plugin's indexing (on_page_context) and index writing
    (on_post_build); its search box and settings stay."""
    for event in STOCK_EVENTS:
        handlers = config.plugins.events[event]
        handlers[:] = [handler for handler in handlers if getattr(handler, "__self__", None) is not stock]
