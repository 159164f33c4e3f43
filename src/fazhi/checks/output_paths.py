"""Every address of the built site has one owner.

MkDocs keeps its files by source path and lets a later file silently take the place of an
earlier one; two sources whose pages land on the same address (a.md and a/index.md, an
article published at articles/<slug>/ and docs/articles/<slug>/index.md) are both written, and
the last one wins. Here every output is listed with what writes it:

- each source under docs/ that is published (data files and unpublished pages are not), at
  the address MkDocs gives it (its own `File`, with the site's use_directory_urls) or, for an
  article, articles/<slug>/;
- each page and file the plugin generates (Context.generated_outputs: the same code as the
  build), the feed among them;
- what the build writes besides (`BUILD_OUTPUTS`): the 404 page, the sitemap, the search index;
- the theme's static files (Material's scripts, styles and images, and overrides/assets/):
  MkDocs lets a file under docs/ silently take the place of one of them.

Two owners for one address is an error on each source, naming the other. The places where
the plugin generates pages (registry.yml `published_files` → `reserved`: the article list's
later pages, archive, category and tag pages, the policy documents' and lists' pages, the
search index) are refused to every source at once (`reserved`), not only when a clash
happens: docs/articles/page/2.md would otherwise pass until the 21st article is published,
and then fail that unrelated pull request. The build runs these rules with the others
before anything is generated, and checks MkDocs' own Files once more before anything is
written (`build_clashes`)."""

from __future__ import annotations

import fnmatch
import os
from collections import defaultdict
from pathlib import Path

from mkdocs.structure.files import File, Files

from fazhi.checks import Context
from fazhi.checks.published_files import declared, is_data
from fazhi.findings import Finding
from fazhi.sources import schema

# Written by the build itself, not from a source: MkDocs' and the theme's static templates
# (404.html, sitemap.xml), the sitemap's gzip copy (fazhi.chrome.sitemap), the search index
# folder (fazhi.search.index). A folder ends with "/".
BUILD_OUTPUTS = {
    "404.html": "“页面不存在”页（404.html）",
    "sitemap.xml": "站点地图（sitemap.xml）",
    "sitemap.xml.gz": "站点地图（sitemap.xml.gz）",
    "search/": "站内搜索的索引（search/ 文件夹）",
}
FIX = ("给这个文件改名，或放到别的文件夹。网站自动生成的位置不能用：文章（articles/<网址名>/）、文章列表、存档、分类和标签页、"
       "政策文件页、清单页和清单的 CSV、订阅 feed.xml、站点地图、搜索索引（search/）、404 页，以及网站主题自带的文件（如 assets/images/favicon.png）。")


def check(context: Context) -> list[Finding]:
    findings = reserved_check(context)
    refused = {finding.path for finding in findings}  # reported once, as in a reserved place
    owners = outputs(context)
    articles = {context.docs / article.src_uri for article in context.articles.articles}
    for dest, owned_by in owners.items():
        if len(owned_by) < 2 or all(path in articles for _owner, path in owned_by):
            continue  # two articles with one slug: fazhi.checks.metadata reports meta-duplicate-slug
        for _owner, path in owned_by:
            if path is None or context.display(path) in refused:
                continue
            others = "、".join(other for other, other_path in owned_by if other_path != path)
            line = 1 if path.suffix == ".md" else 0
            findings.append(Finding(context.display(path), line, line, "error", "output-path-clash",
                                    f"这个文件在网站上的位置“{_address(dest)}”与{others}相同，一个位置只能有一个文件。", FIX))
    return findings


def reserved_check(context: Context) -> list[Finding]:
    """Every source file (not a data file: none is published) in a place the plugin generates
    pages in, whether or not one is generated there today."""
    findings = []
    for path in context.files:
        relative = context.relative(path)
        what = None if is_data(relative) else reserved(relative)
        if what is not None:
            line = 1 if path.suffix == ".md" else 0
            findings.append(Finding(context.display(path), line, line, "error", "output-path-clash",
                                    f"这个文件放在了留给网站自动生成的{what}的位置：网站现在或以后会在这里生成页面"
                                    "（如文章超过 20 篇时生成 articles/page/2/），与它重名，所以这里不能放任何文件。", FIX))
    return findings


def reserved(relative: str) -> str | None:
    """The name of the generated pages whose place (registry.yml `published_files` →
    `reserved`) the docs-relative path is in; None when it is in none. A page x.md is also at
    x/index.md and x/index.md at x.md: MkDocs gives both one address."""
    places = [relative]
    if relative.endswith(".md"):
        folder, _, name = relative.rpartition("/")
        places.append(f"{folder}.md" if name == "index.md" and folder else relative.removesuffix(".md") + "/index.md")
    for glob, what in declared()["reserved"].items():
        if any(schema.path_matches(glob, place) for place in places):
            return f"{what}（{glob.removesuffix('**')}）"
    return None


