"""A list's rows: the .csv beside docs/policies/lists/<name>.yml (UTF-8, header first).

Read once per build into a Table: the checker reports its problems with file and line
(fazhi.checks.metadata), and the list's page shows its rows (fazhi.policies)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.findings import Finding


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # blank rows left out, cells stripped
    problems: list[Finding] = field(default_factory=list)


def read_table(path: Path, display: str) -> Table:
    """The header and rows of a CSV file; an unreadable file, a missing header or a row with
    the wrong number of cells is a problem (error) on `display` with its line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Table(problems=[Finding(display, 0, 0, "error", "file-unreadable", f"无法读取文件（{error.strerror}）。",
                                       "检查文件是否存在、是否有读取权限。")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Table(problems=[Finding(display, line, 1, "error", "file-encoding", "CSV 文件不是 UTF-8 编码，网站无法读取。",
                                       "用 Excel 或 WPS“另存为”时选择“CSV UTF-8（逗号分隔）”。")])
    try:
        cells = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        return Table(problems=[Finding(display, 1, 1, "error", "csv-invalid", f"CSV 无法解析（{error}）。", "检查引号是否成对。")])
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
