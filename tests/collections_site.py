"""Helpers for the article and policy tests: a temporary copy of the site with generated
content (never committed), a static server for it, and reading the built search index."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from fazhi.static_server import SUB_PATH, mirror_with_sub_path, serve_directory

from conftest import REPO, build_site

COPIED = ("mkdocs.yml", "docs", "overrides")


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
