"""The preview's own pages, which no build publishes: the error page, shown in place of every
page while the content has errors, and the notice at the address of a page the preview no
longer builds (LeftPages).

The error page: while the content has errors, `mkdocs serve` shows a list of them in the
browser, in place of every page of the site, and shows the pages again by itself once the
mistake is put right and saved.

Why a page: a build that raises during `mkdocs serve` leaves MkDocs' LiveReloadServer
holding every request until a build succeeds, so the browser only spins and the message is
only in the terminal. In serve mode the plugin (fazhi.plugin) therefore lets an error build
finish without writing any page, and at its end ErrorPages.show writes this page over every
page of the site. The build having succeeded, MkDocs reloads the open browsers (its
livereload script is put before `</body>` of every page it serves, this one too), and
reloads them again after the next build.

The next build first puts the pages back (ErrorPages.restore): they were moved aside, not
rewritten, so they keep their modification times, and `--dirty` rebuilds exactly what it
would have rebuilt had the error build never happened (the corrected page, the generated
lists), not the whole site.

`render(findings, checked_at)` is the page: one complete HTML document, `lang="zh-CN"`,
every field escaped, an inline style and no external resource (the preview only), large
text and one block per finding so that it reads on a phone.

Pages no longer built (LeftPages): `mkdocs serve --dirty` never empties its site folder, so
the page of an article made a draft, deleted, or given a new slug would stay there, still
served at its old address, and the open browser tab would go on showing it. After every good
build the HTML pages the last good build wrote and this one did not are taken out of the
site folder. Where the page became a draft, a short notice stands at its old address instead
(`render_notice`): the tab open on it is reloaded like any other page, and says why the
article is gone and how it comes back (a 404 would say neither, and MkDocs' server puts no
livereload script into a 404 answer, so that tab would never reload again). A page deleted,
renamed (an article's slug is its file's name) or dated later than today (an error anyway)
leaves nothing: its address answers 404, as it will on the site. The notices are taken
away before each build (`clear`), so that --dirty finds no page at their addresses and
renders anew whatever is built there again, and written again after each good build for as
long as their pages are drafts."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from fazhi.findings import Finding

# The pages the error page covers wait here, inside the site folder: the same file system,
# so they move by renaming (keeping their times), and MkDocs' clean_directory leaves hidden
# entries alone.
ORIGINALS = ".fazhi-preview-originals"
MISSING_PAGE = "404.html"  # MkDocs' server answers an address with no page with this file
HOME_PAGE = "index.html"
# The 404 answer carries no livereload script (MkDocs adds it to pages served with 200): it
# asks the browser to load it again every few seconds instead.
REFRESH_SECONDS = 5


@dataclass
class ErrorPages:
    """The error page over the site of one `mkdocs serve` run: which pages it covers now and
    which pages the last good build wrote."""

    pages: set[str] = field(default_factory=set)  # site-relative paths of the last good build's HTML pages
    _covered: list[str] = field(default_factory=list)  # site-relative paths the error page is written at now

    def remember(self, pages: Iterable[str]) -> None:
        """The HTML pages (site-relative paths) of a good build: `mkdocs serve` without
        --dirty empties the site folder before every build, and the error page still has
        to stand at the address the reader has open."""
        self.pages = set(pages)

    def show(self, site_dir: Path, findings: Sequence[Finding], checked_at: str, more_possible: bool = False) -> int:
        """Write the error page at every HTML page under `site_dir`, at every page of the
        last good build, at index.html and at 404.html; returns how many. Each page there
        is moved aside first, to be put back by `restore`. `more_possible`: the build
        stopped before some rules ran (see `render`)."""
        # An error page still standing (a failed build never reached on_pre_build) is not
        # to be kept aside as if it were the page.
        self.restore(site_dir)
        page = render(findings, checked_at, more_possible=more_possible).encode("utf-8")
        missing = render(findings, checked_at, refresh_seconds=REFRESH_SECONDS, more_possible=more_possible).encode("utf-8")
        originals = site_dir / ORIGINALS
        for relative in sorted(self._targets(site_dir)):
            path = site_dir / relative
            if path.is_file():
                kept = originals / relative
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, kept)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._covered.append(relative)
            path.write_bytes(missing if relative == MISSING_PAGE else page)
        return len(self._covered)

    def restore(self, site_dir: Path) -> None:
        """Before a build: every page the error page covers is back as it was, with its own
        modification time (or gone again, where there was none)."""
        if not self._covered:
            return
        originals = site_dir / ORIGINALS
        for relative in self._covered:
            path, kept = site_dir / relative, originals / relative
            if kept.is_file():
                os.replace(kept, path)
            else:
                path.unlink(missing_ok=True)
        self._covered.clear()
        shutil.rmtree(originals, ignore_errors=True)

    def _targets(self, site_dir: Path) -> set[str]:
        """Site-relative paths: the HTML pages on disk (not those kept aside), the last good
        build's pages, the home page and the page for a missing address."""
        on_disk = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html")}
        return {relative for relative in on_disk if not relative.startswith(ORIGINALS + "/")} | self.pages | {HOME_PAGE, MISSING_PAGE}


