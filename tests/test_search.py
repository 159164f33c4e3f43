"""Site search as a citizen uses it: type into the header search box of real headless
Chromium and read the result list (fazhi.search.build builds the index,
overrides/assets/javascripts/search-worker.js answers behind Material's search UI)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from fazhi.search import sounds
from fazhi.search.harness import NOTICE, REPO, copy_project, notice_text, serve
from fazhi.search.sample import article_text
from fazhi.search.tokens import key_set, normalize, runs, shard_of

from conftest import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ANSWERED = re.compile(r"符合条件的结果")  # "找到 N 个…", "没有找到…": the worker has answered


def search(page: Page, text: str) -> list[str]:
    """Type text into the header search box; return the result pages' addresses, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    # Blank the "N results" line so the wait below sees this query's answer, not the last one.
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')"
    )
    page.evaluate("() => { document.querySelector('.md-search-result__meta').textContent = '' }")
    box.fill(text)
    box.press("End")  # an input method commits with a key release, which Material listens to
    page.wait_for_function(
        "re => new RegExp(re).test(document.querySelector('.md-search-result__meta').textContent)",
        arg=ANSWERED.pattern,
    )
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item > a:first-child", "els => els.map(el => el.href)"
    )
    return hrefs


def marks(page: Page) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(".md-search-result__list mark", "els => els.map(el => el.textContent)")
    return texts


def test_worker_cuts_text_exactly_like_the_index(page: Page) -> None:
    """The browser must look up the same keys and shards the build wrote."""
    page.goto("about:blank")
    page.add_script_tag(content=(REPO / "overrides/assets/javascripts/search-worker.js").read_text(encoding="utf-8"))
    for text in ["行政复议", "２９７４件 GB/T", "首违不罚，汽开区", "𠀀𠀁字", "ＡＢＣ法治"]:
        terms = page.evaluate("text => parseQuery(text)", text)
        assert terms == runs(normalize(text))
        for term in terms:
            keys = page.evaluate("term => keysOf(term)", term)
            pairs = {key for key in key_set(term) if len(key) == 2}
            assert set(keys) == (pairs or {term})
            for key in keys:
                assert page.evaluate("([key, n]) => shardOf(key, n)", [key, 4096]) == shard_of(key, 4096)


def test_stock_index_is_not_built_and_ours_is_plain_utf8(site_dir: Path) -> None:
    stub = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [], "Material's own index must not be written: it is loaded on every page"
    assert (site_dir / "search/search_index.json").stat().st_size < 1024
    index = site_dir / "search" / stub["config"]["index"]
    page_files = list((index / "p").glob("*.json"))
    assert page_files and all("\\u" not in f.read_text(encoding="utf-8") for f in page_files)
    assert any("法治" in f.read_text(encoding="utf-8") for f in page_files)


def test_part_of_a_word_is_found_and_highlighted_exactly(page: Page, base_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    assert not [url for url in requests if "/search/" in url and "search_index.json" not in url], \
        "no index file may be downloaded before the reader types"

    results = search(page, "复议")
    assert results, "复议 must find the pages about 行政复议"
    assert set(marks(page)) == {"复议"}, "exactly the typed characters are marked"
    teasers = page.locator(".md-search-result__list").inner_text()
    assert "行政复议" in teasers
    index_requests = [url for url in requests if "/search/" in url and "search_index.json" not in url]
    assert index_requests and all(url.startswith(base_url + "search/") for url in index_requests)
    assert all(url.startswith(base_url) for url in results), "result links stay under the site's path"


def test_number_found_and_keyboard_opens_it_highlighted(page: Page, serve_root: str) -> None:
    page.goto(serve_root + "/")
    results = search(page, "2974")
    assert results and set(marks(page)) == {"2974"}

    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.className")
    assert "md-search-result__link" in focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]h=2974"))
    landed = page.locator("article mark[data-md-highlight]")
    landed.first.wait_for()
    assert set(landed.all_inner_texts()) == {"2974"}


