"""The site's MkDocs plugin: every step of a build, in the order MkDocs runs them.

    on_startup        which run this is (build, serve, serve --dirty)
    on_config         stop on a symlink, pipe or device under docs/ (before MkDocs lists it);
                      settings for the templates; Material's search index off, ours on;
                      the page-facts extension into MkDocs' Markdown
    on_pre_build      (preview) the pages an error page covered are put back; the notices at
                      the addresses of pages no longer built are taken away
    on_files          1. read and validate every source once; run the checker's source rules
                         and, on any error, its rendered rules too (the checker's whole
                         list), and stop with the checker's Chinese file:line messages
                      2. drop drafts, and data files (read by the build, never copied)
                      3. articles: collection, list pages, feed
                      4. policy documents and lists: their pages; each published list's
                         CSV written from its rows, formulas neutralised
                      5. the site's own styles and scripts under content-hash names
                         (fazhi.hosting.fingerprint); Material's unused search files out
                      6. start the search indexer
    on_nav            (preview) titles for pages a dirty rebuild does not read
    on_page_read_source  MkDocs gets the body without front matter: it is read once, here
    on_page_markdown  typed page.meta; figures, article parts, policy overview into the Markdown
    on_page_content   first: the page's HTML through the sanitizer (fazhi.safety); last:
                      accept percent-encoded anchors; keep the page's facts for the checker's
                      rendered rules; list rows; hand the page to the search indexer
    on_env            the checker's rendered rules over the pages just rendered (stop on any
                      error); files only drafts use taken out, one file per output path
                      (before MkDocs copies anything); (preview) the pages the last good
                      build wrote and this one does not are taken out of the site folder, a
                      notice at the address of a draft; fragment cache and nav names for
                      the theme; index finishes
    on_page_context   government <meta> and the 发布日期/来源 line
    on_post_page      every page loads our search worker and names no style or script by
                      its name before the content hash
    on_post_build     sitemap; wait for the search index; a gzip copy of each text file
                      (fazhi.hosting.precompress); (preview, errors) the error page

Stopping on errors (`_check`): `mkdocs build` raises PluginError with the checker's
messages. In `mkdocs serve` a raise would leave the browser waiting for a good build, so the
same message goes to the terminal and the build ends without writing any page: errors found
in on_config or on_files leave MkDocs no files (nothing is rendered, none of our per-page
steps runs on invalid content), errors found in on_env take the files away before MkDocs
writes them. on_post_build then writes the error page (fazhi.preview_errors) over the
site, MkDocs reloads the browsers, and the next build first puts the pages back. Stopped in
on_files, the build lists what scripts/check.py lists: the rendered rules run as well, on
the checker's own rendering of the pages, so that a bad anchor does not show up only after
the page information is put right.

State lives on the instance. MkDocs keeps one instance for a whole `mkdocs serve`, so what a
preview carries from one rebuild to the next (parsed sources, rendered pages' facts, the
search index pages) stays here; what belongs to one build is set again in on_files.
The rules themselves live in fazhi.checks (the same code scripts/check.py runs) and the
schemas in fazhi/sources/schemas/."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from fazhi import figures
from fazhi.articles import collection as articles
from fazhi.articles.pages import ArticlePages
from fazhi.checks import Context, output_paths, published_files, run_rendered, run_sources
from fazhi.checks.rendering import PageFacts, Rendered
from fazhi.chrome import nav_names, page_meta, sitemap
from fazhi.config import FazhiConfig
from fazhi.feed import FEED, atom_feed
from fazhi.findings import Finding, summary
from fazhi.fragments import FragmentCache
from fazhi.hosting import fingerprint, precompress
from fazhi.policies import data as policy_data
from fazhi.policies import pages as policy_pages
from fazhi.preview_errors import ErrorPages, LeftPages
from fazhi.safety import escaping, sanitizer
from fazhi.search.build import SearchBuild
from fazhi.session import Session
from fazhi.sources import dates, frontmatter, schema

log = logging.getLogger("mkdocs.plugins.fazhi")

# A rendered page's facts, kept while its source is unchanged: (mtime_ns, size) and facts.
FileVersion = tuple[int, int]


class FazhiPlugin(BasePlugin[FazhiConfig]):  # type: ignore[no-untyped-call]  # MkDocs' BasePlugin.__init_subclass__ has no annotations
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session = Session()
        self.search = SearchBuild(serving=False, dirty=False)
        self.fragments = FragmentCache()
        self.facts = PageFacts()
        self.page_facts = Rendered()  # the page between the two on_page_content handlers
        # Across the rebuilds of one preview.
        self.read_cache = frontmatter.ReadCache()
        self.rendered: dict[Path, tuple[FileVersion, Rendered]] = {}
        self.checked: dict[Path, tuple[FileVersion, Rendered]] = {}  # the checker's own rendering (error builds)
        # One build's.
        self.context: Context | None = None
        self.meta: dict[str, dict[str, Any]] = {}  # src_uri -> typed front matter of a built page
        self.owners: set[str] = set()  # src_uri of the sources that own an output (output_paths)
        self.article_pages: ArticlePages | None = None
        self.policies = policy_data.Policies()
        self.assets: dict[str, str] = {}  # src_uri -> content-hash path (fazhi.hosting.fingerprint)
        self.errors: list[Finding] = []  # the preview's: shown in the browser, not raised
        self.docs_dir: tuple[MkDocsConfig, str] | None = None  # a preview's build listing an empty folder: its docs_dir
        # Across the rebuilds of one preview: the pages the error page covers, and those no
        # longer built.
        self.error_pages = ErrorPages()
        self.left_pages = LeftPages()
        self.stopped_early = False  # the preview's errors came before any file was read

    # ---- The run ----

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session.start(command, dirty)
        self.search = SearchBuild(serving=self.session.serving, dirty=self.session.dirty)

    def on_shutdown(self) -> None:
        self.search.shutdown()  # before `mkdocs serve` deletes its temporary site folder
        self.session.end()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # This build's sources, listed once. Next MkDocs lists docs/ following symlinks: stop
        # first on any (a link to / never ends); a preview lists an empty folder instead.
        self.errors = []
        self.stopped_early = False
        self.context = Context(
            root=Path(config.config_file_path).resolve().parent, docs=Path(config.docs_dir).resolve(), today=dates.today(),
            read_cache=self.read_cache, theme_dirs=[Path(folder) for folder in config.theme.dirs],
        )
        if not self._check(published_files.not_regular_check(self.context), "docs/ 中的文件"):
            self.docs_dir, config.docs_dir = (config, config.docs_dir), str(self.session.empty_dir())
            self.stopped_early = True
        if self.session.serving and self.session.dirty:
            _preview_without_strict(config)
        page_meta.site_context(config, self.config.government)
        self.search.enabled = self.config.search
        self.search.configure(config)
        config.markdown_extensions.append(self.facts)  # type: ignore[arg-type]  # MkDocs types markdown_extensions as list[str] but passes Extension instances on to Markdown
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs compares times (--dirty): the pages as the last good build left them,
        # and no notice where a page may be built again.
        self.error_pages.restore(Path(config.site_dir))
        self.left_pages.clear(Path(config.site_dir))

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_docs_dir()
        self.search.stop()

    # ---- Sources and generated pages ----

    # After other plugins' on_files (Material's blog plugin runs at -50 for the same reason):
    # every source file is in place when the collection is read.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # 1. Every source read and validated once; the checker's rules, the checker's verdict.
        context = self.context
        assert context is not None, "on_config has run"
        if self.errors or not self._check(self._source_findings(context), "内容"):
            return _no_pages(config)  # the preview: a page may not be what the build expects

        # 2. Drafts are never built: no page, list, feed, sitemap or search entry.
        for file in list(files.documentation_pages()):
            path = _source_path(file)
            if path is not None and path in context.typed_markdown and not context.is_published(path):
                log.info("未发布（草稿）：%s", context.display(path))
                files.remove(file)
        for file in published_files.data_files(files, context.docs):  # read from docs/, never copied
            files.remove(file)
        self.owners = output_paths.sources(files)  # nothing generated below may take their place
        self.meta = self._typed_meta(files, context)

        # 3. Articles: published at articles/<slug>/, their lists and the feed.
        collection = articles.collect(files, self.meta)
        for article in collection.articles:
            articles.publish_at(files.get_file_from_path(article.src_uri), article.dest_uri, config)  # type: ignore[arg-type]  # the file is in `files`
        self.article_pages = ArticlePages(collection, self.config)
        self.article_pages.add_to(files, config, self.session)
        files.append(File.generated(config, FEED, content=atom_feed(collection, config, self.config.feed_entries)))
        if self.session.dirty:
            self.article_pages.refresh_marker_pages(files, self.session)

        # 4. Policy documents and lists, read from the sources as the checker reads them (their
        #    data files are not published themselves): their pages, and each published list's
        #    CSV written again in place of its source.
        sources = {context.relative(path) for path in context.files}
        self.policies = policy_data.read(sources, context.docs, context.published_records, context.table)
        policy_pages.add_pages(self.policies, files, config)
        # Links to generated pages are right exactly when the build has generated them.
        context.generated_pages = {file.src_uri for file in files if file.generated_by}

        # 5. The site's styles and scripts under content-hash names, so that the server may
        #    let browsers keep them for a year and a redeploy still reaches every reader.
        self.assets = fingerprint.rename(files, config)
        if self.search.enabled:
            fingerprint.drop_stock_search(files)
            self.search.publish_worker(config, self.assets)

        # 6. The search index is written by a second process while MkDocs renders.
        self.search.start(Path(config.site_dir), [file.src_uri for file in files.documentation_pages()])
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not self.session.serving:  # a one-off build has read every source it needs
            self.read_cache.clear()
        if self.session.dirty:  # the nav shows every page's title, rendered this time or not
            for page in nav.pages:
                if page.markdown is None:
                    page.read_source(config)
                    self._apply_meta(page)
        return nav

    # ---- Each page ----

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """The page's body as read in on_files, so MkDocs does not parse the front matter a
        second time (its own reading makes a quoted date a string)."""
        path = _source_path(page.file)
        if self.context is None or path is None or page.file.src_uri not in self.meta:
            return None
        # A leading blank line: MkDocs then finds no front matter of either kind, and strips it.
        return "\n" + self.context.parsed(path).body

    # First, so that every other on_page_markdown handler sees the typed page.meta.
    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._apply_meta(page)
        # The checker's rendered rules read the pages people write; of the pages we generate,
        # links need only the heading ids.
        self.facts.mode = "all" if page.file.src_uri in self.meta else "ids"
        if figures.markers(markdown) and self.context is not None and page.file.abs_src_path:
            data = self.context.figure_data(Path(page.file.abs_src_path).parent / figures.DATA_FILE)
            markdown = figures.render(markdown, data)
        if self.article_pages is not None:
            markdown = self.article_pages.page_markdown(markdown, page.file.src_uri)
        if page.file.src_uri == policy_pages.INDEX_PAGE:
            markdown = policy_pages.index_markdown(markdown, self.policies)
        return markdown

    # First, before any other plugin or template sees the page: only sanitized HTML goes on.
    @event_priority(100)
    def _sanitize_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.page_facts = self.facts.take()
        if page.file.src_uri in self.meta:  # what people wrote: the checker's findings need the removals
            html, self.page_facts.removed = sanitizer.sanitize(html)
        else:
            html = sanitizer.clean(html)
        return html

    # Last, so that the search indexes the HTML every other plugin has finished.
    @event_priority(-100)
    def _finish_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        _accept_encoded_anchors(page)
        if "title" not in page.meta and page.title:  # a title MkDocs took from the first heading
            page.meta["title"] = escaping.html_text(Markup(page.title).striptags())
        facts = self.page_facts
        path = _source_path(page.file)
        if path is not None and page.file.src_uri in self.meta:
            self.rendered[path] = (_version(path), facts)
        elif page.file.generated_by and self.context is not None:
            self.context.set_generated_ids(page.file.src_uri, facts.ids)
        html = policy_pages.rows_content(html, page, self.policies, files)
        self.search.add(page, html)
        return html

    on_page_content = CombinedEvent(_sanitize_content, _finish_content)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        context = self.context
        assert context is not None, "on_files has run"
        if not self.errors:
            self._check_rendered(context, files)
        if self.errors:  # the preview: MkDocs writes no page; on_post_build writes the error page
            self.search.stop()
            for file in list(files):
                files.remove(file)
        else:
            built = {file.dest_uri: file.src_uri for file in files if file.dest_uri.endswith(".html")}
            if self.session.serving:  # MkDocs' temporary site folder; --dirty never empties it
                self.left_pages.update(Path(config.site_dir), built, _drafts(context))
            self.error_pages.remember(built.keys() | self.left_pages.notices.keys())
            self.search.finish_pages()
        self.context = None  # the build needs no source text from here on
        # The theme's own 404.html is rendered in every build, an error build too.
        self.fragments.enabled = self.config.cache_fragments
        self.fragments.install(env)
        nav_names.install(env)
        env.filters["asset"] = self._published_asset
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        # Our keys are not in MkDocs' TypedDict of the standard ones; templates see them all.
        page_meta.page_context(cast("dict[str, Any]", context), page, nav)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.search.check_page(page, output)
        stale = fingerprint.unrenamed_references(output, self.assets)
        if stale:
            raise PluginError(
                f"{page.file.src_uri}：页面引用了 {'、'.join(stale)}，但这些文件以带内容指纹的文件名发布，原名不存在。"
                f"修改方法：模板中写成 {{{{ '{stale[0]}' | asset | url }}}}（fazhi.hosting.fingerprint）。")
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._restore_docs_dir()
        if self.errors:
            count = self.error_pages.show(Path(config.site_dir), self.errors, time.strftime("%H:%M:%S"),
                                          more_possible=self.stopped_early)
            log.info("预览：浏览器中的 %d 个页面显示上面的错误清单；改正并保存后，页面会自己刷新。", count)
            return
        sitemap.write(config)
        self.search.wait()
        if self.config.precompress and not self.session.serving:  # after every file is written
            precompress.write(Path(config.site_dir))

    # ---- Helper methods ----

    def _published_asset(self, path: str) -> str:
        """The `asset` template filter: a style or script's published (content-hash) path;
        `path` itself for a file this build did not rename."""
        return self.assets.get(path, path)

    def _check(self, findings: list[Finding], what: str) -> bool:
        """True when `findings` hold no error. On any error a build stops (PluginError, the
        checker's messages); the preview (`mkdocs serve`) logs the same message, keeps the
        errors for its error page and returns False: the build goes on without pages."""
        errors = [finding for finding in findings if finding.severity == "error"]
        if not errors or not self.session.serving:
            _stop_on_errors(findings, what)
            return True
        _stop_counting_warnings()  # before logging: plain `mkdocs serve` is strict, and would abort
        log.error(_errors_message(errors, what))
        self.errors += errors
        return False

    def _source_findings(self, context: Context) -> list[Finding]:
        """The checker's source rules; when they find an error, its rendered rules as well,
        as scripts/check.py runs them (fazhi.checks.run_all): the build stops here, and the
        list of errors is then the checker's whole list, not only its first part.

        The pages are the checker's own rendering of each source (what MkDocs renders holds
        more: article lists, figures, an article's categories and tags, made from other
        files, and a dirty rebuild would not have them up to date). A preview keeps that
        rendering while a file is unchanged, so an error build after the first renders only
        the pages saved since. Pages are rendered one after the other in this process
        (run_rendered renders what it reads), not in Context.render_all's worker processes,
        which `mkdocs serve` would fork from its threads: 1,000 articles take about a
        second, once."""
        findings = run_sources(context)
        if not any(finding.severity == "error" for finding in findings):
            return findings
        versions = _reuse_rendered(context, self.checked)
        findings = sorted(set(findings + run_rendered(context)))
        if self.session.serving:
            self.checked = {path: (version, context.rendered(path)) for path, version in versions.items()}
        return findings

    def _check_rendered(self, context: Context, files: Files) -> None:
        """Every page is rendered: the checker's rendered rules run on MkDocs' own rendering
        (a page a dirty rebuild skipped: its facts kept from when it was rendered, or the
        checker renders it); then the files only drafts use, and clashing output paths."""
        _reuse_rendered(context, self.rendered)
        if not self._check(run_rendered(context), "页面中的链接或代码"):
            return
        # MkDocs copies the static files after on_env: what only drafts use is not among them.
        for file in published_files.draft_only_files(files, context):
            log.info("未发布（只被草稿使用）：%s", context.display(context.docs / file.src_uri))
            files.remove(file)
        self._check(output_paths.build_clashes(files, self.owners), "网站文件的位置")

    def _restore_docs_dir(self) -> None:
        """docs_dir back after a build that listed an empty folder: `mkdocs serve` watches
        the first build's docs_dir for changes once that build has ended."""
        if self.docs_dir is not None:
            config, docs_dir = self.docs_dir
            config.docs_dir = docs_dir
            self.docs_dir = None

    def _typed_meta(self, files: Files, context: Context) -> dict[str, dict[str, Any]]:
        """src_uri -> typed front matter of every Markdown page that will be built, its
        declared keys only (fazhi.sources.schema.declared)."""
        published = context.published_records
        return {file.src_uri: schema.declared(context.typed_markdown[context.docs / file.src_uri], published[file.src_uri][0])
                for file in files.documentation_pages()
                if file.src_uri.endswith(".md") and published.get(file.src_uri)}

    def _apply_meta(self, page: Page) -> None:
        """page.meta for the templates: the typed record of a page people wrote (or the
        front matter of a generated page), every string escaped (fazhi.safety.escaping)."""
        page.meta = escaping.template_values(self.meta.get(page.file.src_uri, page.meta))


