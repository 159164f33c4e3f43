"""Links in the Markdown sources: pages, heading anchors (Chinese, raw or percent-encoded),
images and downloads, root-absolute links that break under a sub-path, mail/phone links,
and the syntax of external addresses. Links are read from the page rendered with the
site's own Markdown extensions, so anchors are the ones the build writes.

A broken link gets the address that works when there is one: the file of the same name
elsewhere under docs/, the .md source of an address copied from the browser, the nearest
heading id (fazhi.sources.suggest). Only what exists is suggested. The body's text is read
too, for a link or image typed with a Chinese keyboard (`！[说明]（路径）`), which Markdown
shows as plain text."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fazhi.checks import Context, source_line
from fazhi.checks.links import as_written, classify, images_path, is_image, unescaped
from fazhi.checks.published_files import is_data
from fazhi.findings import Finding, Severity, capped, excerpt
from fazhi.sources.body import outside_fenced_code
from fazhi.sources.frontmatter import MAX_LISTED
from fazhi.sources.suggest import nearest_anchor, question

Problem = tuple[Severity, str, str, str]  # severity, code, message, fix


@dataclass(frozen=True)
class Targets:
    """What a link may point at: docs-relative paths of every published file (not unpublished
    pages, not data files: never published as they are; a list's CSV is a generated file),
    and the same paths by their lower-case file name, for “是不是……？”."""

    files: frozenset[str]
    by_name: dict[str, list[str]] = field(default_factory=dict)


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    targets = published_targets(context)
    for path in context.markdown_files:
        parsed = context.parsed(path)
        for _tag, url in context.rendered(path).references:
            written = as_written(url)
            problem = _check_link(context, path, unescaped(url), written, targets)
            if problem:
                severity, code, message, fix = problem
                line, column = source_line(parsed, written)
                findings.append(Finding(context.display(path), line, column, severity, code, message, fix))
        findings += typed_with_chinese_punctuation(context, path)
    return findings


def external_urls(context: Context) -> dict[str, list[tuple[Path, int]]]:
    """Every external address in the sources with where it is written (for --external)."""
    found: dict[str, list[tuple[Path, int]]] = {}
    for path in context.markdown_files:
        for _tag, url in context.rendered(path).references:
            if classify(unescaped(url)).kind == "external":
                found.setdefault(unescaped(url), []).append((path, source_line(context.parsed(path), as_written(url))[0]))
    return found


def published_targets(context: Context) -> Targets:
    files = frozenset(relative for relative, p in ((context.relative(p), p) for p in context.files)
                      if context.is_published(p) and not is_data(relative))
    by_name: dict[str, list[str]] = {}
    for relative in sorted(files):
        by_name.setdefault(posixpath.basename(relative).lower(), []).append(relative)
    return Targets(files, by_name)


def site_source(context: Context, site_path: str, targets: Targets) -> str | None:
    """The docs-relative source of what the site publishes at `site_path`, an address as the
    browser shows it (reports/2024/part-1/, articles/<slug>/, assets/logo.png, with or
    without the site's sub-path such as fazhi/ in front), or of a page's path written without
    .md; None when nothing published is there."""
    parts = [part for part in site_path.split("/") if part not in ("", ".")]
    found = _source_at(context, "/".join(parts), targets)
    if found is None and len(parts) >= 2:  # served under a sub-path: /fazhi/reports/…
        found = _source_at(context, "/".join(parts[1:]), targets)
    return found


def docs_link_advice(context: Context, value: str) -> tuple[str, str] | None:
    """For a field that names a page relative to docs/ (report_ref) whose value is no such
    page: (a sentence for the message, the fix) when the page it means can be told, e.g.
    from an address copied from the browser; None otherwise."""
    link = classify(value)
    targets = published_targets(context)
    note = ""
    fragment = link.fragment
    if link.kind == "external":
        address = urlsplit(value.strip())
        path, fragment = address.path, unquote(address.fragment)
        note = "这是浏览器地址栏里的网址，这里要写页面文件相对于 docs/ 的路径。"
    elif link.kind in ("absolute", "internal"):
        path = link.path
        if link.path.startswith("../"):
            note = "路径要从 docs/ 算起，不是从本文件算起。"
    else:
        return None
    parts = [part for part in path.split("/") if part not in ("", ".", "..")]
    if not parts and link.kind == "external":  # another site's home page is not ours
        return None
    source = site_source(context, "/".join(parts), targets)
    if source is None or not source.endswith(".md") or source not in targets.files:
        return None
    anchor = _anchor_suffix(context, source, fragment)
    fix = f"写成 {source}{anchor}。"
    if fragment and not anchor:
        fix = f"写成 {source}，再从那一页标题旁的链接符号复制章节锚点（# 后面的部分）。"
    return note, fix


def anchor_question(fragment: str, ids: set[str]) -> str:
    """“是不是“#…”？” with the heading id nearest a mistyped anchor, or ""."""
    near = nearest_anchor(fragment, ids)
    return question(f"#{near}") if near else ""


# ---- A link or image typed with a Chinese keyboard ----

_CODE_SPAN = re.compile(r"(`+).+?\1")
# `![说明](路径)` or `[文字](网址)` with any of its !, ( and ) typed in full width.
_TYPED = re.compile(r"(?P<bang>[!！]?)\[(?P<text>[^\[\]\n]*)\](?P<open>[（(])(?P<inside>[^（）()\n]*)(?P<close>[）)])")
_ASCII = {"！": "!", "（": "(", "）": ")"}


def typed_with_chinese_punctuation(context: Context, path: Path) -> list[Finding]:
    """`！[说明]（路径）` and `![说明]（路径）` (an error: the image is not shown, its text is),
    `[文字]（路径）` whose inside is an address (a warning: the text shows, no link), and
    `！[说明](图片.png)` (a warning: a link to the picture, not the picture). Outside fenced
    code and `code`; at most MAX_LISTED of a kind, then one that counts the rest."""
    parsed = context.parsed(path)
    shown = context.display(path)
    findings: list[Finding] = []
    for index, line in enumerate(outside_fenced_code(parsed.body)):
        text = _CODE_SPAN.sub(lambda span: " " * len(span.group()), line)
        for match in _TYPED.finditer(text):
            found = _typed_problem(match)
            if found:
                offset, (severity, code, message, fix) = found
                findings.append(Finding(shown, parsed.body_line + index, match.start() + offset + 1, severity, code, message, fix))
    return capped(findings, MAX_LISTED)


# ---- Helper functions ----


def _typed_problem(match: re.Match[str]) -> tuple[int, Problem] | None:
    """(column offset in the match, problem) for one `[…](…)` with a full-width mark."""
    bang, opening, closing = match.group("bang"), match.group("open"), match.group("close")
    inside = match.group("inside").strip()
    to_image = is_image(re.split(r"[#?]", inside, maxsplit=1)[0])
    if bang == "！" and not to_image:  # 好消息！[详情]（…）: the “！” ends a sentence
        bang = ""
    typed = match.group()[len(match.group("bang")) - len(bang):]
    wide = [char for char in (bang, opening, closing) if char in _ASCII]
    if not wide:
        return None
    meant = "".join(_ASCII.get(char, char) for char in typed)
    marks = "".join(f"“{char}”" for char in dict.fromkeys(wide))
    fix = "用英文的" + "".join(f"“{_ASCII[char]}”" for char in dict.fromkeys(wide)) + f"，写成 {excerpt(meant, 60)}。"
    offset = len(match.group("bang")) - len(bang)
    if bang and (opening in _ASCII or closing in _ASCII):
        return offset, ("error", "image-fullwidth-syntax",
                        f"“{excerpt(typed, 60)}”用了中文的{marks}，网站不会显示这张图片，只显示这串文字。", fix)
    if bang:  # ！[说明](图片.png): a link to the picture after a Chinese exclamation mark
        return offset, ("warning", "image-fullwidth-syntax",
                        f"“{excerpt(typed, 60)}”开头是中文的“！”，网站只显示一个指向图片的链接，不显示图片。", fix)
    lowered = inside.lower()
    if "/" in inside or ".md" in lowered or "http" in lowered:
        return offset, ("warning", "link-fullwidth-syntax",
                        f"“{excerpt(typed, 60)}”像是链接，但用了中文的{marks}，网站只显示这串文字，不是链接。", fix)
    return None


def _check_link(context: Context, page: Path, url: str, written: str, targets: Targets) -> Problem | None:
    link = classify(url)
    current = context.relative(page)
    if link.kind == "invalid":
        return ("error", "link-invalid", f"链接“{written}”{link.problem}。", "改正链接地址。")
    if link.kind == "absolute":
        source = site_source(context, link.path, targets)
        fix = (f"改用相对于本页的路径“{_relative(source, current)}{_anchor_suffix(context, source, link.fragment)}”。" if source
               else f"改用相对于本页的路径：{_to_docs(current)}站内页面请链接到 .md 文件。")
        return ("error", "link-root-absolute", f"链接“{written}”以“/”开头，网站放在子路径（如 /fazhi/）下时会失效。", fix)
    if link.kind != "internal":
        return None
    if not link.path:
        target = current
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(current), link.path))
        if target.startswith("../") or target == "..":
            return ("error", "link-outside-docs", f"链接“{written}”指向 docs/ 以外的位置。", "只链接网站内的文件。")
        resolved = target if target.lstrip("./") in targets.files or target in targets.files else None
        if resolved is None and target in context.generated_pages:
            if link.fragment and link.fragment not in context.generated_ids(target):
                return ("error", "link-anchor-missing",
                        f"链接“{written}”中的锚点“#{link.fragment}”在自动生成的页面“{target}”中找不到对应的标题。"
                        + anchor_question(link.fragment, context.generated_ids(target)),
                        "打开生成的网站，从目标页面标题旁的链接符号复制正确的地址，或去掉 # 及后面的部分。")
            return None
        folder_page = _folder_page(target, targets.files)
        if resolved is None and folder_page is not None:
            suggestion = _relative(folder_page, current)
            return ("error", "link-directory", f"链接“{written}”指向文件夹，网站生成时找不到对应的页面。",
                    f"改为链接到文件夹里的页面，例如“{suggestion}”（站内页面请链接到 .md 文件）。")
        if resolved is None:
            return _missing(context, current, link.path, link.fragment, target, written, targets)
        target = resolved
    if link.fragment and target.endswith(".md"):
        ids = context.rendered(context.docs / target).ids
        if link.fragment not in ids:
            return ("error", "link-anchor-missing",
                    f"链接“{written}”中的锚点“#{link.fragment}”在“{target}”中找不到对应的标题。{anchor_question(link.fragment, ids)}",
                    "锚点由标题文字生成（去掉标点），请从目标页面标题旁的链接符号复制正确的地址。")
    return None


