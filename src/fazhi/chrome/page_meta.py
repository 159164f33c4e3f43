"""Government page furniture: the <meta> tags of the 政府网站网页设计规范 and the page header
data (发布日期, 来源, 更新日期) shown above the text.

- every page: SiteName, SiteDomain, SiteIDCode (rendered by overrides/partials/gov-meta.html);
- section pages (the home page and each top-level section's index.md): ColumnName, ColumnType;
- pages with a publication date (articles, annual report pages, policy pages): ArticleTitle,
  PubDate (YYYY-MM-DD HH:MM), ContentSource.

A value we do not know (no SITE_URL, no 网站标识码 yet) is left out, never made up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from fazhi.config import GovernmentConfig
from fazhi.safety.escaping import html_text

# ColumnType per top-level section folder; values from the 网页设计规范's list of column types.
COLUMN_TYPES = {
    "": "首页",
    "reports": "信息公开年报",
    "policies": "政策文件",
    "articles": "政策解读",
    "about": "概况信息",
}

# Where the 来源 of a page comes from, in order: articles and policies say `source`, annual
# reports name their `issuer` (发布机关).
SOURCE_KEYS = ("source", "issuer")
UNKNOWN = "未载明"


def site_context(config: MkDocsConfig, government: GovernmentConfig) -> None:
    """Give every template, the 404 page's included, the identifiers (overrides/partials/
    copyright.html) and the site <meta> (gov-meta.html): MkDocs passes `config` to all of them."""
    config.extra["government"] = {key: _text(government[key]) for key in government}
    config.extra["gov_site_meta"] = _site_meta(config)


def page_context(context: dict[str, Any], page: Page, nav: Navigation) -> dict[str, Any]:
    """The page's <meta> (gov_page_meta) and header data (page_info) for the templates."""
    context["gov_page_meta"] = _column_meta(page, nav) + _article_meta(page)
    context["page_info"] = _page_info(page)
    return context


# ---- Helper functions ----


def _site_meta(config: MkDocsConfig) -> list[tuple[str, str]]:
    """SiteName always; SiteDomain only when SITE_URL names the host; SiteIDCode when set."""
    meta = [("SiteName", config.site_name)]
    domain = urlsplit(config.site_url or "").hostname
    if domain:
        meta.append(("SiteDomain", domain))
    if config.extra["government"]["site_id_code"]:
        meta.append(("SiteIDCode", config.extra["government"]["site_id_code"]))
    return meta


def _column_meta(page: Page, nav: Navigation) -> list[tuple[str, str]]:
    """A section page is the home page or the index.md of a top-level folder."""
    parts = page.file.src_uri.split("/")
    if page.is_homepage:
        return [("ColumnName", "首页"), ("ColumnType", COLUMN_TYPES[""])]
    if len(parts) == 2 and parts[1] == "index.md" and parts[0] in COLUMN_TYPES:
        section = page.parent.title if page.parent else page.title
        return [("ColumnName", section or page.title or ""), ("ColumnType", COLUMN_TYPES[parts[0]])]
    return []


def _article_meta(page: Page) -> list[tuple[str, str]]:
    info = _page_info(page)
    if not info:
        return []
    return [
        ("ArticleTitle", page.meta.get("title") or page.title or ""),
        ("PubDate", info["pub_datetime"]),
        ("ContentSource", info["source"]),
    ]


def _page_info(page: Page) -> dict[str, str] | None:
    """发布日期/来源/更新日期 of a dated page, as text; None for undated pages. page.meta is
    the typed record (fazhi.sources.records): a date is a date however it was written."""
    published = page.meta.get("date")
    if not isinstance(published, (dt.date, dt.datetime)):
        return None
    source = next((_text(page.meta[key]) for key in SOURCE_KEYS if key in page.meta), "")
    updated = page.meta.get("updated")
    return {
        "date": _iso_date(published),
        # The source gives a day, not an hour: 00:00 is the format's placeholder for "that day".
        "pub_datetime": published.strftime("%Y-%m-%d %H:%M"),
        "source": source or UNKNOWN,
        "updated": _iso_date(updated) if isinstance(updated, (dt.date, dt.datetime)) else "",
    }


def _iso_date(value: dt.date) -> str:
    return value.strftime("%Y-%m-%d")


def _text(value: object) -> Markup:
    """A field for the templates, escaped once (fazhi.safety.escaping): Material prints
    some values raw and escapes others; Markup is right in both."""
    return html_text(value).strip()
