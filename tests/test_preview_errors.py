"""The staff's preview, `mkdocs serve --dirty`, shows a mistake in the browser: the page the
reader has open turns into the Chinese list of errors (file:line, what is wrong, 修改方法)
soon after the bad save, and back into the article after the fix, both by MkDocs'
livereload, without the reader reloading. The terminal keeps the same message, and a page
whose page information is wrong is not called a draft there. The list is the checker's
whole list: a mistake in the page information does not hide a bad anchor in the text.

The error page escapes every field, keeps the spaces a message quotes, and does not scroll
sideways on a phone; the pages it covered come back as they were (their times too, which
--dirty compares). Screenshots of it, 375 × 667 and 1280 × 800: set
PREVIEW_ERROR_SCREENSHOTS to a folder (preview-error-375.png and preview-error-1280.png are
written there). The pages a preview no longer builds: tests/test_preview.py, and
test_pages_no_longer_built_leave_the_site_folder here."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fazhi.findings import Finding
from fazhi.preview_errors import ORIGINALS, ErrorPages, LeftPages, render
from fazhi.preview_server import PreviewServer, mkdocs_serve
from fazhi.sources import dates

from collections_site import copy_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SLUG = "preview-errors-probe"
ARTICLE = f"/articles/{SLUG}/"
SHOWN_WITHIN = 30  # seconds from the bad save until the open page shows the errors
BACK_WITHIN = 60  # seconds from the fix until the open page shows the article again
ERROR_HEADING = "h1:has-text('预览：内容有')"


@dataclass(frozen=True)
class Mistake:
    name: str
    spoil: Callable[[Path, str], None]  # (docs folder, the good article) -> the mistake saved
    mend: Callable[[Path], None]  # docs folder -> the mistake put right (before the fix is saved)
    where: list[str]  # file:line of each error, in the order shown
    says: str  # a piece of the first error's message
    heading: str  # what the terminal says has errors (the browser: 内容)
    fix_shows: str = ""  # a piece of the first error's 修改方法, as the page shows it (spaces kept)
    more_possible: bool = False  # the build stopped before the other rules: the page says more may follow


def _save_probe(docs: Path, text: str) -> None:
    (docs / "articles" / "posts" / f"{SLUG}.md").write_text(text, encoding="utf-8")


def _nothing(docs: Path) -> None:
    """Nothing to undo: saving the corrected article puts it right."""


def _remove_link(docs: Path) -> None:
    (docs / "about" / "shortcut.md").unlink()


PROBE = f"docs/articles/posts/{SLUG}.md"
MISTAKES = [
    # First: the screenshots are of its page. A mistake in the page information and one in a
    # link, each found by another part of the checker: both are listed at once.
    Mistake("empty-list-and-wrong-anchor",
            lambda docs, good: _save_probe(docs, good.replace("categories:\n", "categories: []\n").replace(
                "正文。", "正文，见[报告](../../reports/2024/part-1.md#no-such-heading)。")),
            _nothing, [f"{PROBE}:6", f"{PROBE}:14"], "categories: []", "内容", fix_shows="下面每行一个“  - 项”"),
    Mistake("unknown-category-and-tag",
            lambda docs, good: _save_probe(docs, good.replace("  - 普法宣传", "  - 不存在的分类").replace("tags: []", "tags:\n  - 不存在的标签")),
            _nothing, [f"{PROBE}:7", f"{PROBE}:9"], "不存在的分类", "内容"),
    Mistake("broken-yaml", lambda docs, good: _save_probe(docs, good.replace("summary: 测试摘要。", "summary: [测试摘要。")),
            _nothing, [f"{PROBE}:6"], "YAML", "内容"),
    Mistake("impossible-date", lambda docs, good: _save_probe(docs, good.replace(f"date: {dates.today().isoformat()}", "date: 2024-13-45")),
            _nothing, [f"{PROBE}:3"], "2024-13-45", "内容"),
    # A slip in the text, found with the page information (no heading of page information).
    Mistake("heading-after-a-non-breaking-space", lambda docs, good: _save_probe(docs, good.replace("正文。", "正文。\n\n##\u00a0小标题\n")),
            _nothing, [f"{PROBE}:16"], "不间断空格", "内容"),
    Mistake("wrong-anchor",
            lambda docs, good: _save_probe(docs, good.replace("正文。", "正文，见[报告](../../reports/2024/part-1.md#no-such-heading)。")),
            _nothing, [f"{PROBE}:14"], "#no-such-heading", "页面中的链接或代码"),
    # To a page next to it: a link to a folder would have MkDocs' file watcher walk that folder too.
    Mistake("symlink-in-docs", lambda docs, good: (docs / "about" / "shortcut.md").symlink_to("statement.md"),
            _remove_link, ["docs/about/shortcut.md"], "符号链接", "docs/ 中的文件", more_possible=True),
]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PreviewServer, Path]]:
    """`mkdocs serve --dirty` on a copy of the site with one probe article; yields (server, docs)."""
    root = tmp_path_factory.mktemp("preview-errors")
    copy_site(root)
    docs = root / "docs"
    _save_probe(docs, _article("第一版正文。"))
    with mkdocs_serve(root, root / "serve.log") as server:
        server.wait_until(lambda: "第一版正文" in server.text(ARTICLE), 120)
        yield server, docs


@pytest.mark.parametrize("mistake", MISTAKES, ids=[mistake.name for mistake in MISTAKES])
def test_the_open_page_shows_the_mistake_and_the_article_after_the_fix(
        preview: tuple[PreviewServer, Path], page: Page, browser: Browser, mistake: Mistake) -> None:
    server, docs = preview
    page.goto(server.url(ARTICLE), wait_until="load")
    page.locator("article h1", has_text="预览错误探针").wait_for()
    log_start = len(server.log.read_text(encoding="utf-8"))

    mistake.spoil(docs, _article("第一版正文。"))
    saved = time.monotonic()
    page.locator(ERROR_HEADING).wait_for(timeout=SHOWN_WITHIN * 1000)  # the same page: MkDocs reloaded it
    print(f"\n{mistake.name}: the open page showed the errors {time.monotonic() - saved:.2f} s after the save")

    assert page.url == server.url(ARTICLE)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    findings = page.locator("li.finding")
    assert findings.count() == len(mistake.where), findings.all_inner_texts()
    for block, where in zip(findings.all(), mistake.where, strict=True):
        assert block.locator(".where code").inner_text() == where
        assert block.locator(".fix").inner_text().startswith("修改方法：")
    assert mistake.says in findings.first.locator(".what").inner_text()
    # innerText is the text as shown: white space the page collapses is not in it.
    assert mistake.fix_shows in findings.first.locator(".fix").inner_text()
    assert page.title() == f"预览：内容有 {len(mistake.where)} 处错误"
    assert (page.get_by_text("可能还会发现其他错误").count() == 1) == mistake.more_possible
    # The terminal says the same; the page with wrong page information is no draft there.
    logged = server.log.read_text(encoding="utf-8")[log_start:]
    assert all(where in logged for where in mistake.where), logged
    assert not [line for line in logged.splitlines() if "未发布" in line and SLUG in line], logged
    assert f"{mistake.heading}有 {len(mistake.where)} 处错误，网站没有生成" in logged, logged
    # MkDocs' list of the pages outside the nav no longer buries the message (mkdocs.yml).
    assert 'not included in the "nav"' not in server.log.read_text(encoding="utf-8")
    _on_a_phone_and_a_desktop(browser, server, mistake)

    mistake.mend(docs)
    _save_probe(docs, _article(f"改正后的正文（{mistake.name}）。"))
    fixed = time.monotonic()
    page.get_by_text(f"改正后的正文（{mistake.name}）").wait_for(timeout=BACK_WITHIN * 1000)
    print(f"{mistake.name}: the article was back {time.monotonic() - fixed:.2f} s after the fix")
    assert page.locator(ERROR_HEADING).count() == 0
    # Every other page is the site's again (put back or rebuilt), and the search has every page.
    assert "预览：内容有" not in server.text("/") and "预览：内容有" not in server.text("/reports/2024/part-1/")
    assert SLUG in server.text("/articles/")


def test_every_field_of_a_finding_is_escaped() -> None:
    hostile = Finding("docs/<b>x</b>.md", 3, 1, "error", "code<i>", "消息<script>alert(1)</script>",
                      "改正<img src=x onerror=alert(1)>")
    html = render([hostile], "12:00:00")
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "docs/&lt;b&gt;x&lt;/b&gt;.md:3" in html
    assert '<html lang="zh-CN">' in html and "</body>" in html and "http" not in html


def test_the_covered_pages_come_back_with_their_times(tmp_path: Path) -> None:
    """What --dirty relies on: a page put back keeps its modification time, and what the
    error page alone stood for is gone again."""
    page = tmp_path / "reports" / "index.html"
    page.parent.mkdir()
    page.write_text("报告", encoding="utf-8")
    os.utime(page, (1_000_000, 1_000_000))
    pages = ErrorPages()
    pages.remember(["articles/gone/index.html"])  # a page the last good build wrote, since emptied
    finding = Finding("docs/a.md", 7, 1, "error", "meta-categories", "分类不对。", "改分类。")

    assert pages.show(tmp_path, [finding], "12:00:00") == 4
    for covered in ["reports/index.html", "index.html", "articles/gone/index.html"]:
        assert "预览：内容有 1 处错误" in (tmp_path / covered).read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in (tmp_path / "404.html").read_text(encoding="utf-8")

    pages.restore(tmp_path)
    assert page.read_text(encoding="utf-8") == "报告" and page.stat().st_mtime == 1_000_000
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.html")) == ["reports/index.html"]
    assert not (tmp_path / ORIGINALS).exists()


def test_pages_no_longer_built_leave_the_site_folder(tmp_path: Path) -> None:
    """After a good build: a page made a draft leaves the notice at its address, a page
    deleted or renamed nothing (its empty folder neither); the notices go before the next
    build, and nothing outside the site folder is touched."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("不是网站的文件", encoding="utf-8")
    first = {"index.html": "index.md", "articles/a/index.html": "articles/posts/a.md",
             "articles/b/index.html": "articles/posts/b.md", "articles/c/index.html": "articles/posts/c.md",
             "articles/linked/index.html": "articles/posts/linked.md", "../outside/index.html": "articles/posts/x.md"}
    for relative in ["index.html", "articles/a/index.html", "articles/b/index.html", "articles/c/index.html"]:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(relative, encoding="utf-8")
    (site / "articles" / "linked").symlink_to(outside)  # a folder that leads out of the site folder
    left = LeftPages()
    left.update(site, first, {})
    assert left.notices == {}

    second = {"index.html": "index.md", "articles/c-new/index.html": "articles/posts/c-new.md"}  # c renamed
    (site / "articles/c-new").mkdir()
    (site / "articles/c-new/index.html").write_text("c", encoding="utf-8")  # as MkDocs writes it
    left.update(site, second, {"articles/posts/a.md": "docs/articles/posts/a.md"})
    draft = (site / "articles/a/index.html").read_text(encoding="utf-8")
    assert "这篇文章现在是草稿（draft: true），预览和网站上都不显示；删掉 draft: true 这一行后重新显示。" in draft
    assert "docs/articles/posts/a.md" in draft and '<html lang="zh-CN">' in draft and "</body>" in draft
    assert not (site / "articles/b").exists() and not (site / "articles/c").exists()
    assert (outside / "index.html").read_text(encoding="utf-8") == "不是网站的文件"
    assert set(left.notices) == {"articles/a/index.html"}

    left.clear(site)  # before the next build: MkDocs finds no page there
    assert not (site / "articles/a/index.html").exists()
    left.update(site, second, {"articles/posts/a.md": "docs/articles/posts/a.md"})  # still a draft
    assert set(left.notices) == {"articles/a/index.html"} and (site / "articles/a/index.html").is_file()
    left.clear(site)
    (site / "articles/a/index.html").write_text("a", encoding="utf-8")  # a published again (MkDocs writes it)
    left.update(site, {"index.html": "index.md", "articles/a/index.html": "articles/posts/a.md"}, {})  # c deleted
    assert left.notices == {} and not (site / "articles/c").exists() and not (site / "articles/c-new").exists()
    assert (site / "articles/a/index.html").read_text(encoding="utf-8") == "a"
    assert (outside / "index.html").read_text(encoding="utf-8") == "不是网站的文件"


# ---- Helper functions ----


def _article(body: str) -> str:
    return (f"---\ntitle: 预览错误探针\ndate: {dates.today().isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
            f"categories:\n  - 普法宣传\ntags: []\nslug: {SLUG}\n---\n\n# 预览错误探针\n\n{body}\n")


def _on_a_phone_and_a_desktop(browser: Browser, server: PreviewServer, mistake: Mistake) -> None:
    """The error page of the first mistake (it lists two errors, one with spaces kept) does
    not scroll sideways on a 375-pixel phone, nor on a desktop; with PREVIEW_ERROR_SCREENSHOTS
    set to a folder, a full-page screenshot of each is saved there."""
    if mistake is not MISTAKES[0]:
        return
    folder = os.environ.get("PREVIEW_ERROR_SCREENSHOTS")
    for width, height, mobile in [(375, 667, True), (1280, 800, False)]:
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile,
                                      has_touch=mobile, locale="zh-CN")
        shown = context.new_page()
        shown.goto(server.url(ARTICLE), wait_until="load")
        assert shown.evaluate("document.documentElement.scrollWidth") <= width
        if folder:
            shown.screenshot(path=str(Path(folder) / f"preview-error-{width}.png"), full_page=True)
        context.close()
