"""The search index is built by a second process while the pages are rendered
(fazhi.search.indexer): what it writes, and that its failure reaches the build."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from fazhi.search import sounds
from fazhi.search.indexer import BackgroundIndexer, IndexerError
from fazhi.search.text import sections

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

PAGES = [
    ("reports/2024/", "2024年度报告", "<h1 id='t'>2024年度报告</h1><p>全年办理行政复议案件13件。</p>", False),
    ("articles/x/", "法律援助", "<h1 id='t'>法律援助</h1><h2 id='a'>服务圈</h2><p>设立6个法律援助点。</p>", True),
]


def test_pages_sent_to_the_indexer_are_written_as_one_complete_index(tmp_path: Path) -> None:
    indexer = BackgroundIndexer(tmp_path)
    for page in PAGES:
        indexer.add(page)
    indexer.finish()
    stats = indexer.wait()

    pointer = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    version = tmp_path / "search" / pointer["config"]["index"]
    assert stats.pages == 2 and stats.version == version.name
    assert json.loads((version / "meta.json").read_text(encoding="utf-8"))["pages"] == 2
    first = json.loads((version / "p" / "0.json").read_text(encoding="utf-8"))
    assert first["u"] == "reports/2024/" and "行政复议" in json.dumps(first, ensure_ascii=False)
    assert [p.name for p in (tmp_path / "search").iterdir() if p.name.startswith("_staging")] == []


def test_the_same_pages_give_the_same_index_folder(tmp_path: Path) -> None:
    versions = []
    for _ in range(2):
        indexer = BackgroundIndexer(tmp_path)
        for page in PAGES:
            indexer.add(page)
        indexer.finish()
        versions.append(indexer.wait().version)
    assert versions[0] == versions[1]
    assert sorted(p.name for p in (tmp_path / "search").iterdir()) == sorted([versions[0], "search_index.json"])


def test_a_failing_indexer_reports_why(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "site"
    not_a_folder.write_text("a file where the site folder should be", encoding="utf-8")
    indexer = BackgroundIndexer(not_a_folder)
    indexer.add(PAGES[0])
    indexer.finish()
    with pytest.raises(IndexerError, match="NotADirectoryError|FileExistsError"):
        indexer.wait()


def test_a_stopped_indexer_leaves_no_process(tmp_path: Path) -> None:
    indexer = BackgroundIndexer(tmp_path)
    indexer.add(PAGES[0])
    indexer.stop()
    assert indexer._process.poll() is not None  # noqa: SLF001 - the child is gone


def test_the_index_carries_list_pages_and_the_files_for_loosened_queries(tmp_path: Path) -> None:
    """meta.json names the pages that list others; stop words, readings and pairs by sound are
    written for queries without an exact match (fazhi.search.sounds)."""
    indexer = BackgroundIndexer(tmp_path)
    for page in PAGES:
        indexer.add(page)
    indexer.finish()
    version = tmp_path / "search" / indexer.wait().version
    meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
    assert meta["lists"] == [1]
    config = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    loose = json.loads((version / "loose.json").read_text(encoding="utf-8"))
    assert "什么" in loose["stop"]
    table = loose["readings"]
    assert "援" in table["yuan"] and "缘" in table["yuan"]  # GB2312's, on the site or not
    assert not any("重" in chars for reading, chars in table.items() if reading != "zhong")  # first reading only
    key = "yuan zhu"
    shard = json.loads((version / f"s/{sounds.sound_hash(key) % config['sounds']}.json").read_text(encoding="utf-8"))
    assert shard["sounds"][key] == ["援助"] and "援助" in shard["words"]
    assert _page_ids(shard["pages"]["援助"], 2) == [1]  # the second page


def test_pages_of_a_pair_are_written_the_shorter_way() -> None:
    """Gaps for a rare pair, a base64 bitmap for a pair on most pages (fazhi.search.sounds)."""
    assert sounds.page_pages([3, 4, 11], 5000) == [3, 1, 7]
    common = list(range(0, 5000, 2))
    bitmap = sounds.page_pages(common, 5000)
    assert isinstance(bitmap, str) and len(bitmap) < 1000
    assert _page_ids(bitmap, 5000) == common


def _page_ids(encoded: list[int] | str, page_count: int) -> list[int]:
    """What the worker's decodePages reads: gaps, or a base64 bitmap."""
    if isinstance(encoded, str):
        bits = base64.b64decode(encoded)
        return [i for i in range(page_count) if bits[i // 8] >> (i % 8) & 1]
    return [sum(encoded[: n + 1]) for n in range(len(encoded))]


def test_bold_openings_rank_like_headings() -> None:
    found = sections("<p><strong>3.深化行政复议“大作为”。</strong>依法受理。</p><p>另见<strong>复议</strong>。</p>", "报告")
    assert found == [("", "报告", "3.深化行政复议“大作为”。依法受理。 另见复议。", "3.深化行政复议“大作为”。")]
