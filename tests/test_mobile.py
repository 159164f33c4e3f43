"""On a small phone (375 × 667) no page scrolls sideways, in normal and large-text mode, and
tables stay readable (their own box scrolls, text stays large enough, columns not squeezed).
Screenshots of the main pages go to /tmp/screenshots (look at them when the layout changes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from citizen_pages import MODES, main_pages, require, set_reader_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHONE: dict[str, Any] = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
SCREENSHOTS = Path("/tmp/screenshots")
PAGE_NAMES = ["home", "report", "figures", "list-of-articles", "article", "list", "policy", "404"]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("mode", ["normal", "large-text"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Page, site_dir: Path, serve_root: str, name: str, mode: str) -> None:
    path = require(site_dir, name)
    set_reader_settings(phone, MODES[mode])
    phone.goto(f"{serve_root}/fazhi/{path}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}.png"))  # the first screen
    table = phone.locator(".md-content table")
    if table.count():
        table.first.scroll_into_view_if_needed()
        phone.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}-table.png"))
    # On a phone an overflowing page widens the layout viewport (innerWidth) too: compare with
    # the screen width itself.
    widths = phone.evaluate("({page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth})")
    assert widths["screen"] == PHONE["viewport"]["width"]
    assert widths["page"] <= widths["screen"], f"{path} is {widths['page']}px wide on a {widths['screen']}px phone"
    too_wide = phone.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                        && !e.closest('.md-typeset__scrollwrap, .md-typeset__table, pre, .highlight'))
              .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert too_wide == [], f"{path}: these stick out past the screen edge: {too_wide}"


@pytest.mark.parametrize("name", ["list", "policy"])
def test_tables_stay_readable_on_a_phone(phone: Page, site_dir: Path, serve_root: str, name: str) -> None:
    path = require(site_dir, name)
    phone.goto(f"{serve_root}/fazhi/{path}")
    cells = phone.evaluate(
        """() => [...document.querySelectorAll('.md-content table td, .md-content table th')].map(c => ({
              size: parseFloat(getComputedStyle(c).fontSize),
              width: c.getBoundingClientRect().width,
              text: c.textContent.trim().slice(0, 20)}))"""
    )
    if not cells:
        pytest.skip(f"{path} has no table")
    assert min(cell["size"] for cell in cells) >= 14, "table text smaller than 14px on a phone"
    squeezed = [cell for cell in cells if cell["text"] and cell["width"] < 2.5 * cell["size"]]
    assert squeezed == [], f"columns squeezed to fewer than three characters: {squeezed[:3]}"


def test_screenshots_cover_the_main_pages(site_dir: Path) -> None:
    """The pages listed for screenshots are the ones built, so none is silently left out."""
    built = set(main_pages(site_dir))
    assert {"home", "report", "figures", "404"} <= built
    assert built <= set(PAGE_NAMES)
