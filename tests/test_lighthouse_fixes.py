"""What Lighthouse (scripts/lighthouse.py) found, kept fixed without running Lighthouse:

- the header logo has width and height of its own shape (`unsized-images`), through
  overrides/partials/logo.html (a copy of Material's partial with that one change, kept in
  step with Material by tests/test_validators.py);
- nothing on a page moves after it is first drawn (`cumulative-layout-shift`), on a phone,
  with the default reading settings and with saved ones: the reading buttons are in place
  from the first paint. The page's scripts are held back so that the browser draws the page
  before they run, as on a slow phone network; that is when a late change would show. And
  the page itself arrives in two pieces, cut inside the breadcrumbs, the page-info line or
  the reading buttons, so the browser draws half of that row before the rest arrives
  (shifts seen under CI load)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup

from citizen_pages import require, set_reader_settings
from collections_site import GENERATED_LIST
from conftest import attr, found

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


# Lighthouse's phone (a Moto G Power) and the 375 px phone of the other tests.
PHONES: dict[str, dict[str, Any]] = {
    "412px": {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75},
    "375px": {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 2},
}
SAVED_SETTINGS: dict[str, dict[str, Any]] = {
    "default": {},
    "large": {"size": "large"},
    "small": {"size": "small"},
    "elder": {"elder": True},
    "contrast": {"contrast": True},
    "elder-contrast-large": {"elder": True, "contrast": True, "size": "large"},
}
# (page, saved settings, phone): the home page with every kind of saved setting, the others
# with the defaults and with the setting that changes most.
SHIFT_CASES = [("home", settings, "412px") for settings in SAVED_SETTINGS] + [
    ("home", "default", "375px"), ("home", "elder-contrast-large", "375px"),
    ("report", "default", "412px"), ("report", "elder-contrast-large", "412px"),
    ("list", "default", "412px"), ("list", "elder-contrast-large", "375px"),
]
# Every layout shift from the start of the page, kept where the test can read it.
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({value: entry.value, at: Math.round(entry.startTime),
      moved: entry.sources.map((s) => (s.node && s.node.nodeType === 1 ? s.node.outerHTML.slice(0, 80) : String(s.node))
        + ` from ${[s.previousRect.x, s.previousRect.y, s.previousRect.width, s.previousRect.height].map(Math.round)}`
        + ` to ${[s.currentRect.x, s.currentRect.y, s.currentRect.width, s.currentRect.height].map(Math.round)}`)});
  }
}).observe({type: "layout-shift", buffered: true});
"""


# ---- The logo ----


def test_logo_has_width_and_height_of_its_own_shape(site_dir: Path) -> None:
    for path in ["index.html", "reports/2024/part-1/index.html", "404.html"]:
        soup = BeautifulSoup((site_dir / path).read_text(encoding="utf-8"), "html.parser")
        logos = soup.select(".md-logo img")
        assert len(logos) == 2, f"{path}: header and navigation logo expected"  # header, navigation drawer
        for logo in logos:
            width, height = int(attr(logo, "width")), int(attr(logo, "height"))
            src = attr(logo, "src")  # the 404 page, built without SITE_URL, links from the host root
            image = site_dir / src.lstrip("/") if src.startswith("/") else (site_dir / path).parent / src
            view_box = re.search(r'viewBox="\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*"', image.read_text(encoding="utf-8"))
            assert view_box, f"{image}: no viewBox to read the logo's shape from"
            assert width / height == pytest.approx(float(view_box[1]) / float(view_box[2])), (
                f"{path}: the logo is {view_box[1]}×{view_box[2]}; set width and height to that shape in overrides/partials/logo.html"
            )


# ---- Layout shift ----


def test_reading_buttons_are_not_hidden_by_an_attribute(site_dir: Path) -> None:
    """Shown from the first paint: site.css hides them only where reader.js has not run."""
    soup = BeautifulSoup((site_dir / "reports/2024/part-1/index.html").read_text(encoding="utf-8"), "html.parser")
    for controls in soup.select("[data-fazhi-reader]"):
        assert not controls.has_attr("hidden")


BUNDLE = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
LIST_TABLE = re.compile(r"/assets/javascripts/list-table\.[0-9a-f]+\.js$")
# The first-paint test's premise, checked on every page: drawn before the held script arrived.
DRAWN_BEFORE = """(pattern) => {
  const paint = performance.getEntriesByName("first-paint")[0];
  const script = performance.getEntriesByType("resource").find((entry) => new RegExp(pattern).test(new URL(entry.name).pathname));
  return Boolean(paint && script && paint.startTime < script.responseEnd);
}"""


