"""The article collection (普法文章) without Material's blog plugin, whose cost grew faster
than the number of posts (131 s, 645 MB at 5,000 posts).

In on_files, after overrides/hooks/metadata.py has dropped drafts and future-dated files:
- each article docs/articles/posts/<slug>.md is published at articles/<slug>/;
- virtual pages are generated: the list at articles/ (page 1 is docs/articles/index.md,
  further pages at articles/page/<n>/), the archive by year (articles/archive/<year>/),
  one list per category and per tag (articles/category/<pinyin>/, articles/tag/<pinyin>/),
  and the Atom feed feed.xml.
Each article appears on a fixed number of list pages, so the work grows linearly with
the number of articles. Lists are plain Markdown links to the articles' source files:
MkDocs checks every one of them (strict build) and makes them relative, so the site works
at the root of a host and under a sub-path.

Markers in Markdown pages are replaced in on_page_markdown:
- `<!-- fazhi:article-list -->` (docs/articles/index.md): page 1 of the list;
- `<!-- fazhi:latest-articles -->` (docs/index.md): the newest articles.

Reading time counts Han characters at 300 字/分钟 (see `_reading_minutes`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import posixpath
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from fazhi import dates, frontmatter, schema
from fazhi.session import SESSION
from fazhi.slugs import ascii_slug

POSTS_DIR = "articles/posts/"
LIST_PAGE = "articles/index.md"
HOME_PAGE = "index.md"
FEED = "feed.xml"
# Every list page costs a full theme render (~10 ms): fewer, longer pages keep the build
# fast at thousands of articles. Category and tag lists show titles and dates only.
PER_PAGE = 20
GROUP_PER_PAGE = 50
LATEST_ON_HOME = 5
FEED_ENTRIES = 20
# Folders of generated pages under articles/: an article may not take one of these names.
RESERVED_SLUGS = {"page", "archive", "category", "tag", "posts"}
LIST_MARKER = "<!-- fazhi:article-list -->"
LATEST_MARKER = "<!-- fazhi:latest-articles -->"
# Chinese readers of plain official prose: 300 characters a minute, the lower end of the
# usual 300-400 字/分钟, because many of our readers are elderly and read on phones.
HAN_PER_MINUTE = 300
LATIN_WORDS_PER_MINUTE = 200
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
H1 = re.compile(r"^# .+$", re.MULTILINE)


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
    changes: list[dict] = field(default_factory=list)
    report_ref: str | None = None


@dataclass
class Collection:
    articles: list[Article]  # newest first
    category_slugs: dict[str, str]
    tag_slugs: dict[str, str]
    by_src: dict[str, Article]


_collection = Collection([], {}, {}, {})


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _collection
    docs_dir = Path(config.docs_dir)
    articles = [_read_article(file, docs_dir) for file in _article_files(files)]
    articles.sort(key=lambda a: (-a.date.toordinal(), a.slug))
    _collection = Collection(
        articles,
        _group_slugs("categories"),
        _group_slugs("tags"),
        {a.src_uri: a for a in articles},
    )
    for article in articles:
        _publish_at(files.get_file_from_path(article.src_uri), f"articles/{article.slug}/index.html", config)
    for src_uri, content in _generated_pages(_collection):
        files.append(_generated_file(config, src_uri, content))
    files.append(File.generated(config, FEED, content=_atom_feed(_collection, config)))
    if SESSION.dirty:
        _refresh_marker_pages(files, _collection)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    src_uri = page.file.src_uri
    if src_uri in _collection.by_src:
        return _article_markdown(markdown, _collection.by_src[src_uri])
    if src_uri == LIST_PAGE:
        return _replace_marker(markdown, LIST_MARKER, _list_page_body(_collection, 1, src_uri), src_uri)
    if src_uri == HOME_PAGE:
        latest = _latest_block(_collection, src_uri)
        return _replace_marker(markdown, LATEST_MARKER, latest, src_uri)
    return markdown


# ---- Helper functions ----


def _article_files(files: Files) -> list[File]:
    return [
        file
        for file in files.documentation_pages()
        if file.src_uri.startswith(POSTS_DIR) and "/" not in file.src_uri[len(POSTS_DIR):]
    ]


def _read_article(file: File, docs_dir: Path) -> Article:
    """An article's metadata, read through the schema module. metadata.py has validated it
    already; a failure here means the hook order in mkdocs.yml is wrong."""
    parsed = frontmatter.read_cached(docs_dir / file.src_uri, display=f"docs/{file.src_uri}")
    data = parsed.data
    errors = [finding for finding in parsed.problems if finding.severity == "error"]
    if errors:
        raise PluginError(errors[0].text())
    for problem in schema.validate("article", data):
        raise PluginError(f"docs/{file.src_uri}:{parsed.record.line_of(problem.field)} {problem.message} {problem.fix}")
    slug = data["slug"]
    if slug in RESERVED_SLUGS:
        line = parsed.record.line_of("slug")
        raise PluginError(
            f"docs/{file.src_uri}:{line} 网址名“{slug}”是网站保留的名字（"
            f"{'、'.join(sorted(RESERVED_SLUGS))}），请换一个，并同时修改文件名。"
        )
    updated = dates.parse(data.get("updated")) if data.get("updated") else None
    return Article(
        slug=slug,
        src_uri=file.src_uri,
        title=data["title"],
        date=dates.parse(data["date"]),  # type: ignore[arg-type]  # validated above
        summary=data["summary"],
        categories=list(data["categories"]),
        tags=list(data.get("tags") or []),
        updated=updated,
        changes=list(data.get("changes") or []),
        report_ref=data.get("report_ref"),
    )


def _group_slugs(allowed: str) -> dict[str, str]:
    """Pinyin URL names of the allowed categories (or tags); two names that sound alike
    would share a page, so that stops the build."""
    slugs: dict[str, str] = {}
    for name in schema.allowed(allowed):
        slug = ascii_slug(name)
        clash = next((other for other, taken in slugs.items() if taken == slug), None)
        if clash or not slug:
            raise PluginError(f"scripts/fazhi/schemas/registry.yml: “{name}”与“{clash}”的拼音网址名相同（{slug}），"
                              "请改用不同的名称。" if clash else f"scripts/fazhi/schemas/registry.yml: “{name}”无法生成网址名。")
        slugs[name] = slug
    return slugs


def _publish_at(file: File, dest_uri: str, config: MkDocsConfig) -> None:
    """articles/posts/<slug>.md is served at articles/<slug>/, a shorter stable URL."""
    file.dest_uri = dest_uri
    file.url = posixpath.dirname(dest_uri) + "/"
    file.abs_dest_path = str(Path(config.site_dir) / dest_uri)


def _generated_file(config: MkDocsConfig, src_uri: str, content: str) -> File:
    """A virtual page. In a dirty preview it is backed by a file that is rewritten only when
    its text changes, so MkDocs renders again only the lists the edit changed (an article's
    reading time, say), not all of them."""
    if not SESSION.dirty:
        return File.generated(config, src_uri, content=content)
    path = SESSION.generated_dir() / src_uri
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return File.generated(config, src_uri, abs_src_path=str(path))


def _refresh_marker_pages(files: Files, collection: Collection) -> None:
    """In a dirty preview MkDocs renders only pages whose source changed. The list on
    docs/articles/index.md and the newest articles on docs/index.md change with other files:
    when they do, the built page is dated back so MkDocs renders it again."""
    for src_uri, block in ((LIST_PAGE, _list_page_body(collection, 1, LIST_PAGE)),
                           (HOME_PAGE, _latest_block(collection, HOME_PAGE))):
        file = files.get_file_from_path(src_uri)
        if file is None or SESSION.marker_blocks.get(src_uri) == block:
            continue
        SESSION.marker_blocks[src_uri] = block
        if os.path.exists(file.abs_dest_path):
            os.utime(file.abs_dest_path, (0, 0))


def _generated_pages(collection: Collection) -> list[tuple[str, str]]:
    """(src_uri, Markdown) of every virtual list page."""
    pages: list[tuple[str, str]] = []
    for number in range(2, _page_count(len(collection.articles)) + 1):
        src_uri = f"articles/page/{number}.md"
        body = _list_page_body(collection, number, src_uri)
        pages.append((src_uri, _page("普法文章", f"第 {number} 页", body)))
    pages += _archive_pages(collection)
    pages += _group_pages(collection, "category", "分类", collection.category_slugs, lambda a: a.categories)
    pages += _group_pages(collection, "tag", "标签", collection.tag_slugs, lambda a: a.tags)
    return pages


def _page(title: str, subtitle: str, body: str) -> str:
    """A generated page: kept out of the search index (its entries are indexed once, on the
    article pages) and without a table of contents."""
    full_title = f"{title}（{subtitle}）" if subtitle else title
    return (
        f"---\ntitle: {_yaml_text(full_title)}\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n"
        f"# {full_title}\n\n{body}\n"
    )


def _list_page_body(collection: Collection, number: int, src_uri: str) -> str:
    articles = collection.articles
    if not articles:
        return "本栏目暂无文章。\n"
    start = (number - 1) * PER_PAGE
    chunk = articles[start : start + PER_PAGE]
    count = _page_count(len(articles))
    links = [
        ("文章归档", "articles/archive/index.md"),
        ("按分类浏览", "articles/category/index.md"),
        ("按标签浏览", "articles/tag/index.md"),
        ("订阅（Atom）", FEED),
    ]
    browse = " · ".join(f"[{label}]({_rel(target, src_uri)})" for label, target in links)
    pager = _pager(count, number, src_uri, lambda n: LIST_PAGE if n == 1 else f"articles/page/{n}.md")
    return (
        f"共 {len(articles)} 篇文章，按发布日期从新到旧排列。\n{{: .fazhi-list-count }}\n\n"
        f"{browse}\n{{: .fazhi-list-links }}\n\n"
        + "\n".join(_entry(article, collection, src_uri) for article in chunk)
        + pager
    )


def _entry(article: Article, collection: Collection, src_uri: str) -> str:
    categories = "、".join(
        f"[{name}]({_rel(_group_src('category', collection.category_slugs[name]), src_uri)})"
        for name in article.categories
    )
    return (
        f"## [{_md_text(article.title)}]({_rel(article.src_uri, src_uri)})\n\n"
        f"<time datetime=\"{article.date.isoformat()}\">{article.date.isoformat()}</time>"
        f" · 分类：{categories}\n{{: .fazhi-entry-meta }}\n\n"
        f"{_md_text(article.summary)}\n"
    )


def _pager(count: int, number: int, src_uri: str, target: object) -> str:
    """上一页 / 第 n 页，共 m 页 / 下一页 — plain links, so it works without JavaScript."""
    if count <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(f"[← 上一页]({_rel(target(number - 1), src_uri)})")  # type: ignore[operator]
    parts.append(f"第 {number} 页，共 {count} 页")
    if number < count:
        parts.append(f"[下一页 →]({_rel(target(number + 1), src_uri)})")  # type: ignore[operator]
    if number > 2:
        parts.append(f"[第一页]({_rel(target(1), src_uri)})")  # type: ignore[operator]
    if number < count - 1:
        parts.append(f"[最后一页]({_rel(target(count), src_uri)})")  # type: ignore[operator]
    return "\n" + " · ".join(parts) + "\n{: .fazhi-pager }\n"


def _archive_pages(collection: Collection) -> list[tuple[str, str]]:
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in collection.articles:
        by_year[article.date.year].append(article)
    index_src = "articles/archive/index.md"
    index_lines = [f"- [{year}年]({_rel(f'articles/archive/{year}.md', index_src)})（{len(items)} 篇）"
                   for year, items in sorted(by_year.items(), reverse=True)]
    pages = [(index_src, _page("文章归档", "", "\n".join(index_lines) or "暂无文章。"))]
    for year, items in by_year.items():
        src_uri = f"articles/archive/{year}.md"
        lines = [f"共 {len(items)} 篇。\n{{: .fazhi-list-count }}\n"]
        month = None
        for article in items:
            if article.date.month != month:
                month = article.date.month
                lines.append(f"\n## {year}年{month}月\n")
            lines.append(_compact_line(article, src_uri))
        pages.append((src_uri, _page("文章归档", f"{year}年", "\n".join(lines))))
    return pages


def _group_pages(collection: Collection, kind: str, label: str, slugs: dict[str, str],
                 members: object) -> list[tuple[str, str]]:
    """One paginated list per category (or tag), plus an index of all of them."""
    groups: dict[str, list[Article]] = {name: [] for name in slugs}
    for article in collection.articles:
        for name in members(article):  # type: ignore[operator]
            groups[name].append(article)
    index_src = f"articles/{kind}/index.md"
    index_lines = [
        f"- [{name}]({_rel(_group_src(kind, slugs[name]), index_src)})（{len(items)} 篇）"
        for name, items in groups.items()
        if items
    ]
    pages = [(index_src, _page(f"按{label}浏览", "", "\n".join(index_lines) or "暂无文章。"))]
    for name, items in groups.items():
        if not items:
            continue
        count = _page_count(len(items), GROUP_PER_PAGE)
        for number in range(1, count + 1):
            def target(n: int, slug: str = slugs[name]) -> str:
                return _group_src(kind, slug) if n == 1 else f"articles/{kind}/{slug}/page/{n}.md"

            src_uri = target(number)
            chunk = items[(number - 1) * GROUP_PER_PAGE : number * GROUP_PER_PAGE]
            body = (
                f"{label}“{name}”下共 {len(items)} 篇文章。"
                f"[全部文章]({_rel(LIST_PAGE, src_uri)})\n{{: .fazhi-list-count }}\n\n"
                + _compact_list(chunk, src_uri)
                + _pager(count, number, src_uri, target)
            )
            subtitle = f"第 {number} 页" if number > 1 else ""
            pages.append((src_uri, _page(f"{label}：{name}", subtitle, body)))
    return pages


def _compact_list(articles: list[Article], src_uri: str) -> str:
    lines = "\n".join(_compact_line(article, src_uri) for article in articles)
    return f'<div class="fazhi-compact" markdown>\n\n{lines}\n\n</div>\n'


def _compact_line(article: Article, src_uri: str) -> str:
    day = article.date.isoformat()
    return f'- <time datetime="{day}">{day}</time> [{_md_text(article.title)}]({_rel(article.src_uri, src_uri)})'


def _group_src(kind: str, slug: str) -> str:
    return f"articles/{kind}/{slug}.md"


def _article_markdown(markdown: str, article: Article) -> str:
    """Under the title (after 发布日期/来源 from page_meta.py): categories, tags, reading
    time and the report section; at the end the change log."""
    src_uri = article.src_uri
    collection = _collection
    facts = ["分类：" + "、".join(
        f"[{name}]({_rel(_group_src('category', collection.category_slugs[name]), src_uri)})"
        for name in article.categories)]
    if article.tags:
        facts.append("标签：" + "、".join(
            f"[{name}]({_rel(_group_src('tag', collection.tag_slugs[name]), src_uri)})" for name in article.tags))
    facts.append(f"阅读约 {_reading_minutes(markdown)} 分钟")
    block = " · ".join(facts) + "\n{: .fazhi-article-facts }\n"
    if article.report_ref:
        block += f"\n依据：[年度报告原文中的相应章节]({_rel(article.report_ref, src_uri)})\n{{: .fazhi-article-ref }}\n"
    match = H1.search(markdown)
    if match is None:  # no title line written: add it, so the facts sit under the title
        markdown = f"# {article.title}\n\n{markdown}"
        match = H1.search(markdown)
    assert match is not None
    markdown = f"{markdown[: match.end()]}\n\n{block}\n{markdown[match.end():]}"
    if article.changes:
        markdown += "\n\n## 更新记录\n\n" + "\n".join(
            f"- {change['date']}：{_md_text(str(change['note']))}" for change in article.changes
        ) + "\n"
    return markdown


def _latest_block(collection: Collection, src_uri: str) -> str:
    latest = collection.articles[:LATEST_ON_HOME]
    if not latest:
        return "暂无文章。\n"
    lines = [_compact_line(article, src_uri) for article in latest]
    return ('<div class="fazhi-latest" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n\n"
            f"[全部 {len(collection.articles)} 篇文章 →]({_rel(LIST_PAGE, src_uri)})\n")


def _replace_marker(markdown: str, marker: str, replacement: str, src_uri: str) -> str:
    if marker not in markdown:
        raise PluginError(f"docs/{src_uri}: 缺少标记 {marker}，文章列表不知道放在哪里。请把这一行加回页面。")
    return markdown.replace(marker, replacement, 1)


def _reading_minutes(markdown: str) -> int:
    """Minutes to read: Han characters at HAN_PER_MINUTE plus Latin words/numbers at
    LATIN_WORDS_PER_MINUTE, rounded up, at least 1. Markdown link targets are left out."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    han = len(HAN.findall(text))
    latin = len(LATIN_WORD.findall(HAN.sub(" ", text)))
    return max(1, math.ceil(han / HAN_PER_MINUTE + latin / LATIN_WORDS_PER_MINUTE))


def _atom_feed(collection: Collection, config: MkDocsConfig) -> str:
    """Atom 1.0. Without site_url, links are relative to feed.xml (allowed by RFC 4287), so
    the feed works at any address; ids are then stable UUIDs derived from the slug."""
    base = (config.site_url or "").rstrip("/")
    entries = collection.articles[:FEED_ENTRIES]
    updated = max((a.updated or a.date for a in entries), default=dates.today())

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
    for article in entries:
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


def _page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, math.ceil(total / per_page))


def _rel(target_src: str, from_src: str) -> str:
    """A Markdown link from one source file to another; MkDocs turns it into the URL."""
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


def _md_text(text: str) -> str:
    """Plain text safe inside Markdown link text and paragraphs."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