def outputs(context: Context) -> dict[str, list[tuple[str, Path | None]]]:
    """{output path in the site: [(who writes it, its source under docs/ or None)]}."""
    use_directory_urls = context.config.get("use_directory_urls", True) is not False
    owners: dict[str, list[tuple[str, Path | None]]] = defaultdict(list)
    articles = {article.src_uri: article for article in context.articles.articles}
    for path in context.files:
        relative = context.relative(path)
        if is_data(relative) or (path.suffix == ".md" and not context.is_published(path)):
            continue  # never published as it is
        file = _file(relative, use_directory_urls)
        article = articles.get(relative)
        dest = article.dest_uri if article is not None else file.dest_uri
        shown = f"“{context.display(path)}”" + (f"（文章，发布在 {_address(dest)}）" if article is not None else "")
        owners[dest].append((shown, path))
        if file.is_documentation_page():  # 404.md would be the theme's 404.html without directory URLs
            plain = _file(relative, False).dest_uri
            if plain != dest and plain in BUILD_OUTPUTS:
                owners[plain].append((f"“{context.display(path)}”", path))
    for relative in context.generated_outputs:
        dest = _file(relative, use_directory_urls).dest_uri
        owners[dest].append((f"网站自动生成的“{_address(dest)}”", None))
    for relative in _theme_static_files(context.template_dirs):
        if relative in owners:  # only a clash matters; the theme's files are many
            owners[relative].append((f"网站主题自带的“{relative}”", None))
    for dest in list(owners):
        reserved = next((name for name in BUILD_OUTPUTS if dest == name or (name.endswith("/") and dest.startswith(name))), None)
        if reserved is not None:
            owners[dest].append((f"网站自动生成的{BUILD_OUTPUTS[reserved]}", None))
    return owners


def sources(files: Files) -> set[str]:
    """The build, before it generates anything: the src_uri of every file that owns an
    output (data files own none)."""
    return {file.src_uri for file in files if not file.generated_by and not is_data(file.src_uri)}


def build_clashes(files: Files, owners_before: set[str]) -> list[Finding]:
    """The build, before MkDocs writes anything: a generated file that took a source's place
    in `files` (MkDocs' Files.append replaces by src_uri, silently), or two files with one
    output path. The checker's rule above reports both first; this is the guard that the
    build never writes one over the other even so."""
    findings = []
    for file in files:
        if file.generated_by and file.src_uri in owners_before:
            findings.append(Finding(f"docs/{file.src_uri}", 0, 0, "error", "output-path-clash",
                                    f"网站自动生成的“{_address(file.dest_uri)}”会代替这个文件，一个位置只能有一个文件。", FIX))
    by_dest: dict[str, list[File]] = defaultdict(list)
    for file in files:
        if file.inclusion.is_included():  # type: ignore[no-untyped-call]  # MkDocs' InclusionLevel methods have no annotations
            by_dest[file.dest_uri].append(file)
    for dest, same in by_dest.items():
        if len(same) > 1:
            names = "、".join(f"docs/{file.src_uri}" + ("（自动生成）" if file.generated_by else "") for file in same)
            findings += [Finding(f"docs/{file.src_uri}", 0, 0, "error", "output-path-clash",
                                 f"{names} 都会写到网站上的“{_address(dest)}”，一个位置只能有一个文件。", FIX)
                         for file in same if not file.generated_by]
    return findings


# ---- Helper functions ----


# MkDocs' rule for which theme files are copied to the site (Files.add_files_from_theme in
# mkdocs/structure/files.py, 1.6): everything but these, and the theme's static templates
# (404.html, sitemap.xml: BUILD_OUTPUTS).
THEME_SKIPPED = (".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*",
                 "*.md", "*.markdown", "*.mdown", "*.mkdn", "*.mkd")


def _theme_static_files(dirs: list[Path]) -> set[str]:
    """Paths (relative, posix) of the static files the theme folders give the site."""
    found: set[str] = set()
    for folder in dirs:
        for root, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith((".", "__pycache__"))]
            base = Path(root).relative_to(folder).as_posix()
            for name in names:
                relative = name if base == "." else f"{base}/{name}"
                if not any(fnmatch.fnmatch(relative.lower(), pattern) for pattern in THEME_SKIPPED):
                    found.add(relative)
    return found


def _file(relative: str, use_directory_urls: bool) -> File:
    """MkDocs' own File for a docs-relative path: its dest_uri is where MkDocs writes it."""
    return File(relative, None, "", use_directory_urls)


def _address(dest: str) -> str:
    """An output path as an address: articles/x/index.html -> articles/x/."""
    if dest == "index.html":
        return "首页"
    return dest[: -len("index.html")] if dest.endswith("/index.html") else dest
