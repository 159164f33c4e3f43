"""Links in the Markdown sources: pages, heading anchors (Chinese, raw or percent-encoded),
images and downloads, root-absolute links that break under a sub-path, mail/phone links,
and the syntax of external addresses. Links are read from the page rendered with the
site's own Markdown extensions, so anchors are the ones the build writes."""

from __future__ import annotations

import posixpath
from pathlib import Path

from fazhi.checks import Context, source_line
from fazhi.checks.links import classify
from fazhi.checks.published_files import is_data
from fazhi.findings import Finding, Severity


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    targets = _published_targets(context)
    for path in context.markdown_files:
        for _tag, url in context.rendered(path).references:
            problem = _check_link(context, path, url, targets)
            if problem:
                severity, code, message, fix = problem
                line, column = source_line(context.parsed(path), url)
                findings.append(Finding(context.display(path), line, column, severity, code, message, fix))
    return findings


def external_urls(context: Context) -> dict[str, list[tuple[Path, int]]]:
    """Every external address in the sources with where it is written (for --external)."""
    found: dict[str, list[tuple[Path, int]]] = {}
    for path in context.markdown_files:
        for _tag, url in context.rendered(path).references:
            if classify(url).kind == "external":
                found.setdefault(url, []).append((path, source_line(context.parsed(path), url)[0]))
    return found


# ---- Helper functions ----


def _published_targets(context: Context) -> set[str]:
    """docs-relative paths a link may point at: every file except unpublished pages and data
    files (never published as they are; a list's CSV is a generated file)."""
    return {relative for relative, p in ((context.relative(p), p) for p in context.files)
            if context.is_published(p) and not is_data(relative)}


def _check_link(context: Context, page: Path, url: str, targets: set[str]) -> tuple[Severity, str, str, str] | None:
    link = classify(url)
    if link.kind == "invalid":
        return ("error", "link-invalid", f"链接“{url}”{link.problem}。", "改正链接地址。")
    if link.kind == "absolute":
        root_target = posixpath.normpath(link.path.lstrip("/") or ".")
        folder_page = _folder_page(root_target, targets) if root_target not in targets else None
        relative = posixpath.relpath(folder_page or root_target, posixpath.dirname(context.relative(page)) or ".")
        return ("error", "link-root-absolute",
                f"链接“{url}”以“/”开头，网站放在子路径（如 /fazhi/）下时会失效。",
                f"改用相对于本页的路径，例如“{relative}”；站内页面请链接到 .md 文件。")
    if link.kind != "internal":
        return None
    current = context.relative(page)
    if not link.path:
        target = current
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(current), link.path))
        if target.startswith("../") or target == "..":
            return ("error", "link-outside-docs", f"链接“{url}”指向 docs/ 以外的位置。", "只链接网站内的文件。")
        resolved = target if target.lstrip("./") in targets or target in targets else None
        if resolved is None and target in context.generated_pages:
            if link.fragment and link.fragment not in context.generated_ids(target):
                return ("error", "link-anchor-missing",
                        f"链接“{url}”中的锚点“#{link.fragment}”在自动生成的页面“{target}”中找不到对应的标题。",
                        "打开生成的网站，从目标页面标题旁的链接符号复制正确的地址，或去掉 # 及后面的部分。")
            return None
        folder_page = _folder_page(target, targets)
        if resolved is None and folder_page is not None:
            suggestion = posixpath.relpath(folder_page, posixpath.dirname(current) or ".")
            return ("error", "link-directory", f"链接“{url}”指向文件夹，网站生成时找不到对应的页面。",
                    f"改为链接到文件夹里的页面，例如“{suggestion}”（站内页面请链接到 .md 文件）。")
        if resolved is None:
            what = "图片" if link.path.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")) else "页面或文件"
            unpublished = target in {context.relative(p) for p in context.markdown_files}
            reason = "是草稿或发布日期在今天之后，不会发布" if unpublished else "不存在"
            if is_data(target) and (context.docs / target).is_file():
                listing = target.removesuffix(".csv") + ".yml" if target.lower().endswith(".csv") else ""
                reason = ("所属的清单是草稿或发布日期在今天之后，清单和它的 CSV 都还不会发布" if listing and (context.docs / listing).is_file()
                          else "是数据文件，不会发布到网站上")
            return ("error", "link-missing", f"链接的{what}“{link.path}”{reason}。",
                    "检查路径和文件名（区分大小写），路径相对于当前文件；站内页面请链接到 .md 文件。")
        target = resolved
    if link.fragment and target.endswith(".md"):
        ids = context.rendered(context.docs / target).ids
        if link.fragment not in ids:
            return ("error", "link-anchor-missing",
                    f"链接“{url}”中的锚点“#{link.fragment}”在“{target}”中找不到对应的标题。",
                    "锚点由标题文字生成（去掉标点），请从目标页面标题旁的链接符号复制正确的地址。")
    return None


def _folder_page(target: str, targets: set[str]) -> str | None:
    """The page of a folder a link names (about/ for about/index.md): MkDocs does not
    resolve such a link, so it is an error with this page as the suggestion."""
    for name in ("index.md", "README.md"):
        candidate = posixpath.normpath(posixpath.join(target, name))
        if candidate in targets:
            return candidate
    return None