def _missing(context: Context, current: str, path: str, fragment: str, target: str, written: str, targets: Targets) -> Problem:
    """A link to nothing published: why, and the address that works when one does."""
    what = _what(path)
    if "\\" in path or ".\\" in written:  # a backslash no escape explains: ..\..\x.png, images\x.png
        return _backslash(context, current, written, targets)
    unpublished = target in {context.relative(p) for p in context.markdown_files}
    if unpublished:
        return ("error", "link-missing", f"链接的{what}“{path}”是草稿或发布日期在今天之后，不会发布。",
                "检查路径和文件名（区分大小写），路径相对于当前文件；站内页面请链接到 .md 文件。")
    if is_data(target) and (context.docs / target).is_file():
        listing = target.removesuffix(".csv") + ".yml" if target.lower().endswith(".csv") else ""
        reason = ("所属的清单是草稿或发布日期在今天之后，清单和它的 CSV 都还不会发布" if listing and (context.docs / listing).is_file()
                  else "是数据文件，不会发布到网站上")
        return ("error", "link-missing", f"链接的{what}“{path}”{reason}。", "检查路径和文件名（区分大小写），路径相对于当前文件。")
    suggestion = _existing_for(context, current, target, fragment, targets)
    if suggestion:
        fix = f"改成“{suggestion}”（路径从本文件所在的文件夹算起）。"
    elif what == "图片":
        fix = f"图片要放进 docs/assets/images/，从本页写成“{images_path(current)}图片文件名”；检查文件名（区分大小写）。"
    elif what == "页面":
        fix = "检查路径和文件名（区分大小写），路径相对于当前文件；站内页面请链接到 .md 文件。"
    elif what == "文件":
        fix = f"附件要放进 docs/assets/，从本页写成“{_relative('assets', current)}/文件名”；检查文件名（区分大小写）。"
    else:
        fix = "检查路径和文件名（区分大小写），路径相对于当前文件。"
    return ("error", "link-missing", f"链接的{what}“{path}”不存在。{question(suggestion)}", fix)


