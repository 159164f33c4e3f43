"""What of docs/ the site publishes: declared once, in registry.yml `published_files`.

MkDocs publishes every file under docs/: it builds `.md`, `.markdown`, `.mdown` … as pages and
copies everything else as it is, following symlinks. The site publishes less:

- a page is a `.md` file, exactly: a `.markdown` page would be built without the site's own
  rules (a draft in one is published) and a `.MD` file copied as it is;
- directly in docs/ only pages (and declared site assets): a file there is published at the
  root of the site, where robots.txt, ads.txt, a verification file … speak for the whole
  domain (`Disallow: /` would take the site out of search engines). Attachments and images
  go in a section's folder;
- any other file only when its type is declared: an image, an attachment, or one of the
  site's own stylesheets, scripts and icons named in the registry. An HTML page, a script or
  a stylesheet runs on the government's domain, so no one adds one in a pull request;
- an SVG image that is not a site asset only when it is a plain drawing (fazhi.checks.svg_images);
- data files (.yml, .yaml, .csv) are read by the build and never copied as they are; one that
  nothing reads is reported (a warning) and not published either;
- a symlink (to a file or a folder, hidden or not), a pipe or a device is never read and
  never published: MkDocs would copy what it points at (/proc/self/environ, a file outside
  the project), and lists docs/ following every symlink, hidden ones too (`docs/.x -> /`
  never ends);
- an image or attachment that only drafts use waits until one of them is published.

`check` (run_sources) and `draft_only_check` (run_rendered) give the findings; the build stops
on their errors before MkDocs copies anything (on symlinks already in on_config, before MkDocs
lists docs/), removes data files from MkDocs' Files in
on_files (`data_files`) and the files only drafts use in on_env (`draft_only_files`): MkDocs
copies static files after on_env."""

from __future__ import annotations

import os
import posixpath
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.utils import markdown_extensions as mkdocs_page_suffixes

from fazhi.checks import Context, svg_images
from fazhi.checks.links import classify
from fazhi.findings import Finding
from fazhi.sources import frontmatter, schema, siteconfig

REGISTRY = "src/fazhi/sources/schemas/registry.yml"
PAGE_SUFFIX = ".md"
# What MkDocs builds as a page, in any case: only `.md` is a page here.
PAGE_LIKE = frozenset(suffix.lower() for suffix in (*mkdocs_page_suffixes, PAGE_SUFFIX))


def declared() -> dict[str, Any]:
    """registry.yml `published_files`: images, attachments, data, data_files, site_assets,
    reserved (fazhi.checks.output_paths)."""
    return dict(schema.registry()["published_files"])


def is_data(relative: str) -> bool:
    """A data file (.yml, .yaml, .csv, any case): read by the build, never copied as it is."""
    return _extension(relative) in _types("data")


def check(context: Context) -> list[Finding]:
    """Symlinks and special files, page extensions, file types, SVG images, unused data files."""
    findings = not_regular_check(context)
    used_data = _used_data(context)
    for path in context.files:
        findings += _file_findings(context, path, used_data)
    return findings


def not_regular_check(context: Context) -> list[Finding]:
    """Symlinks, pipes and devices under docs/: part of `check`. The build also runs it on its
    own in on_config, before MkDocs lists docs/ following every symlink (through a link to /
    that listing would never end)."""
    return [_not_regular(context, path, kind) for path, kind in context.not_regular.items()]


def draft_only(context: Context) -> dict[Path, list[Path]]:
    """{file: the drafts that use it} for every image or attachment that unpublished pages
    (drafts, or dated after today) link to and nothing published does: no published page,
    no published record's file field (source_file …), nothing mkdocs.yml names (logo, favicon,
    extra_css, badge image). Drafts are rendered here (the build renders only published
    pages), which is cheap: there are few."""
    copied = {context.relative(path): path for path in context.files if _is_static(context.relative(path))}
    published_pages = [page for page in context.markdown_files if context.is_published(page)]
    by_drafts: dict[str, list[Path]] = {}
    for page in sorted(set(context.markdown_files) - set(published_pages)):
        for target in _targets(context, page):
            if target in copied:
                by_drafts.setdefault(target, []).append(page)
    if not by_drafts:  # the usual case: published pages need not be looked at
        return {}
    published = _config_references(context)
    for page in published_pages:
        published |= _targets(context, page)
    for path, kind in context.typed_files:
        published |= _record_files(kind, context.relative(path), context.published_records.get(context.relative(path), []))
    return {copied[target]: drafts for target, drafts in sorted(by_drafts.items()) if target not in published}


def draft_only_check(context: Context) -> list[Finding]:
    return [
        Finding(context.display(path), 0, 0, "info", "file-draft-only",
                f"这个文件只被草稿或尚未到发布日期的页面使用（{'、'.join(context.display(page) for page in pages)}），暂不发布；"
                "其中一篇发布时，它随之发布。", "")
        for path, pages in context.draft_only.items()
    ]