# ---- Helper functions ----


def _stop_on_errors(findings: list[Finding], what: str) -> None:
    """Stop the build on any error, listing every one as the checker does."""
    errors = [finding for finding in findings if finding.severity == "error"]
    others = [finding for finding in findings if finding.severity != "error"]
    if others and not errors:
        log.info("%s：没有错误，%s运行 .venv/bin/python scripts/check.py 查看警告和提示。", what, summary(others).replace("共 0 个错误，", ""))
    if errors:
        raise PluginError(_errors_message(errors, what))


def _errors_message(errors: list[Finding], what: str) -> str:
    return (
        f"{what}有 {len(errors)} 处错误，网站没有生成：\n"
        + "\n".join(finding.text() for finding in errors)
        + "\n按每行的“修改方法”改正后再生成；运行 .venv/bin/python scripts/check.py 可以看到全部检查结果。"
    )


def _drafts(context: Context) -> dict[str, str]:
    """src_uri -> the file as shown to people, of every page with `draft: true`."""
    return {context.relative(path): context.display(path) for path in context.drafts}


def _reuse_rendered(context: Context, kept: dict[Path, tuple[FileVersion, Rendered]]) -> dict[Path, FileVersion]:
    """Give `context` the facts kept for each page whose file is unchanged since it was
    rendered; returns every page's current version."""
    versions = {path: _version(path) for path in context.markdown_files}
    for path, version in versions.items():
        facts = kept.get(path)
        if facts is not None and facts[0] == version:
            context.set_rendered(path, facts[1])
    return versions


