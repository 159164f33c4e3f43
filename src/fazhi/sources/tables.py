"""A list's rows: the .csv beside docs/policies/lists/<name>.yml (UTF-8, header first).

Read once per build into a Table: the checker reports its problems with file and line
(fazhi.checks.metadata), and the list's page shows its rows (fazhi.policies). A file larger
than CSV_FILE_LIMIT is not read, one with more than CSV_CELL_LIMIT cells not kept; a control
character in a cell is an error at its line and column (fazhi.sources.frontmatter.CONTROL:
the same characters as in page information)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.findings import Finding
from fazhi.sources.frontmatter import CONTROL, MAX_LISTED, character_name, file_size, read_at_most, size_text

# A list of 1,500 rows with the legal basis of each item written out (权责清单, the district's
# has 1,203 items) is about 3 MiB. Every cell becomes an element of the list's page and a
# word of its search entry, so what a build costs follows the cells as much as the bytes:
# at the two limits the build of the corpus site (tests/checker_corpus.py) takes 2–4 s and
# 280–410 MB (long legal-basis rows; 100,000 cells of 40 characters), where 16 MiB of long
# rows took 6 s and 970 MB and 4 MiB of one-character cells 15 s, 860 MB and a 23 MB page.
# A real list is 15,000 cells or so (1,500 rows of ten columns).
CSV_FILE_LIMIT = 4 * 1024 * 1024
CSV_CELL_LIMIT = 100_000


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # blank rows left out, cells stripped
    problems: list[Finding] = field(default_factory=list)


def read_table(path: Path, display: str) -> Table:
    """The header and rows of a CSV file; an unreadable or too large file, a control
    character, a missing header or a row with the wrong number of cells is a problem
    (error) on `display` with its line."""
    try:
        raw = read_at_most(path, CSV_FILE_LIMIT)
    except OSError as error:
        return Table(problems=[Finding(display, 0, 0, "error", "file-unreadable", f"无法读取文件（{error.strerror}）。",
                                       "检查文件是否存在、是否有读取权限。")])
    if len(raw) > CSV_FILE_LIMIT:
        return Table(problems=[Finding(display, 0, 0, "error", "file-too-large",
                                       f"CSV 文件太大（{size_text(file_size(path, len(raw)))}，上限是 {size_text(CSV_FILE_LIMIT)}），没有读取。",
                                       "把清单分成几个文件，或请维护者确认这个文件是否放错了地方。")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Table(problems=[Finding(display, line, 1, "error", "file-encoding", "CSV 文件不是 UTF-8 编码，网站无法读取。",
                                       "用 Excel 或 WPS“另存为”时选择“CSV UTF-8（逗号分隔）”。")])
    controls = _controls(text, display)
    if controls:
        return Table(problems=controls)
    reader = csv.reader(io.StringIO(text))
    cells: list[list[str]] = []
    count = 0
    try:
        for row in reader:
            count += len(row)
            if count > CSV_CELL_LIMIT:
                return Table(problems=[Finding(display, reader.line_num, 1, "error", "file-too-large",
                                               f"CSV 文件的单元格太多（到第 {reader.line_num} 行已超过 {CSV_CELL_LIMIT:,} 个），没有读取。",
                                               "把清单分成几个文件，或请维护者确认这个文件是否放错了地方。")])
            cells.append(row)
    except csv.Error as error:
        return Table(problems=[Finding(display, reader.line_num or 1, 1, "error", "csv-invalid", f"CSV 无法解析（{error}）。",
                                       "检查引号是否成对。")])
    if not cells or not any(cell.strip() for cell in cells[0]):
        return Table(problems=[Finding(display, 1, 1, "error", "csv-no-header", "CSV 第一行应是表头（各列名称）。", "在第一行写列名。")])
    width = len(cells[0])
    problems = [
        Finding(display, number, 1, "error", "csv-columns",
                f"这一行有 {len(row)} 列，表头有 {width} 列。", "检查是否多了或少了逗号；含逗号的内容用英文双引号括起来。")
        for number, row in enumerate(cells[1:], start=2)
        if row and len(row) != width
    ]
    return Table(
        header=[cell.strip() for cell in cells[0]],
        rows=[[cell.strip() for cell in row] for row in cells[1:] if any(cell.strip() for cell in row)],
        problems=problems,
    )


# ---- Helper functions ----


def _controls(text: str, display: str) -> list[Finding]:
    """An error at each of the first MAX_LISTED control characters (line and column of the
    file, whatever the cells around them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # lines as an editor counts them
    findings: list[Finding] = []
    line, counted = 1, 0
    for match in CONTROL.finditer(text):
        if len(findings) == MAX_LISTED:
            break
        line += text.count("\n", counted, match.start())
        counted = match.start()
        column = match.start() - text.rfind("\n", 0, match.start())
        findings.append(Finding(display, line, column, "error", "csv-control-character",
                                f"表格中有看不见的控制字符 {character_name(match.group())}，常见于从 Word、PDF 或网页复制的文字；"
                                "网页和下载的表格都不能包含它。",
                                f"在第 {line} 行第 {column} 个字符处删除它（看起来可能什么也没有）；"
                                "在 Excel 或 WPS 中可以用“查找和替换”或 CLEAN 函数去掉这类字符后重新导出 CSV。"))
    return findings
