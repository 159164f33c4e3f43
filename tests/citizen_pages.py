"""The pages a citizen reaches most, for the accessibility, phone and reading-settings tests,
and small helpers those tests share (reading settings set the way reader.js saves them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[1]
READER_STORAGE_KEY = "fazhi.reader"
MODES = {
    "normal": {},
    "large-text": {"elder": True},
    "high-contrast": {"contrast": True},
}


def article_page(site_dir: Path) -> str | None:
    """The first published article (docs/articles/posts/<slug>.md), as a site path, or None."""
    for source in sorted((REPO / "docs/articles/posts").glob("*.md")):
        for path in (f"articles/{source.stem}/", f"articles/posts/{source.stem}/"):
            if (site_dir / path / "index.html").exists():
                return path
    return None


def list_page(site_dir: Path) -> str | None:
    """A 清单 (list) page, once the policy part of the project has built one."""
    pages = sorted((site_dir / "policies/lists").glob("*/index.html"))
    return pages[0].parent.relative_to(site_dir).as_posix() + "/" if pages else None


def policy_page(site_dir: Path) -> str | None:
    """The page of policy documents with their 政府信息公开 metadata tables."""
    return "policies/documents/" if (site_dir / "policies/documents/index.html").exists() else None


def main_pages(site_dir: Path) -> dict[str, str]:
    """name -> site path of the pages every test here looks at; absent ones are skipped."""
    pages = {
        "home": "",
        "report": "reports/2024/part-1/",
        "figures": "reports/2024/figures/",
        "list-of-articles": "articles/",
        "article": article_page(site_dir),
        "list": list_page(site_dir),
        "policy": policy_page(site_dir),
        "404": "404.html",
    }
    return {name: path for name, path in pages.items() if path is not None}


def require(site_dir: Path, name: str) -> str:
    """The path of a main page, or skip with the reason when it is not built yet."""
    path = main_pages(site_dir).get(name)
    if path is None:
        pytest.skip(f"no {name} page is built yet (being written by another part of the project)")
    return path


def set_reader_settings(page: Page, settings: dict[str, bool]) -> None:
    """Store reading settings before any page script runs, as reader.js would have saved them."""
    page.add_init_script(f"localStorage.setItem({json.dumps(READER_STORAGE_KEY)}, {json.dumps(json.dumps(settings))})")
