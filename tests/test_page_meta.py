"""Government page furniture in the built pages: the <meta> tags of the 网页设计规范 (SiteName
everywhere; ColumnName/ColumnType on section pages; ArticleTitle, PubDate YYYY-MM-DD HH:MM,
ContentSource on articles and report pages), the visible 发布日期/来源 line under the title,
the 当前位置 breadcrumbs and the reading controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from citizen_pages import require
from conftest import attr, found

SECTIONS = {"index.html": "首页", "reports/index.html": "年度报告", "policies/index.html": "政策文件与清单", "articles/index.html": "普法文章"}
REPORT_PAGES = ["reports/2024/index.html", *(f"reports/2024/part-{n}/index.html" for n in range(1, 5))]


def meta(site_dir: Path, path: str) -> dict[str, str]:
    soup = BeautifulSoup((site_dir / path).read_text(encoding="utf-8"), "html.parser")
    return {attr(m, "name"): attr(m, "content") for m in soup.select("head meta[name]")}


def test_every_page_names_the_site(site_dir: Path) -> None:
    pages = [p for p in site_dir.rglob("*.html")]
    assert all(meta(site_dir, str(p.relative_to(site_dir)))["SiteName"] == "汽开区法治政府建设" for p in pages)


@pytest.mark.parametrize("path", SECTIONS)
def test_section_pages_carry_column_tags(site_dir: Path, path: str) -> None:
    tags = meta(site_dir, path)
    assert tags["ColumnName"] == SECTIONS[path]
    assert tags["ColumnType"]
    assert "ArticleTitle" not in tags


def test_report_and_article_pages_carry_article_tags(site_dir: Path) -> None:
    pages = [*REPORT_PAGES, require(site_dir, "article") + "index.html"]
    for path in pages:
        tags = meta(site_dir, path)
        soup = BeautifulSoup((site_dir / path).read_text(encoding="utf-8"), "html.parser")
        assert tags["ArticleTitle"] == found(soup.h1).get_text().strip().removesuffix("¶").strip(), path
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", tags["PubDate"]), tags["PubDate"]
        assert tags["ContentSource"] and tags["ContentSource"] != "未载明"
        info = found(soup.select_one(".fazhi-pageinfo")).get_text()
        assert f"发布日期：{tags['PubDate'][:10]}" in info and f"来源：{tags['ContentSource']}" in info
        assert "ColumnName" not in tags


def test_pages_have_breadcrumbs_and_reading_controls(site_dir: Path) -> None:
    soup = BeautifulSoup((site_dir / "reports/2024/part-1/index.html").read_text(encoding="utf-8"), "html.parser")
    crumbs = [a.get_text().strip() for a in soup.select(".md-path a")]
    assert crumbs[:2] == ["首页", "年度报告"]
    controls = found(soup.select_one(".fazhi-reader"))
    labels = [b.get("aria-label") or b.get_text().strip() for b in controls.select("button")]
    assert labels == ["字号大", "字号中", "字号小", "打印", "长者模式", "高对比度", "朗读"]