def _backslash(context: Context, current: str, written: str, targets: Targets) -> Problem:
    """`..\\..\\assets\\images\\a.png`, a path typed as Windows shows it: Markdown reads
    `\\.` as an escaped dot, and no browser finds it."""
    slashed = written.replace("\\", "/")
    link = classify(slashed)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(current), link.path))
    suggestion = slashed if target in targets.files or target in context.generated_pages else (
        _existing_for(context, current, target, link.fragment, targets))
    fix = f"改成“{suggestion}”。" if suggestion else "把“\\”都换成“/”，再检查路径和文件名（区分大小写）。"
    return ("error", "link-backslash", f"链接的{_what(link.path)}“{written}”里有“\\”：路径要用“/”，不要用“\\”。", fix)


def _what(path: str) -> str:
    if is_image(path):
        return "图片"
    if path.lower().endswith(".md"):
        return "页面"
    return "文件" if posixpath.splitext(path.rstrip("/"))[1] else "页面或文件"


def _existing_for(context: Context, current: str, target: str, fragment: str, targets: Targets) -> str | None:
    """The relative path from `current` to what a link to the missing `target` most likely
    means: the page published at that address (a link written as the browser shows it), or
    the one published file of the same name (of several, the one whose folders end like
    the link's)."""
    found = None
    if not posixpath.splitext(target)[1] or target.endswith(".html"):
        # reports/2024/part-1/: from this page, or (as the address bar shows it) from docs/
        folder = posixpath.dirname(current) + "/"
        found = site_source(context, target, targets) or (
            site_source(context, target.removeprefix(folder), targets) if folder != "/" and target.startswith(folder) else None)
    if found is None:
        written = target.split("/")
        scored = sorted(((_common_tail(candidate.split("/"), written), posixpath.basename(candidate) == written[-1]), candidate)
                        for candidate in targets.by_name.get(written[-1].lower(), []))
        if scored and (len(scored) == 1 or scored[-1][0] > scored[-2][0]):  # one clear answer, or none
            found = scored[-1][1]
    if found is None:
        return None
    return _relative(found, current) + _anchor_suffix(context, found, fragment)


