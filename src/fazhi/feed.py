"""The Atom 1.0 feed of the newest articles (feed.xml, RFC 4287)."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from xml.sax.saxutils import escape as xml_escape

from mkdocs.config.defaults import MkDocsConfig

from fazhi.articles.collection import Article, Collection
from fazhi.sources import dates

FEED = "feed.xml"


def atom_feed(collection: Collection, config: MkDocsConfig, entries: int) -> str:
    """The feed's XML text with the `entries` newest articles. Without site_url, links are
    relative to feed.xml (allowed by RFC 4287), so the feed works at any address; ids are
    then stable UUIDs derived from the slug."""
    base = (config.site_url or "").rstrip("/")
    newest = collection.articles[:entries]
    updated = max((a.updated or a.date for a in newest), default=dates.today())

    def link(path: str) -> str:
        return f"{base}/{path}" if base else path

    def entry_id(article: Article) -> str:
        if base:
            return link(f"articles/{article.slug}/")
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"fazhi/articles/{article.slug}"))

    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{xml_escape(config.site_name)} · 普法文章</title>",
        f"  <subtitle>{xml_escape(config.site_description or '')}</subtitle>",
        f'  <link rel="self" href="{xml_escape(link(FEED))}"/>',
        f'  <link rel="alternate" type="text/html" href="{xml_escape(link("articles/"))}"/>',
        f"  <id>{xml_escape(link(FEED) if base else 'urn:uuid:' + str(uuid.uuid5(uuid.NAMESPACE_URL, 'fazhi/feed')))}</id>",
        f"  <updated>{_atom_time(updated)}</updated>",
        f"  <author><name>{xml_escape(config.copyright or config.site_name)}</name></author>",
    ]
    for article in newest:
        parts += [
            "  <entry>",
            f"    <title>{xml_escape(article.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{xml_escape(link(f"articles/{article.slug}/"))}"/>',
            f"    <id>{xml_escape(entry_id(article))}</id>",
            f"    <published>{_atom_time(article.date)}</published>",
            f"    <updated>{_atom_time(article.updated or article.date)}</updated>",
            f"    <summary>{xml_escape(article.summary)}</summary>",
            *(f'    <category term="{html.escape(name)}"/>' for name in article.categories),
            "  </entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _atom_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"
