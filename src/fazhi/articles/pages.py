"""The pages of the article collection, written as Markdown that MkDocs renders.

- virtual pages: the list at articles/ (page 1 is docs/articles/index.md, further pages at
  articles/page/<n>/), the archive by year (articles/archive/<year>/), one list per category
  and per tag (articles/category/<pinyin>/, articles/tag/<pinyin>/);
- `<!-- fazhi:article-list -->` (docs/articles/index.md): page 1 of the list;
- `<!-- fazhi:latest-articles -->` (docs/index.md): the newest articles;
- on each article: categories, tags, reading time and report section under the title, the
  change log at the end.

Each article appears on a fixed number of list pages, so the work grows linearly with the
number of articles. Lists are plain Markdown links to the articles' source files: MkDocs
checks every one of them (strict build) and makes them relative, so the site works at the
root of a host and under a sub-path. Every text taken from front matter goes in as
`fazhi.safety.escaping.markdown_text`: it shows as written and never becomes markup."""

from __future__ import annotations

import math
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache, partial

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from fazhi.articles.collection import Article, Collection
from fazhi.config import FazhiConfig
from fazhi.safety.escaping import markdown_text
from fazhi.session import Session
from fazhi.sources import schema

LIST_PAGE = "articles/index.md"
HOME_PAGE = "index.md"
FEED = "feed.xml"
LIST_MARKER = schema.registry()["markers"]["articles/index.md"]
LATEST_MARKER = schema.registry()["markers"]["index.md"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
H1 = re.compile(r"^# .+$", re.MULTILINE)


class ArticlePages:
    """Writes the collection's pages with the plugin's settings (page sizes, reading speed)."""

    def __init__(self, collection: Collection, settings: FazhiConfig) -> None:
        self.collection = collection
        self.per_page = settings.pagination_per_page
        self.group_per_page = settings.pagination_group_per_page
        self.latest = settings.home_latest
        self.characters_per_minute = settings.readtime_characters_per_minute
        self.words_per_minute = settings.readtime_words_per_minute

    # ---- Generated pages ----

    def generated(self) -> list[tuple[str, str]]:
        """(src_uri, Markdown) of every virtual list page."""
        return [(src_uri, write()) for src_uri, write in self.planned()]

    def planned(self) -> list[tuple[str, Callable[[], str]]]:
        """(src_uri, a function writing its Markdown) of every virtual list page: the paths
        alone cost nothing (the checker's one-owner rule needs only them)."""
        collection = self.collection
        pages: list[tuple[str, Callable[[], str]]] = []
        for number in range(2, _page_count(len(collection.articles), self.per_page) + 1):
            src_uri = f"articles/page/{number}.md"
            pages.append((src_uri, partial(self._list_page, number, src_uri)))
        pages += self._archive_pages()
        pages += self._group_pages("category", "分类", collection.category_slugs, lambda a: a.categories)
        pages += self._group_pages("tag", "标签", collection.tag_slugs, lambda a: a.tags)
        return pages

    def add_to(self, files: Files, config: MkDocsConfig, session: Session) -> None:
        """Add the virtual pages to `files`. In a dirty preview each is backed by a file that
        is rewritten only when its text changes, so MkDocs renders again only the lists the
        edit changed (an article's reading time, say), not all of them."""
        for src_uri, content in self.generated():
            if not session.dirty:
                files.append(File.generated(config, src_uri, content=content))
                continue
            path = session.generated_dir() / src_uri
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))

    def refresh_marker_pages(self, files: Files, session: Session) -> None:
        """In a dirty preview MkDocs renders only pages whose source changed. The list on
        docs/articles/index.md and the newest articles on docs/index.md change with other
        files: when they do, the built page is dated back so MkDocs renders it again."""
        for src_uri, block in ((LIST_PAGE, self.list_body(1, LIST_PAGE)), (HOME_PAGE, self.latest_block(HOME_PAGE))):
            file = files.get_file_from_path(src_uri)
            if file is None or session.marker_blocks.get(src_uri) == block:
                continue
            session.marker_blocks[src_uri] = block
            if os.path.exists(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))

    # ---- Markdown of pages written by people ----

    def page_markdown(self, markdown: str, src_uri: str) -> str:
        """The Markdown of an article, the list page or the home page with the collection's
        parts in place; any other page unchanged."""
        if src_uri in self.collection.by_src:
            return self.article_markdown(markdown, self.collection.by_src[src_uri])
        if src_uri == LIST_PAGE:
            return _replace_marker(markdown, LIST_MARKER, self.list_body(1, src_uri), src_uri)
        if src_uri == HOME_PAGE:
            return _replace_marker(markdown, LATEST_MARKER, self.latest_block(src_uri), src_uri)
        return markdown

    def article_markdown(self, markdown: str, article: Article) -> str:
        """Under the title (after 发布日期/来源 from fazhi.chrome.page_meta): categories, tags,
        reading time and the report section; at the end the change log."""
        src_uri = article.src_uri
        collection = self.collection
        facts = ["分类：" + "、".join(
            f"[{markdown_text(name)}]({_rel(_group_src('category', collection.category_slugs[name]), src_uri)})"
            for name in article.categories)]
        if article.tags:
            facts.append("标签：" + "、".join(
                f"[{markdown_text(name)}]({_rel(_group_src('tag', collection.tag_slugs[name]), src_uri)})" for name in article.tags))
        facts.append(f"阅读约 {self.reading_minutes(markdown)} 分钟")
        # Page furniture, not what the article says: kept out of the search index, so a
        # result's snippet is the sentence that matched (issue 16).
        block = " · ".join(facts) + "\n{: .fazhi-article-facts data-search-exclude }\n"
        if article.report_ref:
            block += (f"\n依据：[年度报告原文中的相应章节]({_rel(article.report_ref, src_uri)})\n"
                      "{: .fazhi-article-ref data-search-exclude }\n")
        match = H1.search(markdown)
        if match is None:  # no title line written: add it, so the facts sit under the title
            markdown = f"# {markdown_text(article.title)}\n\n{markdown}"
            match = H1.search(markdown)
        assert match is not None
        markdown = f"{markdown[: match.end()]}\n\n{block}\n{markdown[match.end():]}"
        if article.changes:
            markdown += "\n\n## 更新记录\n\n" + "\n".join(
                f"- {markdown_text(change['date'])}：{markdown_text(change['note'])}" for change in article.changes
            ) + "\n"
        return markdown

    def reading_minutes(self, markdown: str) -> int:
        """Minutes to read: Han characters at readtime_characters_per_minute plus Latin
        words/numbers at readtime_words_per_minute, rounded up, at least 1. Markdown link
        targets are left out."""
        text = re.sub(r"\]\([^)]*\)", "]", markdown)
        han = len(HAN.findall(text))
        latin = len(LATIN_WORD.findall(HAN.sub(" ", text)))
        return max(1, math.ceil(han / self.characters_per_minute + latin / self.words_per_minute))

    def list_body(self, number: int, src_uri: str) -> str:
        articles = self.collection.articles
        if not articles:
            return "本栏目暂无文章。\n"
        start = (number - 1) * self.per_page
        chunk = articles[start : start + self.per_page]
        count = _page_count(len(articles), self.per_page)
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
            + "\n".join(self._entry(article, src_uri) for article in chunk)
            + pager
        )

    def latest_block(self, src_uri: str) -> str:
        latest = self.collection.articles[: self.latest]
        if not latest:
            return "暂无文章。\n"
        lines = [_compact_line(article, src_uri) for article in latest]
        return ('<div class="fazhi-latest" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n\n"
                f"[全部 {len(self.collection.articles)} 篇文章 →]({_rel(LIST_PAGE, src_uri)})\n")

    # ---- Helper methods ----

    def _entry(self, article: Article, src_uri: str) -> str:
        categories = "、".join(
            f"[{markdown_text(name)}]({_rel(_group_src('category', self.collection.category_slugs[name]), src_uri)})"
            for name in article.categories
        )
        return (
            f"## [{markdown_text(article.title)}]({_rel(article.src_uri, src_uri)})\n\n"
            f"<time datetime=\"{article.date.isoformat()}\">{article.date.isoformat()}</time>"
            f" · 分类：{categories}\n{{: .fazhi-entry-meta }}\n\n"
            f"{markdown_text(article.summary)}\n"
        )

    def _list_page(self, number: int, src_uri: str) -> str:
        return _page("普法文章", f"第 {number} 页", self.list_body(number, src_uri))

    def _archive_pages(self) -> list[tuple[str, Callable[[], str]]]:
        by_year: dict[int, list[Article]] = defaultdict(list)
        for article in self.collection.articles:
            by_year[article.date.year].append(article)
        index_src = "articles/archive/index.md"
        pages: list[tuple[str, Callable[[], str]]] = [(index_src, partial(_archive_index, by_year, index_src))]
        pages += [(f"articles/archive/{year}.md", partial(_archive_year, year, items, f"articles/archive/{year}.md"))
                  for year, items in by_year.items()]
        return pages

    def _group_pages(self, kind: str, label: str, slugs: dict[str, str],
                     members: Callable[[Article], list[str]]) -> list[tuple[str, Callable[[], str]]]:
        """One paginated list per category (or tag), plus an index of all of them."""
        per_page = self.group_per_page
        groups: dict[str, list[Article]] = {name: [] for name in slugs}
        for article in self.collection.articles:
            for name in members(article):
                groups[name].append(article)
        index_src = f"articles/{kind}/index.md"
        pages: list[tuple[str, Callable[[], str]]] = [(index_src, partial(_group_index, kind, label, slugs, groups, index_src))]
        for name, items in groups.items():
            if not items:
                continue
            count = _page_count(len(items), per_page)
            target = partial(_group_target, kind, slugs[name])
            for number in range(1, count + 1):
                chunk = items[(number - 1) * per_page : number * per_page]
                pages.append((target(number), partial(_group_page, label, name, len(items), chunk, number, count, target)))
        return pages