def wait_until_drawn(page: Page) -> None:
    page.wait_for_function("performance.getEntriesByName('first-paint').length > 0")


def test_nothing_moves_after_the_first_paint(browser: Browser, site_dir: Path) -> None:
    """Every case of SHIFT_CASES, each phone in its own context, all loading side by side from
    one server that holds Material's bundle, the last script of every page, back until every
    page has been drawn: the browser draws each page before the scripts at its end have run
    and before DOMContentLoaded. (A fixed delay was not enough: under CI load a page was first
    drawn after a 0.6 s hold had ended.)"""
    drawn = threading.Event()
    with contextlib.ExitStack() as stack:
        stack.callback(drawn.set)  # never leave a request waiting
        root = stack.enter_context(serve_slowly(site_dir, hold=(BUNDLE, drawn)))
        pages = []
        for name, settings, phone in SHIFT_CASES:
            context = browser.new_context(**PHONES[phone], is_mobile=True, has_touch=True, locale="zh-CN")
            stack.callback(context.close)
            page = context.new_page()
            page.add_init_script(RECORD_SHIFTS)
            set_reader_settings(page, SAVED_SETTINGS[settings])
            page.goto(root + require(site_dir, name), wait_until="commit")
            pages.append((f"{name}, {settings}, {phone}", page))
        for _case, page in pages:
            wait_until_drawn(page)
        drawn.set()
        for _case, page in pages:
            page.wait_for_load_state("load")
        pages[-1][1].wait_for_timeout(300)  # a few frames after the last load, on every page
        drawn_late, hidden, moved = [], [], []
        for case, page in pages:
            if not page.evaluate(DRAWN_BEFORE, BUNDLE.pattern):
                drawn_late.append(case)
            if not page.locator(".fazhi-reader").first.is_visible():
                hidden.append(case)
            if shifts := page.evaluate("window.__shifts"):
                moved.append(f"{case}: layout shift {sum(shift['value'] for shift in shifts):.3f}: {shifts}")
    assert drawn_late == [], f"drawn only once the scripts had arrived, so a late change cannot show: {drawn_late}"
    assert hidden == [], f"no reading buttons: {hidden}"
    assert moved == [], "\n".join(moved)


