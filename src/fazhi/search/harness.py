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
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from fazhi.static_server import SUB_PATH, serve_directory

if TYPE_CHECKING:  # types only: Playwright itself is imported when a browser is launched
    from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The same switches as the tests' browser (tests/conftest.py): no background traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NGINX_HOST = "fazhi.example.test"  # RFC 6761: never a real host; Chromium maps it to nginx
PLUGIN = "fazhi"  # our plugin's entry in mkdocs.yml; its option `search: false` keeps Material's index
MODES = ("ours", "stock")

# Material's search UI: the box, the "N 个符合条件的结果" line, each result's own link.
SEARCH_BOX = "input.md-search__input"
RESULT_META = ".md-search-result__meta"
RESULT_LINKS = ".md-search-result__item > a:first-child"
# Our worker's line above the results ("未找到“…”，以下是包含“…”的结果", "您是不是要找：…");
# stock Material has none.
NOTICE = ".fazhi-search-notice"
# The notice's text when it is on the page and shown, else "".
NOTICE_SCRIPT = """selector => {
  const el = document.querySelector(selector);
  if (!el || el.hidden) return "";
  const shown = typeof el.checkVisibility === "function" ? el.checkVisibility() : el.getClientRects().length > 0;
  return shown ? el.textContent.replace(/\\s+/g, " ").trim() : "";
}"""

