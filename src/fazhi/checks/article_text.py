"""Articles as staff write them: where the file is, the heading they typed, and a title
another article already has.

- An article saved in docs/articles/ instead of docs/articles/posts/ is built as an
  ordinary page (no date line, not in the lists): its page information says it is an
  article (`slug`, `categories`), so it is an error with the folder to move it to.
- A `# 标题` line that is not the `title`: the page shows the heading, while the lists, the
  browser tab and search show `title` (a warning; CONTRIBUTING.md: 写了也可以，要与 title 相同).
- Two published articles with the same title: the lists show it twice and a reader cannot
  tell them apart (a warning; the guide's own example title is an article already there).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from fazhi.articles.collection import POSTS_DIR
from fazhi.checks import Context
from fazhi.findings import Finding

ARTICLES_DIR = POSTS_DIR.rstrip("/").rpartition("/")[0] + "/"  # "articles/"
ARTICLE_KEYS = ("slug", "categories")  # keys only an article's page information has
H1 = re.compile(r"^#(?!#)[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    titles: dict[str, list[Path]] = defaultdict(list)
    for path, kind in context.typed_markdown.items():
        relative = context.relative(path)
        parsed = context.parsed(path)
        data = parsed.data
        if kind == "page" and relative.startswith(ARTICLES_DIR) and all(key in data for key in ARTICLE_KEYS):
            findings.append(Finding(parsed.display, 1, 1, "error", "article-outside-posts",
                                    f"这是一篇文章（有 slug 和 categories），但它在 docs/{relative.rpartition('/')[0]}/ 中，网站会把它当作普通页面，文章列表里也没有它。",
                                    f"把文件移到 docs/{POSTS_DIR} 文件夹中（docs/{POSTS_DIR}{path.name}）。"))
            continue
        if kind != "article" or not isinstance(data.get("title"), str):
            continue
        if context.is_published(path) and not parsed.problems:
            titles[data["title"].strip()].append(path)
        findings += _heading(parsed.display, parsed.body, parsed.body_line, data["title"])
    for title, paths in titles.items():
        if len(paths) > 1:
            for path in paths:
                others = "、".join(context.display(other) for other in paths if other != path)
                parsed = context.parsed(path)
                findings.append(Finding(parsed.display, parsed.record.line_of("title"), parsed.record.column_of("title"), "warning",
                                        "article-duplicate-title",
                                        f"标题“{title}”和 {others} 的标题相同，文章列表里会出现两篇同名的文章。",
                                        "如果是照着示例写的，换成你这篇文章自己的标题；如果是同一篇文章，删掉重复的文件。"))
    return findings


def _heading(shown: str, body: str, first_line: int, title: str) -> list[Finding]:
    """The first level-1 heading of the body, when it is not the title."""
    for index, line in enumerate(body.split("\n")):
        match = H1.match(line)
        if match is None:
            continue
        if match.group("text").strip() != title.strip():
            return [Finding(shown, first_line + index, 1, "warning", "article-heading-differs",
                            f"这一行的标题“{match.group('text').strip()}”与页面信息中的 title“{title.strip()}”不同："
                            "页面上显示这一行，文章列表、浏览器标签和搜索显示 title。",
                            "删掉这一行（网站会自动用 title 作为页面标题），或把它改成与 title 完全相同。")]
        return []
    return []

