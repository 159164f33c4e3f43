"""年度数据一览: figure cards and bar charts made at build time from a report's figures.yml.

A page asks for them with a marker line in its Markdown:
    <!-- fazhi:figures -->        every figure as a card, grouped under ## headings
    <!-- fazhi:chart NAME -->     a static SVG bar chart of the figures with `chart: NAME`
The data file is figures.yml in the page's own folder. Each figure is checked against the
report's original text before anything is drawn: its sentence must be in the original word
for word, and its number with qualifier and unit must be in that sentence. `load` returns
every mistake as a finding with file and line; fazhi.checks.figures reports them, so the
checker and the build (which stops on them before any page is rendered) say the same."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.findings import Finding
from fazhi.safety.escaping import markdown_text
from fazhi.sources import frontmatter

MARKER = re.compile(r"^<!--\s*fazhi:(figures|chart)(?:\s+([\w-]+))?\s*-->[ \t]*$", re.MULTILINE)
REQUIRED = {"group": "卡片分组", "value": "数值", "unit": "单位", "label": "说明", "sentence": "原句", "page": "报告页面"}
DATA_FILE = "figures.yml"


@dataclass(frozen=True)
class Figure:
    group: str
    value: int | float
    qualifier: str
    unit: str
    label: str
    sentence: str
    page: str
    anchor: str
    chart: str
    line: int = 0  # of the figure's `page` in figures.yml, for findings about its link
    anchor_line: int = 0

    @property
    def number(self) -> str:
        """The number as the report writes it, e.g. 620余 or 14.3."""
        return f"{self.value}{self.qualifier}"


@dataclass
class FigureData:
    charts: dict[str, str] = field(default_factory=dict)  # name -> title
    figures: list[Figure] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def markers(markdown: str) -> list[tuple[str, str | None]]:
    """(kind, chart name) of every marker in a page: ("figures", None), ("chart", "x")."""
    return [(match.group(1), match.group(2)) for match in MARKER.finditer(markdown)]


def load(data_file: Path, display: str) -> FigureData:
    """The figures of `data_file`, each checked against the report's original text. Every
    mistake is a finding on `display` (the path as shown to people) with its line."""
    result = FigureData()
    if not data_file.exists():
        result.problems = [_finding(display, 0, "找不到数据文件；页面中写了 <!-- fazhi:figures --> 就需要同一文件夹里的 figures.yml。",
                                    "在页面所在的文件夹里放 figures.yml，或删除页面中的这个标记。")]
        return result
    parsed = frontmatter.read(data_file, display)
    result.problems += parsed.problems
    if any(problem.severity == "error" for problem in parsed.problems):
        return result
    data, record = parsed.data, parsed.record
    source_name = data.get("source_file")
    source = data_file.parent / str(source_name or "")
    # A file name in the same folder, and the file itself: never read through a symlink.
    if not source_name or source.name != str(source_name) or source.is_symlink() or not source.is_file():
        result.problems.append(_finding(display, record.line_of("source_file"), "“source_file”应写报告原文的文件名（与本文件在同一文件夹）。",
                                        "例如写 source_file: 2024-annual-report.txt"))
        return result
    original = source.read_text(encoding="utf-8")
    charts = data.get("charts") or {}
    if not isinstance(charts, dict):
        result.problems.append(_finding(display, record.line_of("charts"), "“charts”应写成“图表名: {title: 标题}”的多行表。", "对照已有的 figures.yml 修改。"))
        charts = {}
    result.charts = {str(name): str((chart.get("title") if isinstance(chart, dict) else None) or name)
                     for name, chart in charts.items()}
    items = data.get("figures") or []
    if not isinstance(items, list) or not items:
        result.problems.append(_finding(display, record.line_of("figures"), "“figures”下没有任何数字。", "每个数字写成“- group: …”开头的一项。"))
        return result
    for index, item in enumerate(items):
        figure = _figure(item, index, display, record, original, result)
        if figure is not None:
            result.figures.append(figure)
    for name in result.charts:
        units = {figure.unit for figure in result.figures if figure.chart == name}
        if len(units) > 1:
            result.problems.append(_finding(display, record.line_of(f"charts.{name}"),
                                            f"图表“{name}”中的数字单位不同（{'、'.join(sorted(units))}），同一图中只能画同一单位。",
                                            "把不同单位的数字放到不同的图表里。"))
    return result


def render(markdown: str, data: FigureData) -> str:
    """`markdown` with every marker replaced by cards or a chart (data without problems)."""
    def replace(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "figures":
            return _cards(data.figures)
        return _chart(name, data.charts[name], [figure for figure in data.figures if figure.chart == name])

    return MARKER.sub(replace, markdown)


# ---- Helper functions ----


def _finding(display: str, line: int, message: str, fix: str) -> Finding:
    return Finding(display, line, 1 if line else 0, "error", "figures-invalid", message, fix)


def _figure(item: object, index: int, display: str, record: frontmatter.Record, original: str,
            result: FigureData) -> Figure | None:
    key = f"figures.{index}"
    label = f"第 {index + 1} 项数字"
    line = record.line_of(key)
    if not isinstance(item, dict):
        result.problems.append(_finding(display, line, f"{label}格式不对。", "每一项应写成“键: 值”的多行表。"))
        return None
    for name, meaning in REQUIRED.items():
        if item.get(name) in (None, ""):
            result.problems.append(_finding(display, line, f"{label}缺少“{name}”（{meaning}）。", f"添加一行“{name}: …”。"))
            return None
    if not isinstance(item["value"], (int, float)) or isinstance(item["value"], bool):
        result.problems.append(_finding(display, record.line_of(f"{key}.value"), f"{label}的“value”应为数字。",
                                        "写成 2974 或 14.3；“余”等字写在 qualifier 里。"))
        return None
    figure = Figure(
        group=str(item["group"]),
        value=item["value"],
        qualifier=str(item.get("qualifier") or ""),
        unit=str(item["unit"]),
        label=str(item["label"]),
        sentence=str(item["sentence"]).strip(),
        page=str(item["page"]),
        anchor=str(item.get("anchor") or ""),
        chart=str(item.get("chart") or ""),
        line=record.line_of(f"{key}.page"),
        anchor_line=record.line_of(f"{key}.anchor"),
    )
    if figure.sentence not in original:
        result.problems.append(_finding(display, record.line_of(f"{key}.sentence"), f"{label}（{figure.label}）的“sentence”与报告原文不一致。",
                                        "请从原文逐字复制整句。"))
        return None
    if not re.search(rf"(?<![\d.]){re.escape(figure.number + figure.unit)}", figure.sentence):
        result.problems.append(_finding(display, record.line_of(f"{key}.value"), f"{label}（{figure.label}）：原句中没有“{figure.number}{figure.unit}”。",
                                        "请核对 value、qualifier 和 unit。"))
        return None
    if figure.chart and figure.chart not in result.charts:
        result.problems.append(_finding(display, record.line_of(f"{key}.chart"), f"{label}（{figure.label}）：图表“{figure.chart}”没有在 charts 下定义。",
                                        "在 charts 下添加它，或改正图表名。"))
        return None
    return figure


def _cards(figures: list[Figure]) -> str:
    """Cards grouped under headings; md_in_html turns the link into a checked page link.
    Inside `markdown="block"` every field is Markdown-escaped (markdown_text), not only HTML-escaped."""
    blocks: list[str] = []
    for group in dict.fromkeys(figure.group for figure in figures):
        blocks.append(f"## {markdown_text(group)}\n")
        blocks.append('<div class="fazhi-figures" markdown="block">\n')
        for figure in (each for each in figures if each.group == group):
            target = figure.page + (f"#{figure.anchor}" if figure.anchor else "")
            blocks.append(
                '<div class="fazhi-figure" markdown="block">\n'
                f'<p class="fazhi-figure__value">{markdown_text(figure.number)}'
                f'<span class="fazhi-figure__unit">{markdown_text(figure.unit)}</span></p>\n'
                f'<p class="fazhi-figure__label">{markdown_text(figure.label)}</p>\n'
                f'<p class="fazhi-figure__source" markdown="span">出处：[“{markdown_text(figure.sentence)}”]({target})</p>\n'
                "</div>\n"
            )
        blocks.append("</div>\n")
    return "\n".join(blocks)


def _chart(name: str, title: str, figures: list[Figure]) -> str:
    """A bar chart drawn to scale: each bar a small static SVG under its label and number.

    Labels are HTML text, not SVG text, so they keep the reader's text size on a phone and
    in 长者模式, and screen readers read them; the bars themselves are hidden from them."""
    largest = max(float(figure.value) for figure in figures) or 1.0
    rows = []
    for figure in figures:
        share = max(0.3, float(figure.value) / largest * 100)
        rows.append(
            f'<li class="fazhi-chart__row"><span class="fazhi-chart__text">{html.escape(figure.label)}：'
            f"<strong>{html.escape(figure.number + figure.unit)}</strong></span>"
            f'<svg class="fazhi-chart__svg" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
            f'<rect class="fazhi-chart__bar" x="0" y="0" width="{share:.2f}" height="4"/></svg></li>'
        )
    return (
        f'<figure class="fazhi-chart" id="chart-{name}">\n'
        f"<figcaption>{html.escape(title)}</figcaption>\n"
        f'<ul class="fazhi-chart__rows">{"".join(rows)}</ul>\n'
        "</figure>\n"
    )