class _SlowNetworkHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a slow phone network delivers it: where `cut` is set, a page's HTML
    in two pieces, `cut` bytes first and the rest PIECE_GAP_SECONDS later; where `hold` is
    set, a file whose path matches its pattern only once its event is set (at most
    HOLD_LIMIT_SECONDS later). Each request has a thread of its own, so the phones of one
    test load side by side."""

    protocol_version = "HTTP/1.0"  # the end of the reply is the end of the connection
    cut: int | None = None
    hold: tuple[re.Pattern[str], threading.Event] | None = None

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.hold and self.hold[0].search(self.path.split("?")[0]):
            self.hold[1].wait(HOLD_LIMIT_SECONDS)
        path = Path(self.translate_path(self.path.split("?")[0]))
        page = path / "index.html" if path.is_dir() else path
        if self.cut is None or page.suffix != ".html" or not page.is_file():
            super().do_GET()
            return
        data = page.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(data[: self.cut])
        self.wfile.flush()
        time.sleep(PIECE_GAP_SECONDS)
        self.wfile.write(data[self.cut :])


PIECE_GAP_SECONDS = 0.35
HOLD_LIMIT_SECONDS = 30


@contextlib.contextmanager
def serve_slowly(site: Path, *, cut: int | None = None,
                 hold: tuple[re.Pattern[str], threading.Event] | None = None) -> Iterator[str]:
    """The root URL of `site` served by _SlowNetworkHandler, with a slash at its end."""
    handler = type("Handler", (_SlowNetworkHandler,), {"cut": cut, "hold": hold})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    # A short poll: shutdown() waits for it, once per server.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def cuts_inside_the_first_rows(html: bytes) -> list[int]:
    """Byte offsets in the first screen's rows where a slow phone may draw a page that has not
    all arrived: in the breadcrumbs after their opening tag and inside the last crumb (its
    link without its text); in the page-info line after its last label; in the reading
    buttons after the label 【字号：, its first button, 】 and the row's last button. Found by
    serving the page cut at each tag end of its first screen in turn (a one-off
    run; too slow for the suite): at the first three, something moved until site.css gave
    当前位置 its final height and drew the breadcrumbs and page-info only once whole. Chromium may also draw wherever its parser pauses, so the same can happen with
    the whole page sent at once: seen under CI load, with 当前位置 drawn before its crumbs."""
    crumbs = html.index(b'<ol class="md-path__list">') + len(b'<ol class="md-path__list">')
    last_crumb = html.index(b">", html.rindex(b'class="md-path__link"', crumbs, html.index(b"</ol>", crumbs))) + 1
    info = html.index(b'<dl class="fazhi-pageinfo">')
    last_label = html.rindex(b"</dt>", info, html.index(b"</dl>", info)) + len(b"</dt>")
    start = html.index(b"data-fazhi-reader")
    row = html[start:html.index(b"</div>", start)]
    ends = [m.end() for m in re.finditer(rb"</span>", row)] + [m.end() for m in re.finditer(rb"</button>", row)][-1:]
    buttons = {start + end for end in [row.index(b"</button>") + len(b"</button>"), *ends]}
    return sorted({crumbs, last_crumb, last_label, *buttons})


def test_nothing_moves_when_the_page_arrives_in_pieces(browser: Browser, site_dir: Path) -> None:
    """One phone per cut, all loading side by side (each from its own server)."""
    path = "reports/2024/part-1/"
    html = (site_dir / path / "index.html").read_bytes()
    cuts = cuts_inside_the_first_rows(html)
    assert len(cuts) >= 7
    with contextlib.ExitStack() as stack:
        pages = []
        for cut in cuts:
            context = browser.new_context(**PHONES["375px"], is_mobile=True, has_touch=True, locale="zh-CN")
            stack.callback(context.close)
            page = context.new_page()
            page.add_init_script(RECORD_SHIFTS)
            set_reader_settings(page, SAVED_SETTINGS["elder-contrast-large"])
            page.goto(stack.enter_context(serve_slowly(site_dir, cut=cut)) + path, wait_until="commit")
            pages.append((cut, page))
        for _cut, page in pages:
            page.wait_for_load_state("load")
        pages[-1][1].wait_for_timeout(100)  # a frame or two after the last load, on every page
        moved, hidden = [], []
        for cut, page in pages:
            where = f"cut after …{html[cut - 40:cut].decode('utf-8', 'replace')}"
            if shifts := page.evaluate("window.__shifts"):
                moved.append(f"{where}: {shifts}")
            # Rows drawn only once whole (site.css) are drawn in the end.
            hidden += [f"{where}: {row}" for row in (".md-path", ".fazhi-pageinfo", ".fazhi-reader")
                       if page.eval_on_selector(row, "e => getComputedStyle(e).visibility") != "visible"]
    assert moved == [], "\n".join(moved)
    assert hidden == [], "\n".join(hidden)


def test_a_list_with_rows_does_not_move_when_its_script_runs(browser: Browser, policy_site: Path) -> None:
    """The filter, column choice and sort buttons are in the page from the start: opened at
    its rows (as from a search result), a list does not jump when list-table.js arrives late.
    Before, the script added them after the first paint and the rows moved down by 270 px."""
    soup = BeautifulSoup((policy_site / GENERATED_LIST / "index.html").read_text(encoding="utf-8"), "html.parser")
    anchor = attr(found(found(soup.select_one(".fazhi-table")).find_previous("h2")), "id")
    drawn = threading.Event()
    context = browser.new_context(**PHONES["375px"], is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_SHIFTS)
        with serve_slowly(policy_site, hold=(LIST_TABLE, drawn)) as root:
            page.goto(f"{root}{GENERATED_LIST}#{anchor}", wait_until="commit")
            wait_until_drawn(page)
            drawn.set()
            page.wait_for_selector("[data-fazhi-table][data-ready]")
            page.wait_for_timeout(100)
            shifts = page.evaluate("window.__shifts")
    finally:
        drawn.set()  # never leave a request waiting
        context.close()
    assert shifts == [], f"layout shift {sum(s['value'] for s in shifts):.3f}: {shifts}"


def test_reading_buttons_stay_hidden_without_javascript(browser: Browser, serve_root: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{serve_root}/fazhi/reports/2024/part-1/")
        assert page.locator(".fazhi-reader").count() == 1
        assert not page.locator(".fazhi-reader").is_visible()
    finally:
        context.close()