@dataclass
class LeftPages:
    """The pages one `mkdocs serve` no longer builds: what the last good build wrote, and
    the notices standing at the addresses of pages gone (see the module's docstring)."""

    built: dict[str, str] = field(default_factory=dict)  # site-relative HTML path -> src_uri, the last good build's
    notices: dict[str, str] = field(default_factory=dict)  # site-relative path of a notice -> src_uri of its page

    def clear(self, site_dir: Path) -> None:
        """Before a build: no notice on disk, so that --dirty renders a page built again at
        its address (the notice is newer than the page's source)."""
        for relative in self.notices:
            path = _inside(site_dir, relative)
            if path is not None:
                path.unlink(missing_ok=True)

    def update(self, site_dir: Path, built: Mapping[str, str], drafts: Mapping[str, str]) -> None:
        """After a good build that wrote the HTML pages `built` (site-relative path ->
        src_uri): every page the last good build wrote and this one did not is taken out of
        `site_dir`; at its address stands the draft notice instead when its source is among
        `drafts` (src_uri -> the file as shown to people). Nothing outside `site_dir` is
        touched."""
        notices: dict[str, str] = {}
        for relative in sorted((self.built.keys() | self.notices.keys()) - built.keys()):
            path = _inside(site_dir, relative)
            if path is None:
                continue
            src_uri = self.built.get(relative) or self.notices[relative]
            if src_uri in drafts:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render_notice(src_uri, drafts[src_uri]), encoding="utf-8")
                notices[relative] = src_uri
            else:
                path.unlink(missing_ok=True)
                _remove_empty_folders(path.parent, site_dir)
        self.built = dict(built)
        self.notices = notices


def render(findings: Sequence[Finding], checked_at: str, refresh_seconds: int | None = None,
           more_possible: bool = False) -> str:
    """The error page for `findings` (the build's errors), as one HTML document; `checked_at`
    is the time of the build (HH:MM:SS), so that staff see the page is new after each save.
    `more_possible`: the build stopped before the checker's other rules ran (a symlink
    under docs/ stops it before any file is read), so the page says more may follow."""
    title = f"预览：内容有 {len(findings)} 处错误"
    refresh = f'<meta http-equiv="refresh" content="{refresh_seconds}">\n' if refresh_seconds else ""
    items = "\n".join(_finding(number, finding) for number, finding in enumerate(findings, 1))
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{refresh}<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n"
        '<p class="lead">网站还没有生成，预览中的每个页面都显示这份清单。请打开下面写的文件，'
        "按每一处的“修改方法”改正，然后保存。<strong>保存后这个页面会自己刷新</strong>，不用手动刷新。</p>\n"
        f'<p class="checked">检查时间：{escape(checked_at)}</p>\n'
        f'<ol class="findings">\n{items}\n</ol>\n'
        f"{MORE_POSSIBLE if more_possible else ''}"
        '<p class="more">终端窗口里也有同样的消息。运行 <code>.venv/bin/python scripts/check.py</code> '
        "可以看到全部检查结果（包括警告和提示）。</p>\n"
        "</main>\n</body>\n</html>\n"
    )


