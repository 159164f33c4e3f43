"""Figure cards and charts (fazhi.figures): every page with a <!-- fazhi:figures --> or
<!-- fazhi:chart NAME --> marker needs a figures.yml beside it whose figures match the
report's original text, and every chart it names must be defined there."""

from __future__ import annotations

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
        for line_number, line in enumerate(parsed.text.split("\n"), start=1):
            for kind, name in figures.markers(line):
                if kind == "chart" and name not in data.charts and not data.problems:
                    findings.append(Finding(context.display(path), line_number, 1, "error", "figures-invalid",
                                            f"页面要求画图表“{name}”，但 {context.display(data_file)} 的 charts 下没有它。",
                                            "改正图表名，或在 charts 下添加它。"))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.code, f.message))
