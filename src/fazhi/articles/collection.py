"""The published articles as typed records, newest first.

Each article docs/articles/posts/<slug>.md is published at articles/<slug>/. Its front matter
was read and validated once (fazhi.sources); here it becomes an Article whose dates are
dates, whether the author quoted them or not."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from fazhi.sources import records, schema

POSTS_DIR = "articles/posts/"


@dataclass
class Article:
    slug: str
    src_uri: str
    title: str
    date: dt.date
    summary: str
    categories: list[str]
    tags: list[str]
    updated: dt.date | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    report_ref: str | None = None

    @property
    def dest_uri(self) -> str:
        """Where the article is published: articles/<slug>/ (publish_at)."""
        return f"articles/{self.slug}/index.html"


@dataclass
class Collection:
    articles: list[Article] = field(default_factory=list)  # newest first
    category_slugs: dict[str, str] = field(default_factory=dict)  # name -> pinyin URL name
    tag_slugs: dict[str, str] = field(default_factory=dict)
    by_src: dict[str, Article] = field(default_factory=dict)


def article_files(files: Files) -> list[File]:
    """The article sources among `files`: docs/articles/posts/*.md, not in sub-folders."""
    return [
        file
        for file in files.documentation_pages()
        if file.src_uri.startswith(POSTS_DIR) and "/" not in file.src_uri[len(POSTS_DIR):]
    ]


def collect(files: Files, meta: dict[str, dict[str, Any]]) -> Collection:
    """The collection of the articles in `files`. `meta` maps src_uri to the typed front
    matter (fazhi.sources.records); the build has stopped already if any is invalid."""
    return collect_records([(file.src_uri, meta[file.src_uri]) for file in article_files(files)])


def collect_records(items: list[tuple[str, dict[str, Any]]]) -> Collection:
    """The collection of these (src_uri, typed front matter) articles, all published and valid."""
    articles = [_article(src_uri, data) for src_uri, data in items]
    articles.sort(key=lambda a: (-a.date.toordinal(), a.slug))
    return Collection(
        articles,
        schema.group_slugs("categories"),
        schema.group_slugs("tags"),
        {a.src_uri: a for a in articles},
    )


def publish_at(file: File, dest_uri: str, config: MkDocsConfig) -> None:
    """Serve a source at another address: articles/posts/<slug>.md at articles/<slug>/."""
    file.dest_uri = dest_uri
    file.url = posixpath.dirname(dest_uri) + "/"
    file.abs_dest_path = str(Path(config.site_dir) / dest_uri)


# ---- Helper functions ----


def _article(src_uri: str, data: dict[str, Any]) -> Article:
    return Article(
        slug=data["slug"],
        src_uri=src_uri,
        title=data["title"],
        date=records.as_date(data["date"]),
        summary=data["summary"],
        categories=list(data["categories"]),
        tags=list(data.get("tags") or []),
        updated=records.as_date(data["updated"]) if data.get("updated") else None,
        changes=list(data.get("changes") or []),
        report_ref=data.get("report_ref"),
    )
