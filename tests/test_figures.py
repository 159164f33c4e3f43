"""年度数据一览: every figure in docs/reports/2024/figures.yml is checked against the original
report text, and the built page shows each number with its unit and label as text (not only in
a picture), links each to the report section it comes from, and draws the charts to scale
with static SVG. A wrong figure stops the build with a Chinese message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from fazhi import figures

from conftest import attr, found

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "docs/reports/2024/figures.yml"
ORIGINAL = REPO / "docs/reports/2024/2024-annual-report.txt"
DATA = yaml.safe_load(FIGURES.read_text(encoding="utf-8"))
# Figures the issue names; they must stay in the data file.
NAMED_IN_THE_ISSUE = {(2974, "件"), (620, "件"), (7127, "万元"), (1203, "项"), (141, "项"), (30, "%")}


def number(figure: dict[str, Any]) -> str:
    return f"{figure['value']}{figure.get('qualifier') or ''}{figure['unit']}"


@pytest.mark.parametrize("figure", DATA["figures"], ids=lambda f: number(f))
def test_figure_is_a_sentence_of_the_original(figure: dict[str, Any]) -> None:
    original = ORIGINAL.read_text(encoding="utf-8")
    sentence = figure["sentence"]
    assert sentence in original, f"not word for word in the original: {sentence}"
    # A whole sentence: it starts after a full stop, a line start or a numbered heading, and ends with 。
    start = original.index(sentence)
    assert sentence.endswith("。") and (start == 0 or original[start - 1] in "。\n"), sentence
    assert re.search(rf"(?<![\d.]){re.escape(number(figure))}", sentence), f"{number(figure)} is not in: {sentence}"


def test_the_figures_named_in_the_issue_are_there() -> None:
    assert {(f["value"], f["unit"]) for f in DATA["figures"]} >= NAMED_IN_THE_ISSUE


def test_page_shows_every_figure_as_text_linked_to_its_section(site_dir: Path) -> None:
    soup = BeautifulSoup((site_dir / "reports/2024/figures/index.html").read_text(encoding="utf-8"), "html.parser")
    cards = soup.select(".fazhi-figure")
    assert len(cards) == len(DATA["figures"])
    for card, figure in zip(cards, DATA["figures"], strict=True):
        value = found(card.select_one(".fazhi-figure__value")).get_text()
        assert value == number(figure)
        assert found(card.select_one(".fazhi-figure__label")).get_text() == figure["label"]
        link = found(card.select_one(".fazhi-figure__source a"))
        assert link.get_text() == f"“{figure['sentence']}”"
        target, _, anchor = attr(link, "href").partition("#")
        page = (site_dir / "reports/2024/figures" / target / "index.html").resolve()
        assert page == (site_dir / "reports/2024" / figure["page"].removesuffix(".md") / "index.html").resolve()
        html = page.read_text(encoding="utf-8")
        assert figure["sentence"] in BeautifulSoup(html, "html.parser").get_text()
        if anchor:
            assert f'id="{anchor}"' in html, f"no section {anchor} in {figure['page']}"


def test_charts_are_static_svg_drawn_to_scale(site_dir: Path) -> None:
    soup = BeautifulSoup((site_dir / "reports/2024/figures/index.html").read_text(encoding="utf-8"), "html.parser")
    for name, chart in DATA["charts"].items():
        figure = found(soup.select_one(f"#chart-{name}"))
        assert found(figure.figcaption).get_text() == chart["title"]
        members = [f for f in DATA["figures"] if f.get("chart") == name]
        rows = figure.select(".fazhi-chart__row")
        assert [found(row.select_one(".fazhi-chart__text")).get_text() for row in rows] == [
            f"{f['label']}：{number(f)}" for f in members
        ]
        widths = [float(attr(found(row.select_one("rect")), "width")) for row in rows]
        largest = max(f["value"] for f in members)
        for width, member in zip(widths, members, strict=True):
            assert width == pytest.approx(max(0.3, member["value"] / largest * 100), abs=0.01)
        assert all(svg["aria-hidden"] == "true" for svg in figure.select("svg")), "the text, not the bars, is read out"
    assert not soup.select("script[src*='chart'], link[href*='chart']")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("2974件", "2975件"), "与报告原文不一致"),
        (("value: 7127\n", "value: 7172\n"), "原句中没有“7172万元”"),
        (("chart: duties\n", "chart: nothing\n"), "图表“nothing”没有在 charts 下定义"),
    ],
    ids=["changed-sentence", "number-not-in-sentence", "unknown-chart"],
)
def test_a_wrong_figure_stops_the_build_with_a_clear_message(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / ORIGINAL.name).write_text(ORIGINAL.read_text(encoding="utf-8"), encoding="utf-8")
    text = FIGURES.read_text(encoding="utf-8")
    assert change[0] in text
    (folder / "figures.yml").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    data = figures.load(folder / "figures.yml", "reports/figures.yml")
    texts = [problem.text() for problem in data.problems]
    assert any(message in text for text in texts), texts
    # Each finding names the file and the line of the wrong value: the checker and the build
    # (which stops on these findings before any page is rendered) print exactly this.
    assert all(text.startswith("reports/figures.yml:") and problem.line > 0
               for text, problem in zip(texts, data.problems, strict=True)), texts
