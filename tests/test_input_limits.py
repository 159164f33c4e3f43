"""Hostile input to page information, data files, CSV rows and Markdown bodies (issue 12):
YAML anchors and alias bombs, files over their size limit, control characters raw or
written as YAML escapes, nesting too deep, update dates in the future.

Each input is written into its own copy of the checker's corpus site (tests/checker_corpus.py)
and the checker's source rules (fazhi.checks.run_sources, what the build runs first) must
report it at its real line and column, in Chinese, with the character named. Then two real
runs of scripts/check.py and `mkdocs build --strict` (subprocesses, as in
tests/test_agreement.py): a site holding the refused inputs together, which both refuse with
the same `file:line:column` messages, and a site whose bodies hold control characters, which
both accept, with no control character left in any page, search file or the feed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from fazhi.checks import Context, run_sources
from fazhi.findings import Finding
from fazhi.sources import frontmatter, tables

from checker_corpus import CLEAN_FILES, REAL_ANCHOR, TODAY, P, article, write_clean_site

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
DOCUMENTS = "docs/policies/documents.yml"
LIST = "docs/policies/lists/items.yml"
CSV = "docs/policies/lists/items.csv"
FIGURES = "docs/reports/2024/figures.yml"
ABOUT = "docs/about/index.md"
ANCHOR_MESSAGE = "不能使用 YAML 锚点/别名（& 和 *）"


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": nine lists of nine aliases of the list before, 9**9 strings once
    expanded, in under a kilobyte."""
    names = "abcdefghij"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip(names, names[1:levels + 1], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMB_PAGE = "---\ntitle: 炸弹\n" + alias_bomb() + "---\n\n正文。\n"
COPIED_DOCUMENT = (  # the second document copies the first with an anchor and a merge key
    "- &doc\n  " + CLEAN_FILES[DOCUMENTS].removeprefix("- ")
    + "- <<: *doc\n  title: 测试文件乙\n"
)
FIGURES_PAGE = "---\ntitle: 数据一览\n---\n\n# 数据一览\n\n<!-- fazhi:figures -->\n"
FIGURES_TEXT = (
    "source_file: 2024-annual-report.txt\n"
    "figures:\n"
    "  - group: 案件\n"
    "    value: 12\n"
    "    unit: 件\n"
    '    label: "全年\\f办理案件"\n'
    "    sentence: 全年办理案件12件。\n"
    "    page: part-1.md\n"
    f"    anchor: {REAL_ANCHOR}\n"
)
BODY_WITH_CONTROLS = "第一段\x0b同一段。\n\n第二\x00段\x1b[31m。\n\n第三段\u2028同一段\x85。\n"


def where(text: str, token: str) -> tuple[int, int]:
    """(line, column), 1-based, of the first `token` in `text`."""
    before = text[: text.index(token)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    column: int
    code: str
    says: tuple[str, ...] = ()  # words the message (or the fix) must contain
    severity: str = "error"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, bytes | str]
    expected: tuple[Expected, ...]
    exact: bool = True  # no finding of another code (a second, misleading message)


def case(name: str, files: dict[str, bytes | str], *expected: Expected, exact: bool = True) -> Case:
    return Case(name, files, expected, exact)


VT_SUMMARY = article("vt", summary="摘要\x0b第二句")
LS_TITLE = article("ls", title="标题\u2028续")
RLO_TITLE = article("rlo", title="法律援助\u202e圈务服时小半")
BLANK_TITLE = article("blank", title='"   "')
BODY_WITH_BIDI = "甲\u202e乙\u2066丙\u2069。\n"
DEEP = CLEAN_FILES[ABOUT].replace("title: 关于本站\n", "title: 关于本站\nextra: " + "[" * 20 + "]" * 20 + "\n")

CASES: list[Case] = [
    case("alias bomb in page information", {P + "bomb.md": BOMB_PAGE},
         Expected(P + "bomb.md", 3, 4, "yaml-anchor", (ANCHOR_MESSAGE, "&a", "还有更多处", "把内容直接写出来"))),
    case("anchor and merge key in a data file", {DOCUMENTS: COPIED_DOCUMENT},
         Expected(DOCUMENTS, 1, 3, "yaml-anchor", (ANCHOR_MESSAGE, "&doc")),
         Expected(DOCUMENTS, *where(COPIED_DOCUMENT, "*doc"), "yaml-anchor", (ANCHOR_MESSAGE, "*doc"))),
    case("page information over its limit", {P + "big.md": article("big", summary="长" * 30_000)},
         Expected(P + "big.md", 1, 1, "file-too-large", ("64 KB", "没有读取"))),
    case("data file over its limit", {DOCUMENTS: CLEAN_FILES[DOCUMENTS] + "# " + "x" * frontmatter.DATA_FILE_LIMIT + "\n"},
         Expected(DOCUMENTS, 0, 0, "file-too-large", ("4,096 KB", "没有读取"))),
    case("Markdown file over its limit", {P + "huge.md": article("huge", body="正文。\n" * (frontmatter.MARKDOWN_FILE_LIMIT // 10 + 1))},
         Expected(P + "huge.md", 0, 0, "file-too-large", ("8,192 KB",))),
    case("raw vertical tab in summary", {P + "vt.md": VT_SUMMARY},
         Expected(P + "vt.md", 5, 12, "file-control-character", ("U+000B 垂直制表符", "第 5 行第 12 个字符"))),
    case("raw line separator in title", {P + "ls.md": LS_TITLE},
         Expected(P + "ls.md", 2, 10, "file-control-character", ("U+2028 行分隔符",))),
    case("raw NUL in a data file", {DOCUMENTS: CLEAN_FILES[DOCUMENTS].replace("测试文件甲", "测试\x00文件甲")},
         Expected(DOCUMENTS, 1, 12, "file-control-character", ("U+0000 空字符", "数据文件"))),
    case("raw C1 control in a list", {LIST: CLEAN_FILES[LIST].replace("测试清单", "测试\x85清单")},
         Expected(LIST, 1, 10, "file-control-character", ("U+0085 下一行符",))),
    case("escaped ESC in title", {P + "esc.md": article("esc", title='"\\x1b[31m标题"')},
         Expected(P + "esc.md", 2, 1, "yaml-control-character", ("字段“title”", "U+001B 转义符", "\\x1b"))),
    case("escaped vertical tab in a nested list", {P + "note.md": article("note", changes='[{date: "2025-01-01", note: "改\\u000b了"}]')},
         Expected(P + "note.md", 9, 32, "yaml-control-character", ("字段“changes.0.note”", "U+000B 垂直制表符"))),
    case("escaped form feed in figures.yml", {"docs/reports/2024/figures.md": FIGURES_PAGE, FIGURES: FIGURES_TEXT,
                                              "docs/reports/2024/2024-annual-report.txt": "测试原文。全年办理案件12件。\n"},
         Expected(FIGURES, 6, 5, "yaml-control-character", ("字段“figures.0.label”", "U+000C 换页符"))),
    case("control character in a CSV cell", {CSV: "事项,类型\n甲,许可\n乙\x0b,处罚\n"},
         Expected(CSV, 3, 2, "csv-control-character", ("U+000B 垂直制表符", "第 3 行第 2 个字符"))),
    case("nesting too deep", {ABOUT: DEEP}, Expected(ABOUT, 3, 18, "yaml-too-deep", ("超过 10 层",))),
    # Red-team review: direction controls ("Trojan Source") reached <title>, the navigation
    # and the feed; a blank title was accepted.
    case("right-to-left override in a title", {P + "rlo.md": RLO_TITLE},
         Expected(P + "rlo.md", 2, 12, "file-control-character", ("U+202E 从右到左强制符", "第 2 行第 12 个字符"))),
    case("escaped direction isolate in a list", {LIST: CLEAN_FILES[LIST].replace("测试清单", '"测试\\u2067清单"')},
         Expected(LIST, 1, 1, "yaml-control-character", ("字段“title”", "U+2067 从右到左隔离符", "\\u2067"))),
    case("direction override in a CSV cell", {CSV: "事项,类型\n甲,许可\n乙\u202d,处罚\n"},
         Expected(CSV, 3, 2, "csv-control-character", ("U+202D 从左到右强制符",))),
    case("direction controls in the body", {P + "bidi.md": article("bidi", body=BODY_WITH_BIDI)},
         Expected(P + "bidi.md", 11, 2, "body-control-character", ("U+202E 从右到左强制符", "去掉了"), "warning"),
         Expected(P + "bidi.md", 11, 4, "body-control-character", ("U+2066 从左到右隔离符",), "warning"),
         Expected(P + "bidi.md", 11, 6, "body-control-character", ("U+2069 方向隔离结束符",), "warning")),
    case("blank title", {P + "blank.md": BLANK_TITLE}, Expected(P + "blank.md", 2, 1, "meta-empty", ("字段“title”（标题）不能为空",))),
    case("full-width spaces as a page's title", {ABOUT: CLEAN_FILES[ABOUT].replace("title: 关于本站", "title: \u3000\u3000")},
         Expected(ABOUT, 2, 1, "meta-empty", ("不能为空",))),
    case("update record dated in the future", {P + "later.md": article("later", changes="\n  - date: 2099-01-01\n    note: 改了")},
         Expected(P + "later.md", 10, 5, "meta-future-date", ("更新记录日期 2099-01-01 晚于今天（2025-05-01）",))),
    case("update record dated in the future, in a draft",
         {P + "later.md": article("later", draft="true", changes="\n  - date: 2099-01-01\n    note: 改了")},
         Expected(P + "later.md", 11, 5, "meta-future-date", ("（草稿，发布前需要改正）更新记录日期 2099-01-01",), "warning")),
    case("update records that are not a list", {P + "five.md": article("five", changes="5")},
         Expected(P + "five.md", 9, 1, "meta-type", ("changes",))),
    case("control characters in the body", {P + "body.md": article("body", body=BODY_WITH_CONTROLS)},
         Expected(P + "body.md", 11, 4, "body-control-character", ("U+000B 垂直制表符", "换成了空格"), "warning"),
         Expected(P + "body.md", 13, 3, "body-control-character", ("U+0000 空字符", "去掉了"), "warning"),
         Expected(P + "body.md", 13, 5, "body-control-character", ("U+001B 转义符",), "warning"),
         Expected(P + "body.md", 15, 4, "body-control-character", ("U+2028 行分隔符",), "warning"),
         Expected(P + "body.md", 15, 8, "body-control-character", ("U+0085 下一行符",), "warning")),
]


def project(root: Path, files: dict[str, bytes | str]) -> Path:
    write_clean_site(root)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def source_findings(root: Path) -> list[Finding]:
    return [f for f in run_sources(Context(root=root, docs=root / "docs", today=TODAY)) if f.severity in ("error", "warning")]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_checker_reports_it_where_it_is(case: Case, tmp_path: Path) -> None:
    root = project(tmp_path, case.files)
    started = time.monotonic()
    findings = source_findings(root)
    assert time.monotonic() - started < 10, "the source rules took too long"
    places = {(f.path, f.line, f.column, f.code, f.severity) for f in findings}
    for want in case.expected:
        place = (want.path, want.line, want.column, want.code, want.severity)
        assert place in places, f"{place} not among:\n" + "\n".join(f.text() for f in findings)
        finding = next(f for f in findings if (f.path, f.line, f.column, f.code, f.severity) == place)
        for words in want.says:
            assert words in finding.message + finding.fix, f"{words!r} not in {finding.text()}"
        assert finding.fix, "every finding says how to fix it"
    if case.exact:
        # No second, misleading message about the same input (such as advice on colons).
        unexpected = {f.text() for f in findings if f.code not in {want.code for want in case.expected}}
        assert not unexpected, "\n".join(sorted(unexpected))


def test_an_alias_bomb_is_refused_at_once_whatever_its_size(tmp_path: Path) -> None:
    """The bomb is refused before anything is composed: ten findings (one says there are
    more), in well under a second, for a kilobyte or for the 4 MiB a data file may hold."""
    small = tmp_path / "small.yml"
    small.write_text(alias_bomb(), encoding="utf-8")
    assert len(alias_bomb()) < 1024
    big = tmp_path / "big.yml"
    big.write_text(alias_bomb() + "j: [" + ",".join(["*i"] * 500_000) + "]\n", encoding="utf-8")
    assert big.stat().st_size < frontmatter.DATA_FILE_LIMIT
    for path in (small, big):
        started = time.monotonic()
        parsed = frontmatter.read(path)
        assert time.monotonic() - started < 2
        assert [p.code for p in parsed.problems] == ["yaml-anchor"] * frontmatter.MAX_LISTED
        assert parsed.records == []
    with pytest.raises(frontmatter.RefusedYAML):
        frontmatter.parse_yaml(alias_bomb())


def test_the_body_the_build_renders_has_no_control_characters(tmp_path: Path) -> None:
    """ParsedFile.body is what plugin.on_page_read_source gives MkDocs: breaks are spaces
    (lines and columns stay where they were), everything else is gone."""
    path = tmp_path / "page.md"
    path.write_text(article("page", body=BODY_WITH_CONTROLS), encoding="utf-8")
    parsed = frontmatter.read(path)
    assert parsed.body.split("\n")[1:6] == ["第一段 同一段。", "", "第二段[31m。", "", "第三段 同一段 。"]
    assert frontmatter.CONTROL.search(parsed.body) is None
    assert parsed.data["slug"] == "page"


def test_a_csv_over_its_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * (tables.CSV_FILE_LIMIT // 4))
    table = tables.read_table(path, "rows.csv")
    assert [p.code for p in table.problems] == ["file-too-large"] and not table.rows
    assert "4,096 KB" in table.problems[0].message


def test_a_csv_of_too_many_cells_is_refused_at_once(tmp_path: Path) -> None:
    """Red-team review: a 1.8 MB CSV of "=1,=2" rows printed 600,000 warnings (149 MB), and
    16 MiB of short cells built for 89 s into a 120 MB page. Under the byte limit, a file
    of more than CSV_CELL_LIMIT cells is one error, found while reading; the checker's source
    rules answer in moments."""
    rows = b"=1,=2\n" * 300_000
    assert len(rows) < tables.CSV_FILE_LIMIT
    root = project(tmp_path, {CSV: b"a,b\n" + rows})
    started = time.monotonic()
    findings = [f for f in source_findings(root) if f.path == CSV]
    assert time.monotonic() - started < 10
    assert [(f.line, f.code) for f in findings] == [(tables.CSV_CELL_LIMIT // 2 + 1, "file-too-large")]
    assert "100,000" in findings[0].message and "没有读取" in findings[0].message
    # A real list is far below both limits: 1,500 rows of ten columns with long text.
    real = "".join(f"{n},事项{n},行政许可,汽开区某局,{'依据《中华人民共和国行政许可法》第十二条' * 40},,,,,\n" for n in range(1500))
    assert len(real.encode()) < tables.CSV_FILE_LIMIT and tables.CSV_CELL_LIMIT > 1501 * 10
    (tmp_path / "real.csv").write_text("序号,事项,类型,主体,依据,a,b,c,d,e\n" + real, encoding="utf-8")
    assert len(tables.read_table(tmp_path / "real.csv", "real.csv").rows) == 1500


def test_many_findings_of_one_kind_are_listed_once_with_a_count(tmp_path: Path) -> None:
    """The first MAX_LISTED of each kind, then one that counts the rest, at the first one not
    listed: "=1,=2" rows warn on every cell, short rows err on every row."""
    formulas = project(tmp_path / "formulas", {CSV: "事项,类型\n" + "=1,=2\n" * 100})
    found = [f for f in source_findings(formulas) if f.path == CSV]
    assert [f.code for f in found] == ["csv-formula"] * (frontmatter.MAX_LISTED + 1)
    summary = max(found, key=lambda f: (f.line, f.column))
    assert (summary.line, summary.column) == (7, 1)  # the 11th cell: row 7, first column
    assert "另有 190 处同类问题（共 200 处）" in summary.message and summary.severity == "warning"
    short = project(tmp_path / "short", {CSV: "事项,类型\n" + "甲\n" * 50})
    found = [f for f in source_findings(short) if f.path == CSV]
    assert [f.code for f in found] == ["csv-columns"] * (frontmatter.MAX_LISTED + 1)
    assert "另有 40 处同类问题（共 50 处）" in found[-1].message and found[-1].severity == "error" and found[-1].line == 12


# ---- The same verdict from scripts/check.py and `mkdocs build --strict` ----

REFUSED_SITE: dict[str, bytes | str] = {
    P + "bomb.md": BOMB_PAGE,
    P + "vt.md": VT_SUMMARY,
    P + "esc.md": article("esc", title='"\\x1b[31m标题"'),
    P + "later.md": article("later", changes="\n  - date: 2099-01-01\n    note: 改了"),
    CSV: "事项,类型\n甲,许可\n乙\x0b,处罚\n",
    P + "rlo.md": RLO_TITLE,
    P + "blank.md": BLANK_TITLE,
}
REFUSED_AT = [  # file:line:column and code of the errors both must list
    (P + "bomb.md:3:4", "yaml-anchor"),
    (P + "vt.md:5:12", "file-control-character"),
    (P + "esc.md:2:1", "yaml-control-character"),
    (P + "later.md:10:5", "meta-future-date"),
    (CSV + ":3:2", "csv-control-character"),
    (P + "rlo.md:2:12", "file-control-character"),
    (P + "blank.md:2:1", "meta-empty"),
]
ACCEPTED_SITE: dict[str, bytes | str] = {P + "body.md": article("body", body=BODY_WITH_CONTROLS),
                                         P + "bidi.md": article("bidi", body=BODY_WITH_BIDI)}
ERROR_LINE = re.compile(r"^\S+: 错误 ")


@dataclass(frozen=True)
class Outcome:
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    site: Path

    def report(self) -> str:
        return (f"\n--- scripts/check.py: exit {self.check.returncode}\n{self.check.stdout[-3000:]}{self.check.stderr[-2000:]}"
                f"\n--- mkdocs build --strict: exit {self.build.returncode}\n{self.build.stdout[-2000:]}{self.build.stderr[-3000:]}")


def check_and_build(root: Path) -> Outcome:
    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True, timeout=180)

    site = root / "site"
    checked = run([sys.executable, str(REPO / "scripts/check.py"), "--root", str(root)])
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)])
    return Outcome(checked, built, site)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Outcome]]]:
    """Both sites checked and built at once (two workers, as CI has two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {
            "refused": pool.submit(check_and_build, project(tmp_path_factory.mktemp("refused"), REFUSED_SITE)),
            "accepted": pool.submit(check_and_build, project(tmp_path_factory.mktemp("accepted"), ACCEPTED_SITE)),
        }


def test_the_checker_and_the_build_refuse_with_the_same_messages(outcomes: dict[str, Future[Outcome]]) -> None:
    outcome = outcomes["refused"].result()
    report = outcome.report()
    for result in (outcome.check, outcome.build):
        assert "Traceback" not in result.stdout + result.stderr and "MemoryError" not in result.stderr, report
    assert outcome.check.returncode == 1 and outcome.build.returncode != 0, report
    built_errors = [line for line in (outcome.build.stdout + outcome.build.stderr).splitlines() if ERROR_LINE.match(line)]
    checked = set(outcome.check.stdout.splitlines())
    assert built_errors and set(built_errors) <= checked, report
    for place, code in REFUSED_AT:
        for lines in (built_errors, checked):
            assert any(line.startswith(f"{place}: 错误 ") and line.endswith(f"[{code}]") for line in lines), f"{place} {code}:{report}"
    assert not (outcome.site / "feed.xml").exists()


def test_control_characters_in_bodies_never_reach_the_site(outcomes: dict[str, Future[Outcome]]) -> None:
    outcome = outcomes["accepted"].result()
    report = outcome.report()
    assert outcome.check.returncode == 0 and outcome.build.returncode == 0, report
    assert f"{P}body.md:11:4: 警告 正文中有看不见的控制字符 U+000B 垂直制表符" in outcome.check.stdout, report
    page = (outcome.site / "articles/body/index.html").read_text(encoding="utf-8")
    assert "第一段 同一段。" in page and "第二段[31m。" in page
    assert "甲乙丙。" in (outcome.site / "articles/bidi/index.html").read_text(encoding="utf-8")
    published = [path for path in outcome.site.rglob("*") if path.suffix in (".html", ".json", ".xml") and path.is_file()]
    assert any(path.parent.name != "search" and "search" in path.parts for path in published), "no search files"
    for path in published:
        found = frontmatter.CONTROL.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(outcome.site)} holds {frontmatter.character_name(found.group())}"
    ET.parse(outcome.site / "feed.xml")  # well-formed XML