def render_notice(src_uri: str, source: str) -> str:
    """The notice at the address of a page the preview no longer builds because it is a
    draft now: `src_uri` is the page's source, `source` its file as shown to people."""
    kind = "这篇文章" if src_uri.startswith("articles/") else "这个页面"
    title = f"预览：{kind}现在是草稿"
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<h1 class="notice">{escape(title)}</h1>\n'
        f'<p class="lead">{kind}现在是草稿（draft: true），预览和网站上都不显示；删掉 draft: true 这一行后重新显示。</p>\n'
        f'<p class="where"><span class="label">文件：</span><code>{escape(source)}</code></p>\n'
        '<p class="more">保存以后这个页面会自己刷新。这个说明只在本地预览中出现。</p>\n'
        "</main>\n</body>\n</html>\n"
    )


# Shown when the build stopped before the checker's other rules ran.
MORE_POSSIBLE = Markup('<p class="more">改正这些错误后再保存，可能还会发现其他错误（例如链接、锚点）。</p>\n')


# ---- Helper functions ----


def _inside(site_dir: Path, relative: str) -> Path | None:
    """site_dir / relative, or None unless that is a file path inside `site_dir` (and not
    among the pages the error page keeps aside)."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\\" in relative or {"", ".", ".."} & set(parts) or parts[0] == ORIGINALS:
        return None
    path = site_dir / relative
    try:
        inside = path.resolve().is_relative_to(site_dir.resolve())
    except OSError:
        return None
    return path if inside else None


def _remove_empty_folders(folder: Path, site_dir: Path) -> None:
    """The folders left empty by a page taken out, up to (not including) `site_dir`."""
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()  # only an empty one
        except OSError:
            return
        folder = folder.parent


def _finding(number: int, finding: Finding) -> str:
    """One finding as a block: where (file:line, and the line in words), what is wrong,
    how to put it right, and the checker's code in small print for whoever maintains it."""
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    line = f"（第 {finding.line} 行）" if finding.line else ""
    fix = (f'<p class="fix"><span class="label">修改方法：</span>{escape(finding.fix)}</p>\n'
           if finding.fix else "")
    return (
        f'<li class="finding">\n<p class="number">第 {number} 处</p>\n'
        f'<p class="where"><span class="label">文件：</span><code>{escape(where)}</code>{line}</p>\n'
        f'<p class="what"><span class="label">哪里不对：</span>{escape(finding.message)}</p>\n'
        f"{fix}"
        f'<p class="code">检查项：{escape(finding.code)}</p>\n</li>'
    )


# Large type, strong contrast, one bordered block per finding; long file names (in the
# messages too) wrap on a phone instead of widening the page. The notice page uses it too.
STYLE = Markup("""
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #f4f4f4; color: #1a1a1a; font-size: 1.25rem; line-height: 1.7;
  font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 2rem; overflow-wrap: anywhere; }
h1 { font-size: 1.75rem; line-height: 1.35; color: #a10000; margin: 0.5rem 0 1rem; }
h1.notice { color: #1a1a1a; }
p { margin: 0.4rem 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 1.05rem; }
.lead { background: #fff5e0; border-left: 0.4rem solid #b35900; padding: 0.75rem 1rem; }
.checked { color: #444; font-size: 1.05rem; }
.findings { list-style: none; padding: 0; margin: 1rem 0; }
.finding { background: #fff; border: 2px solid #a10000; border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0 0 1.25rem; }
.number { font-weight: bold; color: #a10000; }
.label { font-weight: bold; }
.where code { font-weight: bold; }
.fix { background: #e9f5ea; border-radius: 0.35rem; padding: 0.5rem 0.75rem; }
/* A message may quote spaces that matter (下面每行一个“  - 项”): kept, and still wrapped. */
.what, .fix { white-space: pre-wrap; }
.code { color: #444; font-size: 1rem; }
.more { color: #333; font-size: 1.05rem; }
""")
