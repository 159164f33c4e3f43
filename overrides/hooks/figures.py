"""年度数据一览: figure cards and bar charts made at build time from a report's figures.yml.

A page asks for them with a marker line in its Markdown:
    <!-- fazhi:figures -->        every figure as a card, grouped under ## headings
    <!-- fazhi:chart NAME -->     a static SVG bar chart of the figures with `chart: NAME`
The data file is figures.yml in the page's own folder. Each figure is checked against the
report's original text before anything is drawn: its sentence must be in the original word
for word, and its number with qualifier and unit must be in that sentence. Any mistake stops
the build with a Chinese message naming the file and the figure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

MARKER = re.compile(r"^<!--\s*fazhi:(figures|chart)(?:\s+([\w-]+))?\s*-->[ \t]*$", re.MULTILINE)
REQUIRED = {"group": "卡片分组", "value": "数值", "unit": "单位", "label": "说明", "sentence": "原句", "page": "报告页面"}


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

    @property
    def number(self) -> str:
        """The number as the report writes it, e.g. 620余 or 14.3."""
        return f"{self.value}{self.qualifier}"


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not MARKER.search(markdown):
        return markdown
    data_file = Path(page.file.abs_src_path).parent / "figures.yml"
    charts, figures = _load(data_file, config)
    return MARKER.sub(lambda match: _render(match, charts, figures, data_file, config), markdown)


# ---- Helper functions ----


def _load(data_file: Path, config: MkDocsConfig) -> tuple[dict[str, str], list[Figure]]:
    where = _relative(data_file, config)
    if not data_file.exists():
        raise PluginError(f"{where}: 找不到数据文件；页面中写了 <!-- fazhi:figures --> 就需要同一文件夹里的 figures.yml")
    try:
        data = yaml.safe_load(data_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        raise PluginError(f"{where}:{line} YAML 格式错误：{error}；请检查缩进和冒号") from error
    source = data_file.parent / str(data.get("source_file") or "")
    if not data.get("source_file") or not source.is_file():
        raise PluginError(f"{where}: “source_file”应写报告原文的文件名（与本文件在同一文件夹），例如 2024-annual-report.txt")
    original = source.read_text(encoding="utf-8")
    charts = {name: str((chart or {}).get("title") or name) for name, chart in (data.get("charts") or {}).items()}
    figures = [_figure(item, index, where, original, charts) for index, item in enumerate(data.get("figures") or [], 1)]
    if not figures:
        raise PluginError(f"{where}: “figures”下没有任何数字")
    for name in charts:
        units = {figure.unit for figure in figures if figure.chart == name}
        if len(units) > 1:
            raise PluginError(f"{where}: 图表“{name}”中的数字单位不同（{'、'.join(sorted(units))}），同一图中只能画同一单位")
    return charts, figures


def _figure(item: object, index: int, where: str, original: str, charts: dict[str, str]) -> Figure:
    label = f"{where}: 第 {index} 项数字"
    if not isinstance(item, dict):
        raise PluginError(f"{label}格式不对：每一项应写成“键: 值”的多行表")
    for key, name in REQUIRED.items():
        if item.get(key) in (None, ""):
            raise PluginError(f"{label}缺少“{key}”（{name}）")
    if not isinstance(item["value"], (int, float)) or isinstance(item["value"], bool):
        raise PluginError(f"{label}的“value”应为数字，例如 2974 或 14.3；“余”等字写在 qualifier 里")
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
    )
    if figure.sentence not in original:
        raise PluginError(f"{label}（{figure.label}）的“sentence”与报告原文不一致：请从原文逐字复制整句")
    if not re.search(rf"(?<![\d.]){re.escape(figure.number + figure.unit)}", figure.sentence):
        raise PluginError(f"{label}（{figure.label}）：原句中没有“{figure.number}{figure.unit}”，请核对 value、qualifier 和 unit")
    if figure.chart and figure.chart not in charts:
        raise PluginError(f"{label}（{figure.label}）：图表“{figure.chart}”没有在 charts 下定义")
    return figure


def _render(match: re.Match[str], charts: dict[str, str], figures: list[Figure], data_file: Path, config: MkDocsConfig) -> str:
    kind, name = match.group(1), match.group(2)
    if kind == "figures":
        return _cards(figures)
    if name not in charts:
        raise PluginError(f"{_relative(data_file, config)}: 页面要求画图表“{name}”，但 charts 下没有它")
    return _chart(name, charts[name], [figure for figure in figures if figure.chart == name])


def _cards(figures: list[Figure]) -> str:
    """Cards grouped under headings; md_in_html turns the link into a checked page link."""
    blocks: list[str] = []
    for group in dict.fromkeys(figure.group for figure in figures):
        blocks.append(f"## {group}\n")
        blocks.append('<div class="fazhi-figures" markdown="block">\n')
        for figure in (each for each in figures if each.group == group):
            target = figure.page + (f"#{figure.anchor}" if figure.anchor else "")
            blocks.append(
                '<div class="fazhi-figure" markdown="block">\n'
                f'<p class="fazhi-figure__value">{html.escape(figure.number)}'
                f'<span class="fazhi-figure__unit">{html.escape(figure.unit)}</span></p>\n'
                f'<p class="fazhi-figure__label">{html.escape(figure.label)}</p>\n'
                f'<p class="fazhi-figure__source" markdown="span">出处：[“{_escape_markdown(figure.sentence)}”]({target})</p>\n'
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


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)


def _relative(path: Path, config: MkDocsConfig) -> str:
    try:
        return path.relative_to(Path(config.config_file_path).parent).as_posix()
    except ValueError:
        return path.as_posix()
