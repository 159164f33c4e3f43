"""overrides/hooks/metadata.py in a real (small) MkDocs build: drafts and future-dated
articles are never built; a metadata error stops the build with a Chinese message that
names the file and line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from checker_corpus import TODAY, article

REPO = Path(__file__).resolve().parents[1]
HOOK = REPO / "overrides/hooks/metadata.py"


def project(tmp_path: Path, posts: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: 测试\ntheme: mkdocs\nhooks:\n  - {HOOK}\n", encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "articles/posts").mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n", encoding="utf-8")
    for name, content in posts.items():
        (docs / "articles/posts" / name).write_text(content, encoding="utf-8")
    return tmp_path


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        capture_output=True, text=True, cwd=root, timeout=120,
        env={**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"},
    )


def test_drafts_and_future_articles_are_not_built(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "published.md": article("published", body="已发布的正文。\n"),
        "draft.md": article("draft", draft="true", body="草稿正文。\n"),
        "tomorrow.md": article("tomorrow", date="2025-05-02", body="明天的正文。\n"),
        "today.md": article("today", date=TODAY.isoformat(), body="今天的正文。\n"),
    })
    result = build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    built = {p.parent.name for p in (site / "articles/posts").glob("*/index.html")}
    assert built == {"published", "today"}
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert "草稿正文" not in everything and "明天的正文" not in everything
    assert "已发布的正文" in everything


def test_metadata_error_stops_the_build_naming_file_and_line(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "good.md": article("good"),
        "bad.md": article("bad", date="2024-02-30", categories="[新闻]"),
    })
    result = build(root)
    assert result.returncode != 0
    assert "docs/articles/posts/bad.md:3:1: 错误 字段“date”（发布日期）的值“2024-02-30”不是有效日期" in result.stderr
    assert "docs/articles/posts/bad.md:6:" in result.stderr and "分类“新闻”不在允许的分类中" in result.stderr
    assert "good.md" not in result.stderr
    assert not (root / "site/articles/posts/good/index.html").exists()


def test_broken_file_stops_the_build_instead_of_crashing(tmp_path: Path) -> None:
    root = project(tmp_path, {"gbk.md": article("gbk").encode("gbk").decode("latin-1")})
    (root / "docs/articles/posts/gbk.md").write_bytes(article("gbk").encode("gbk"))
    result = build(root)
    assert result.returncode != 0
    assert "docs/articles/posts/gbk.md:2:1: 错误 文件不是 UTF-8 编码" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_placeholders_stop_the_build_unless_a_draft(tmp_path: Path) -> None:
    unfinished = article("todo", body="# 标题\n\n（在这里写正文。）\n")
    result = build(project(tmp_path / "a", {"todo.md": unfinished}))
    assert result.returncode != 0
    assert "docs/articles/posts/todo.md:13:" in result.stderr and "占位文字" in result.stderr
    draft = unfinished.replace("---\n\n", "draft: true\n---\n\n", 1)
    assert build(project(tmp_path / "b", {"todo.md": draft})).returncode == 0


def test_a_draft_may_be_incomplete(tmp_path: Path) -> None:
    root = project(tmp_path, {"wip.md": "---\ntitle: 还在写\ndraft: true\n---\n\n未完成。\n"})
    assert build(root).returncode == 0
    assert not (root / "site/articles/posts/wip").exists()


def test_hook_runs_first_in_the_real_site() -> None:
    from fazhi.sources import siteconfig

    hooks = siteconfig.load(REPO / "mkdocs.yml")["hooks"]
    assert hooks[0] == "overrides/hooks/metadata.py"