def test_several_terms_must_all_occur_and_a_missing_one_is_said(page: Page, serve_root: str) -> None:
    page.goto(serve_root + "/")
    both = search(page, "行政复议 13件")
    assert both
    assert {"行政复议", "13件"} <= set(marks(page))
    assert page.locator(NOTICE).is_hidden(), "an exact answer needs no explanation"
    only_first = search(page, "行政复议 13件以外的组合词")
    assert only_first, "a term no page holds must not sink the terms that pages hold"
    assert "行政复议" in set(marks(page))
    notice = page.locator(NOTICE).inner_text()
    assert notice.startswith("未找到“行政复议 13件以外的组合词”") and "“行政复议”" in notice, notice
    search(page, "行政复议")
    assert page.locator(NOTICE).is_hidden(), "the next exact answer clears the explanation"


def test_drafts_and_future_articles_are_never_found(tmp_path: Path, browser: Browser) -> None:
    config = copy_project(tmp_path / "project")
    posts = tmp_path / "project/docs/articles/posts"
    posts.mkdir(parents=True, exist_ok=True)
    # Made-up marker words: test data in a temporary copy only, never site content.
    articles = {
        "search-test-published": ("2024-01-05", False, "已发布测试标记词"),
        "search-test-draft": ("2024-01-05", True, "草稿测试标记词"),
        # A future date is refused unless the article is a draft: a draft to be published later.
        "search-test-future": ("2099-01-05", True, "未来测试标记词"),
    }
    for slug, (date, draft, marker) in articles.items():
        body = f"这是一篇只用于测试搜索的文章，含有{marker}。"
        (posts / f"{slug}.md").write_text(article_text(f"搜索测试{slug[-5:]}", slug, date, body, draft=draft),
                                          encoding="utf-8")
    site = tmp_path / "site"
    build_site(config, site)

    with serve(site) as root:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(root)
        found = search(page, "已发布测试标记词")
        assert len(found) == 1 and "search-test-published" in found[0]
        # Loosened, these queries find the published article by 测试标记词; never the others.
        for query, slug in [("草稿测试标记词", "search-test-draft"), ("未来测试标记词", "search-test-future")]:
            assert not [url for url in search(page, query) if slug in url]
        shared = search(page, "测试标记词")
        assert len(shared) == 1 and "search-test-published" in shared[0]
        context.close()
    indexed = " ".join(p.read_text(encoding="utf-8") for p in (site / "search").rglob("p/*.json"))
    assert "草稿测试标记词" not in indexed and "未来测试标记词" not in indexed


@pytest.mark.parametrize("query", ["首违不罚", "诉前调解"])
def test_whole_terms_rank_the_page_about_them_first(page: Page, serve_root: str, query: str) -> None:
    page.goto(serve_root + "/")
    results = search(page, query)
    assert results
    first_title = page.locator(".md-search-result__item").first.locator("h1").inner_text()
    first_text = page.locator(".md-search-result__item").first.inner_text()
    assert query in first_text, f"the first result must contain {query}: {first_title}"
    h = parse_qs(urlsplit(results[0]).query)["h"][0]
    assert h == query


# ---- Issue 16: questions, slips, ranking, snippets ----


def test_a_question_finds_the_pages_holding_its_meaningful_parts(page: Page, serve_root: str) -> None:
    """No page holds 怎么申请法律援助 whole: its stop words go, what pages hold is searched, and
    the reader is told so."""
    page.goto(serve_root + "/")
    results = search(page, "怎么申请法律援助")
    assert results, "a question must not answer 没有找到 while its words are on the site"
    assert notice_text(page).startswith("未找到“怎么申请法律援助”，以下是包含") and "法律援助" in notice_text(page)
    assert "法律援助" in marks(page) and "怎么" not in "".join(marks(page))
    first_text = page.locator(".md-search-result__item").first.inner_text()
    assert "法律援助" in first_text


