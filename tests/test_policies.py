"""Policy documents and lists: the committed data says exactly what the report says, every
document and list has its page with the 政府信息公开 elements, and a list of 1,500 generated
rows (written into a temporary copy of the site, never committed) filters, sorts, counts
and downloads in headless Chromium, on a 375 px phone and from the keyboard, and is still
complete without JavaScript."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from fazhi.checks import Context, run_sources
from fazhi.sources import frontmatter, schema
from fazhi.static_server import SUB_PATH

from collections_site import GENERATED_LIST, KINDS, REPEALED, ROWS, copy_site, serve
from conftest import REPO, found

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DOCUMENTS = frontmatter.read(REPO / "docs/policies/documents.yml", many=True).records
LISTS = sorted((REPO / "docs/policies/lists").glob("*.yml"))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


# ---- The committed data ----


def test_committed_documents_and_lists_keep_the_content_rules() -> None:
    """Rules, not a list: whatever documents and lists are committed, each passes the
    checker's source rules, among them that a record whose source is the report quotes and
    names only what the report says, and leaves the rest empty (fazhi.checks.quotations)."""
    findings = run_sources(Context(root=REPO, docs=REPO / "docs"))
    shown = {path.relative_to(REPO).as_posix() for path in [REPO / "docs/policies/documents.yml", *LISTS]}
    assert [f.text() for f in findings if f.path in shown and f.severity == "error"] == []


def test_documents_page_shows_every_document_with_its_metadata(site_dir: Path) -> None:
    page = _soup(site_dir / "policies/documents/index.html")
    text = page.get_text()
    labels = [spec["title"] for key, spec, _ in schema.fields("policy") if key not in {"title", "note", "draft"}
              and not key.startswith("validity_")]
    for record in DOCUMENTS:
        assert record.data["title"] in text
    tables = page.select("table.fazhi-govinfo")
    assert len(tables) == len(DOCUMENTS)
    for table in tables:
        shown = [th.get_text() for th in table.select("th")]
        assert shown == labels
        assert "未载明" in table.get_text()


def test_every_list_has_a_page_that_says_it_has_no_rows_yet(site_dir: Path) -> None:
    index = (site_dir / "policies/index.html").read_text(encoding="utf-8")
    for path in LISTS:
        data = frontmatter.read(path).data
        page = site_dir / "policies/lists" / path.stem / "index.html"
        text = _soup(page).get_text()
        assert data["title"] in text and data["title"] in index
        assert "暂无条目" in text
        assert "有效性" in text
        if data.get("count_text"):
            assert data["count_text"] in text and data["count_text"] in index


# ---- A temporary site with a repealed document and 1,500 generated rows ----


@pytest.fixture(scope="module")
def policy_origin(policy_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(policy_site, tmp_path_factory.mktemp("policy-www")) as origin:
        yield origin


@pytest.fixture(params=["/", f"/{SUB_PATH}/"], ids=["root", "sub-path"])
def list_url(request: pytest.FixtureRequest, policy_origin: str) -> str:
    return f"{policy_origin}{request.param}{GENERATED_LIST}"


def test_repealed_document_stays_listed_with_its_notice(policy_site: Path) -> None:
    page = _soup(policy_site / "policies/documents/index.html")
    section = next((h2 for h2 in page.select("h2") if REPEALED in h2.get_text()), None)
    assert section is not None
    notice = found(section.find_next("div", class_="admonition"))
    assert "废止" in notice.get_text() and "测试：被新文件替代。" in notice.get_text()
    assert "2025-06-01" in notice.get_text()
    assert f"{REPEALED}（废止）" in page.get_text()


def test_list_without_javascript_shows_every_row_and_the_csv(browser: Browser, list_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(list_url)
    assert page.locator(".fazhi-table tbody tr").count() == ROWS
    link = page.get_by_role("link", name="下载全部条目（CSV，1500 条）")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.text().count("\n") == ROWS + 1
    context.close()


def test_list_filters_by_text_and_column_and_shows_the_count(page: Page, list_url: str) -> None:
    page.goto(list_url)
    status = page.locator(".fazhi-table__count")
    assert status.inner_text() == f"共 {ROWS} 条"
    search = page.get_by_label("筛选条目")
    search.fill("测试事项01")
    expected = sum(1 for n in range(1, ROWS + 1) if f"{n:04d}".startswith("01"))
    page.wait_for_function(f"document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === {expected}")
    assert status.inner_text() == f"共 {ROWS} 条，符合条件 {expected} 条"
    # By column: "行政许可" in 事项类型 only.
    search.fill("行政许可")
    page.get_by_label("筛选范围").select_option(label="事项类型")
    by_kind = sum(1 for n in range(1, ROWS + 1) if KINDS[n % 5] == "行政许可")
    page.wait_for_function(f"document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === {by_kind}")
    page.get_by_label("筛选范围").select_option(label="实施主体")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 0")
    assert status.inner_text() == f"共 {ROWS} 条，符合条件 0 条"
    page.get_by_role("button", name="清空条件").click()
    assert page.locator(".fazhi-table tbody tr:not([hidden])").count() == ROWS


def test_list_sorts_from_the_keyboard(page: Page, list_url: str) -> None:
    page.goto(list_url)
    number_header = page.get_by_role("button", name="序号")
    number_header.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # second press: descending
    first = page.locator(".fazhi-table tbody tr").first.locator("td").first
    assert first.inner_text() == str(ROWS)  # numeric sort, not "999" before "1500"
    assert page.locator("th[aria-sort=descending]").count() == 1
    page.get_by_role("button", name="实施主体").click()
    departments = page.locator(".fazhi-table tbody tr td:nth-child(3)").all_inner_texts()
    # Rows of one department end up together, in pinyin order (丙 bing, 甲 jia, 乙 yi).
    groups = [d for i, d in enumerate(departments) if i == 0 or d != departments[i - 1]]
    assert groups == ["丙部门", "甲部门", "乙部门"]


def test_list_downloads_the_rows_shown(page: Page, list_url: str) -> None:
    page.goto(list_url)
    page.get_by_label("筛选条目").fill("测试事项000")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 9")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载当前结果（CSV）").click()
    download = info.value
    assert download.suggested_filename == "generated.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["序号", "事项名称", "实施主体", "事项类型"]
    assert [row[1] for row in rows[1:]] == [f"测试事项{n:04d}，含逗号" for n in range(1, 10)]


def test_list_is_usable_on_a_375px_phone(browser: Browser, list_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(list_url)
    # The page itself does not scroll sideways; the wide table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for name in ("筛选条目", "筛选范围"):
        box = page.get_by_label(name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 44
    page.get_by_label("筛选条目").fill("测试事项1500")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 1")
    context.close()


def test_a_broken_csv_stops_the_build_with_file_line_and_fix(tmp_path: Path) -> None:
    config = copy_site(tmp_path)
    lists = tmp_path / "docs/policies/lists"
    (lists / "broken.yml").write_text(
        "title: 测试清单\nissuer:\ndate: \"2025-01-01\"\nlevel:\ncount:\nsource: 测试来源\nvalidity:\n", encoding="utf-8")
    (lists / "broken.csv").write_text("序号,事项名称\n1,甲\n2,乙,多出的一列\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "docs/policies/lists/broken.csv:3" in result.stderr and "3 列" in result.stderr
