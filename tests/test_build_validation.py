"""The strict build refuses broken internal links: missing pages, missing anchors and
root-absolute links (which break when the site is served under a sub-path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_site(target: Path) -> Path:
    for name in ["docs", "overrides"]:
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def strict_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_broken_links_stop_the_strict_build(tmp_path: Path) -> None:
    project = copy_site(tmp_path)
    statement = project / "docs" / "about" / "statement.md"
    statement.write_text(
        statement.read_text("utf-8")
        + "\n[缺页](no-such-page.md) [缺锚点](../reports/2024/part-1.md#没有这一节)"
        + " [根路径](/reports/2024/index.md)\n",
        encoding="utf-8",
    )
    result = strict_build(project)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "no-such-page.md" in log
    assert "没有这一节" in log
    assert "/reports/2024/index.md" in log


def test_chinese_anchor_links_pass_the_strict_build(tmp_path: Path) -> None:
    project = copy_site(tmp_path)
    statement = project / "docs" / "about" / "statement.md"
    statement.write_text(
        statement.read_text("utf-8")
        + "\n[报告第一节](../reports/2024/part-1.md#一聚焦法治思维统筹协调持续强化组织领导)\n",
        encoding="utf-8",
    )
    result = strict_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
