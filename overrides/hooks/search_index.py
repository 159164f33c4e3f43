"""Site search: index the pages MkDocs actually renders (drafts and future-dated articles were
already removed by metadata.py) into a sharded index of character pairs, read by our own
search worker behind Material's search box and result list.

Material's `search` plugin stays in mkdocs.yml because its templates show the search box
only when it is enabled; this hook switches off its own (slow, jieba-based) indexing and
points the page at overrides/assets/javascripts/search-worker.js instead."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from fazhi.search.index import PageEntry, write_index
from fazhi.search.text import sections

WORKER = "assets/javascripts/search-worker.js"
STOCK_EVENTS = ("page_context", "post_build")

log = logging.getLogger("mkdocs.hooks.search_index")
_entries: dict[str, PageEntry] = {}
_dirty = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


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
    if not _dirty:
        _entries.clear()
    return config


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    search = page.meta.get("search") or {}
    if isinstance(search, dict) and search.get("exclude"):
        return html
    title = str(page.meta.get("title") or page.title or "")
    _entries[page.file.src_uri] = PageEntry(page.url, title, sections(html, title))
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if 'id="__config"' in output and WORKER not in output:
        raise PluginError(
            f"{page.file.src_uri}：页面没有使用本站的搜索程序 {WORKER}，"
            "请检查 overrides/main.html 的 {% block config %}（Material 升级后可能需要调整）。"
        )
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    started = time.perf_counter()
    stats = write_index(list(_entries.values()), Path(config.site_dir))
    log.debug(
        "search index: %d pages, %d keys, %d shards, %d files, %.1f MB in %.2f s",
        stats.pages, stats.keys, stats.shards, stats.files, stats.raw_bytes / 1e6,
        time.perf_counter() - started,
    )


# ---- Helper functions ----


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
