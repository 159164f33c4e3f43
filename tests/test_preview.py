"""The staff's preview, `mkdocs serve --dirty` (CONTRIBUTING.md): after an article is saved
the new text is served, the lists and the home page show the new title, the navigation
keeps its titles, and the search index still holds every page."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from collections_site import copy_site
from fazhi import dates
from fazhi.search.sample import write_articles

SLUG = "preview-probe"
OLD_TITLE = "预览测试原标题"
NEW_TITLE = "预览测试新标题"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    """`mkdocs serve --dirty` on a copy of the site with 30 generated articles and one probe
    article dated today (so it heads the list and the home page); yields (port, probe, log)."""
    root = tmp_path_factory.mktemp("preview")
    config = copy_site(root)
    write_articles(root / "docs", 30)
    probe = root / "docs" / "articles" / "posts" / f"{SLUG}.md"
    probe.write_text(_article(OLD_TITLE, "第一版正文。"), encoding="utf-8")
    port = _free_port()
    log = root / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )
    try:
        _wait_for(lambda: OLD_TITLE in _get(port, f"/articles/{SLUG}/"), 120, server, log)
        yield port, probe, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_saved_article_is_served_with_its_lists_navigation_and_search(preview: tuple[int, Path, Path]) -> None:
    port, probe, log = preview
    pages_before = _search_meta(port)["pages"]
    probe.write_text(_article(NEW_TITLE, "第二版正文，保存后应当马上看到。"), encoding="utf-8")
    saved = time.monotonic()
    _wait_for(lambda: "第二版正文" in _get(port, f"/articles/{SLUG}/"), 60)
    served_after = time.monotonic() - saved

    article = BeautifulSoup(_get(port, f"/articles/{SLUG}/"), "html.parser")
    assert article.h1 is not None and NEW_TITLE in article.h1.get_text()
    nav_titles = [a.get_text(" ", strip=True) for a in article.select("nav.md-nav--primary a, nav.md-tabs a")]
    assert "年度报告" in nav_titles and "None" not in nav_titles, nav_titles
    # The first list page and the home page come from unchanged files, yet show the new title.
    assert NEW_TITLE in _get(port, "/articles/")
    assert NEW_TITLE in _get(port, "/")
    # The index is written just after the pages: wait for it, then it holds every page.
    _wait_for(lambda: NEW_TITLE in _search_titles(port), 30)
    assert _search_meta(port)["pages"] == pages_before
    assert "Aborted" not in log.read_text(encoding="utf-8")
    assert served_after < 30


# ---- Helper functions ----


def _article(title: str, body: str) -> str:
    return (f"---\ntitle: {title}\ndate: {dates.today().isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
            f"categories:\n  - 普法宣传\ntags: []\nslug: {SLUG}\n---\n\n# {title}\n\n{body}\n")


def _search_meta(port: int) -> dict:  # type: ignore[type-arg]
    version = json.loads(_get(port, "/search/search_index.json"))["config"]["index"]
    return json.loads(_get(port, f"/search/{version}/meta.json"))


def _search_titles(port: int) -> str:
    version = json.loads(_get(port, "/search/search_index.json"))["config"]["index"]
    pages = json.loads(_get(port, f"/search/{version}/meta.json"))["pages"]
    return "\n".join(json.loads(_get(port, f"/search/{version}/p/{n}.json") or "{}").get("t", "") for n in range(pages))


def _get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return body if response.status == 200 else ""
    except OSError:
        return ""
    finally:
        connection.close()


def _wait_for(condition, seconds: float, server: subprocess.Popen | None = None, log: Path | None = None) -> None:  # type: ignore[no-untyped-def,type-arg]
    deadline = time.monotonic() + seconds
    while not condition():
        if server is not None and server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped:\n{log.read_text(encoding='utf-8')[-3000:] if log else ''}")
        if time.monotonic() > deadline:
            pytest.fail(f"not true after {seconds} s" + (f":\n{log.read_text(encoding='utf-8')[-3000:]}" if log else ""))
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_new_article_appears_and_a_mistake_is_reported_then_recovered(preview: tuple[int, Path, Path]) -> None:
    port, probe, log = preview
    new = probe.with_name("preview-new.md")
    new.write_text(_article("预览新增文章", "新增的正文。").replace(f"slug: {SLUG}", "slug: preview-new"), encoding="utf-8")
    _wait_for(lambda: "新增的正文" in _get(port, "/articles/preview-new/"), 60)
    _wait_for(lambda: "预览新增文章" in _get(port, "/articles/"), 10)
    _wait_for(lambda: "预览新增文章" in _search_titles(port), 30)

    # A mistake is reported in the terminal, file and line (MkDocs holds the pages back
    # until the next good build); put right, the next save is served.
    good = new.read_text(encoding="utf-8")
    new.write_text(good.replace("  - 普法宣传", "  - 不存在的分类"), encoding="utf-8")
    _wait_for(lambda: "不存在的分类" in log.read_text(encoding="utf-8"), 30)
    assert "docs/articles/posts/preview-new.md:7" in log.read_text(encoding="utf-8")
    new.write_text(good.replace("新增的正文。", "改正后的正文。"), encoding="utf-8")
    _wait_for(lambda: "改正后的正文" in _get(port, "/articles/preview-new/"), 60)

    # Removed, the article leaves the lists and the search.
    new.unlink()
    _wait_for(lambda: "预览新增文章" not in _get(port, "/articles/"), 60)
    _wait_for(lambda: "预览新增文章" not in _search_titles(port), 30)