# ---- The build: what is taken out of MkDocs' Files ----


def data_files(files: Files, docs: Path) -> list[File]:
    """The data files among MkDocs' `files` that came from docs/ (not generated, not the
    theme's): the build reads them itself and removes them before anything is copied."""
    return [file for file in files if _from_docs(file, docs) and is_data(file.src_uri)]


def draft_only_files(files: Files, context: Context) -> list[File]:
    """The files of `files` that only drafts use (`draft_only`): removed in on_env, before
    MkDocs copies the static files."""
    waiting = {context.relative(path) for path in context.draft_only}
    return [file for file in files if file.src_uri in waiting and _from_docs(file, context.docs)]


# ---- Helper functions ----


def _not_regular(context: Context, path: Path, kind: str) -> Finding:
    shown = context.display(path)
    if kind == "special":
        return Finding(shown, 0, 0, "error", "file-special",
                       "这不是普通文件（命名管道、设备文件等），网站不读取、也不发布它。", "删除它。")
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    what = "文件夹的符号链接（快捷方式）" if path.is_dir() else "符号链接（快捷方式）"
    hidden = any(part.startswith(".") for part in Path(context.relative(path)).parts)
    return Finding(shown, 0, 0, "error", "file-symlink",
                   f"这是指向“{target}”的{what}。网站不发布符号链接，也不读取它指向的内容" + ("，其中的文件都不会发布。" if path.is_dir() else "。"),
                   "删除这个链接；需要发布的文件请把文件本身复制到 docs/ 中。"
                   + ("它在隐藏的位置（名字以“.”开头），文件管理器中可能看不到：在终端中用 ls -la 查看，用 rm 删除。" if hidden else ""))


def _file_findings(context: Context, path: Path, used_data: set[str]) -> list[Finding]:
    relative = context.relative(path)
    shown = context.display(path)
    if relative in declared()["site_assets"] and _extension(relative) == "svg":
        return _svg_findings(path, shown)  # a declared drawing is still only a drawing
    if path.suffix == PAGE_SUFFIX or relative in declared()["site_assets"]:
        return []
    suffix = posixpath.splitext(relative)[1]
    extension = _extension(relative)
    if _saved_as_text(path, relative):
        return [Finding(shown, 0, 0, "error", "file-page-saved-as-text",
                        f"这个文件看起来是一篇文章或页面，但保存成了“{suffix}”文件（记事本会自动在文件名后加 .txt），网站不会把它当作页面。",
                        f"把文件改名为“{path.name[: -len(suffix)].removesuffix('.md').removesuffix('.MD')}.md”；"
                        "用记事本保存时，“保存类型”选“所有文件”，文件名写到 .md 为止。")]
    if suffix.lower() in PAGE_LIKE:
        return [Finding(shown, 0, 0, "error", "file-page-extension",
                        f"页面文件的扩展名必须是 .md（小写），现在是“{suffix}”：这样的文件不按网站的规则检查和生成（草稿也会被发布）。",
                        f"把文件改名为“{path.stem}.md”。")]
    if "/" not in relative and extension not in _types("data"):  # data files are never published
        return [Finding(shown, 0, 0, "error", "file-docs-root",
                        f"docs/ 的最外层只能放页面（.md）：这里的文件会原样发布在网站的根目录（/{relative}），"
                        "而根目录中的 robots.txt、ads.txt、验证文件等会被搜索引擎和浏览器当作整个网站的设置。",
                        "图片请放到 docs/assets/images/，附件请放到 docs/assets/，再从页面链接（见 CONTRIBUTING.md 的“图片和附件”）；"
                        f"网站自己的文件只能由维护者审核后在 {REGISTRY} 的 published_files → site_assets 中登记。")]
    if extension in _types("data"):
        if relative in used_data:
            return []
        return [Finding(shown, 0, 0, "warning", "file-data-unused",
                        "网站没有使用这个数据文件，它不会发布到网站上（数据文件只供网站生成时读取）。",
                        "供读者下载的表格请另存为 xlsx 或 PDF 再链接；不需要的文件请删除。"
                        f"网站读取哪些数据文件，登记在 {REGISTRY} 的 content_types 和 published_files → data_files 中。")]
    if extension in _types("images") or extension in _types("attachments"):
        return _size_findings(path, shown, "images" if extension in _types("images") else "attachments") + (
            _svg_findings(path, shown) if extension == "svg" else [])
    kind = f"“{suffix}”类型的文件" if suffix else "没有扩展名的文件"
    return [Finding(shown, 0, 0, "error", "file-type-not-allowed",
                    f"{kind}不能发布到网站上：网页、脚本、样式等文件会在政府网站上运行代码，只有登记过的文件类型才会发布。",
                    f"附件请用 PDF、Office 或 WPS 文档（{'、'.join(declared()['attachments'])}），图片请用 {'、'.join(declared()['images'])}；"
                    f"网站自己的脚本和样式只能由维护者审核后在 {REGISTRY} 的 published_files → site_assets 中登记。")]