# Resolves when the page's finite animations and transitions are over (an endless one, such
# as a spinner, is not waited for), or after two seconds.
SETTLED_SCRIPT = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter(animation => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity)
    .map(animation => animation.finished.catch(() => {}))),
  new Promise(resolve => setTimeout(resolve, 2000)),
])"""

# Records, inside the page, when the last key went up and when the result list changed next;
# window.__search.answered(ms) resolves then (or fails after ms).
TIMING_SCRIPT = """
window.__search = {keyup: 0, result: 0, waiting: []};
document.addEventListener("keyup", () => {
  window.__search.keyup = performance.now(); window.__search.result = 0;
}, true);
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector(".md-search-result");
  if (target) new MutationObserver(() => {
    if (window.__search.keyup && !window.__search.result) {
      window.__search.result = performance.now();
      window.__search.waiting.splice(0).forEach(resolve => resolve());
    }
  }).observe(target, {childList: true, subtree: true, characterData: true});
});
window.__search.answered = timeout => new Promise((resolve, reject) => {
  if (window.__search.result) return resolve();
  window.__search.waiting.push(resolve);
  setTimeout(() => reject(new Error("no answer within " + timeout + " ms")), timeout);
});
"""


def copy_project(dest: Path, mode: str = "ours") -> Path:
    """Copy mkdocs.yml, docs/ and overrides/ into dest with search set to mode; return the config.

    ours: the site as committed; stock: Material's own search and index (`search: false`
    under the fazhi plugin)."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}, expected one of {MODES}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, dest / name, symlinks=True, dirs_exist_ok=True)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if mode == "stock":
        text = with_plugin_option(text, "search", "false")
    config = dest / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build(config: Path, site_dir: Path, strict: bool = True, env: Mapping[str, str] | None = None) -> float:
    """Build the site, with `env` added to the environment (e.g. SITE_URL); return the wall
    time in seconds. Exits with MkDocs' output on failure.
    Never with -q: it raises the log level above WARNING, and --strict then counts none of
    MkDocs' own warnings (the output is captured anyway)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.insert(4, "--strict")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, **(env or {}), "NO_MKDOCS_2_WARNING": "1"})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"网站生成失败（{config}）：\n{result.stdout}\n{result.stderr}")
    return elapsed


def with_plugin_option(text: str, key: str, value: str) -> str:
    """mkdocs.yml's text with `key: value` set under `- fazhi:` in `plugins:`. The text is
    edited, not loaded and dumped: mkdocs.yml holds !ENV and !!python/object/apply tags,
    and its comments stay. Handles `- fazhi`, `- fazhi:` with an indented block (the key
    replaced if present, added first otherwise) and `- fazhi: {…}`; exits if none is found."""
    lines = text.splitlines(keepends=True)
    entry = re.compile(rf"^(?P<indent>\s*)-\s+{PLUGIN}(?![\w.-])(?P<colon>\s*:)?\s*(?P<rest>[^#\n]*?)\s*(?P<comment>#.*)?$")
    for number, line in enumerate(lines):
        found = entry.match(line.rstrip("\r\n"))
        if found is None or not _in_plugins(lines, number, len(found["indent"])):
            continue
        indent, rest = found["indent"], found["rest"]
        newline = "\r\n" if line.endswith("\r\n") else "\n"
        if rest.startswith("{"):  # flow mapping on one line
            inner = re.sub(rf"(^|,)\s*{re.escape(key)}\s*:[^,}}]*", "", rest[1:].rstrip()[:-1]).strip(" ,")
            lines[number] = f"{indent}- {PLUGIN}: {{{key}: {value}{', ' + inner if inner else ''}}}{newline}"
        elif rest:
            break  # some other scalar: not a form MkDocs accepts
        else:
            block = _block_end(lines, number, len(indent))
            children = [len(row) - len(row.lstrip(" ")) for row in lines[number + 1:block] if _is_content(row)]
            child = min(children) if children else len(indent) + 4
            own = re.compile(rf"^ {{{child}}}{re.escape(key)}\s*:")
            kept = [row for row in lines[number + 1:block] if not own.match(row)]
            head = f"{indent}- {PLUGIN}:{(' ' + found['comment']) if found['comment'] else ''}{newline}"
            lines[number:block] = [head, f"{' ' * child}{key}: {value}{newline}", *kept]
        edited = "".join(lines)
        _check_option(edited, key, value)
        return edited
    sys.exit(f"mkdocs.yml 的 plugins 中找不到“- {PLUGIN}”，无法生成对比配置")


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """A plain static server for site_dir (no compression); yields its root URL."""
    with serve_directory(site_dir) as origin:
        yield origin + "/"


@contextmanager
def serve_nginx(site_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """site_dir as a maintainer deploys it: under /fazhi/ of deploy/nginx.conf in Debian's
    nginx (fazhi.hosting.nginx: its own network namespace, a throwaway certificate). Yields
    (root URL, the Chromium switches that reach it). NginxError if nginx cannot start (it
    needs root and Debian's nginx, openssl and iproute2: scripts/setup.sh)."""
    from fazhi.hosting.nginx import Nginx

    work = Path(tempfile.mkdtemp(prefix="fazhi-search-nginx-"))
    work.chmod(0o755)  # nginx's workers (www-data) read the copy below
    nginx = Nginx(work / "nginx")
    try:
        nginx.start(NGINX_HOST)
        shutil.copytree(site_dir, nginx.web_root / SUB_PATH)
        yield (f"https://{NGINX_HOST}/{SUB_PATH}/",
               ["--ignore-certificate-errors", f"--host-resolver-rules=MAP {NGINX_HOST} {nginx.address}"])
    finally:
        nginx.stop()
        shutil.rmtree(work, ignore_errors=True)


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
    notice: str = ""  # the text of our notice line above the results ("" when there is none)


class SearchBrowser:
    """Headless Chromium typing into the site's header search box."""

    def __init__(self, site_dir: Path, root_url: str, switches: list[str] | None = None) -> None:
        """root_url serves site_dir; `switches` are Chromium's beyond CHROMIUM_ARGS (serve_nginx)."""
        from playwright.sync_api import sync_playwright

        self.site_dir = site_dir
        self.root_url = root_url
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *(switches or [])]
        )
        self._sizes: dict[str, int] = {}

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    @contextmanager
    def open_page(self, start_path: str = "") -> Iterator[Page]:
        """A fresh page (new context, empty cache) showing root_url + start_path, for
        running many queries one after another (fazhi.search.evaluation.ask_all)."""
        context = self._browser.new_context(locale="zh-CN")
        try:
            page = context.new_page()
            page.goto(self.root_url + start_path)
            yield page
        finally:
            context.close()

    def run(self, query: str, typing: bool = False, start_path: str = "") -> QueryRun:
        """Open a fresh page (empty cache), type the query, read the result list."""
        context = self._browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.add_init_script(TIMING_SCRIPT)
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(self.root_url + start_path)
        page.wait_for_load_state("networkidle")
        box = page.locator(SEARCH_BOX)
        box.click()
        # Stock Material builds its whole index in the worker first: minutes at 5,000 pages.
        wait_until_ready(page, timeout_ms=600_000)
        # A reader types after the search box has opened: its transitions are over by the last
        # key. Typing into a box still opening timed the animation's frames, not the search.
        page.evaluate(SETTLED_SCRIPT)
        load_bytes = self._bytes(fetched)
        fetched.clear()
        latency = self._type(page, box, query)
        _settle(page, fetched)  # the rest of the list may follow the first ten results
        query_bytes = self._bytes(fetched)
        pages = result_pages(page, self.root_url)
        count_text = page.locator(RESULT_META).inner_text()
        notice = notice_text(page)
        typing_ms = []
        if typing:
            box.fill("")
            box.press("End")
            chars = list(query)
            for end in range(1, len(chars) + 1):
                typing_ms.append(self._type(page, box, "".join(chars[:end])))
        context.close()
        return QueryRun(query, pages, count_text, latency, load_bytes, query_bytes, typing_ms, notice)

    def fetch_ms(self, paths: list[str]) -> float:
        """Milliseconds for a fresh page to fetch `paths` (site paths of JSON files) side by
        side and parse them, as the search worker fetches its files: what a file costs a
        reader, whatever it holds."""
        context = self._browser.new_context(locale="zh-CN")
        try:
            page = context.new_page()
            page.goto(self.root_url)
            page.wait_for_load_state("networkidle")
            return float(page.evaluate("""async urls => {
              const start = performance.now()
              await Promise.all(urls.map(url => fetch(url).then(response => response.json())))
              return performance.now() - start
            }""", [self.root_url + path for path in paths]))
        finally:
            context.close()

    def _type(self, page: Page, box: Locator, text: str) -> float:
        """Put text in the box and release a key, as an input method does when it commits."""
        box.fill(text)
        box.press("End")
        # Awaited, not polled: Playwright's wait_for_function polls on every animation frame,
        # and each forced frame cost the page's main thread about 10 ms on this 2-core
        # machine, competing with the search worker (seen in a Chromium trace).
        page.evaluate("() => window.__search.answered(10000)")
        return float(page.evaluate("() => window.__search.result - window.__search.keyup"))

    def _bytes(self, urls: list[str]) -> int:
        total = 0
        for url in urls:
            if not url.startswith(self.root_url):
                continue
            path = site_path(url, self.root_url)
            if not is_search_file(path):
                continue
            if path not in self._sizes:
                file = self.site_dir / path
                self._sizes[path] = gzip_size(file) if file.is_file() else 0
            total += self._sizes[path]
        return total


