"""Links in the built HTML (mkdocs build output): every page, anchor, image, stylesheet and
script reference resolves inside the site, and none starts with "/" (which breaks when the
site is served under a sub-path such as /fazhi/)."""

from __future__ import annotations

import posixpath
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from fazhi.checks import Context
from fazhi.checks.links import classify
from fazhi.checks.rendering import parallel_map
from fazhi.findings import Finding
from fazhi.sources.suggest import nearest_anchor, question

REFERENCE_XPATH = "//a/@href | //link/@href | //img/@src | //script/@src | //source/@src | //iframe/@src"
# 404.html is served for any missing address at any depth, so MkDocs writes its links from
# the site root on purpose; the sub-path rule cannot apply to it.
ANY_DEPTH_PAGES = {"404.html"}
# MkDocs writes UTF-8; saying so keeps Chinese ids right even in a page without <meta charset>.
UTF8 = lxml_html.HTMLParser(encoding="utf-8")


def check(context: Context) -> list[Finding]:
    assert context.site is not None
    site = context.site
    if not site.is_dir():
        return [Finding(str(site), 0, 0, "error", "site-missing", f"找不到构建好的网站目录“{site}”。",
                        "先运行 mkdocs build，再用 --site 指向输出目录。")]
    pages = sorted(site.rglob("*.html"))
    existing = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    links: dict[str, list[tuple[int, str]]] = {}
    findings: list[Finding] = []
    for page, parsed in zip(pages, parallel_map(_read_page, pages), strict=True):
        relative = page.relative_to(site).as_posix()
        if isinstance(parsed, str):
            findings.append(Finding(_shown(context, page), 1, 1, "error", "html-invalid",
                                    f"网页无法解析（{parsed}）。", "检查生成这个页面的模板和内容。"))
            continue
        ids[relative], links[relative] = parsed
    for relative, page_links in links.items():
        for line, url in page_links:
            problem = _check(relative, url, existing, ids, site)
            if problem:
                code, message, fix = problem
                findings.append(Finding(_shown(context, site / relative), line, 1, "error", code, message, fix))
    return findings


# ---- Helper functions ----


def _read_page(page: Path) -> tuple[set[str], list[tuple[int, str]]] | str:
    """The page's ids and its (line, address) references; the reason when unreadable."""
    try:
        tree = lxml_html.fromstring(page.read_bytes(), parser=UTF8)
    except (etree.ParserError, ValueError, OSError) as error:
        return str(error)
    ids = {str(value) for value in tree.xpath("//@id | //a/@name")}
    references = [(value.getparent().sourceline or 0, str(value)) for value in tree.xpath(REFERENCE_XPATH)]
    return ids, references


def _shown(context: Context, path: Path) -> str:
    return context.display(path)


def _check(page: str, url: str, existing: set[str], ids: dict[str, set[str]], site: Path) -> tuple[str, str, str] | None:
    link = classify(url)
    if link.kind == "invalid":
        return ("link-invalid", f"链接“{url}”{link.problem}。", "改正链接地址。")
    if link.kind == "absolute":
        if page in ANY_DEPTH_PAGES:
            return None
        return ("link-root-absolute", f"链接“{url}”以“/”开头，网站放在子路径下时会失效。",
                "在源文件或模板中改用相对路径（模板中用 base_url 或 url 过滤器）。")
    if link.kind != "internal":
        return None
    if link.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link.path))
        if target.startswith(".."):
            return ("link-outside-site", f"链接“{url}”指向网站目录以外。", "改为站内的相对路径。")
        if target == ".":
            target = "index.html"
        elif target not in existing:
            target = posixpath.join(target, "index.html")
        if target not in existing:
            return ("link-missing", f"链接“{url}”指向的“{link.path}”在构建好的网站中不存在。",
                    "检查源文件中的链接路径，或确认目标页面已发布。")
    else:
        target = page
    if link.fragment and target.endswith(".html") and link.fragment not in ids.get(target, set()):
        near = nearest_anchor(link.fragment, ids.get(target, set()))
        return ("link-anchor-missing", f"链接“{url}”中的锚点“#{link.fragment}”在目标页面中不存在。{question(f'#{near}' if near else None)}",
                "从目标页面标题旁的链接符号复制正确的地址。")
    return None
