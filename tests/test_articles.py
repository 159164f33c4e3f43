"""The article collection: the committed articles keep the checker's content rules, and on a
temporary copy of the site with generated articles (never committed) a new article reaches
the home page, its category, the archive, the feed and the search index, while a draft and
a future-dated article reach none of them."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from fazhi.checks import Context, run_sources
from fazhi.cli import new_article
from fazhi.config import FazhiConfig
from fazhi.findings import Finding
from fazhi.sources import dates, frontmatter
from fazhi.sources.slugs import ascii_slug

from collections_site import all_html, build, copy_site, search_index_text
from conftest import REPO, attr, found

POSTS = sorted((REPO / "docs/articles/posts").glob("*.md"))
ATOM = "{http://www.w3.org/2005/Atom}"
GENERATED_OLD = 55  # more than one category page (50) in one category
PER_PAGE, GROUP_PER_PAGE = FazhiConfig.pagination_per_page.default, FazhiConfig.pagination_group_per_page.default
NEW_TITLE = "按贡献指南新建的测试文章"
DRAFT_TITLE = "草稿测试甲乙丙"
FUTURE_TITLE = "未来测试丁戊己"


# ---- The committed articles ----


@pytest.fixture(scope="module")
def source_findings() -> list[Finding]:
    """The checker's source rules over the repository, run once (fazhi.checks.run_sources)."""
    return run_sources(Context(root=REPO, docs=REPO / "docs"))


@pytest.mark.parametrize("path", POSTS, ids=[p.stem for p in POSTS])
def test_committed_article_keeps_every_content_rule(path: Path, source_findings: list[Finding]) -> None:
    """Rules, not a list: whatever articles are committed, each passes the checker's rules,
    among them quotations that are the report's own sentences and figures the report has
    (fazhi.checks.quotations), which is what a pull request is held to."""
    shown = path.relative_to(REPO).as_posix()
    errors = [finding.text() for finding in source_findings if finding.path == shown and finding.severity == "error"]
    assert errors == []


def test_there_are_at_least_8_committed_articles() -> None:
    """The launch set; staff add more, which must never turn this red."""
    assert len(POSTS) >= 8


