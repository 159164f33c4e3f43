"""The staff's preview, `mkdocs serve --dirty` (CONTRIBUTING.md): after an article is saved
the new text is served, the lists and the home page show the new title, the navigation
keeps its titles, and the search index still holds every page. An article made a draft is
not shown (the page open at its address says why, and shows the article again once
`draft: true` is deleted); an article deleted or renamed is not served at its old address."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup

from fazhi.preview_server import PreviewServer, mkdocs_serve
from fazhi.search.sample import write_articles
from fazhi.sources import dates

from collections_site import copy_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

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
    # The preview serves a page before its search index is written (fazhi.search.build): the
    # index follows a moment later.
    server.wait_until(lambda: _search_ready(server), 30)
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


def test_a_draft_is_not_shown_and_the_open_page_says_why(preview: tuple[PreviewServer, Path], page: Page) -> None:
    server, probe = preview
    address = f"/articles/{SLUG}/"
    probe.write_text(_article(NEW_TITLE, "发布中的正文。"), encoding="utf-8")
    server.wait_until(lambda: "发布中的正文" in server.text(address), 60)
    page.goto(server.url(address), wait_until="load")
    page.locator("article h1", has_text=NEW_TITLE).wait_for()

    probe.write_text(_draft(_article(NEW_TITLE, "草稿中的正文。")), encoding="utf-8")
    saved = time.monotonic()
    notice = page.locator("h1", has_text="这篇文章现在是草稿")
    notice.wait_for(timeout=30_000)  # the same page, reloaded by MkDocs' livereload
    print(f"\nthe open page showed the draft notice {time.monotonic() - saved:.2f} s after the save")
    assert page.url == server.url(address) and page.locator("article").count() == 0
    assert "删掉 draft: true 这一行后重新显示" in page.locator(".lead").inner_text()
    assert page.locator(".where code").inner_text() == f"docs/articles/posts/{SLUG}.md"
    assert NEW_TITLE not in server.text("/articles/") and NEW_TITLE not in server.text("/")
    assert "草稿中的正文" not in server.text(address)

    # Edited again while a draft: the page (reloaded again) still says so.
    builds = _builds(server)
    probe.write_text(_draft(_article(NEW_TITLE, "草稿改过的正文。")), encoding="utf-8")
    server.wait_until(lambda: _builds(server) > builds, 60)
    served = server.text(address)
    assert "这篇文章现在是草稿" in served and "草稿改过的正文" not in served
    notice.wait_for()

    # `draft: true` deleted: the article is back, in the open page and in the lists.
    probe.write_text(_article(NEW_TITLE, "草稿发布后的正文。"), encoding="utf-8")
    page.get_by_text("草稿发布后的正文").wait_for(timeout=60_000)
    assert notice.count() == 0 and page.url == server.url(address)
    server.wait_until(lambda: NEW_TITLE in server.text("/articles/"), 10)


def test_a_renamed_or_deleted_article_leaves_its_old_address(preview: tuple[PreviewServer, Path]) -> None:
    server, probe = preview
    address, renamed = f"/articles/{SLUG}/", f"/articles/{SLUG}-renamed/"
    good = _article(NEW_TITLE, "改名前的正文。")
    probe.write_text(good, encoding="utf-8")
    server.wait_until(lambda: "改名前的正文" in server.text(address), 60)

    # A new slug is a new file name: the new address is served, the old one is gone.
    other = probe.with_name(f"{SLUG}-renamed.md")
    other.write_text(good.replace(f"slug: {SLUG}", f"slug: {SLUG}-renamed"), encoding="utf-8")
    probe.unlink()
    server.wait_until(lambda: "改名前的正文" in server.text(renamed) and server.fetch(address)[0] == 404, 60)

    # Deleted: no page at its address either.
    other.unlink()
    server.wait_until(lambda: server.fetch(renamed)[0] == 404, 60)
    assert NEW_TITLE not in server.text("/articles/")
    probe.write_text(good, encoding="utf-8")
    server.wait_until(lambda: "改名前的正文" in server.text(address), 60)
    assert server.fetch(renamed)[0] == 404


# ---- Helper functions ----


def _draft(text: str) -> str:
    return text.replace(f"slug: {SLUG}\n", f"slug: {SLUG}\ndraft: true\n", 1)


def _builds(server: PreviewServer) -> int:
    """How many builds `mkdocs serve` has finished (and reloaded the browsers after)."""
    return server.log.read_text(encoding="utf-8").count("Reloading browsers")


def _article(title: str, body: str) -> str:
    return (f"---\ntitle: {title}\ndate: {dates.today().isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
            f"categories:\n  - 普法宣传\ntags: []\nslug: {SLUG}\n---\n\n# {title}\n\n{body}\n")


def _search_ready(server: PreviewServer) -> bool:
    pointer = server.text("/search/search_index.json")
    return bool(pointer) and bool(server.text(f"/search/{json.loads(pointer)['config']['index']}/meta.json"))


def _search_meta(server: PreviewServer) -> dict[str, Any]:
    version = json.loads(server.text("/search/search_index.json"))["config"]["index"]
    meta: dict[str, Any] = json.loads(server.text(f"/search/{version}/meta.json"))
    return meta


def _search_titles(server: PreviewServer) -> str:
    version = json.loads(server.text("/search/search_index.json"))["config"]["index"]
    pages = json.loads(server.text(f"/search/{version}/meta.json"))["pages"]
    return "\n".join(json.loads(server.text(f"/search/{version}/p/{n}.json") or "{}").get("t", "")
                     for n in range(pages))
