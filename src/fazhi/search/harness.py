"""Measuring search the way a reader uses it: build a copy of the site (with our search, with
stock Material search, or with no search), serve it with a plain static server and type
queries into the header search box of a real headless Chromium.

Used by scripts/search_eval.py and scripts/bench_search.py; the tests use the fixtures in
tests/conftest.py instead."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fazhi.static_server import serve_directory

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUR_HOOK = "overrides/hooks/search_index.py"
MODES = ("ours", "stock")

# Records, inside the page, when the last key went up and when the result list changed next.
TIMING_SCRIPT = """
window.__search = {keyup: 0, result: 0};
document.addEventListener("keyup", () => {
  window.__search.keyup = performance.now(); window.__search.result = 0;
}, true);
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector(".md-search-result");
  if (target) new MutationObserver(() => {
    if (window.__search.keyup && !window.__search.result) window.__search.result = performance.now();
  }).observe(target, {childList: true, subtree: true, characterData: true});
});
"""


def copy_project(dest: Path, mode: str = "ours") -> Path:
    """Copy mkdocs.yml, docs/ and overrides/ into dest with search set to mode; return the config.

    ours: the site as committed; stock: Material's own search and index (our hook removed)."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}, expected one of {MODES}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, dest / name, symlinks=True, dirs_exist_ok=True)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if mode == "stock":
        text = _remove_line(text, f"  - {OUR_HOOK}\n")
    config = dest / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build(config: Path, site_dir: Path, strict: bool = True) -> float:
    """Build the site; return the wall time in seconds. Exits with MkDocs' output on failure."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.insert(4, "--strict")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"网站生成失败（{config}）：\n{result.stdout}\n{result.stderr}")
    return elapsed


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """A plain static server for site_dir (no compression); yields its root URL."""
    with serve_directory(site_dir) as origin:
        yield origin + "/"


def gzip_size(path: Path) -> int:
    """Bytes a static server sends for this file with gzip (level 6, nginx's and Apache's usual)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def is_search_file(url_path: str) -> bool:
    return bool(re.search(r"(^|/)search/|search-worker|workers/search|javascripts/lunr/", url_path))


@dataclass
class QueryRun:
    query: str
    pages: list[str]  # result pages, best first, as site paths ("reports/2024/part-1/")
    count_text: str
    latency_ms: float  # last keyup to the result list changing, first query on a fresh page
    load_bytes: int  # search bytes fetched by page load, before anyone typed
    query_bytes: int  # search bytes fetched by this first query, until the list is complete
    typing_ms: list[float] = field(default_factory=list)  # the same, typed one character at a time


class SearchBrowser:
    """Headless Chromium typing into the site's header search box."""

    def __init__(self, site_dir: Path, root_url: str) -> None:
        from playwright.sync_api import sync_playwright

        self.site_dir = site_dir
        self.root_url = root_url
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        self._sizes: dict[str, int] = {}

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def run(self, query: str, typing: bool = False, start_path: str = "") -> QueryRun:
        """Open a fresh page (empty cache), type the query, read the result list."""
        context = self._browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.add_init_script(TIMING_SCRIPT)
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(self.root_url + start_path)
        page.wait_for_load_state("networkidle")
        box = page.locator("input.md-search__input")
        box.click()
        # Stock Material builds its whole index in the worker first: minutes at 5,000 pages.
        page.wait_for_function(
            "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')",
            timeout=600_000,
        )
        load_bytes = self._bytes(fetched)
        fetched.clear()
        latency = self._type(page, box, query)
        _settle(page, fetched)  # the rest of the list may follow the first ten results
        query_bytes = self._bytes(fetched)
        # Each result item is one page; its first link is the page itself.
        pages = [self._site_path(href) for href in page.eval_on_selector_all(
            ".md-search-result__item > a:first-child", "els => els.map(el => el.href)")]
        count_text = page.locator(".md-search-result__meta").inner_text()
        typing_ms = []
        if typing:
            box.fill("")
            box.press("End")
            chars = list(query)
            for end in range(1, len(chars) + 1):
                typing_ms.append(self._type(page, box, "".join(chars[:end])))
        context.close()
        return QueryRun(query, _unique(pages), count_text, latency, load_bytes, query_bytes, typing_ms)

    def _type(self, page: object, box: object, text: str) -> float:
        """Put text in the box and release a key, as an input method does when it commits."""
        box.fill(text)  # type: ignore[attr-defined]
        box.press("End")  # type: ignore[attr-defined]
        page.wait_for_function("() => window.__search.result > 0", timeout=10_000)  # type: ignore[attr-defined]
        return page.evaluate("() => window.__search.result - window.__search.keyup")  # type: ignore[attr-defined]

    def _bytes(self, urls: list[str]) -> int:
        total = 0
        for url in urls:
            path = unquote(urlsplit(url).path).lstrip("/")
            if not is_search_file(path):
                continue
            if path not in self._sizes:
                file = self.site_dir / path
                self._sizes[path] = gzip_size(file) if file.is_file() else 0
            total += self._sizes[path]
        return total

    def _site_path(self, href: str) -> str:
        return unquote(urlsplit(href).path).lstrip("/")


# ---- Helper functions ----


def _settle(page: object, fetched: list[str], quiet_ms: int = 300) -> None:
    """Wait until no request has finished for quiet_ms."""
    seen = -1
    while seen != len(fetched):
        seen = len(fetched)
        page.wait_for_timeout(quiet_ms)  # type: ignore[attr-defined]


def _remove_line(text: str, line: str) -> str:
    if line not in text:
        sys.exit(f"mkdocs.yml 中找不到“{line.strip()}”，无法生成对比配置")
    return text.replace(line, "", 1)


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
