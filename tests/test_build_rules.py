"""The plugin's source rules in a real build of a copy of the site: drafts are never built;
a metadata error stops the build with the checker's Chinese message naming file and line;
a broken file is a finding, not a traceback; a quoted date is a date."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fazhi.sources import dates, siteconfig

from checker_corpus import article
from collections_site import copy_site
from conftest import REPO, found

TODAY = dates.today().isoformat()


def project(tmp_path: Path, posts: dict[str, str | bytes]) -> Path:
    """A copy of the site with these extra articles; returns its mkdocs.yml."""
    config = copy_site(tmp_path)
    for name, content in posts.items():
        path = tmp_path / "docs/articles/posts" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return config


def build(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(config.parent / "site")],
        capture_output=True, text=True, cwd=config.parent, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def check(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "scripts/check.py"), "--root", str(config.parent), "--quiet"],
                          capture_output=True, text=True, timeout=300)


def test_drafts_are_not_built_and_may_be_unfinished(tmp_path: Path) -> None:
    config = project(tmp_path, {
        "build-published.md": article("build-published", date=TODAY, body="已发布的正文。\n"),
        "build-draft.md": article("build-draft", date=TODAY, draft="true", body="草稿正文。\n"),
        "build-later.md": article("build-later", date="2099-05-02", draft="true", body="以后发布的正文。\n"),
        # Unfinished: no summary, no categories, the template's placeholder still there.
        "build-wip.md": "---\ntitle: 还在写\ndraft: true\n---\n\n在这里写正文。\n",
    })
    result = build(config)
    assert result.returncode == 0, result.stderr
    site = config.parent / "site"
    assert (site / "articles/build-published/index.html").is_file()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert "草稿正文" not in everything and "以后发布的正文" not in everything and "还在写" not in everything
    # The checker agrees: the unfinished draft is reported as a warning, not an error.
    checked = check(config)
    assert checked.returncode == 0, checked.stdout
    assert "build-wip.md" in checked.stdout and "（草稿，发布前需要改正）" in checked.stdout


def test_metadata_errors_stop_the_build_with_the_checkers_messages(tmp_path: Path) -> None:
    config = project(tmp_path, {
        "build-bad.md": article("build-bad", date="2024-02-30", categories="[新闻]"),
        "build-future.md": article("build-future", date="2099-01-01"),
        "build-updated.md": article("build-updated", date=TODAY, updated="2099-01-01"),
    })
    result = build(config)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    checked = check(config)
    assert checked.returncode == 1
    errors = [line for line in checked.stdout.splitlines() if ": 错误 " in line]
    assert errors and all(line in result.stderr for line in errors), (errors, result.stderr)
    assert "docs/articles/posts/build-bad.md:3:1: 错误 字段“date”（发布日期）的值“2024-02-30”不是有效日期" in result.stderr
    assert "docs/articles/posts/build-bad.md:6:" in result.stderr and "分类“新闻”不在允许的分类中" in result.stderr
    assert "docs/articles/posts/build-future.md:3:1: 错误 发布日期 2099-01-01 晚于今天" in result.stderr
    assert "docs/articles/posts/build-updated.md:" in result.stderr and "更新日期 2099-01-01 晚于今天" in result.stderr


def test_broken_file_stops_the_build_instead_of_crashing(tmp_path: Path) -> None:
    config = project(tmp_path, {"build-gbk.md": article("build-gbk", date=TODAY).encode("gbk")})
    result = build(config)
    assert result.returncode != 0
    assert "docs/articles/posts/build-gbk.md:2:1: 错误 文件不是 UTF-8 编码" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_quoted_date_is_a_date(tmp_path: Path) -> None:
    config = project(tmp_path, {"build-quoted.md": article("build-quoted", date=f'"{TODAY}"', body="引号日期的正文。\n")})
    result = build(config)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((config.parent / "site/articles/build-quoted/index.html").read_text(encoding="utf-8"), "html.parser")
    assert found(page.select_one(".fazhi-pageinfo time"))["datetime"] == TODAY
    assert "来源" in found(page.select_one(".fazhi-pageinfo")).get_text()
    assert found(page.select_one('meta[name="PubDate"]'))["content"] == f"{TODAY} 00:00"


@pytest.mark.parametrize("front_matter", ["icon: no-such-icon", "template: no-such.html", "hide: 5"])
def test_a_bad_theme_key_is_a_chinese_finding_in_both(tmp_path: Path, front_matter: str) -> None:
    config = project(tmp_path, {})
    about = tmp_path / "docs/about/index.md"
    about.write_text(about.read_text(encoding="utf-8").replace("---\n", f"---\n{front_matter}\n", 1), encoding="utf-8")
    result, checked = build(config), check(config)
    assert result.returncode != 0 and checked.returncode == 1
    assert "Traceback" not in result.stderr + checked.stdout + checked.stderr
    line = next(line for line in checked.stdout.splitlines() if ": 错误 " in line)
    assert line.startswith("docs/about/index.md:2:") and line in result.stderr


def test_the_site_is_built_by_the_plugin() -> None:
    """mkdocs.yml names the plugin (installed through pyproject.toml) and no hooks."""
    config = siteconfig.load(REPO / "mkdocs.yml")
    names = [next(iter(entry)) if isinstance(entry, dict) else entry for entry in config["plugins"]]
    assert names == ["search", "fazhi"]
    assert "hooks" not in config
