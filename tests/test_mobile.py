"""Phones and 长者模式 (适老化; 工信部《互联网网站适老化通用设计规范》, WCAG 2.1 1.4.3, 1.4.4,
1.4.10, 2.5.5): every page type at 375 px wide in normal mode, 长者模式 and 长者模式 with
高对比度, and at 320 px in 长者模式, with its menu open and with search results showing. Each test walks every
visible text node and every visible control (tests/walk_page.js) and holds them to the rules:

- no page scrolls sideways (1.4.10 reflow), list tables included;
- every control is at least 44 × 44 px, links in sentences too (no exemption is needed:
  site.css pads them);
- in 长者模式 body text is at least 24 px (18 pt) and every other text at least 18 px, and
  no text is smaller than in normal mode;
- text contrast is at least 4.5:1 in every mode;
- in 长者模式 the first screen of a content page (375 × 667) shows a line of body text;
- text follows the browser's default font size (sizes in rem/em, not px).

Not walked: what stays invisible until it has keyboard focus (the skip link 跳转至 and the
¶ permalinks 本节链接), which are keyboard aids, not touch targets.

Screenshots of every page type in each mode and width go to /tmp/screenshots (first screen,
and the menu and search at each width); look at them when the layout changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from fazhi.static_server import serve_directory

from citizen_pages import main_pages, require, set_reader_settings
from collections_site import GENERATED_LIST

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

WALK = (Path(__file__).parent / "walk_page.js").read_text(encoding="utf-8")
PHONES: dict[str, ViewportSize] = {"375": {"width": 375, "height": 667}, "320": {"width": 320, "height": 568}}
SETTINGS = {"normal": {}, "elder": {"elder": True}, "elder-contrast": {"elder": True, "contrast": True}}
# Which mode is walked at which width: 高对比度 changes colours only, so once is enough; at
# 320 px 长者模式 (the largest text) is the case that could push anything past the edge.
CASES = [("375", "normal"), ("375", "elder"), ("375", "elder-contrast"), ("320", "elder")]
PAGE_NAMES = ["home", "report", "figures", "list-of-articles", "article", "list", "policy", "404"]
# Pages whose first screen must show body text in 长者模式 (the others are lists of links).
CONTENT_PAGES = {"report", "figures", "article", "list", "policy", "list-with-rows"}
SCREENSHOTS = Path("/tmp/screenshots")
BODY_TEXT_PX = 24  # 18 pt, 工信部适老化规范 for 长者模式 body text
OTHER_TEXT_PX = 18
TARGET_PX = 44
CONTRAST = 4.5
# A query whose slip is mended, so the results show the notice of what was searched for too.
SLIPPED_QUERY = "行政复义"


@pytest.fixture(scope="module")
def rows_origin(policy_site: Path) -> Iterator[str]:
    """The generated site whose list has rows (a list with rows is not committed content)."""
    with serve_directory(policy_site) as origin:
        yield origin


def open_phone(browser: Browser, width: str, mode: str) -> Page:
    context = browser.new_context(viewport=PHONES[width], is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    set_reader_settings(page, SETTINGS[mode])
    return page


def settled(page: Page) -> None:
    """Wait until the menu or search has finished sliding and fading in, as a reader sees it."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def walk(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(WALK)
    return result


def broken_rules(seen: dict[str, Any], mode: str) -> list[str]:
    """Every rule a walked page breaks, as readable lines (empty: it keeps them all)."""
    problems = []
    if seen["pageWidth"] > seen["screenWidth"]:
        problems.append(f"the page is {seen['pageWidth']}px wide on a {seen['screenWidth']}px screen")
    for text in seen["texts"]:
        if text["ratio"] < CONTRAST:
            problems.append(f"contrast {text['ratio']:.2f}:1 < {CONTRAST}:1: {text['where']} “{text['text']}”")
        if mode.startswith("elder"):
            least = BODY_TEXT_PX if text["body"] else OTHER_TEXT_PX
            if text["size"] < least:
                problems.append(f"text {text['size']}px < {least}px: {text['where']} “{text['text']}”")
    for control in seen["controls"]:
        if (control["w"] < TARGET_PX or control["h"] < TARGET_PX):
            problems.append(f"control {control['w']}×{control['h']}px: {control['where']} “{control['text']}”")
    return sorted(set(problems))


