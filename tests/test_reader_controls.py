"""The reading settings a citizen uses (适老化): 【字号：大 中 小】 changes the reading size and
is remembered on the next page; 长者模式 makes body text at least 18pt (24px); 高对比度 gives
text contrast of at least 4.5:1; focus is always visible; touch targets are at least 44 × 44
px; and all of it works with the keyboard alone. At the host root and under /fazhi/."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from citizen_pages import MODES, set_reader_settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPORT = "reports/2024/part-1/"
NEXT_PAGE = "reports/2024/part-2/"
BODY_TEXT = ".md-content .md-typeset p"

# WCAG relative luminance and contrast ratio of the computed colours of the body text.
CONTRAST_JS = """(selector) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].filter(e => e.offsetParent).map(e => {
    const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(background(e))];
    return {text: e.textContent.trim().slice(0, 20), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
  });
}"""


@pytest.fixture
def sub_path_url(serve_root: str) -> str:
    """The site under /fazhi/: the harder case. Tests where the address matters use base_url
    (root and sub-path); the others run once, here."""
    return f"{serve_root}/fazhi/"


def font_size(page: Page) -> float:
    size: float = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{BODY_TEXT}')).fontSize)")
    return size


def test_normal_text_is_already_comfortable(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url + REPORT)
    assert font_size(page) >= 18


def test_text_size_buttons_change_the_text_and_are_remembered(page: Page, base_url: str) -> None:
    page.goto(base_url + REPORT)
    normal = font_size(page)
    page.get_by_role("button", name="字号大").click()
    larger = font_size(page)
    assert larger > normal
    assert page.get_by_role("button", name="字号大").get_attribute("aria-pressed") == "true"
    page.goto(base_url + NEXT_PAGE)
    assert font_size(page) == larger, "the chosen text size was forgotten on the next page"
    page.get_by_role("button", name="字号小").click()
    assert font_size(page) < normal
    page.get_by_role("button", name="字号中").click()
    assert font_size(page) == normal


def test_large_text_mode_gives_at_least_18pt(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url + REPORT)
    page.get_by_role("button", name="长者模式").click()
    assert font_size(page) >= 24, "长者模式 body text below 18pt (24px)"
    page.goto(sub_path_url)
    assert page.get_by_role("button", name="长者模式").get_attribute("aria-pressed") == "true"
    assert font_size(page) >= 24


@pytest.mark.parametrize("mode", ["normal", "high-contrast"])
def test_text_contrast_is_at_least_4_5_to_1(page: Page, sub_path_url: str, mode: str) -> None:
    set_reader_settings(page, MODES[mode])
    page.goto(sub_path_url + REPORT)
    selectors = f"{BODY_TEXT}, .md-content a, .fazhi-pageinfo, .md-nav__link, .md-header__topic, .md-tabs__link, .md-path__link, .md-footer-meta"
    results = page.evaluate(CONTRAST_JS, selectors)
    assert len(results) > 20
    low = [r for r in results if r["ratio"] < 4.5]
    assert low == [], f"text below 4.5:1 in {mode} mode: {low[:5]}"
    if mode == "high-contrast":
        body = page.evaluate(CONTRAST_JS, BODY_TEXT)
        assert min(r["ratio"] for r in body) >= 7, "高对比度 body text should be at least 7:1"


@pytest.mark.parametrize("mode", ["normal", "large-text"])
def test_touch_targets_are_at_least_44px(page: Page, sub_path_url: str, mode: str) -> None:
    set_reader_settings(page, MODES[mode])
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(sub_path_url + REPORT)
    targets = page.evaluate(
        """() => [...document.querySelectorAll('.fazhi-reader button, .md-header__button, .md-footer__link')]
              .filter(e => e.offsetParent).map(e => {
                const box = e.getBoundingClientRect();
                return {name: e.textContent.trim() || e.getAttribute('aria-label') || e.className, w: box.width, h: box.height};
              })"""
    )
    assert len(targets) >= 7
    small = [t for t in targets if t["w"] < 44 or t["h"] < 44]
    assert small == [], f"touch targets smaller than 44×44 px: {small}"


def test_focus_is_always_visible(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url + REPORT)
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return {tag: e.tagName, text: (e.textContent || '').trim().slice(0, 15),
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         shadow: s.boxShadow !== 'none', visible: !!(e.offsetParent || e.getClientRects().length)}; }"""
        )
        if focus["tag"] == "BODY" or not focus["visible"]:
            continue
        seen += 1
        assert focus["outline"] or focus["shadow"], f"no visible focus on {focus}"
    assert seen >= 10


def test_keyboard_alone_works(page: Page, base_url: str) -> None:
    page.goto(base_url + REPORT)
    normal = font_size(page)
    for _ in range(60):  # Tab until the 字号大 button has focus, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "字号大":
            break
    else:
        pytest.fail("the 字号大 button cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    assert font_size(page) > normal
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # 中, 小, 打印, 长者模式
    assert page.evaluate("document.activeElement.textContent.trim()") == "长者模式"
    page.keyboard.press("Space")
    assert font_size(page) >= 24
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 高对比度
    assert page.evaluate("document.documentElement.classList.contains('fazhi-contrast')")
    # Following a link with the keyboard: the first link shown in the report text.
    page.locator(".md-content .md-typeset a[href]:visible").first.focus()
    href = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.split("#")[0] == href.split("#")[0]


def test_print_button_opens_the_print_dialog(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url + REPORT)
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed === true")


def test_settings_do_not_move_or_pop_up_by_themselves(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url + REPORT)
    before = page.evaluate("document.documentElement.outerHTML.length")
    page.wait_for_timeout(1500)
    # Nothing covers the text: the middle of the screen still shows the page itself.
    covering = page.evaluate(
        "(() => { const e = document.elementFromPoint(innerWidth / 2, innerHeight / 2); return e.closest('.md-main') ? '' : e.outerHTML.slice(0, 80); })()"
    )
    assert covering == "", f"something covers the page: {covering}"
    assert page.evaluate("document.querySelectorAll('dialog[open], [role=alertdialog]').length") == 0
    running = page.evaluate(
        """[...document.getAnimations()].filter(a => a.playState === 'running')
             .map(a => (a.animationName || a.transitionProperty) + ' on ' + a.effect.target.className)"""
    )
    assert running == [], f"things moving by themselves: {running}"
    assert abs(page.evaluate("document.documentElement.outerHTML.length") - before) < 200
