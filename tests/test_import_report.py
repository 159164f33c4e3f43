"""scripts/import_report.py turns an original report into pages without changing a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from fazhi.cli import import_report

REPO = Path(__file__).resolve().parents[1]
REPORT_DIR = REPO / "docs" / "reports" / "2024"
SOURCE = REPORT_DIR / "2024-annual-report.txt"


def committed_date() -> dt.date:
    front = (REPORT_DIR / "index.md").read_text("utf-8").split("---")[1]
    date: dt.date = yaml.safe_load(front)["date"]
    return date


def test_committed_pages_are_exactly_what_the_importer_writes() -> None:
    report = import_report.parse(SOURCE.read_text("utf-8"))
    pages = import_report.render(report, 2024, committed_date(), SOURCE.name)
    for name, content in pages.items():
        assert (REPORT_DIR / name).read_text("utf-8") == content, f"{name} was edited by hand"


def test_structure_of_the_2024_report() -> None:
    report = import_report.parse(SOURCE.read_text("utf-8"))
    assert len(report.preamble) == 1
    assert [len(part.sections) for part in report.parts] == [6, 1, 1, 1]
    assert [len(s.items) for s in report.parts[0].sections] == [3, 3, 3, 3, 3, 3]
    assert [len(part.sections[0].items) for part in report.parts[1:]] == [3, 3, 4]


def test_unknown_line_shape_is_refused_with_its_line_number() -> None:
    text = "前言。\n一、第一部分\n1.条目。\n这一行没有编号。\n"
    with pytest.raises(import_report.ReportFormatError, match="第 4 行"):
        import_report.parse(text)


def test_markdown_characters_in_the_original_stay_literal() -> None:
    assert import_report.item_markdown("1.甲*乙_丙。丁[戊]") == r"**1.甲\*乙\_丙。**丁\[戊\]"


def test_existing_pages_are_not_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2024"
    args = [str(SOURCE), "--year", "2024", "--date", "2026-11-26", "--out", str(out)]
    assert import_report.main(args) == 0
    (out / "part-1.md").write_text("人工修改", encoding="utf-8")
    assert import_report.main(args) == 1
    assert "未覆盖" in capsys.readouterr().err
    assert (out / "part-1.md").read_text("utf-8") == "人工修改"
