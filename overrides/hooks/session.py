"""Whether this is `mkdocs build` or `mkdocs serve`, and whether `--dirty` was given, for
the other hooks (listed before them in mkdocs.yml), kept in fazhi.session.

`mkdocs serve --dirty` is the staff's fast preview: MkDocs renders again only the pages
whose source changed. Two things make it usable here: it runs without `strict` (MkDocs
warns on every dirty build), and the pages of the navigation are read even when
unchanged, so the navigation shows their titles rather than "None"."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import CountHandler

from fazhi import frontmatter
from fazhi.session import SESSION


def on_startup(*, command: str, dirty: bool) -> None:
    SESSION.start(command, dirty)


def on_shutdown() -> None:
    SESSION.end()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # A dirty preview still prints every problem, and shows the page; the build that
    # publishes (and scripts/check.py) stays strict. MkDocs has already started counting
    # warnings for `strict` when this runs, so its counter is detached as well.
    if SESSION.serving and SESSION.dirty:
        config.strict = False
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):
            if isinstance(handler, CountHandler):
                logger.removeHandler(handler)
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    # Every hook has read the front matter it needs (on_files); only a preview, which
    # rebuilds, keeps it.
    if not SESSION.serving:
        frontmatter.forget_cached()
    if SESSION.dirty:
        for page in nav.pages:
            if page.markdown is None:
                page.read_source(config)
    return nav
