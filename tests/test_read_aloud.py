"""朗读 (read-aloud, docs/assets/javascripts/read-aloud.js): 朗读 on every content page reads
the main text aloud with the browser's own speech, one sentence at a time, in reading order,
without the reading controls, permalinks, navigation or footer; the sentence being read is
highlighted and scrolled into view; 暂停/继续, 停止 and the speed (remembered on the next page,
next to the other reading settings) work; where the browser has no Chinese voice the page
says so in Chinese.

The browser's speech is replaced by a recorder (FAKE_SPEECH) that notes every utterance and
lets the test finish the one "being spoken" when it chooses. What should be read is worked
out here from the built HTML with BeautifulSoup, not from the page's script. One test uses
the real API of headless Chromium, which has no voice at all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

from fazhi.static_server import serve_directory

from citizen_pages import READER_STORAGE_KEY, main_pages, require
from collections_site import GENERATED_LIST
from conftest import attr, found

if TYPE_CHECKING:
    from playwright.sync_api import Page

MAX_CHARS = 120  # read-aloud.js: the longest piece spoken at once
START = "[data-fazhi-read-aloud-start]"
PLAYER = "[data-fazhi-read-aloud]"
STATUS = "[data-fazhi-read-aloud-status]"
# Never read (read-aloud.js SKIP): reading controls, permalinks, page buttons, navigation,
# hidden things, non-text elements, list-table.js's filter controls.
NOT_READ = (
    "[data-fazhi-reader], [data-fazhi-read-aloud], .headerlink, .md-content__button, .md-clipboard, "
    ".fazhi-table__controls, nav, [aria-hidden=true], [hidden], svg, script, style, template, noscript, "
    "input, select, textarea, img, video, audio, iframe, object, canvas, "
    # Not drawn, so not read: the inside of a closed <details>, a tab not chosen.
    "details:not([open]) > :not(summary), .tabbed-content > .tabbed-block:not(:first-child)"
)
# Elements that start a new block of text: no sentence runs across them.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
SENTENCE_END = re.compile(r"[。！？；!?;][^。！？；!?;”’」』）)】》〉\"']")

# In place of window.speechSynthesis, before any page script runs, with one Chinese voice:
# records each utterance
# (text, lang, rate, voice) and each call; `start` comes in a task of its own; `end` comes in
# the next, unless __speech.hold is set: then the utterance stays "being spoken" until
# the test calls __speech.finish(). cancel() ends the one being spoken with an
# "interrupted" error, as Chrome does.
FAKE_SPEECH = """(() => {
  const voice = {name: "测试普通话", lang: "zh-CN", localService: true, default: true, voiceURI: "test-zh-CN"};
  const state = {spoken: [], calls: [], hold: false, current: null, last: null, queue: [], paused: false};
  // A task of its own, as a real engine's events come, without setTimeout's 4 ms per nesting.
  const channel = new MessageChannel(), tasks = [];
  channel.port1.onmessage = () => tasks.shift()();
  const later = (task) => { tasks.push(task); channel.port2.postMessage(null); };
  const fire = (u, type, extra) => u.dispatchEvent(type === "error"
      ? new SpeechSynthesisErrorEvent("error", {utterance: u, error: extra})
      : new SpeechSynthesisEvent(type, {utterance: u}));
  const next = () => {
    if (state.current || !state.queue.length) return;
    const u = state.current = state.last = state.queue.shift();
    later(() => {
      if (state.current !== u) return;
      fire(u, "start");
      if (!state.hold) later(() => state.finish());
    });
  };
  state.finish = () => {  // the utterance being spoken (or the last one) comes to its end
    const u = state.current || state.last;
    state.current = null;
    if (u) fire(u, "end");
    next();
  };
  const fake = {
    speak(u) {
      state.calls.push("speak");
      state.spoken.push({text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.name});
      state.queue.push(u);
      next();
    },
    cancel() {
      state.calls.push("cancel");
      const u = state.current;
      state.current = null;
      state.queue = [];
      if (u) fire(u, "error", "interrupted");
    },
    pause() { state.calls.push("pause"); state.paused = true; },
    resume() { state.calls.push("resume"); state.paused = false; },
    getVoices() { return [voice]; },
    get speaking() { return !!state.current; },
    get pending() { return state.queue.length > 0; },
    get paused() { return state.paused; },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
  // The real utterance takes only the browser's own voice objects: let it hold ours.
  const voices = new WeakMap();
  Object.defineProperty(SpeechSynthesisUtterance.prototype, "voice", {
    get() { return voices.get(this) || null; }, set(v) { voices.set(this, v); }, configurable: true});
  window.__speech = state;
})()"""

# The text of the highlighted sentence, and whether it is within the window, below the header.
HIGHLIGHT = """() => {
  const marks = CSS.highlights.get("fazhi-read-aloud");
  if (!marks) return null;
  const range = [...marks][0];
  const box = range.getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  return {text: range.toString().replace(/\\s+/g, " ").trim(), inView: box.top >= header && box.bottom <= innerHeight};
}"""


def letters(text: str) -> str:
    """The text without spaces and punctuation: what a voice says, whatever the spacing."""
    return re.sub(r"[\W_]", "", text)


def runs_of(element: Tag) -> list[str]:
    """The texts between two block boundaries, in document order: no spoken piece may run
    across one."""
    runs: list[str] = [""]
    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name in BLOCKS:
                runs.append("")
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):  # not a comment
            runs[-1] += str(node)
    return [text for text in runs if letters(text)]


def main_text(site_dir: Path, path: str) -> list[str]:
    """What 朗读 should read on the page at `path`, worked out from the built HTML."""
    file = site_dir / (path if path.endswith(".html") else path + "index.html")
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
    article = found(soup.select_one(".md-content .md-typeset"))
    for element in article.select(NOT_READ):
        element.decompose()
    # site.css shows a page-info label and its value as one line of text (dt, dd inline).
    for element in article.select(".fazhi-pageinfo dt, .fazhi-pageinfo dd"):
        element.unwrap()
    # A block's end is a boundary too (a <br> after it): text after a nested list starts anew.
    for element in article.find_all(BLOCKS):
        element.insert_after(soup.new_tag("br"))
    return runs_of(article)


def open_with_fake_speech(page: Page, url: str, settings: dict[str, Any] | None = None) -> None:
    page.add_init_script(FAKE_SPEECH)
    if settings is not None:  # stored once, as reader.js would have: later pages keep what changed
        page.add_init_script(
            f"if (!sessionStorage.getItem('test-settings')) {{ sessionStorage.setItem('test-settings', '1');"
            f" localStorage.setItem({json.dumps(READER_STORAGE_KEY)}, {json.dumps(json.dumps(settings))}); }}"
        )
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(url)


def spoken(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate("window.__speech.spoken")
    return result


def wait_spoken(page: Page, count: int) -> None:
    page.wait_for_function(f"window.__speech.spoken.length >= {count}")


def read_whole_page(page: Page) -> list[dict[str, Any]]:
    """Press 朗读 and let the recorder speak every sentence to the end."""
    page.locator(START).click()
    page.wait_for_function(
        f"document.querySelector('{START}').getAttribute('aria-pressed') === 'false' && window.__speech.spoken.length > 0"
    )
    return spoken(page)


def assert_reads_the_main_text(utterances: list[dict[str, Any]], expected: list[str]) -> None:
    texts = [u["text"] for u in utterances]
    assert texts, "nothing was read"
    assert all(u["lang"] == "zh-CN" for u in utterances)
    assert {u["voice"] for u in utterances} == {"测试普通话"}, "the Chinese voice was not chosen"
    too_long = [t for t in texts if len(t) > MAX_CHARS]
    assert too_long == [], f"pieces over {MAX_CHARS} characters: {too_long[:2]}"
    joined = [t for t in texts if SENTENCE_END.search(t)]
    assert joined == [], f"two sentences spoken as one: {joined[:2]}"
    # Every block of the page, in order, is spoken as one or more whole pieces: nothing
    # missing, nothing added (controls, ¶, navigation, footer), no piece across two blocks.
    position = 0
    for block in expected:
        said = ""
        while position < len(texts) and len(said) < len(letters(block)):
            said += letters(texts[position])
            position += 1
        assert said == letters(block), f"expected next: {block.strip()[:60]!r}\nspoken: {texts[max(0, position - 3):position]}"
    rest = [t for t in texts[position:] if letters(t)]
    assert rest == [], f"spoken but not in the main text: {rest[:3]}"
    assert not any("¶" in t for t in texts), "a permalink (¶) was read"
    controls = {"朗读", "长者模式", "高对比度", "打印", "暂停", "停止"}  # each a block of its own
    assert controls.isdisjoint(texts), f"reading controls were read: {controls & set(texts)}"


@pytest.fixture
def sub_path_url(serve_root: str) -> str:
    """Under /fazhi/, the harder case for addresses; the read-aloud itself does not depend on it."""
    return f"{serve_root}/fazhi/"


def test_every_content_page_has_the_read_aloud_control(site_dir: Path) -> None:
    """Where the reading settings are, 朗读 is in their row and its player right after it,
    with no id (a page may hold the controls twice) and the player hidden until pressed."""
    for name in ("report", "article", "list", "policy", "figures"):
        require(site_dir, name)
    pages = [path for path in site_dir.rglob("*.html") if "data-fazhi-reader" in path.read_text(encoding="utf-8")]
    named = {site_dir / (p if p.endswith(".html") else p + "index.html") for p in main_pages(site_dir).values()}
    assert named <= set(pages), "a main page has no reading controls"
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for row in soup.select("[data-fazhi-reader]"):
            starts = row.select(START)
            assert len(starts) == 1 and starts[0].name == "button" and starts[0].get("type") == "button", path
            assert "fazhi-reader__button" in starts[0]["class"] and "朗读" in starts[0].get_text()
            player = row.find_next_sibling()
            assert isinstance(player, Tag) and player.has_attr("data-fazhi-read-aloud") and player.has_attr("hidden"), path
            assert player.select_one(f"{STATUS}[role=status]") is not None
            buttons = player.select("button")
            assert buttons and all(b.get("type") == "button" and "fazhi-reader__button" in b["class"] for b in buttons)
            assert row.select("[id]") == [] and player.select("[id]") == []


@pytest.mark.parametrize("name", ["report", "figures", "policy", "article"])
def test_reads_the_main_text_in_order_sentence_by_sentence(page: Page, site_dir: Path, sub_path_url: str, name: str) -> None:
    path = require(site_dir, name)
    open_with_fake_speech(page, sub_path_url + path)
    utterances = read_whole_page(page)
    assert_reads_the_main_text(utterances, main_text(site_dir, path))
    assert page.locator(STATUS).text_content(), "nothing said at the end"


def test_highlight_pause_speed_and_stop(page: Page, site_dir: Path, sub_path_url: str) -> None:
    path = require(site_dir, "report")
    others = {"size": "large", "contrast": True}
    page.emulate_media(reduced_motion="reduce")  # so the page jumps at once, no smooth scrolling
    open_with_fake_speech(page, sub_path_url + path, settings=others)
    page.evaluate("window.__speech.hold = true")
    # From the bottom of the page: the first sentence (the title) is out of view.
    page.evaluate(f"scrollTo(0, document.body.scrollHeight); document.querySelector('{START}').click()")
    wait_spoken(page, 1)
    first = spoken(page)[0]
    assert first["rate"] == 1, "the medium speed is not the default"
    assert page.evaluate(HIGHLIGHT) == {"text": first["text"], "inView": True}
    assert page.locator(START).get_attribute("aria-pressed") == "true"

    pause = page.locator("[data-fazhi-read-aloud-pause]")
    pause.click()
    assert page.evaluate("window.__speech.calls").count("pause") == 1
    assert pause.text_content() == "继续"
    pause.click()
    assert page.evaluate("window.__speech.calls").count("resume") == 1
    assert pause.text_content() == "暂停"

    # The speed applies to the next sentence, and is saved beside the other settings.
    page.get_by_role("button", name="语速快").click()
    assert page.get_by_role("button", name="语速快").get_attribute("aria-pressed") == "true"
    page.evaluate("window.__speech.finish()")
    wait_spoken(page, 2)
    second = spoken(page)[1]
    assert second["rate"] > first["rate"]
    page.wait_for_function(f"({HIGHLIGHT})().text === {json.dumps(second['text'])}")
    saved = json.loads(page.evaluate(f"localStorage.getItem({json.dumps(READER_STORAGE_KEY)})"))
    assert saved == {**others, "rate": "fast"}

    # 停止: cancelled, and nothing more is spoken even when the engine ends the sentence late.
    page.locator("[data-fazhi-read-aloud-stop]").click()
    assert "cancel" in page.evaluate("window.__speech.calls")
    page.evaluate("window.__speech.finish()")
    page.evaluate("new Promise(resolve => setTimeout(resolve, 50))")
    assert len(spoken(page)) == 2
    assert page.locator(START).get_attribute("aria-pressed") == "false"
    assert page.evaluate("CSS.highlights.has('fazhi-read-aloud')") is False
    assert page.evaluate(f"document.activeElement.matches('{START}')"), "the focus was lost with the 停止 button"

    # The next page remembers the speed; the other settings are intact.
    page.goto(sub_path_url + require(site_dir, "figures"))
    assert page.locator("[data-fazhi-read-aloud-rate=fast]").get_attribute("aria-pressed") == "true"  # in the closed player
    assert page.evaluate("document.documentElement.dataset.fazhiSize") == "large"
    page.locator(START).click()
    wait_spoken(page, 1)
    assert spoken(page)[0]["rate"] == second["rate"]


def test_says_so_when_the_browser_has_no_chinese_voice(page: Page, site_dir: Path, sub_path_url: str) -> None:
    """Headless Chromium's real speech: no voice at all, speak() fails."""
    page.goto(sub_path_url + require(site_dir, "report"))
    page.locator(START).click()
    status = page.locator(STATUS)
    status.filter(has_text="中文语音").wait_for(timeout=10_000)
    assert status.is_visible()
    assert page.locator(START).get_attribute("aria-pressed") == "false"


@pytest.fixture(scope="module")
def rows_url(policy_site: Path) -> Iterator[str]:
    """The generated list with rows (collections_site.build_policy_site)."""
    with serve_directory(policy_site) as origin:
        yield f"{origin}/{GENERATED_LIST}"


def test_list_cells_are_read_with_their_column_names(page: Page, policy_site: Path, rows_url: str) -> None:
    """A phone shows each value after its column's name; the listener hears it the same way."""
    soup = BeautifulSoup((policy_site / GENERATED_LIST / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = found(soup.select_one(".fazhi-table tbody tr"))
    expected = [f"{attr(cell, 'data-label')}：{cell.get_text(strip=True)}" for cell in row.select("td")]
    open_with_fake_speech(page, rows_url)
    page.get_by_label("筛选条目").fill(row.select("td")[1].get_text(strip=True))
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 1")
    texts = [u["text"] for u in read_whole_page(page)]
    position = texts.index(expected[0])
    assert texts[position:position + len(expected)] == expected


def test_rows_filtered_out_while_reading_are_not_read(page: Page, rows_url: str) -> None:
    open_with_fake_speech(page, rows_url)
    page.evaluate("window.__speech.hold = true")
    page.locator(START).click()
    wait_spoken(page, 1)  # the title, held "being spoken" while the reader filters
    page.get_by_label("筛选条目").fill("测试事项0002")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 1")
    page.evaluate("window.__speech.hold = false; window.__speech.finish()")
    page.wait_for_function(f"document.querySelector('{START}').getAttribute('aria-pressed') === 'false'")
    texts = " ".join(u["text"] for u in spoken(page))
    assert "测试事项0002" in texts
    assert re.findall(r"测试事项\d{4}", texts) == ["测试事项0002"], "rows filtered out were read"


def test_a_double_tap_on_read_aloud_does_not_stop_it(page: Page, site_dir: Path, sub_path_url: str) -> None:
    """An older reader may tap twice out of habit: reading goes on. A later press stops it."""
    open_with_fake_speech(page, sub_path_url + require(site_dir, "report"))
    page.evaluate("window.__speech.hold = true")
    page.locator(START).dblclick()
    wait_spoken(page, 1)
    assert page.locator(START).get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(700)
    page.locator(START).click()
    assert page.locator(START).get_attribute("aria-pressed") == "false"