def test_article_pages_show_facts_and_link_the_report_section(site_dir: Path) -> None:
    for path in POSTS:
        data = frontmatter.read(path).data
        page = site_dir / "articles" / data["slug"] / "index.html"
        assert page.is_file(), f"articles/{data['slug']}/ not built"
        tree = _soup(page.read_text(encoding="utf-8"))
        facts = tree.select(".fazhi-article-facts")[0].get_text()
        for category in data["categories"]:
            assert category in facts
        assert re.search(r"阅读约 \d+ 分钟", facts)
        if "report_ref" not in data:  # optional: no 依据 line then
            assert not tree.select(".fazhi-article-ref")
            continue
        ref = unquote(attr(tree.select(".fazhi-article-ref a")[0], "href"))
        part, _, anchor = data["report_ref"].partition("#")
        assert ref == f"../../{part.removesuffix('.md')}/" + (f"#{anchor}" if anchor else "")  # the section is optional
        report_page = (site_dir / part.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in report_page


def test_real_site_lists_every_article_in_list_archive_feed_and_search(site_dir: Path) -> None:
    titles = [frontmatter.read(p).data["title"] for p in POSTS]
    lists = (site_dir / "articles/index.html").read_text(encoding="utf-8")
    lists += "".join(p.read_text(encoding="utf-8") for p in (site_dir / "articles/page").rglob("*.html"))
    archive = "".join(p.read_text(encoding="utf-8") for p in (site_dir / "articles/archive").rglob("*.html"))
    feed = (site_dir / "feed.xml").read_text(encoding="utf-8")
    index = search_index_text(site_dir)
    for title in titles:
        assert title in lists and title in archive and title in feed and title in index, title


def test_every_page_links_the_feed(site_dir: Path) -> None:
    for page in ("index.html", "about/index.html", f"articles/{POSTS[0].stem}/index.html"):
        head = found(_soup((site_dir / page).read_text(encoding="utf-8")).head)
        link = head.select_one('link[rel=alternate][type="application/atom+xml"]')
        assert link is not None and (site_dir / page).parent.joinpath(attr(link, "href")).resolve() == (site_dir / "feed.xml")


def test_sidebars_do_not_list_every_article(site_dir: Path) -> None:
    """Articles are not in the nav: a page's navigation does not grow with the collection."""
    about = (site_dir / "about/index.html").read_text(encoding="utf-8")
    for path in POSTS:
        assert f"articles/{path.stem}/" not in about


# ---- A temporary site with generated articles ----


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("articles-site")
    config = copy_site(root)
    posts = root / "docs/articles/posts"
    today = dates.today()
    # The new article, made the way CONTRIBUTING.md says: with the scaffold.
    status = new_article.main([
        "--docs", str(root / "docs"), "--title", NEW_TITLE, "--category", "法律援助", "--tag", "法律援助",
        "--summary", "测试摘要。", "--source", "测试来源",
    ], ask=_no_questions)
    assert status == 0
    # …then writes the text in place of the scaffold's placeholder, as the guide says.
    scaffolded = posts / f"{_new_slug()}.md"
    text = scaffolded.read_text(encoding="utf-8")
    placeholder = next(line for line in text.splitlines() if "在这里写" in line)
    scaffolded.write_text(text.replace(placeholder, "新文章的正文。"), encoding="utf-8")
    _write(posts / "draft-probe.md", DRAFT_TITLE, today, extra="draft: true\n")
    # A future date is refused (checker and build) unless the article is a draft.
    _write(posts / "future-probe.md", FUTURE_TITLE, today + dt.timedelta(days=30), extra="draft: true\n")
    _write(posts / "reading-time-probe.md", "阅读时间测试", today, body="汉" * 900)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    _write(posts / "changes-probe.md", "更新记录测试", today - dt.timedelta(days=2), extra=(
        f"updated: {yesterday}\nchanges:\n  - date: \"{yesterday}\"\n    note: 更正了一处标点。\n"))
    for number in range(GENERATED_OLD):
        _write(posts / f"generated-{number:03d}.md", f"生成的旧文章{number:03d}",
               dt.date(2025, 1 + number % 12, 1 + number % 28), category="调解")
    return build(config)


def _no_questions(prompt: str) -> str:
    raise AssertionError(f"the scaffold asked although every value was given: {prompt}")


def _write(path: Path, title: str, day: dt.date, *, extra: str = "", body: str = "正文。",
           category: str = "普法宣传") -> None:
    path.write_text(
        f"---\ntitle: {title}\ndate: {day.isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
        f"categories:\n  - {category}\ntags: []\nslug: {path.stem}\n{extra}---\n\n# {title}\n\n{body}\n",
        encoding="utf-8",
    )


def _new_slug() -> str:
    return ascii_slug(NEW_TITLE)


def test_new_article_reaches_home_category_archive_feed_and_search(generated_site: Path) -> None:
    slug = _new_slug()
    assert (generated_site / "articles" / slug / "index.html").is_file()
    home = _soup((generated_site / "index.html").read_text(encoding="utf-8"))
    latest = [a.get_text() for a in home.select(".fazhi-latest a")]
    assert NEW_TITLE in latest
    category = generated_site / "articles/category" / ascii_slug("法律援助") / "index.html"
    assert NEW_TITLE in category.read_text(encoding="utf-8")
    year = dates.today().year
    assert NEW_TITLE in (generated_site / f"articles/archive/{year}/index.html").read_text(encoding="utf-8")
    assert NEW_TITLE in _feed_titles(generated_site)
    assert NEW_TITLE in search_index_text(generated_site)


@pytest.mark.parametrize("title,slug", [(DRAFT_TITLE, "draft-probe"), (FUTURE_TITLE, "future-probe")],
                         ids=["draft", "future-dated"])
def test_unpublished_article_is_nowhere(generated_site: Path, title: str, slug: str) -> None:
    assert not (generated_site / "articles" / slug).exists()
    assert not (generated_site / "articles/posts" / slug).exists()
    assert title not in all_html(generated_site)
    assert title not in _feed_titles(generated_site)
    assert title not in search_index_text(generated_site)
    sitemap = generated_site / "sitemap.xml"
    if sitemap.exists():
        assert slug not in sitemap.read_text(encoding="utf-8")


def test_list_pages_paginate_and_link_each_other(generated_site: Path) -> None:
    total = len(POSTS) + 3 + GENERATED_OLD  # committed + new + two probes + old ones
    pages = 1 + len(list((generated_site / "articles/page").glob("*/index.html")))
    assert pages == -(-total // PER_PAGE)
    first = _soup((generated_site / "articles/index.html").read_text(encoding="utf-8"))
    assert f"共 {total} 篇文章" in first.get_text()
    assert len(first.select("h2 a:not(.headerlink)")) == PER_PAGE
    next_link = [a.get("href") for a in first.select(".fazhi-pager a") if "下一页" in a.get_text()]
    assert next_link == ["page/2/"]


def test_category_pages_paginate(generated_site: Path) -> None:
    base = generated_site / "articles/category" / ascii_slug("调解")
    committed = sum("调解" in frontmatter.read(p).data["categories"] for p in POSTS)
    total = GENERATED_OLD + committed
    pages = [base / "index.html", *sorted((base / "page").glob("*/index.html"))]
    assert len(pages) == -(-total // GROUP_PER_PAGE)
    titles = set()
    for page in pages:
        tree = _soup(page.read_text(encoding="utf-8"))
        titles |= {a.get_text() for a in tree.select(".fazhi-compact li a")}
    assert len(titles) == total


def test_archive_has_a_page_per_year(generated_site: Path) -> None:
    index = (generated_site / "articles/archive/index.html").read_text(encoding="utf-8")
    assert "2025年" in index and f"{dates.today().year}年" in index
    page_2025 = (generated_site / "articles/archive/2025/index.html").read_text(encoding="utf-8")
    assert f"共 {GENERATED_OLD} 篇" in page_2025
    assert "生成的旧文章000" in page_2025 and NEW_TITLE not in page_2025


def test_reading_time_counts_han_characters(generated_site: Path) -> None:
    page = (generated_site / "articles/reading-time-probe/index.html").read_text(encoding="utf-8")
    # The body's 900 汉 plus the title's 6 Han characters at 300 a minute, rounded up.
    assert "阅读约 4 分钟" in page


def test_feed_is_valid_atom_with_relative_links(generated_site: Path) -> None:
    feed = ET.parse(generated_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 20
    for entry in entries:
        href = found(found(entry.find(f"{ATOM}link")).get("href"))
        assert href.startswith("articles/") and (generated_site / href / "index.html").is_file()
        assert found(entry.find(f"{ATOM}id")).text and found(entry.find(f"{ATOM}updated")).text


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def _feed_titles(site: Path) -> list[str | None]:
    feed = ET.parse(site / "feed.xml").getroot()
    return [found(entry.find(f"{ATOM}title")).text for entry in feed.findall(f"{ATOM}entry")]


def test_a_reserved_slug_stops_the_build_with_a_chinese_message(tmp_path: Path) -> None:
    config = copy_site(tmp_path)
    _write(tmp_path / "docs/articles/posts/archive.md", "占用保留名的文章", dates.today())
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "docs/articles/posts/archive.md:" in result.stderr and "网址名）的值“archive”是网站保留的名字" in result.stderr


def test_a_corrected_article_shows_its_change_log_and_feed_update(generated_site: Path) -> None:
    yesterday = (dates.today() - dt.timedelta(days=1)).isoformat()
    page = _soup((generated_site / "articles/changes-probe/index.html").read_text(encoding="utf-8"))
    heading = next(h2 for h2 in page.select("h2") if "更新记录" in h2.get_text())
    assert f"{yesterday}：更正了一处标点。" in found(heading.find_next("ul")).get_text()
    feed = ET.parse(generated_site / "feed.xml").getroot()
    entry = next(e for e in feed.findall(f"{ATOM}entry") if found(e.find(f"{ATOM}title")).text == "更新记录测试")
    assert found(found(entry.find(f"{ATOM}updated")).text).startswith(yesterday)
    assert found(found(entry.find(f"{ATOM}published")).text).startswith((dates.today() - dt.timedelta(days=2)).isoformat())
