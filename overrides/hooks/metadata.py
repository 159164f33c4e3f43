"""Publication metadata at build time (listed first under `hooks:` in mkdocs.yml).

on_files validates every content file's metadata against the declared schema
(scripts/fazhi/schemas/, the same rules as scripts/check.py), and looks for template
placeholder words left in a page; it stops the build with a Chinese message naming file
and line for each error. Drafts (`draft: true`) and pages
dated later than today (Beijing time) are removed from the build, so they never reach a
page, a list, the search index, a feed or the sitemap."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from fazhi import dates, schema
from fazhi.checks import Context, metadata, placeholders
from fazhi.findings import Finding

log = logging.getLogger("mkdocs.hooks.metadata")


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    context = Context(root=Path(config.config_file_path).parent, docs=Path(config.docs_dir), today=dates.today(),
                      reuse_parsed=True)
    unpublished = _unpublished(files, context)
    for file in unpublished:
        log.info("未发布（草稿或发布日期在今天之后）：%s", context.display(Path(file.abs_src_path)))
        files.remove(file)
    # A draft or a scheduled page may still be incomplete; any other page must be right
    # (an unreadable date also keeps a page out, but is an error, not a way to hide it).
    skipped = {context.display(Path(f.abs_src_path)) for f in unpublished if _draft_or_scheduled(f, context)}
    findings = metadata.check(context) + placeholders.check(context)
    errors = [finding for finding in findings if _blocks_build(finding, skipped)]
    if errors:
        raise PluginError(
            f"页面信息有 {len(errors)} 处错误，网站没有生成：\n"
            + "\n".join(finding.text() for finding in errors)
            + "\n运行 python scripts/check.py 可以看到全部检查结果。"
        )
    return files


# ---- Helper functions ----


def _unpublished(files: Files, context: Context) -> list:  # type: ignore[type-arg]
    """Markdown pages that must not be built: drafts and future-dated pages."""
    result = []
    for file in files.documentation_pages():
        if file.abs_src_path is None or schema.content_type_for(file.src_uri) is None:
            continue
        if not context.is_published(Path(file.abs_src_path)):
            result.append(file)
    return result


def _draft_or_scheduled(file, context: Context) -> bool:  # type: ignore[no-untyped-def]
    data = context.parsed(Path(file.abs_src_path)).data
    published = dates.parse(data.get("date"))
    return data.get("draft") is True or (published is not None and published > context.today)


def _blocks_build(finding: Finding, skipped: set[str]) -> bool:
    """Errors stop the build, except on pages that are not built anyway; a future date
    is how a page is scheduled, so at build time it only keeps the page out."""
    return finding.severity == "error" and finding.path not in skipped and finding.code != "meta-future-date"
