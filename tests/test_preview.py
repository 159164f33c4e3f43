"""The staff's preview, `mkdocs serve --dirty` (CONTRIBUTING.md): after an article is saved
the new text is served, the lists and the home page show the new title, the navigation
keeps its titles, and the search index still holds every page."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from fazhi.preview_server import PreviewServer, mkdocs_serve
from fazhi.search.sample import write_articles
from fazhi.sources import dates

from collections_site import copy_site

SLUG = "preview-probe"
OLD_TITLE = "预览测试原标题"
NEW_TITLE = "预览测试新标题"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PreviewServer, Path]]:
    """`mkdocs serve --dirty` on a copy of the site with 30 generated articles and one probe
    article dated today (so it heads the list and the home page); yields (server, probe)."""
    root = tmp_path_factory.mktemp("preview")
    copy_site(root)
    write_articles(root / "docs", 30)
    probe = root / "docs" / "articles" / "posts" / f"{SLUG}.md"
    probe.write_text(_article(OLD_TITLE, "第一版正文。"), encoding="utf-8")
    with mkdocs_serve(root, root / "serve.log") as server:
        server.wait_until(lambda: OLD_TITLE in server.text(f"/articles/{SLUG}/"), 120)
        yield server, probe


def test_a_saved_article_is_served_with_its_lists_navigation_and_search(preview: tuple[PreviewServer, Path]) -> None:
    server, probe = preview
    pages_before = _search_meta(server)["pages"]
    probe.write_text(_article(NEW_TITLE, "第二版正文，保存后应当马上看到。"), encoding="utf-8")
    saved = time.monotonic()
    server.wait_until(lambda: "第二版正文" in server.text(f"/articles/{SLUG}/"), 60)
    served_after = time.monotonic() - saved

    article = BeautifulSoup(server.text(f"/articles/{SLUG}/"), "html.parser")
    assert article.h1 is not None and NEW_TITLE in article.h1.get_text()
    nav_titles = [a.get_text(" ", strip=True) for a in article.select("nav.md-nav--primary a, nav.md-tabs a")]
    assert "年度报告" in nav_titles and "None" not in nav_titles, nav_titles
    # The first list page and the home page come from unchanged files, yet show the new title.
    assert NEW_TITLE in server.text("/articles/")
    assert NEW_TITLE in server.text("/")
    # The index is written just after the pages: wait for it, then it holds every page.
    server.wait_until(lambda: NEW_TITLE in _search_titles(server), 30)
    assert _search_meta(server)["pages"] == pages_before
    assert "Aborted" not in server.log.read_text(encoding="utf-8")
    assert served_after < 30


def test_a_new_article_appears_and_a_mistake_is_reported_then_recovered(preview: tuple[PreviewServer, Path]) -> None:
    server, probe = preview
    new = probe.with_name("preview-new.md")
    new.write_text(_article("预览新增文章", "新增的正文。").replace(f"slug: {SLUG}", "slug: preview-new"), encoding="utf-8")
    server.wait_until(lambda: "新增的正文" in server.text("/articles/preview-new/"), 60)
    server.wait_until(lambda: "预览新增文章" in server.text("/articles/"), 10)
    server.wait_until(lambda: "预览新增文章" in _search_titles(server), 30)

    # A mistake is reported in the terminal, file and line, and the pages show the list of
    # errors until the next good build (tests/test_preview_errors.py: in the browser); put
    # right, the next save is served.
    good = new.read_text(encoding="utf-8")
    new.write_text(good.replace("  - 普法宣传", "  - 不存在的分类"), encoding="utf-8")
    server.wait_until(lambda: "不存在的分类" in server.log.read_text(encoding="utf-8"), 30)
    assert "docs/articles/posts/preview-new.md:7" in server.log.read_text(encoding="utf-8")
    server.wait_until(lambda: "docs/articles/posts/preview-new.md:7" in server.text("/articles/preview-new/"), 30)
    new.write_text(good.replace("新增的正文。", "改正后的正文。"), encoding="utf-8")
    server.wait_until(lambda: "改正后的正文" in server.text("/articles/preview-new/"), 60)

    # Removed, the article leaves the lists and the search.
    new.unlink()
    server.wait_until(lambda: "预览新增文章" not in server.text("/articles/"), 60)
    server.wait_until(lambda: "预览新增文章" not in _search_titles(server), 30)


# ---- Helper functions ----


def _article(title: str, body: str) -> str:
    return (f"---\ntitle: {title}\ndate: {dates.today().isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
            f"categories:\n  - 普法宣传\ntags: []\nslug: {SLUG}\n---\n\n# {title}\n\n{body}\n")


def _search_meta(server: PreviewServer) -> dict[str, Any]:
    version = json.loads(server.text("/search/search_index.json"))["config"]["index"]
    meta: dict[str, Any] = json.loads(server.text(f"/search/{version}/meta.json"))
    return meta


def _search_titles(server: PreviewServer) -> str:
    version = json.loads(server.text("/search/search_index.json"))["config"]["index"]
    pages = json.loads(server.text(f"/search/{version}/meta.json"))["pages"]
    return "\n".join(json.loads(server.text(f"/search/{version}/p/{n}.json") or "{}").get("t", "")
                     for n in range(pages))