# ---- Helper functions ----


def _archive_index(by_year: dict[int, list[Article]], index_src: str) -> str:
    index_lines = [f"- [{year}年]({_rel(f'articles/archive/{year}.md', index_src)})（{len(items)} 篇）"
                   for year, items in sorted(by_year.items(), reverse=True)]
    return _page("文章归档", "", "\n".join(index_lines) or "暂无文章。")


def _archive_year(year: int, items: list[Article], src_uri: str) -> str:
    lines = [f"共 {len(items)} 篇。\n{{: .fazhi-list-count }}\n"]
    month = None
    for article in items:
        if article.date.month != month:
            month = article.date.month
            lines.append(f"\n## {year}年{month}月\n")
        lines.append(_compact_line(article, src_uri))
    return _page("文章归档", f"{year}年", "\n".join(lines))


def _group_index(kind: str, label: str, slugs: dict[str, str], groups: dict[str, list[Article]], index_src: str) -> str:
    index_lines = [
        f"- [{markdown_text(name)}]({_rel(_group_src(kind, slugs[name]), index_src)})（{len(items)} 篇）"
        for name, items in groups.items()
        if items
    ]
    return _page(f"按{label}浏览", "", "\n".join(index_lines) or "暂无文章。")


def _group_target(kind: str, slug: str, number: int) -> str:
    return _group_src(kind, slug) if number == 1 else f"articles/{kind}/{slug}/page/{number}.md"


