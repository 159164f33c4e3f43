"""The 2024 report is the record: every sentence and figure of the original must be on the
built site, in order, unchanged (typos included)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
REPORT_DIR = REPO / "docs" / "reports" / "2024"
SOURCE = REPORT_DIR / "2024-annual-report.txt"
SHARED_SOURCE = REPO.parent / "shared" / "source" / "2024-annual-report.txt"
# The report's pages in reading order, as the nav lists them.
PAGES = ["index", "part-1", "part-2", "part-3", "part-4"]
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def sentences(text: str) -> list[str]:
    """Split the original into sentences: at sentence-ending marks and at line ends."""
    return [piece.strip() for line in text.splitlines() for piece in SENTENCE_END.split(line) if piece.strip()]


def page_text(site_dir: Path, page: str) -> str:
    """The reading text of one built report page, without the theme's permalink marks."""
    html = (site_dir / "reports" / "2024" / ("" if page == "index" else page) / "index.html").read_text("utf-8")
    content = BeautifulSoup(html, "lxml").select_one("article.md-content__inner")
    assert content is not None, f"{page}: no article content"
    for permalink in content.select("a.headerlink"):
        permalink.decompose()
    return content.get_text("\n")


def missing_or_out_of_order(original: list[str], published: str) -> list[str]:
    """Sentences of the original that are not found, in order, in the published text."""
    # Whitespace is layout, not content: the original has none inside its lines.
    flat = re.sub(r"\s+", "", published)
    problems, position = [], 0
    for sentence in original:
        found = flat.find(re.sub(r"\s+", "", sentence), position)
        if found < 0:
            problems.append(sentence)
        else:
            position = found + len(sentence)
    return problems


def test_committed_original_is_the_shared_source() -> None:
    if not SHARED_SOURCE.exists():
        pytest.skip("../shared/source is not beside this checkout")
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_every_sentence_of_the_original_is_published_in_order(site_dir: Path) -> None:
    original = sentences(SOURCE.read_text("utf-8"))
    assert len(original) == 122  # 109 sentences ending in 。 plus headings and line ends
    published = "\n".join(page_text(site_dir, page) for page in PAGES)
    assert missing_or_out_of_order(original, published) == []


def test_checker_notices_a_dropped_or_altered_sentence() -> None:
    original = sentences(SOURCE.read_text("utf-8"))
    whole = "".join(original)
    dropped = whole.replace(original[40], "")
    altered = whole.replace("化解各类纠纷2974件", "化解各类纠纷2975件")
    assert missing_or_out_of_order(original, dropped) == [original[40]]
    assert [s for s in missing_or_out_of_order(original, altered)] == [
        s for s in original if "2974" in s
    ]


def test_known_typos_of_the_original_are_kept(site_dir: Path) -> None:
    published = "".join(page_text(site_dir, page) for page in PAGES)
    assert "着力为企业杼困解难" in published
    assert "深入贯彻落习近平法治思想" in published


def test_parts_and_subsections_are_real_headings(site_dir: Path) -> None:
    part_1 = BeautifulSoup((site_dir / "reports/2024/part-1/index.html").read_text("utf-8"), "lxml")
    h1 = part_1.select_one("article h1")
    assert h1 is not None and h1.get_text(strip=True).startswith("一、本年度推进法治政府建设的主要举措和成效")
    h2s = [h.get_text(strip=True).rstrip("¶") for h in part_1.select("article h2")]
    assert h2s[0] == "(一)聚焦法治思维、统筹协调,持续强化组织领导"
    assert len(h2s) == 6
    # Numbered items keep their numbers as text, with the lead sentence emphasised.
    leads = [s.get_text() for s in part_1.select("article p > strong")]
    assert leads[0] == "1.加强依法治区统筹引领。"


def test_landing_page_has_title_and_contents(site_dir: Path) -> None:
    landing = BeautifulSoup((site_dir / "reports/2024/index.html").read_text("utf-8"), "lxml")
    h1 = landing.select_one("article h1")
    assert h1 is not None and h1.get_text(strip=True).rstrip("¶") == "长春汽车经济技术开发区2024年度法治政府建设工作报告"
    links = [a["href"] for a in landing.select("article li a")]
    for part in ["part-1/", "part-2/", "part-3/", "part-4/"]:
        assert part in links
    # Subsection links use the Chinese anchors the headings really have.
    assert "part-1/#一聚焦法治思维统筹协调持续强化组织领导" in links
