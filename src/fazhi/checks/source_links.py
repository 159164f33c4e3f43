"""Links in the Markdown sources: pages, heading anchors (Chinese, raw or percent-encoded),
images and downloads, root-absolute links that break under a sub-path, mail/phone links,
and the syntax of external addresses. Links are read from the page rendered with the
site's own Markdown extensions, so anchors are the ones the build writes."""

from __future__ import annotations

import posixpath
from pathlib import Path

from fazhi.sources import schema
from fazhi.checks import Context, source_line
from fazhi.checks.links import classify
from fazhi.findings import Finding


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    targets = _published_targets(context)
    for path in context.markdown_files:
        for _tag, url in context.rendered(path).references:
            problem = _check_link(context, path, url, targets)
            if problem:
                severity, code, message, fix = problem
                line, column = source_line(context.parsed(path), url)
                findings.append(Finding(context.display(path), line, column, severity, code, message, fix))  # type: ignore[arg-type]
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
    """docs-relative paths a link may point at: every file except unpublished pages."""
    return {context.relative(p) for p in context.files if context.is_published(p)}


def _check_link(context: Context, page: Path, url: str, targets: set[str]) -> tuple[str, str, str, str] | None:
    link = classify(url)
    if link.kind == "invalid":
        return ("error", "link-invalid", f"链接“{url}”{link.problem}。", "改正链接地址。")
    if link.kind == "absolute":
        relative = posixpath.relpath(link.path.lstrip("/") or ".", posixpath.dirname(context.relative(page)) or ".")
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
        if _is_generated(target):
            return None
        resolved = _resolve(target, link.path.endswith("/"), targets)
        if resolved is None:
            what = "图片" if link.path.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")) else "页面或文件"
            unpublished = target in {context.relative(p) for p in context.markdown_files}
            reason = "是草稿或发布日期在今天之后，不会发布" if unpublished else "不存在"
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


def _resolve(target: str, is_directory: bool, targets: set[str]) -> str | None:
    candidates = [f"{target}/index.md", f"{target}/README.md"] if is_directory else [target, f"{target}/index.md"]
    return next((candidate for candidate in candidates if candidate.lstrip("./") in targets or candidate in targets), None)


def _is_generated(target: str) -> bool:
    """Pages that plugins create during the build (blog archive, categories …)."""
    return any(schema.path_matches(glob, target) for glob in schema.registry().get("generated_pages", []))