def extremes(walked: list[dict[str, Any]]) -> str:
    """The measured values closest to each rule over the walked pages, for the README's table
    (printed with pytest -s)."""
    texts = [t for seen in walked for t in seen["texts"]]
    controls = [c for seen in walked for c in seen["controls"]]
    body = [t["size"] for t in texts if t["body"]] or [0]
    other = [t["size"] for t in texts if not t["body"]]
    return (f"body text ≥ {min(body)}px, other text ≥ {min(other)}px, "
            f"controls ≥ {min(c['w'] for c in controls)}×{min(c['h'] for c in controls)}px, "
            f"contrast ≥ {min(t['ratio'] for t in texts):.2f}:1, "
            f"widest page {max(seen['pageWidth'] for seen in walked)}px on {walked[0]['screenWidth']}px")


def page_paths(site_dir: Path) -> list[tuple[str, str]]:
    return [(name, path) for name, path in main_pages(site_dir).items() if name in PAGE_NAMES]


@pytest.mark.parametrize(("width", "mode"), CASES, ids=[f"{w}px-{m}" for w, m in CASES])
def test_every_page_keeps_the_rules_on_a_phone(browser: Browser, site_dir: Path, serve_root: str, rows_origin: str,
                                              width: str, mode: str) -> None:
    page = open_phone(browser, width, mode)
    pages = [(name, f"{serve_root}/fazhi/{path}") for name, path in page_paths(site_dir)]
    pages.append(("list-with-rows", f"{rows_origin}/{GENERATED_LIST}"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    walked, first_lines = [], []
    for name, url in pages:
        page.goto(url)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-{mode}.png"))
        seen = walk(page)
        walked.append(seen)
        assert len(seen["texts"]) > 5 and seen["controls"], f"{name}: nothing walked"
        problems += [f"{name}: {problem}" for problem in broken_rules(seen, mode)]
        first_line = seen["firstBodyLineBottom"]
        if mode.startswith("elder") and width == "375" and name in CONTENT_PAGES:
            screen = PHONES[width]["height"]
            first_lines.append(f"{name} {first_line:.0f}px" if first_line else f"{name} none")
            if first_line is None or first_line > screen:
                problems.append(f"{name}: no line of body text on the first screen (first line ends at {first_line}px)")
    page.context.close()
    print(f"\n{width}px {mode}, {len(walked)} pages: {extremes(walked)}"
          + (f"; first line of body text ends at: {', '.join(first_lines)}" if first_lines else ""))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("width", "mode"), CASES, ids=[f"{w}px-{m}" for w, m in CASES])
def test_menu_search_and_player_keep_the_rules_on_a_phone(browser: Browser, serve_root: str, width: str, mode: str) -> None:
    page = open_phone(browser, width, mode)
    page.goto(f"{serve_root}/fazhi/reports/2024/part-1/")
    # The 朗读 player, opened with the browser's own speech (none here: it says so).
    page.locator("[data-fazhi-read-aloud-start]").first.click()
    page.locator("[data-fazhi-read-aloud-status]").filter(has_text="中文语音").wait_for()
    page.screenshot(path=str(SCREENSHOTS / f"player-{width}px-{mode}.png"))
    walked = [walk(page)]
    problems = [f"player: {problem}" for problem in broken_rules(walked[-1], mode)]
    page.reload()
    page.locator("label.md-header__button[for=__drawer]").click()
    settled(page)
    page.screenshot(path=str(SCREENSHOTS / f"menu-{width}px-{mode}.png"))
    walked.append(walk(page))
    problems += [f"menu: {problem}" for problem in broken_rules(walked[-1], mode)]

    page.goto(f"{serve_root}/fazhi/")
    page.locator("label.md-header__button[for=__search]").click()
    box = page.locator("input.md-search__input")
    box.fill(SLIPPED_QUERY)
    box.press("End")  # an input method commits with a key release, which Material listens to
    page.wait_for_selector(".fazhi-search-notice")
    page.wait_for_selector(".md-search-result__item")
    settled(page)
    page.screenshot(path=str(SCREENSHOTS / f"search-{width}px-{mode}.png"))
    seen = walk(page)
    walked.append(seen)
    assert any("md-search-result__meta" in text["where"] for text in seen["texts"]), "the result count line was not walked"
    problems += [f"search: {problem}" for problem in broken_rules(seen, mode)]
    page.context.close()
    print(f"\n{width}px {mode}, player, menu and search: {extremes(walked)}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", ["home", "report", "article", "list"])
def test_large_text_mode_makes_no_text_smaller(browser: Browser, site_dir: Path, serve_root: str, name: str) -> None:
    """长者模式 enlarges: every text is at least as large as in normal mode (titles too)."""
    url = f"{serve_root}/fazhi/{require(site_dir, name)}"
    sizes = {}
    for mode in ("normal", "elder"):
        page = open_phone(browser, "375", mode)
        page.goto(url)
        sizes[mode] = {(t["where"], t["text"]): t["size"] for t in walk(page)["texts"]}
        page.context.close()
    compared = sizes["normal"].keys() & sizes["elder"].keys()
    assert len(compared) > 5
    smaller = sorted(f"{key[0]} “{key[1]}”: {sizes['normal'][key]}px → {sizes['elder'][key]}px"
                     for key in compared if sizes["elder"][key] < sizes["normal"][key])
    assert smaller == [], "smaller in 长者模式 than in normal mode:\n" + "\n".join(smaller)


def test_text_follows_the_browsers_default_font_size(browser: Browser, site_dir: Path, serve_root: str) -> None:
    """A reader who doubles the browser's (or phone's) default font size gets every text on
    the page at twice its size (nothing is sized in px), and even on a 320 px phone in
    长者模式 nothing is pushed past the screen's edge. Set through Chromium's own setting
    (DevTools protocol Page.setFontSizes), as the browser's font-size preference does."""
    page = open_phone(browser, "320", "elder")
    urls = [f"{serve_root}/fazhi/{require(site_dir, name)}" for name in ("report", "figures", "list", "article")]
    before = []
    for url in urls:
        page.goto(url)
        before.append({(t["where"], t["text"]): t["size"] for t in walk(page)["texts"]})
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    stuck, wide = [], []
    for url, sizes in zip(urls, before, strict=True):
        page.goto(url)
        seen = walk(page)
        after = {(t["where"], t["text"]): t["size"] for t in seen["texts"]}
        compared = sizes.keys() & after.keys()
        assert len(compared) > 10, url
        stuck += [f"{url}: {key[0]} “{key[1]}”: {sizes[key]}px → {after[key]}px" for key in compared if after[key] < 1.9 * sizes[key]]
        if seen["pageWidth"] > seen["screenWidth"]:
            wide.append(f"{url}: {seen['pageWidth']}px wide on a {seen['screenWidth']}px screen")
    page.context.close()
    assert stuck == [], "text that does not follow the default font size:\n" + "\n".join(sorted(stuck))
    assert wide == [], "\n".join(wide)


@pytest.mark.parametrize("name", ["list", "policy"])
def test_tables_stay_readable_on_a_phone(browser: Browser, site_dir: Path, serve_root: str, name: str) -> None:
    path = require(site_dir, name)
    page = open_phone(browser, "375", "normal")
    page.goto(f"{serve_root}/fazhi/{path}")
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.md-content table td, .md-content table th')].map(c => ({
              size: parseFloat(getComputedStyle(c).fontSize),
              width: c.getBoundingClientRect().width,
              text: c.textContent.trim().slice(0, 20)}))"""
    )
    page.context.close()
    if not cells:
        pytest.skip(f"{path} has no table")
    assert min(cell["size"] for cell in cells) >= 14, "table text smaller than 14px on a phone"
    squeezed = [cell for cell in cells if cell["text"] and cell["width"] < 2.5 * cell["size"]]
    assert squeezed == [], f"columns squeezed to fewer than three characters: {squeezed[:3]}"


def test_list_rows_stack_under_their_column_names_on_a_phone(browser: Browser, rows_origin: str) -> None:
    """A list with rows shows each row as a card, every value after its column's name, with
    nothing cut off at the screen edge; filtering still hides the rows it leaves out."""
    page = open_phone(browser, "320", "elder")
    page.goto(f"{rows_origin}/{GENERATED_LIST}")
    headers = page.eval_on_selector_all(".fazhi-table thead th", "ths => ths.map(th => th.textContent.trim().replace(/[↕↑↓]/g, ''))")
    first = page.locator(".fazhi-table tbody tr").first
    cells = first.locator("td").evaluate_all(
        "tds => tds.map(td => ({label: getComputedStyle(td, '::before').content, right: td.getBoundingClientRect().right}))")
    assert [cell["label"] for cell in cells] == [f'"{header}："' for header in headers]
    assert max(cell["right"] for cell in cells) <= PHONES["320"]["width"]
    page.get_by_label("筛选条目").fill("测试事项0002")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 1")
    visible_rows = page.eval_on_selector_all(".fazhi-table tbody tr", "rows => rows.filter(r => r.getClientRects().length).length")
    page.context.close()
    assert visible_rows == 1


def test_screenshots_cover_the_main_pages(site_dir: Path) -> None:
    """The pages listed for screenshots are the ones built, so none is silently left out."""
    built = set(main_pages(site_dir))
    assert {"home", "report", "figures", "404"} <= built
    assert built <= set(PAGE_NAMES)
