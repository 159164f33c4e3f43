"""Figure cards and charts (fazhi.figures): every page with a <!-- fazhi:figures --> or
<!-- fazhi:chart NAME --> marker needs a figures.yml beside it whose figures match the
report's original text, whose `page` and `anchor` name a report section that exists, and
every chart it names must be defined there."""

from __future__ import annotations

from pathlib import Path

from fazhi import figures
from fazhi.checks import Context
from fazhi.findings import Finding


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    for path in context.markdown_files:
        parsed = context.parsed(path)
        used = figures.markers(parsed.body)
        if not used or not context.is_published(path):
            continue
        data_file = path.parent / figures.DATA_FILE
        data = context.figure_data(data_file)
        findings += data.problems
        findings += _links(context, data_file, data)
        for line_number, line in enumerate(parsed.text.split("\n"), start=1):
            for kind, name in figures.markers(line):
                if kind == "chart" and name not in data.charts and not data.problems:
                    findings.append(Finding(context.display(path), line_number, 1, "error", "figures-invalid",
                                            f"页面要求画图表“{name}”，但 {context.display(data_file)} 的 charts 下没有它。",
                                            "改正图表名，或在 charts 下添加它。"))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.code, f.message))


def _links(context: Context, data_file: Path, data: figures.FigureData) -> list[Finding]:
    """Each card links to `page`#`anchor` (relative to figures.yml): both must exist."""
    shown = context.display(data_file)
    findings = []
    for figure in data.figures:
        target = (data_file.parent / figure.page).resolve()
        if not target.is_file() or target.suffix != ".md" or not context.is_published(target):
            findings.append(Finding(shown, figure.line, 1, "error", "figures-invalid",
                                    f"数字“{figure.label}”的“page”指向的页面“{figure.page}”不存在。",
                                    "写与 figures.yml 同一文件夹中报告页面的文件名，例如 part-1.md。"))
        elif figure.anchor and figure.anchor not in context.rendered(target).ids:
            findings.append(Finding(shown, figure.anchor_line, 1, "error", "figures-invalid",
                                    f"数字“{figure.label}”的“anchor”“{figure.anchor}”在“{figure.page}”中找不到对应的标题。",
                                    "从报告页面标题旁的链接符号复制锚点（# 后面的部分）。"))
    return findings
