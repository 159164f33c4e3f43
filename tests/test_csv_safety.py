"""A list's CSV is published only as the build writes it: from the published lists' rows,
never copied from docs/, and with every cell a spreadsheet would run as a formula (OWASP
CSV Injection: =, +, -, @, TAB, CR first) given a leading '. The served file, the in-page
download (Chromium clicks 下载当前结果) and the checker's warnings, at the cell's line and
column, all follow the one rule of fazhi.policies.csv_output; the strict build passes.

The project is the checker's clean corpus site (tests/checker_corpus.py) with list-table.js,
a list whose CSV holds formulas, and a list and a document dated in the future (drafts)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from fazhi.policies import csv_output

from checker_corpus import MKDOCS_YML, TODAY, write_clean_site
from collections_site import serve
from conftest import REPO, attr, found

if TYPE_CHECKING:
    from playwright.sync_api import Page

LIST_TABLE_JS = REPO / "docs/assets/javascripts/list-table.js"
ENV = {**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
CSV_PATH = "docs/policies/lists/items.csv"

# The list's rows as staff wrote them: a formula, signs, a lone "-" (无), a TAB before a
# formula and, in quotes, a CR before one (stripped when read, so the formula is what is left).
ROWS_CSV = (
    "序号,事项名称,备注\n"
    '1,"=HYPERLINK(""http://example.com/?""&A1,""点我"")",无\n'
    "2,+1,-\n"
    "3,-2,@SUM(A1)\n"
    '4,\t=1+2,"\r@SUM(A2)"\n'
    "5,\t普通事项,—\n"
)
HYPERLINK = '=HYPERLINK("http://example.com/?"&A1,"点我")'
SHOWN = [  # the page's table: every cell as written (stripped)
    ["1", HYPERLINK, "无"],
    ["2", "+1", "-"],
    ["3", "-2", "@SUM(A1)"],
    ["4", "=1+2", "@SUM(A2)"],
    ["5", "普通事项", "—"],
]
SERVED = [  # the CSV: the same cells, each one a spreadsheet would run given a leading '
    ["序号", "事项名称", "备注"],
    ["1", "'" + HYPERLINK, "无"],
    ["2", "'+1", "'-"],
    ["3", "'-2", "'@SUM(A1)"],
    ["4", "'=1+2", "'@SUM(A2)"],
    ["5", "普通事项", "—"],
]
# (line, column) of each warning: the formula's first character in items.csv, lines counted
# as an editor counts them (the lone CR on line 5 ends a line). The lone "-" (line 3) is
# neutralised but not reported.
WARNED = {(2, 4), (3, 3), (4, 3), (4, 6), (5, 4), (6, 1)}

FILES = {
    "mkdocs.yml": MKDOCS_YML + "extra_javascript:\n  - path: assets/javascripts/list-table.js\n    defer: true\n",
    CSV_PATH: ROWS_CSV,
    # A link to the served CSV: the checker and the build both know it is there.
    "docs/about/index.md": "---\ntitle: 关于本站\n---\n\n# 关于本站\n\n[回到首页](../index.md)，[清单条目（CSV）](../policies/lists/items.csv)\n",
    # Not published yet: no page, no CSV, no data file.
    "docs/policies/lists/later.yml": ("title: 未来清单\nissuer:\ndate: 2099-01-01\nlevel:\ncount:\n"
                                      "source: 测试出处\nvalidity:\ndraft: true\n"),
    "docs/policies/lists/later.csv": "事项\n=未来事项\n",
}
FUTURE_DOCUMENT = ("- title: 未来文件\n  index_no:\n  issuer:\n  doc_number:\n  written_date:\n"
                   "  date: 2099-01-01\n  topic:\n  validity: 有效\n  source: 测试出处\n  draft: true\n")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120)


def write_project(folder: Path) -> Path:
    root = write_clean_site(folder)
    for name, content in FILES.items():
        (root / name).write_text(content, encoding="utf-8", newline="")
    documents = root / "docs/policies/documents.yml"
    documents.write_text(documents.read_text(encoding="utf-8") + FUTURE_DOCUMENT, encoding="utf-8")
    script = root / "docs/assets/javascripts/list-table.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_bytes(LIST_TABLE_JS.read_bytes())
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("csv-safety"))


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    """The strict build, without -q: quiet, MkDocs would not count its own warnings."""
    result = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                   "-d", str(project / "site")], project)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return project / "site"


@pytest.fixture(scope="module")
def list_url(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(site, tmp_path_factory.mktemp("csv-www")) as origin:
        yield f"{origin}/policies/lists/items/"


def _served_rows(site: Path) -> tuple[bytes, list[list[str]]]:
    raw = (site / "policies/lists/items.csv").read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# ---- The rule ----


def test_the_rule_neutralises_exactly_the_owasp_formula_starts() -> None:
    for sign in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_output.neutralise(sign + "1") == "'" + sign + "1"
    for cell in ("", "'=1", " =1", "—", "－1", "无", "1-2", "a@b"):
        assert csv_output.neutralise(cell) == cell
    text = csv_output.csv_text(["=表头", "名称"], [["-2", '含"引号"，和,逗号'], ["\t1", "\r2"]])
    assert text == '\ufeff\'=表头,名称\r\n\'-2,"含""引号""，和,逗号"\r\n\'\t1,"\'\r2"\r\n'


def test_list_table_js_declares_the_same_rule() -> None:
    """list-table.js restates FORMULA_STARTS as one regular expression; the two are equal."""
    script = LIST_TABLE_JS.read_text(encoding="utf-8")
    declared = found(re.search(r"var FORMULA_START = /(.+)/;", script)).group(1)
    assert "src/fazhi/policies/csv_output.py" in script
    pattern = re.compile(declared)  # a character class: the same in JavaScript and Python
    characters = [chr(code) for code in range(0x3000)]
    assert [c for c in characters if pattern.match(c)] == [c for c in characters if c.startswith(csv_output.FORMULA_STARTS)]


def test_cells_are_placed_where_they_are_written() -> None:
    text = 'a,b\r\n"多行\n  =1",@x\r\n'
    assert [(cell.value, cell.line, cell.column) for cell in csv_output.cells(text)] == [
        ("a", 1, 1), ("b", 1, 3), ("多行\n  =1", 2, 2), ("@x", 3, 7)]
    assert [(cell.line, cell.column) for cell in csv_output.formula_cells(text)] == [(3, 7)]


# ---- The built site ----


def test_only_the_published_lists_csv_is_served(site: Path) -> None:
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.csv")) == ["policies/lists/items.csv"]
    assert not (site / "policies/lists/later").exists()
    assert "未来文件" not in (site / "policies/documents/index.html").read_text(encoding="utf-8")


def test_no_data_file_is_served(site: Path) -> None:
    """documents.yml holds the future document, later.yml the future list: neither is copied."""
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".yml", ".yaml")) == []


def test_served_csv_has_bom_crlf_and_every_formula_neutralised(site: Path) -> None:
    raw, rows = _served_rows(site)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(SERVED) and b"\n" not in raw.replace(b"\r\n", b"")
    assert rows == SERVED
    assert not [cell for row in rows for cell in row if cell.startswith(csv_output.FORMULA_STARTS)]


def test_page_shows_cells_as_written_and_links_the_served_csv(site: Path) -> None:
    page = BeautifulSoup((site / "policies/lists/items/index.html").read_text(encoding="utf-8"), "lxml")
    table = found(page.select_one(".fazhi-table table"))
    assert [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")] == SHOWN
    link = found(page.select_one(".fazhi-table__download a"))
    assert attr(link, "href") == "../items.csv"
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert 'href="../policies/lists/items.csv"' in about


def test_checker_warns_at_each_formula_and_passes(project: Path, site: Path) -> None:
    result = _run([sys.executable, str(REPO / "scripts/check.py"), "--root", str(project), "--format", "json"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    formulas = [f for f in findings if f["code"] == "csv-formula"]
    # The future list's rows are checked too: they are published on its date.
    assert {(f["path"], f["line"], f["column"]) for f in formulas} == {
        *((CSV_PATH, line, column) for line, column in WARNED), ("docs/policies/lists/later.csv", 2, 1)}
    assert all(f["severity"] == "warning" for f in formulas)
    assert all("下载的表格中会在前面加一个英文单引号，防止表格软件把它当作公式执行" in f["message"] for f in formulas)
    assert all(f["fix"] for f in formulas)
    assert not [f for f in findings if f["severity"] == "error"]
    assert any("“事项名称”一列中的“=HYPERLINK(" in f["message"] for f in formulas)


def test_a_link_to_the_future_lists_csv_stops_the_checker_and_the_build(tmp_path: Path) -> None:
    """The CSV of a list not yet published does not exist: both say so, with one message."""
    root = write_project(tmp_path)
    about = root / "docs/about/index.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[未来清单](../policies/lists/later.csv)\n", encoding="utf-8")
    checked = _run([sys.executable, str(REPO / "scripts/check.py"), "--root", str(root)], root)
    built = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")], root)
    assert checked.returncode == 1 and built.returncode != 0
    message = next(line for line in checked.stdout.splitlines() if "[link-missing]" in line)
    assert message.startswith("docs/about/index.md:9:8:") and "later.csv" in message
    assert message in built.stdout + built.stderr


# ---- The in-page download, in Chromium ----


def test_download_of_all_rows_is_the_served_csv(page: Page, list_url: str, site: Path) -> None:
    page.goto(list_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载当前结果（CSV）").click()
    assert Path(info.value.path()).read_bytes() == _served_rows(site)[0]


def test_download_of_filtered_rows_neutralises_formulas(page: Page, list_url: str) -> None:
    page.goto(list_url)
    assert page.locator(".fazhi-table tbody tr").first.locator("td").nth(1).inner_text() == HYPERLINK
    page.get_by_label("筛选条目").fill("SUM")
    page.wait_for_function("document.querySelectorAll('.fazhi-table tbody tr:not([hidden])').length === 2")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载当前结果（CSV）").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows == [SERVED[0], SERVED[3], SERVED[4]]
