"""Helpers for the article and policy tests: a temporary copy of the site with generated
content (never committed), a static server for it, and reading the built search index."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from fazhi.static_server import SUB_PATH, mirror_with_sub_path, serve_directory

from conftest import REPO, build_site

COPIED = ("mkdocs.yml", "docs", "overrides")
# The generated policy content (policy_site): a repealed document and a list of ROWS rows.
ROWS = 1500
DEPARTMENTS = ["甲部门", "乙部门", "丙部门"]
KINDS = ["行政许可", "行政处罚", "行政检查", "行政确认", "其他"]
REPEALED = "测试用已废止文件"
GENERATED_LIST = "policies/lists/generated/"


def copy_site(dest: Path) -> Path:
    """A copy of the site's sources in `dest`; returns its mkdocs.yml."""
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest / "mkdocs.yml"


def build(config: Path) -> Path:
    site = config.parent / "site"
    build_site(config, site)
    return site


def search_index_text(site: Path) -> str:
    """Everything the built search index holds, as readable text, whatever the index
    format: every file under site/search/ (JSON is decoded so escaped Chinese reads)."""
    folder = site / "search"
    assert folder.is_dir(), f"no search index under {folder}"
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary index parts hold no readable text
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        texts.append(text)
    assert texts, f"the search index under {folder} is empty"
    return "\n".join(texts)


def all_html(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


@contextlib.contextmanager
def serve(site: Path, root: Path) -> Iterator[str]:
    """Serve `site` at / and at /fazhi/ from a folder `root`; yields the origin."""
    with serve_directory(mirror_with_sub_path(site, root, SUB_PATH)) as origin:
        yield origin


def build_policy_site(root: Path) -> Path:
    """A copy of the site in `root` with generated policy content added (never committed): a
    repealed document, and a list of ROWS rows with four columns whose values hold commas.
    Returns the built site; the list's page is GENERATED_LIST."""
    config = copy_site(root)
    documents = root / "docs/policies/documents.yml"
    documents.write_text(documents.read_text(encoding="utf-8") + (
        f"\n- title: {REPEALED}\n  index_no:\n  issuer:\n  doc_number:\n  written_date:\n"
        "  date: \"2025-01-01\"\n  topic:\n  validity: 废止\n  validity_notice: 测试：被新文件替代。\n"
        "  validity_date: \"2025-06-01\"\n  source: 测试来源\n"), encoding="utf-8")
    lists = root / "docs/policies/lists"
    (lists / "generated.yml").write_text(
        "title: 测试生成清单\nissuer:\ndate: \"2025-01-01\"\nlevel:\ncount: 1500\nsource: 测试来源\nvalidity: 有效\n",
        encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["序号", "事项名称", "实施主体", "事项类型"])
    for number in range(1, ROWS + 1):
        writer.writerow([number, f"测试事项{number:04d}，含逗号", DEPARTMENTS[number % 3], KINDS[number % 5]])
    (lists / "generated.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return build(config)
