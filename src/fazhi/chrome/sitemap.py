"""sitemap.xml only with addresses that are right.

The sitemap protocol needs absolute addresses (https://host/path/). Without SITE_URL MkDocs
writes root-relative paths such as /reports/2024/, which search engines reject and which are
wrong under a sub-path like /fazhi/. So without SITE_URL the sitemap is written empty (a valid
<urlset> with a comment saying why; Material's script still finds the file it asks for) and the
build says so; with SITE_URL MkDocs' own sitemap stays (drafts are never in it: the plugin
removes them before anything is built).
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.fazhi.sitemap")

EMPTY_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<!-- 未设置 SITE_URL：站点地图需要完整网址，构建时请设置，例如 SITE_URL=https://域名/fazhi/ -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>
"""


def write(config: MkDocsConfig) -> None:
    """At the end of a build: without site_url, replace MkDocs' sitemap with the empty one."""
    if config.site_url:
        return
    site = Path(config.site_dir)
    (site / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(EMPTY_SITEMAP.encode("utf-8"), mtime=0))
    log.info(
        "未设置 SITE_URL：sitemap.xml 不列任何网址（站点地图需要完整网址），404 页面只在网站根目录下显示正常。"
        "部署时请设置，例如 SITE_URL=https://域名/fazhi/"
    )
