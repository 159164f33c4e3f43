"""The checker's check families: the one set of rules for scripts/check.py and the build.

Each module has `check(context) -> list[Finding]`; the Context reads and renders every file
once and shares the result. `run_sources` runs the families that read sources only,
`run_rendered` those that need each page rendered. scripts/check.py runs both (rendering
the pages itself); the MkDocs plugin (fazhi.plugin) runs `run_sources` before any page is
built and `run_rendered` on the pages MkDocs has just rendered, and stops on every error
either reports, with the same message."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi.checks.rendering import Extensions, Rendered, render, render_many
from fazhi.figures import FigureData
from fazhi.figures import load as load_figures
from fazhi.findings import Finding
from fazhi.sources import dates, frontmatter, schema, siteconfig, slips
from fazhi.sources.tables import Table, read_table

if TYPE_CHECKING:
    from fazhi.articles.collection import Collection


@dataclass
class Context:
    root: Path  # the folder holding mkdocs.yml
    docs: Path
    today: dt.date = field(default_factory=dates.today)
    site: Path | None = None
    external: bool = False
    timeout: float = 15.0
    cache_file: Path | None = None
    read_cache: frontmatter.ReadCache | None = None  # the build: files parsed by an earlier build of this run
    theme_dirs: list[Path] | None = None  # where templates and .icons are looked up (default: mkdocs.yml)
    _parsed: dict[Path, frontmatter.ParsedFile] = field(default_factory=dict)
    _rendered: dict[Path, Rendered] = field(default_factory=dict)
    _figures: dict[Path, FigureData] = field(default_factory=dict)
    _tables: dict[Path, Table] = field(default_factory=dict)
    _relative: dict[Path, str] = field(default_factory=dict)
    _generated_ids: dict[str, set[str]] = field(default_factory=dict)

    @cached_property
    def config(self) -> dict[str, Any]:
        try:
            return siteconfig.load(self.root / "mkdocs.yml")
        except Exception:  # noqa: BLE001 - reported by checks.identifiers
            return {}

    @cached_property
    def files(self) -> list[Path]:
        """Every regular file under docs/, sorted (hidden files and folders skipped). No
        symlink is followed: what is not a regular file is in `not_regular`, never read."""
        return self._tree[0]

    @cached_property
    def not_regular(self) -> dict[Path, str]:
        """{path: "link"} for every symlink under docs/ (to a file or a folder, dangling or
        not, hidden or not, in a hidden folder or not), {path: "special"} for a pipe, device
        or socket outside hidden folders: never read, never published
        (fazhi.checks.published_files refuses each)."""
        return self._tree[1]

    @cached_property
    def _tree(self) -> tuple[list[Path], dict[Path, str]]:
        return _walk_docs(self.docs)

    @cached_property
    def _regular(self) -> frozenset[Path]:
        return frozenset(self.files)

    def readable(self, path: Path) -> bool:
        """True for one of `files` (however the path is written: with `..`, or resolved). The
        checks read nothing else under docs/: not through a symlink (it may point at
        /proc/self/environ or outside the project), not a pipe."""
        normal = Path(os.path.normpath(path))
        if path in self._regular or normal in self._regular:
            return True
        resolved_docs = self.docs.resolve()
        return normal.is_relative_to(resolved_docs) and self.docs / normal.relative_to(resolved_docs) in self._regular

    def _refused(self, path: Path) -> bool:
        """A path that is there but not readable: reported by published_files, read by no one."""
        return not self.readable(path) and os.path.lexists(path)

    @cached_property
    def markdown_files(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".md"]

    @cached_property
    def typed_files(self) -> list[tuple[Path, str]]:
        """(file, content type) for every file the schema registry names."""
        result = []
        for path in self.files:
            kind = schema.content_type_for(self.relative(path))
            if kind and (path.suffix == ".md" or path.suffix in (".yml", ".yaml")):
                result.append((path, kind))
        return result

    @cached_property
    def typed_markdown(self) -> dict[Path, str]:
        """{page: content type} for every Markdown page the schema registry names."""
        return {path: kind for path, kind in self.typed_files if path.suffix == ".md"}

    @cached_property
    def published_records(self) -> dict[str, list[dict[str, Any]]]:
        """{docs-relative path: typed records} of every typed file: the records that are
        published (no draft, not dated after today) and have no error, with their dates as
        dates (fazhi.sources.records). What the build publishes, read once."""
        from fazhi.sources import records

        result: dict[str, list[dict[str, Any]]] = {}
        for path, kind in self.typed_files:
            result[self.relative(path)] = [
                records.typed(kind, record.data) for record in self.parsed(path).records
                if schema.is_published(record.data, self.today)
                and not any(problem.is_error for problem in schema.validate(kind, record.data))
            ]
        return result

    @cached_property
    def articles(self) -> Collection:
        """The published articles, as the build collects them (fazhi.articles.collection)."""
        from fazhi.articles.collection import POSTS_DIR, collect_records

        return collect_records([(relative, items[0]) for relative, items in self.published_records.items()
                                if items and relative.startswith(POSTS_DIR) and self.typed_markdown.get(self.docs / relative) == "article"])

    @cached_property
    def drafts(self) -> list[Path]:
        """The typed Markdown pages written `draft: true` (never published, in any build)."""
        return [path for path in self.typed_markdown if self.parsed(path).data.get("draft") is True]

    @cached_property
    def draft_only(self) -> dict[Path, list[Path]]:
        """{file: the drafts that use it} for files only unpublished pages use, worked out
        once (fazhi.checks.published_files.draft_only): the checker's finding and the build's
        removal in on_env read the same answer."""
        from fazhi.checks import published_files

        return published_files.draft_only(self)

    @cached_property
    def generated_outputs(self) -> set[str]:
        """docs-relative paths of everything the plugin generates from these sources (article
        lists, archive, category and tag pages, policy pages, the lists' CSV files, the feed),
        planned by the same code the build uses; nothing is written until a page's Markdown
        is asked for (generated_ids)."""
        return set(self._generated_plan)

    @cached_property
    def _generated_plan(self) -> dict[str, Callable[[], str]]:
        from fazhi.articles.pages import ArticlePages
        from fazhi.config import settings_from
        from fazhi.feed import FEED
        from fazhi.policies import data as policy_data
        from fazhi.policies.pages import DOCUMENTS_PAGE, documents_markdown, list_markdown

        published = self.published_records
        policies = policy_data.read({self.relative(path) for path in self.files}, self.docs, published, self.table)
        settings = settings_from(siteconfig.plugin_options(self.config, "fazhi"))
        plan: dict[str, Callable[[], str]] = dict(ArticlePages(self.articles, settings).planned())
        plan[DOCUMENTS_PAGE] = partial(documents_markdown, policies.documents)
        plan.update((item.page_src, partial(list_markdown, item)) for item in policies.lists)
        plan.update((csv_file, str) for csv_file in policies.csv_files)
        plan[FEED] = str
        return plan

    @cached_property
    def generated_pages(self) -> set[str]:
        """docs-relative paths of the generated pages: a link to one is right exactly when
        the build has it (the build sets this from the pages it really generated)."""
        return self.generated_outputs

    def set_generated_ids(self, src_uri: str, ids: set[str]) -> None:
        """The heading ids of a generated page, as the build rendered it."""
        self._generated_ids[src_uri] = ids

    def generated_ids(self, src_uri: str) -> set[str]:
        """The heading ids of a generated page: as the build rendered it, or (the checker)
        rendered here from the same Markdown."""
        if src_uri not in self._generated_ids:
            text = self._generated_plan.get(src_uri, str)()
            body = text.split("\n---\n", 1)[1] if text.startswith("---\n") and "\n---\n" in text else text
            self._generated_ids[src_uri] = render(body, self.extensions).ids
        return self._generated_ids[src_uri]

    def relative(self, path: Path) -> str:
        """Path relative to docs/ (what the schema registry matches)."""
        if path not in self._relative:
            self._relative[path] = path.relative_to(self.docs).as_posix()
        return self._relative[path]

    def display(self, path: Path) -> str:
        """Path as shown to people: relative to the project folder when possible."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def parsed(self, path: Path) -> frontmatter.ParsedFile:
        if path not in self._parsed and self._refused(path):
            self._parsed[path] = frontmatter.ParsedFile(path, self.display(path))
        if path not in self._parsed:
            many = schema.holds_many(self.relative(path)) if path.suffix != ".md" else None
            read = self.read_cache.read if self.read_cache is not None else frontmatter.read
            self._parsed[path] = read(path, self.display(path), many=many or None)
        return self._parsed[path]

    def is_published(self, path: Path) -> bool:
        return path.suffix != ".md" or schema.is_published(self.parsed(path).data, self.today)

    @cached_property
    def extensions(self) -> Extensions:
        return siteconfig.markdown_extensions(self.config)

    def rendered(self, path: Path) -> Rendered:
        if path not in self._rendered:
            self._rendered[path] = Rendered(ok=False) if self._unrenderable(path) else render(self.parsed(path).body, self.extensions)
        return self._rendered[path]

    def _unrenderable(self, path: Path) -> bool:
        """A page whose body Markdown would take minutes to render (fazhi.sources.slips
        UNBALANCED: already an error): never rendered, by the checker or the preview."""
        return any(problem.code == slips.UNBALANCED for problem in self.parsed(path).problems)

    def set_rendered(self, path: Path, rendered: Rendered) -> None:
        """The facts of a page the build has rendered itself (fazhi.checks.rendering)."""
        self._rendered[path] = rendered

    def table(self, path: Path) -> Table:
        """A list's CSV rows, read and checked once (fazhi.sources.tables)."""
        if path not in self._tables:
            self._tables[path] = Table() if self._refused(path) else read_table(path, self.display(path))
        return self._tables[path]

    def figure_data(self, data_file: Path) -> FigureData:
        """A figures.yml, loaded and checked once (fazhi.figures)."""
        if data_file not in self._figures:
            refused = self._refused(data_file)
            self._figures[data_file] = FigureData() if refused else load_figures(data_file, self.display(data_file))
        return self._figures[data_file]

    @cached_property
    def template_dirs(self) -> list[Path]:
        """The theme's template folders, first match wins: the build's own, or those
        mkdocs.yml names (custom_dir, then Material's templates)."""
        if self.theme_dirs is not None:
            return list(self.theme_dirs)
        return siteconfig.theme_dirs(self.config, self.root)

    def render_all(self) -> None:
        """Render every Markdown page at once, in parallel processes when there are many."""
        self._rendered.update((p, Rendered(ok=False)) for p in self.markdown_files if p not in self._rendered and self._unrenderable(p))
        todo = [p for p in self.markdown_files if p not in self._rendered]
        results = render_many([self.parsed(p).body for p in todo], self.extensions)
        self._rendered.update(zip(todo, results, strict=True))


def source_line(parsed: frontmatter.ParsedFile, needle: str) -> tuple[int, int]:
    """(line, column) where `needle` first appears in the file body; the body's first line
    when it cannot be found (the structure came from the rendered page)."""
    lines = parsed.text.split("\n")
    for index in range(parsed.body_line - 1, len(lines)):
        column = lines[index].find(needle)
        if column >= 0:
            return index + 1, column + 1
    return parsed.body_line, 1


def run_sources(context: Context) -> list[Finding]:
    """The families that need no page rendered: page information and data files, the site
    configuration, quotations and figures against the report's original, wording, personal
    information, freshness."""
    from fazhi.checks import (
        article_text,
        configuration,
        figures,
        freshness,
        identifiers,
        metadata,
        output_paths,
        placeholders,
        published_files,
        quotations,
        registry,
        safety,
        wording,
    )

    findings: list[Finding] = []
    findings += published_files.check(context)
    findings += output_paths.check(context)
    findings += registry.check(context)
    findings += configuration.check(context)
    findings += metadata.check(context)
    findings += placeholders.check(context)
    findings += quotations.check(context)
    findings += article_text.check(context)
    findings += figures.check(context)
    findings += safety.personal_information_check(context)
    findings += wording.check(context)
    findings += freshness.check(context)
    findings += identifiers.check(context)
    return _sorted(_drafts_as_warnings(context, _placeholders_first(findings)))


def run_rendered(context: Context) -> list[Finding]:
    """The families that read each page as rendered: links and anchors, unsafe markup,
    images without alt text, files only drafts use."""
    from fazhi.checks import published_files, safety, source_links

    findings = source_links.check(context) + safety.markup_check(context) + published_files.draft_only_check(context)
    return _sorted(_drafts_as_warnings(context, findings))


def run_all(context: Context) -> list[Finding]:
    """Everything scripts/check.py reports: sources, rendered pages, and with --site and
    --external the built site and external addresses."""
    findings = run_sources(context)
    context.render_all()
    findings += run_rendered(context)
    if context.site is not None:
        from fazhi.checks import site_links

        findings += site_links.check(context)
    if context.external:
        from fazhi.checks import external_links  # needs `requests`: only when asked for

        findings += external_links.check(context)
    return _sorted(findings)


def _drafts_as_warnings(context: Context, findings: list[Finding]) -> list[Finding]:
    """A draft (`draft: true`) is never published, so staff may keep unfinished work in
    one: what would be an error in it is a warning, to fix before it is published."""
    drafts = {context.display(path) for path in context.drafts}
    return [
        replace(finding, severity="warning", message=f"（草稿，发布前需要改正）{finding.message}")
        if finding.severity == "error" and finding.path in drafts else finding
        for finding in findings
    ]


def _placeholders_first(findings: list[Finding]) -> list[Finding]:
    """A line still holding the template's placeholder (“在这里写网址名”) gets that one
    finding: the value's format, the file name it should match or the quotation it should be
    are not the point yet (the untouched template was told to rename itself
    “在这里写网址名.md”). An article in the wrong folder gets the one finding that says so,
    not a warning for each of its fields."""
    unfinished = {(f.path, f.line) for f in findings if f.code == "unfinished-placeholder"}
    misplaced = {f.path for f in findings if f.code == "article-outside-posts"}  # its fields are an article's, not unknown
    if not unfinished and not misplaced:
        return findings
    return [f for f in findings
            if (f.code == "unfinished-placeholder" or (f.path, f.line) not in unfinished)
            and not (f.code == "meta-unknown-field" and f.path in misplaced)]


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def _walk_docs(docs: Path) -> tuple[list[Path], dict[Path, str]]:
    """The regular files under docs/, sorted, and apart what is not one ({path: "link" or
    "special"}). A symlink, to a file or a folder, is neither followed nor read; a pipe or
    device is never opened. Hidden files and folders are not among the files (MkDocs
    excludes them from the site), but their symlinks are listed all the same: MkDocs lists
    docs/ following every symlink, hidden or not (`docs/.x -> /` would never end)."""
    regular: list[Path] = []
    other: dict[Path, str] = {}
    folders = [(docs, False)]
    while folders:
        folder, hidden_folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            hidden = hidden_folder or entry.name.startswith(".")
            if entry.is_symlink():
                other[path] = "link"
            elif entry.is_dir(follow_symlinks=False):
                folders.append((path, hidden))
            elif hidden:
                continue
            elif entry.is_file(follow_symlinks=False):
                regular.append(path)
            else:
                other[path] = "special"
    return sorted(regular), dict(sorted(other.items()))
