"""Accessibility audit in real Chromium with axe-core (carried by axe-playwright-python):
no critical, serious or moderate violation on the main pages, in normal, large-text (长者模式) and
high-contrast (高对比度) mode, and <html lang="zh-CN"> on every page.

Run with -s to see the count of violations by impact for every page and mode."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from citizen_pages import MODES, require, set_reader_settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = Axe()
BLOCKING = {"critical", "serious", "moderate"}
AUDITED_PAGES = ["home", "report", "figures", "list-of-articles", "article", "list", "policy", "404", "search"]


def audit(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = AXE.run(page).response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in violations
    )


def open_search_results(page: Page) -> None:
    """The search results state: the search box open with results for a common word."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')")
    box.fill("法律援助")
    box.press("End")  # a key released, as when an input method commits the words
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("name", AUDITED_PAGES)
def test_no_accessibility_violation_above_minor(page: Page, site_dir: Path, serve_root: str, name: str, mode: str) -> None:
    # Under the sub-path only, the harder case for links: the root is covered by the others.
    base_url = f"{serve_root}/fazhi/"
    path = "" if name == "search" else require(site_dir, name)
    set_reader_settings(page, MODES[mode])
    page.goto(base_url + path)
    if name == "search":
        open_search_results(page)
    violations = audit(page)
    counts = Counter(v["impact"] for v in violations)
    print(f"axe {name:18} {mode:14} {base_url}: {dict(counts) or 'no violations'}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{base_url + path} ({mode}):\n{describe(blocking)}"


def test_every_page_says_it_is_in_simplified_chinese(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 10
    wrong = [
        str(p.relative_to(site_dir))
        for p in pages
        if not re.search(r'<html[^>]*\blang="zh-(CN|Hans)"', p.read_text(encoding="utf-8"))
    ]
    assert wrong == [], f'pages without <html lang="zh-CN">: {wrong[:10]}'
