"""Printing the 2024 report: each of its pages printed to PDF by Chromium holds every sentence
of the original text, and nothing of the page chrome (navigation, header, footer, search,
breadcrumbs, reading buttons). Links stay readable (dark, underlined); headings keep with the
text that follows them."""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[1]
ORIGINAL = REPO / "docs/reports/2024/2024-annual-report.txt"
REPORT_PAGES = ["reports/2024/", *(f"reports/2024/part-{n}/" for n in range(1, 5))]
# Words only the page chrome shows: none may reach the paper.
CHROME_WORDS = ["跳转至", "当前位置", "字号", "长者模式", "高对比度", "打印", "朗读", "上一页", "下一页", "回到页面顶部", "搜索"]
CHROME_SELECTORS = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-path", ".fazhi-reader", ".md-top"]


# Noto Sans CJK (the CJK font on Debian and in CI) draws 长 and the radical ⻓ with one glyph,
# and Chromium's PDF names such a glyph by the radical's code point. Kangxi radicals
# (U+2F00–U+2FD5) fold back with NFKC; the simplified radicals in U+2E80–U+2EFF have no such
# mapping in Python, so here are those that occur (Unicode's EquivalentUnifiedIdeograph.txt),
# plus ⼾, which NFKC would turn into the traditional 戶 where the text has 户.
RADICALS = str.maketrans("⺠⻋⻓⻔⻚⻛⻢⻥⻦⻜⻝⻅⻆⻉⻘⻬⻮⻈⼾", "民车长门页风马鱼鸟飞食见角贝青齐齿讠户")


def squeeze(text: str) -> str:
    """Text without any white space (PDF lines break anywhere inside a Chinese sentence), with
    radicals read as the characters they stand for."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.translate(RADICALS)))


def sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in re.findall(r"[^。;:]+[。;:]?", line) if s.strip()]


@pytest.fixture(scope="module")
def printed(browser: Browser, serve_root: str) -> dict[str, str]:
    """path -> text of that report page printed to PDF (A4) by Chromium."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    texts = {}
    for path in REPORT_PAGES:
        page.goto(f"{serve_root}/fazhi/{path}")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=False)
        texts[path] = "".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    context.close()
    return texts


def test_every_sentence_of_the_original_is_in_the_printed_report(printed: dict[str, str]) -> None:
    paper = squeeze("".join(printed.values()))
    original = sentences(ORIGINAL.read_text(encoding="utf-8"))
    assert len(original) > 100
    unmapped = sorted({c for c in paper if "\u2e80" <= c <= "\u2fdf"})
    assert unmapped == [], f"add these radicals to RADICALS with their characters: {unmapped}"
    missing = [s for s in original if squeeze(s) not in paper]
    assert missing == [], f"{len(missing)} sentences of the original are not in the printed report, e.g. {missing[:3]}"


@pytest.mark.parametrize("path", REPORT_PAGES)
def test_no_page_chrome_on_paper(printed: dict[str, str], path: str) -> None:
    on_paper = [word for word in CHROME_WORDS if word in squeeze(printed[path])]
    assert on_paper == [], f"{path} prints page chrome: {on_paper}"


def test_print_layout_hides_chrome_and_keeps_links_readable(page: Page, serve_root: str) -> None:
    page.goto(f"{serve_root}/fazhi/reports/2024/")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "(selectors) => selectors.filter(s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'))",
        CHROME_SELECTORS,
    )
    assert shown == [], f"shown in print: {shown}"
    links = page.evaluate(
        """() => [...document.querySelectorAll('.md-content a[href]')].filter(a => a.offsetParent).map(a => ({
              colour: getComputedStyle(a).color, line: getComputedStyle(a).textDecorationLine}))"""
    )
    assert len(links) >= 10
    assert all(link["colour"] == "rgb(0, 0, 0)" and "underline" in link["line"] for link in links), links[:3]
    breaks = page.evaluate("[...document.querySelectorAll('.md-content h2')].map(h => getComputedStyle(h).breakAfter)")
    assert breaks and set(breaks) == {"avoid"}