def _common_tail(one: list[str], other: list[str]) -> int:
    count = 0
    while count < min(len(one), len(other)) and one[-1 - count] == other[-1 - count]:
        count += 1
    return count


def _source_at(context: Context, path: str, targets: Targets) -> str | None:
    if path in targets.files or path in context.generated_pages:
        return path
    stem = path.removesuffix("index.html") if path.endswith("index.html") else path.removesuffix(".html")
    stem = stem.strip("/")
    if stem.startswith("articles/") and "/" not in stem[len("articles/"):]:
        slug = stem[len("articles/"):]
        article = next((a for a in context.articles.articles if a.slug == slug), None)
        if article is not None and article.src_uri in targets.files:
            return article.src_uri
    candidates = ([stem + ".md"] if stem else []) + [posixpath.join(stem, "index.md"), posixpath.join(stem, "README.md")]
    return next((c for c in candidates if c in targets.files or c in context.generated_pages), None)


def _anchor_suffix(context: Context, source: str, fragment: str) -> str:
    """`#fragment` when the page has that heading, the nearest heading's id otherwise, ""
    when none is near (or no fragment)."""
    if not fragment or not source.endswith(".md"):
        return ""
    ids = context.generated_ids(source) if source in context.generated_pages else context.rendered(context.docs / source).ids
    if fragment in ids:
        return f"#{fragment}"
    near = nearest_anchor(fragment, ids)
    return f"#{near}" if near else ""


def _relative(target: str, current: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def _to_docs(current: str) -> str:
    """How this page gets back to docs/, said for a fix."""
    up = posixpath.relpath(".", posixpath.dirname(current) or ".")
    return "路径不以“/”开头，从 docs/ 里的文件夹写起；" if up == "." else f"先写“{up}/”回到 docs/，再写 docs/ 里的路径；"


def _folder_page(target: str, targets: frozenset[str]) -> str | None:
    """The page of a folder a link names (about/ for about/index.md): MkDocs does not
    resolve such a link, so it is an error with this page as the suggestion."""
    for name in ("index.md", "README.md"):
        candidate = posixpath.normpath(posixpath.join(target, name))
        if candidate in targets:
            return candidate
    return None