@pytest.mark.parametrize(("typed", "meant"), [("综治中新", "综治中心"), ("律师进小曲", "律师进小区")])
def test_a_pinyin_slip_is_mended_by_sound_and_said(page: Page, serve_root: str, site_dir: Path, typed: str,
                                                   meant: str) -> None:
    """The notice says the results hold what was meant, so each of them does."""
    page.goto(serve_root + "/")
    results = search(page, typed)
    assert results
    assert notice_text(page).startswith(f"您是不是要找：{meant}"), notice_text(page)
    assert meant in marks(page)
    for address in {urlsplit(result).path.split("#")[0] for result in results}:
        assert meant in (site_dir / address.lstrip("/") / "index.html").read_text(encoding="utf-8"), address


def test_full_width_and_spaced_queries_answer_like_plain_ones(page: Page, serve_root: str) -> None:
    page.goto(serve_root + "/")
    assert search(page, "２９７４") == search(page, "2974")
    assert notice_text(page) == ""
    assert search(page, "行政复议？") == search(page, "行政复议")


def test_pages_listing_others_rank_below_content(page: Page, serve_root: str, site_dir: Path) -> None:
    """The home page, the article list and the policy overview (meta.json `lists`, from the
    content schema's list markers) come after every content page that matches."""
    index = site_dir / "search" / json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["config"]["index"]
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    listing = {json.loads((index / f"p/{page_id}.json").read_text(encoding="utf-8"))["u"] for page_id in meta["lists"]}
    assert {"", "articles/", "policies/"} <= listing
    page.goto(serve_root + "/")
    for query in ["复议", "法律援助", "普法"]:
        paths = [urlsplit(url).path.lstrip("/") for url in search(page, query)]
        kinds = [path in listing for path in paths]
        assert kinds == sorted(kinds), f"{query}: list pages must follow content pages: {paths}"


def test_snippets_show_the_matched_sentence_not_page_furniture(page: Page, serve_root: str) -> None:
    page.goto(serve_root + "/")
    search(page, "两书同达")
    # Each result's text after its title: [text, whether it marks a match].
    snippets: list[list[object]] = page.eval_on_selector_all(".md-search-result__article", """els => els.map(el => {
        const heading = el.querySelector("h1, h2")
        const text = el.textContent.slice(heading ? heading.textContent.length : 0)
        return [text, [...el.querySelectorAll("mark")].some(mark => !heading || !heading.contains(mark))]
    })""")
    matched = [str(text) for text, marked in snippets if marked]
    assert matched
    for text, _ in snippets:
        assert "分类：" not in str(text) and "阅读约" not in str(text) and "依据：" not in str(text), text
    for text in matched:
        # The sentence from its beginning (after 。！？；or a block's edge), or cut with …
        assert text.startswith("…") or "两书同达" in text.split("。")[0], text


def test_an_exact_query_fetches_none_of_the_loosening_files(page: Page, serve_root: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(serve_root + "/")
    search(page, "行政复议")
    loosening = [url for url in requests if re.search(r"/search/[0-9a-f]+/(s/|loose\.json)", url)]
    assert loosening == []
    search(page, "综治中新")
    assert [url for url in requests if re.search(r"/search/[0-9a-f]+/(s/|loose\.json)", url)]


def test_worker_reads_sounds_readings_pages_and_stop_words_as_the_build_writes_them(page: Page) -> None:
    page.goto("about:blank")
    page.add_script_tag(content=(REPO / "overrides/assets/javascripts/search-worker.js").read_text(encoding="utf-8"))
    for key in ["zhong xin", "lv shi", "a", "zhuang chuang shuang"]:
        assert page.evaluate("key => soundHash(key)", key) == sounds.sound_hash(key)
    for ids in ([3, 4, 11], list(range(0, 5000, 2))):
        assert page.evaluate("encoded => [...decodePages(encoded)]", sounds.page_pages(ids, 5000)) == ids
    page.evaluate("table => { readingTable = Object.entries(table) }", sounds.reading_table())
    for char in "中重缘律调":
        assert page.evaluate("char => readingOf(char)", char) == sounds.readings(char)[0]
    assert page.evaluate("() => readingOf('a')") == ""
    stop = sounds.stop_words()
    pieces = page.evaluate(
        "([term, list]) => withoutStopWords(term, {words: new Set(list), longest: Math.max(...list.map(w => Array.from(w).length))})",
        ["怎么申请法律援助", stop])
    assert pieces == ["申请法律援助"]
