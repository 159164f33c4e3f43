"""Metadata: every typed file's front matter / data against its schema, plus the rules
that need more than one record (unique slugs, slug = file name, dates against today)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from fazhi.checks import Context
from fazhi.checks.links import classify
from fazhi.findings import Finding, Severity, capped, excerpt
from fazhi.policies import csv_output
from fazhi.policies import data as policy_data
from fazhi.sources import dates, schema
from fazhi.sources.frontmatter import MAX_LISTED, ParsedFile, Record
from fazhi.sources.slugs import ascii_slug


def check(context: Context) -> list[Finding]:
    findings: list[Finding] = []
    seen_unique: dict[tuple[str, str, str], list[tuple[Path, Record]]] = defaultdict(list)
    specs: dict[str, dict[str, Any]] = {}
    for path, kind in context.typed_files:
        parsed = context.parsed(path)
        findings += parsed.problems
        if parsed.text.strip() and not parsed.records and not parsed.problems and path.suffix == ".md":
            findings.append(_at(parsed, parsed.record, "", "error", "fm-empty", "页面信息是空的。", "至少写 title。"))
        if kind not in specs:
            specs[kind] = schema.load(kind)
        spec = specs[kind]
        for record in parsed.records:
            findings += _schema_findings(parsed, record, kind)
            findings += _date_findings(context, parsed, record, kind)
            findings += _file_rules(path, parsed, record, spec)
            findings += _docs_links(context, parsed, record, spec)
            findings += _theme_files(context, parsed, record)
            for key, field_spec in spec.get("properties", {}).items():
                value = record.data.get(key)
                if field_spec.get("unique") and isinstance(value, str) and value:
                    seen_unique[(kind, key, value)].append((path, record))
        if kind == "list":
            findings += _csv_findings(context, path.with_suffix(".csv"))
            if not policy_data.LIST_NAME.fullmatch(path.stem):
                findings.append(Finding(parsed.display, 0, 0, "error", "list-file-name",
                                        f"清单的文件名“{path.name}”不能用作网址：只能用小写英文字母、数字和连字符。",
                                        "把 .yml 和同名的 .csv 一起改名，例如 rights-responsibilities-2025.yml。"))
    findings += _duplicates(context, seen_unique)
    return findings


# ---- Helper functions ----


def _at(parsed: ParsedFile, record: Record, field: str, severity: Severity, code: str, message: str, fix: str) -> Finding:
    return Finding(parsed.display, record.line_of(field), record.column_of(field) if field else 1,
                   severity, code, message, fix)


def _schema_findings(parsed: ParsedFile, record: Record, kind: str) -> list[Finding]:
    # A field required by another one's value (validity_notice when validity is 废止) is
    # reported on the line of the field that asks for it.
    triggers = {needed: key for key, _, required in schema.conditional_requirements(kind) for needed in required}
    findings = []
    names_file = {key for key, spec, _ in schema.fields(kind) if spec.get("matches_file_name")}
    for problem in schema.validate(kind, record.data):
        severity: Severity = "error" if problem.is_error else "warning"
        where = triggers.get(problem.field, problem.field) if problem.code == "meta-required" else problem.field
        fix = problem.fix
        if problem.code == "meta-required" and problem.field in names_file:  # the value it must have is known
            fix = f"添加一行“{problem.field}: {parsed.path.stem}”（与文件名相同）。"
        findings.append(_at(parsed, record, where, severity, problem.code, problem.message, fix))
    return findings


def _date_findings(context: Context, parsed: ParsedFile, record: Record, kind: str) -> list[Finding]:
    data = record.data
    findings = []
    published = dates.parse(data.get("date"))
    updated = dates.parse(data.get("updated"))
    if updated and published and updated < published:
        findings.append(_at(parsed, record, "updated", "error", "meta-updated-before-date",
                            f"更新日期 {updated} 早于发布日期 {published}。", "更新日期应不早于发布日期。"))
    # One rule for every date the schema marks not_after_today (date, updated, changes[].date).
    for field, when, spec in schema.dates_not_after_today(kind, data):
        if when <= context.today:
            continue
        if field == "date":
            if data.get("draft") is not True:  # a draft may be meant for a later day
                findings.append(_at(parsed, record, field, "error", "meta-future-date",
                                    f"发布日期 {when} 晚于今天（{context.today}），这条内容到那天之前不会发布。",
                                    "写今天或更早的实际发布日期；尚未定稿的内容请加一行“draft: true”。"))
        else:
            findings.append(_at(parsed, record, field, "error", "meta-future-date",
                                f"{spec.get('title', field)} {when} 晚于今天（{context.today}）。", "写实际修改的日期。"))
    return findings


def _file_rules(path: Path, parsed: ParsedFile, record: Record, spec: dict[str, Any]) -> list[Finding]:
    findings = []
    for key, field_spec in spec.get("properties", {}).items():
        value = record.data.get(key)
        if not isinstance(value, str) or not value:
            continue
        if field_spec.get("matches_file_name") and value != path.stem:
            findings.append(_at(parsed, record, key, "error", "meta-slug-file-name",
                                f"“{key}”是“{value}”，但文件名是“{path.name}”，两者必须一致。",
                                _slug_file_fix(key, value, path, field_spec)))
        if field_spec.get("file_exists") and not (path.parent / value).is_file():
            findings.append(_at(parsed, record, key, "error", "meta-file-missing",
                                f"“{key}”指向的文件“{value}”不在 {path.parent.name}/ 目录中。",
                                "把文件放到同一目录，或改正文件名。"))
    return findings


def _slug_file_fix(key: str, value: str, path: Path, field_spec: dict[str, Any]) -> str:
    """The one fix that works: only a name that is itself allowed is offered (a file named
    Capital-File.md must not be told to write slug: Capital-File)."""
    pattern = re.compile(str(field_spec.get("pattern", ".*")))
    value_ok, stem_ok = bool(pattern.search(value)), bool(pattern.search(path.stem))
    if value_ok and stem_ok:
        return f"把文件改名为“{value}.md”，或把“{key}”改为“{path.stem}”。"
    if value_ok:
        return f"文件名只能用小写英文字母、数字和连字符：把文件改名为“{value}.md”。"
    if stem_ok:
        return f"把“{key}”改为“{path.stem}”。"
    suggested = ascii_slug(path.stem) or "my-article"
    return f"文件名和“{key}”都只能用小写英文字母、数字和连字符：例如把文件改名为“{suggested}.md”，“{key}”也写成“{suggested}”。"


def _docs_links(context: Context, parsed: ParsedFile, record: Record, spec: dict[str, Any]) -> list[Finding]:
    from fazhi.checks.source_links import anchor_question, docs_link_advice  # the link rules' suggestions

    findings = []
    for key, field_spec in spec.get("properties", {}).items():
        value = record.data.get(key)
        if not field_spec.get("docs_link") or not isinstance(value, str) or not value:
            continue
        link = classify(value)
        target = context.docs / link.path
        inside = link.kind == "internal" and target.resolve().is_relative_to(context.docs.resolve())
        if not inside or not link.path.endswith(".md") or target not in context.markdown_files:
            # What it means, when that can be told (an address copied from the browser…).
            note, fix = docs_link_advice(context, value) or ("", "写相对于 docs/ 的路径，例如 reports/2024/part-1.md，可在 # 后加章节锚点。")
            findings.append(_at(parsed, record, key, "error", "meta-link-missing", f"“{key}”指向的页面“{value}”不存在。{note}", fix))
        elif not context.is_published(target):
            findings.append(_at(parsed, record, key, "error", "meta-link-missing",
                                f"“{key}”指向的页面“{value}”是草稿或发布日期在今天之后，不会发布。",
                                "改为指向已发布的页面，或等那一页发布后再写这一行。"))
        elif link.fragment and link.fragment not in context.rendered(target).ids:
            findings.append(_at(parsed, record, key, "error", "meta-anchor-missing",
                                f"“{key}”中的锚点“#{link.fragment}”在“{link.path}”中找不到对应的标题。"
                                + anchor_question(link.fragment, context.rendered(target).ids),
                                "从目标页面标题旁的链接符号复制正确的锚点。"))
    return findings


def _theme_files(context: Context, parsed: ParsedFile, record: Record) -> list[Finding]:
    """Theme keys naming a file (icon; template is one fixed value) must name one the theme has: MkDocs would
    otherwise stop with a template error while rendering the page."""
    findings = []
    for key, spec in schema.theme_schema()["properties"].items():
        value = record.data.get(key)
        pattern = spec.get("theme_file")
        if not pattern or not isinstance(value, str) or not value:
            continue
        inside = ".." not in value.replace("\\", "/").split("/") and not value.startswith("/")
        if inside and any((folder / pattern.format(value)).is_file() for folder in context.template_dirs):
            continue
        what = "模板" if key == "template" else "图标"
        findings.append(_at(parsed, record, key, "error", f"meta-theme-{key}",
                            f"{what}“{value}”在主题中不存在（字段“{key}”，{spec.get('title', '')}）。",
                            f"{spec.get('hint', '改正名称')}；不需要时删除这一行。"))
    return findings


def _duplicates(context: Context, seen: dict[tuple[str, str, str], list[tuple[Path, Record]]]) -> list[Finding]:
    findings = []
    for (_kind, key, value), places in seen.items():
        if len(places) < 2:
            continue
        names = "、".join(context.display(path) for path, _ in places)
        for path, record in places:
            parsed = context.parsed(path)
            findings.append(_at(parsed, record, key, "error", f"meta-duplicate-{key}",
                                f"“{key}: {value}”重复，以下文件用了同一个值：{names}。",
                                f"每个“{key}”必须唯一：给其中一个改一个新值（并让文件名一致）。"))
    return findings


def _csv_findings(context: Context, path: Path) -> list[Finding]:
    """The list's CSV problems and formula warnings, at most MAX_LISTED of one kind, then one
    that counts the rest (a CSV of "=1,=2" rows is a few lines of output, not thousands)."""
    if not path.exists():
        return []  # a list whose rows the source does not give has no .csv
    table = context.table(path)
    if not table.header:  # unreadable: its problems say why
        return capped(list(table.problems), MAX_LISTED)
    return capped(list(table.problems) + _formula_findings(context.display(path), path.read_bytes().decode("utf-8-sig"), table.header),
                  MAX_LISTED)


def _formula_findings(display: str, text: str, header: list[str]) -> list[Finding]:
    """A warning on each cell the CSV download neutralises (fazhi.policies.csv_output): the
    page shows it as written, the spreadsheet gets it with a leading '."""
    findings = []
    for cell in csv_output.formula_cells(text):
        shown = excerpt(cell.value, 30)
        where = "表头" if cell.record == 0 else f"“{header[cell.field]}”一列中的" if cell.field < len(header) else ""
        findings.append(Finding(
            display, cell.line, cell.column, "warning", "csv-formula",
            f"{where}“{shown}”以“{csv_output.sign_name(cell.value)}”开头，表格软件（Excel、WPS 等）会把这样的内容当作公式。"
            "下载的表格中会在前面加一个英文单引号，防止表格软件把它当作公式执行；网页上的表格照原样显示。",
            "如果不是有意写成公式，请改写开头，例如删去多余的“=”“+”“@”；表示“无”请写“无”或只写一个“-”。"
            "确实要这样开头的内容（如负数“-2”）可以不改。"))
    return findings