def _group_page(label: str, name: str, total: int, chunk: list[Article], number: int, count: int, target: Callable[[int], str]) -> str:
    src_uri = target(number)
    body = (
        f"{label}“{markdown_text(name)}”下共 {total} 篇文章。"
        f"[全部文章]({_rel(LIST_PAGE, src_uri)})\n{{: .fazhi-list-count }}\n\n"
        + _compact_list(chunk, src_uri)
        + _pager(count, number, src_uri, target)
    )
    subtitle = f"第 {number} 页" if number > 1 else ""
    return _page(f"{label}：{name}", subtitle, body)


def _page(title: str, subtitle: str, body: str) -> str:
    """A generated page: kept out of the search index (its entries are indexed once, on the
    article pages) and without a table of contents."""
    full_title = f"{title}（{subtitle}）" if subtitle else title
    return (
        f"---\ntitle: {_yaml_text(full_title)}\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n"
        f"# {markdown_text(full_title)}\n\n{body}\n"
    )


def _pager(count: int, number: int, src_uri: str, target: Callable[[int], str]) -> str:
    """上一页 / 第 n 页，共 m 页 / 下一页 — plain links, so it works without JavaScript."""
    if count <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(f"[← 上一页]({_rel(target(number - 1), src_uri)})")
    parts.append(f"第 {number} 页，共 {count} 页")
    if number < count:
        parts.append(f"[下一页 →]({_rel(target(number + 1), src_uri)})")
    if number > 2:
        parts.append(f"[第一页]({_rel(target(1), src_uri)})")
    if number < count - 1:
        parts.append(f"[最后一页]({_rel(target(count), src_uri)})")
    return "\n" + " · ".join(parts) + "\n{: .fazhi-pager }\n"


def _compact_list(articles: list[Article], src_uri: str) -> str:
    lines = "\n".join(_compact_line(article, src_uri) for article in articles)
    return f'<div class="fazhi-compact" markdown>\n\n{lines}\n\n</div>\n'


def _compact_line(article: Article, src_uri: str) -> str:
    day = article.date.isoformat()
    return f'- <time datetime="{day}">{day}</time> [{markdown_text(article.title)}]({_rel(article.src_uri, src_uri)})'


def _group_src(kind: str, slug: str) -> str:
    return f"articles/{kind}/{slug}.md"


def _replace_marker(markdown: str, marker: str, replacement: str, src_uri: str) -> str:
    if marker not in markdown:  # fazhi.checks.markers reports this before anything is built
        raise PluginError(f"docs/{src_uri}: 缺少标记 {marker}，文章列表不知道放在哪里。请把这一行加回页面。")
    return markdown.replace(marker, replacement, 1)


def _page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


@lru_cache(maxsize=65536)  # list pages link the same few pages again and again
def _rel(target_src: str, from_src: str) -> str:
    """A Markdown link from one source file to another; MkDocs turns it into the URL.
    Both are normalised docs-relative paths: posixpath.relpath would give the same answer,
    but asks the operating system for the current folder on every call."""
    target = target_src.split("/")
    start = [part for part in posixpath.dirname(from_src).split("/") if part]
    common = 0
    while common < min(len(target) - 1, len(start)) and target[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