def _no_pages(config: MkDocsConfig) -> Files:
    """The files of a preview's error build: none, so MkDocs renders no page; and no nav,
    which would otherwise warn of every page it names."""
    config.nav = None
    return Files([])


def _preview_without_strict(config: MkDocsConfig) -> None:
    """The staff's fast preview, `mkdocs serve --dirty`, still prints every problem and
    shows the page; the build that publishes (and scripts/check.py) stays strict. MkDocs
    warns on every dirty build, and has already started counting warnings for `strict`
    when on_config runs, so its counter is detached as well."""
    config.strict = False
    _stop_counting_warnings()


def _stop_counting_warnings() -> None:
    """Detach MkDocs' counter of warnings for `strict` from its loggers, for this build."""
    for name in ("mkdocs", "properdocs"):  # ProperDocs counts on its own logger
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if isinstance(handler, CountHandler):
                logger.removeHandler(handler)


def _accept_encoded_anchors(page: Page) -> None:
    """A link to `page.md#%E4%BA%94…` reaches the heading `#五…` in every browser, and the
    checker accepts it (fazhi.checks.links decodes fragments): MkDocs' anchor validation
    compares the fragment as written, so it is given the decoded form."""
    links = page.links_to_anchors
    if links:
        for target, anchors in links.items():
            links[target] = {unquote(anchor): url for anchor, url in anchors.items()}


def _source_path(file: File) -> Path | None:
    return Path(file.abs_src_path) if file.abs_src_path and not file.generated_by else None


def _version(path: Path) -> FileVersion:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)
