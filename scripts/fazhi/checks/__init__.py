"""The checker's check families. Each module has `check(context) -> list[Finding]`; the
Context reads and renders every file once and shares the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from fazhi import dates, frontmatter, schema, siteconfig
from fazhi.checks.rendering import Extensions, Rendered, render, render_many
from fazhi.findings import Finding


@dataclass
class Context:
    root: Path  # the folder holding mkdocs.yml
    docs: Path
    today: dt.date = field(default_factory=dates.today)
    site: Path | None = None
    external: bool = False
    timeout: float = 15.0
    cache_file: Path | None = None
    reuse_parsed: bool = False  # build hooks: reuse files parsed by an earlier build in this process
    _parsed: dict[Path, frontmatter.ParsedFile] = field(default_factory=dict)
    _rendered: dict[Path, Rendered] = field(default_factory=dict)

    @cached_property
    def config(self) -> dict[str, Any]:
        try:
            return siteconfig.load(self.root / "mkdocs.yml")
        except Exception:  # noqa: BLE001 - reported by checks.identifiers
            return {}

    @cached_property
    def files(self) -> list[Path]:
        """Every file under docs/, sorted (hidden folders skipped)."""
        return sorted(
            p for p in self.docs.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(self.docs).parts)
        )

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

    def relative(self, path: Path) -> str:
        """Path relative to docs/ (what the schema registry matches)."""
        return path.relative_to(self.docs).as_posix()

    def display(self, path: Path) -> str:
        """Path as shown to people: relative to the project folder when possible."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def parsed(self, path: Path) -> frontmatter.ParsedFile:
        if path not in self._parsed:
            many = schema.holds_many(self.relative(path)) if path.suffix != ".md" else None
            read = frontmatter.read_cached if self.reuse_parsed else frontmatter.read
            self._parsed[path] = read(path, self.display(path), many=many or None)
        return self._parsed[path]

    def is_published(self, path: Path) -> bool:
        return path.suffix != ".md" or schema.is_published(self.parsed(path).data, self.today)

    @cached_property
    def extensions(self) -> Extensions:
        return siteconfig.markdown_extensions(self.config)

    def rendered(self, path: Path) -> Rendered:
        if path not in self._rendered:
            self._rendered[path] = render(self.parsed(path).body, self.extensions)
        return self._rendered[path]

    def render_all(self) -> None:
        """Render every Markdown page at once, in parallel processes when there are many."""
        todo = [p for p in self.markdown_files if p not in self._rendered]
        results = render_many([self.parsed(p).body for p in todo], self.extensions)
        self._rendered.update(zip(todo, results))


def source_line(parsed: frontmatter.ParsedFile, needle: str) -> tuple[int, int]:
    """(line, column) where `needle` first appears in the file body; the body's first line
    when it cannot be found (the structure came from the rendered page)."""
    lines = parsed.text.split("\n")
    for index in range(parsed.body_line - 1, len(lines)):
        column = lines[index].find(needle)
        if column >= 0:
            return index + 1, column + 1
    return parsed.body_line, 1


def run_all(context: Context) -> list[Finding]:
    from fazhi.checks import freshness, identifiers, metadata, placeholders, safety, site_links, source_links, wording

    findings: list[Finding] = []
    findings += metadata.check(context)
    findings += placeholders.check(context)
    context.render_all()
    findings += source_links.check(context)
    findings += safety.check(context)
    findings += wording.check(context)
    findings += freshness.check(context)
    findings += identifiers.check(context)
    if context.site is not None:
        findings += site_links.check(context)
    if context.external:
        from fazhi.checks import external_links  # needs `requests`: only when asked for

        findings += external_links.check(context)
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.column, f.code))