def _saved_as_text(path: Path, relative: str) -> bool:
    """A page saved by Notepad as `x.md.txt`, or a .txt under articles/ that starts with page
    information: published as a plain text file, the article never appears."""
    name = relative.lower()
    if name.endswith((".md.txt", ".markdown.txt")):
        return True
    if not name.endswith(".txt") or not name.startswith("articles/"):
        return False
    try:
        with path.open("rb") as stream:
            return stream.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return False


def max_size_kb(kind: str) -> int:
    """registry.yml published_files → max_size_kb of "images" or "attachments", in KB."""
    return int(declared()["max_size_kb"][kind])


def _size_findings(path: Path, shown: str, kind: str) -> list[Finding]:
    """An image or attachment larger than registry.yml allows (published_files → max_size_kb)."""
    limit = max_size_kb(kind)
    try:
        size = path.stat().st_size
    except OSError:
        return []
    if size <= limit * 1024:
        return []
    if kind == "images":
        fix = ("把图片缩小后再放进来：宽度不超过 1200 像素，照片另存为 JPEG（用 Windows“画图”的“重新调整大小”，"
               "或手机相册的“编辑→调整大小”）；截图可以另存为 PNG。")
    else:
        fix = "把附件压缩或拆分（PDF 可以用 WPS、Adobe 等软件的“压缩 PDF”或“减小文件大小”）；扫描件请用较低的分辨率（150 dpi）重新扫描。"
    what = "图片" if kind == "images" else "附件"
    return [Finding(shown, 0, 0, "error", "file-too-large",
                    f"这个{what}太大（{frontmatter.size_text(size)}，上限是 {frontmatter.size_text(limit * 1024)}）：读者用手机流量打开页面要等很久。",
                    fix)]


def _used_data(context: Context) -> set[str]:
    """docs-relative paths of the data files the build reads: typed by content_types, or
    named by published_files → data_files."""
    typed = {context.relative(path) for path, _kind in context.typed_files}
    globs = declared()["data_files"]
    return {relative for relative in map(context.relative, context.files)
            if is_data(relative) and (relative in typed or any(schema.path_matches(glob, relative) for glob in globs))}


def _is_static(relative: str) -> bool:
    """A file MkDocs copies as it is and the site publishes: an image, an attachment or a
    site asset (not a page, not a data file)."""
    extension = _extension(relative)
    return extension in _types("images") or extension in _types("attachments") or relative in declared()["site_assets"]


def _targets(context: Context, page: Path) -> set[str]:
    """The docs-relative files the links and images of `page` point at."""
    relative = context.relative(page)
    found = set()
    for _tag, url in context.rendered(page).references:
        link = classify(url)
        if link.kind == "internal" and link.path:
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(relative), link.path)))
    return found


def _record_files(kind: str, relative: str, records: list[dict[str, Any]]) -> set[str]:
    """Files the published records of a typed file name in fields marked `file_exists`
    (relative to its folder), e.g. an annual report's source_file."""
    keys = _file_fields(kind)
    if not keys or not records:
        return set()
    folder = posixpath.dirname(relative)
    return {posixpath.normpath(posixpath.join(folder, record[key]))
            for record in records for key in keys if isinstance(record.get(key), str) and record[key]}


@cache
def _file_fields(kind: str) -> tuple[str, ...]:
    return tuple(key for key, spec, _required in schema.fields(kind) if spec.get("file_exists"))


def _config_references(context: Context) -> set[str]:
    """docs-relative files mkdocs.yml names: the theme's logo and favicon, extra_css,
    extra_javascript and the government badge image."""
    config = context.config
    theme = config.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    names: list[Any] = [theme.get("logo"), theme.get("favicon"), *(config.get("extra_css") or []),
                        siteconfig.lookup(siteconfig.plugin_options(config, "fazhi"), "government.badge_image")]
    for entry in config.get("extra_javascript") or []:
        names.append(entry.get("path") if isinstance(entry, dict) else entry)
    return {posixpath.normpath(name) for name in names if isinstance(name, str) and name}


def _from_docs(file: File, docs: Path) -> bool:
    return not file.generated_by and file.src_dir is not None and _resolved(file.src_dir) == docs


@cache
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def _types(name: str) -> frozenset[str]:
    return frozenset(declared()[name])


def _extension(relative: str) -> str:
    return posixpath.splitext(relative)[1][1:].lower()


def _svg_findings(path: Path, shown: str) -> list[Finding]:
    return [Finding(shown, line, 1, "error", "svg-unsafe",
                    f"SVG 图片中{what}。SVG 图片只能是图形，不能有脚本、事件、外部链接或嵌入的网页，否则不能发布。",
                    "删除这部分，或用绘图软件把图片导出为 PNG 后使用。")
            for line, what in svg_images.problems(path)]