def wait_until_ready(page: Page, timeout_ms: float = 30_000) -> None:
    """Wait until the search box no longer says it is starting ("正在初始化搜索引擎")."""
    page.wait_for_function(
        "selector => !document.querySelector(selector).textContent.includes('初始化')",
        arg=RESULT_META, timeout=timeout_ms,
    )


def result_pages(page: Page, root_url: str) -> list[str]:
    """The pages in the result list, best first, each once, as site paths relative to
    root_url ("reports/2024/part-1/"; the home page is ""). Each result item is one page and
    its first link is the page itself; Material renders the first ten at once and the rest
    as the reader scrolls."""
    hrefs: list[str] = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(el => el.href)")
    return _unique([site_path(href, root_url) for href in hrefs])


def notice_text(page: Page) -> str:
    """The text of our notice line above the results, "" when it is absent or hidden."""
    text: str = page.evaluate(NOTICE_SCRIPT, NOTICE)
    return text


def site_path(href: str, root_url: str) -> str:
    """href's path relative to the site at root_url, without query or fragment:
    ("http://h/fazhi/about/?h=x#y", "http://h/fazhi/") -> "about/"."""
    path = unquote(urlsplit(href).path)
    root = unquote(urlsplit(root_url).path)
    return path[len(root):] if path.startswith(root) else path.lstrip("/")


# ---- Helper functions ----


def _settle(page: Page, fetched: list[str], quiet_ms: int = 300) -> None:
    """Wait until no request has finished for quiet_ms."""
    seen = -1
    while seen != len(fetched):
        seen = len(fetched)
        page.wait_for_timeout(quiet_ms)


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _in_plugins(lines: list[str], number: int, indent: int) -> bool:
    """Whether the list item at lines[number] is an item of the top-level `plugins:`."""
    for line in reversed(lines[:number]):
        if not _is_content(line):
            continue
        depth = len(line) - len(line.lstrip(" "))
        if depth < indent or (depth == indent and not line.lstrip(" ").startswith("-")):
            return re.match(r"plugins\s*:\s*(#.*)?$", line.rstrip()) is not None
    return False


def _block_end(lines: list[str], number: int, indent: int) -> int:
    """The index of the first line after the list item at lines[number]: the next content
    line indented no deeper than its dash (trailing blank and comment lines stay outside)."""
    end = number + 1
    for index in range(number + 1, len(lines)):
        if not _is_content(lines[index]):
            continue
        if len(lines[index]) - len(lines[index].lstrip(" ")) <= indent:
            break
        end = index + 1
    return end


def _check_option(text: str, key: str, value: str) -> None:
    """Exit unless the edited YAML has key: value in the fazhi plugin's settings (tags such
    as !ENV are read as plain values: only the structure is checked)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
        return None

    Loader.add_multi_constructor("!", plain)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", plain)
    expected = yaml.safe_load(f"{key}: {value}")[key]
    plugins = (yaml.load(text, Loader=Loader) or {}).get("plugins") or []  # noqa: S506  # safe loader subclass
    settings = next((item[PLUGIN] for item in plugins if isinstance(item, dict) and PLUGIN in item), None)
    if not isinstance(settings, dict) or settings.get(key) != expected:
        sys.exit(f"无法在 mkdocs.yml 的 {PLUGIN} 插件下设置 {key}: {value}，请检查 plugins 的写法")


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
