"""The pages of policy documents and lists, as Markdown that MkDocs renders.

- policies/documents/: every document with its 政府信息公开 metadata and 有效性; a
  已修订/失效/废止 document stays listed with its notice;
- policies/lists/<name>/: the list's metadata and its rows as a server-rendered table that
  docs/assets/javascripts/list-table.js enhances (filter, sort, count, CSV download);
- policies/lists/<name>.csv: the same rows for spreadsheets (fazhi.policies.csv_output);
- `<!-- fazhi:policy-index -->` in docs/policies/index.md becomes the overview.

Field labels, field order and the text shown for an unknown value come from the schema."""

from __future__ import annotations

import html
import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from fazhi.policies.csv_output import csv_text
from fazhi.policies.data import Policies, PolicyList
from fazhi.safety.escaping import markdown_text
from fazhi.sources import schema
from fazhi.sources.slugs import ascii_slug

DOCUMENTS_PAGE = "policies/documents.md"
INDEX_PAGE = "policies/index.md"
INDEX_MARKER = schema.registry()["markers"]["policies/index.md"]
# An element, not a comment: the sanitizer removes comments, and this must reach rows_content.
ROWS_MARKER = '<div class="fazhi-list-rows"></div>'
VALID = "有效"
# Shown elsewhere on the page (or, for draft, never: a draft is not published), not in the metadata table.
NOT_IN_TABLE = {"title", "validity_notice", "validity_date", "note", "draft"}


def add_pages(policies: Policies, files: Files, config: MkDocsConfig) -> None:
    """Add the documents page, one page per list and each published list's CSV to `files`.

    No list's .csv source is copied as it is (a draft's or a future list's would be
    published with it): each is taken out of `files`, if still there, and a published
    list's CSV is written again from the rows its page shows, formulas neutralised
    (fazhi.policies.csv_output), at the source's address, so links to it keep working."""
    files.append(File.generated(config, DOCUMENTS_PAGE, content=documents_markdown(policies.documents)))
    for src_uri in sorted(policies.row_sources):
        source = files.get_file_from_path(src_uri)
        if source is not None:  # MkDocs keys its files by src_uri: the source makes way
            files.remove(source)
    for item in policies.lists:  # a source at one of these addresses: fazhi.checks.output_paths
        files.append(File.generated(config, item.page_src, content=list_markdown(item)))
        if item.csv_src is not None:
            files.append(File.generated(config, item.csv_src, content=csv_text(item.header, item.rows)))


def index_markdown(markdown: str, policies: Policies) -> str:
    """docs/policies/index.md with the overview in place of its marker."""
    if INDEX_MARKER not in markdown:  # fazhi.checks.markers reports this before anything is built
        raise PluginError(f"docs/{INDEX_PAGE}: 缺少标记 {INDEX_MARKER}，政策文件与清单的目录不知道放在哪里。请把这一行加回页面。")
    return markdown.replace(INDEX_MARKER, _index_block(policies), 1)


def rows_content(content: str, page: Page, policies: Policies, files: Files) -> str:
    """A list page's HTML with its rows in place of the marker. The rows go in after
    Markdown: a 1,500-row table needs no Markdown parsing."""
    item = next((item for item in policies.lists if item.page_src == page.file.src_uri), None)
    if item is None or ROWS_MARKER not in content:
        return content
    csv_file = files.get_file_from_path(item.csv_src) if item.csv_src else None
    csv_url = get_relative_url(csv_file.url, page.url) if csv_file else None
    return content.replace(ROWS_MARKER, _rows_table(item, csv_url), 1)


# ---- Helper functions ----


def _unknown() -> str:
    return str(schema.registry()["unknown_shown_as"])


def _shown(value: Any) -> str:
    return _unknown() if value is None or value == "" else str(value)


def _validity(data: dict[str, Any]) -> str:
    value = data.get("validity")
    return "有效性未载明" if value is None else str(value)


def _metadata_table(content_type: str, data: dict[str, Any]) -> str:
    """The 政府信息公开 elements: label from the schema, value or 未载明."""
    rows = []
    for key, spec, _required in schema.fields(content_type):
        if key in NOT_IN_TABLE or (key not in data and not _required):
            continue
        rows.append(f'<tr><th scope="row">{html.escape(spec.get("title", key))}</th>'
                    f"<td>{html.escape(_shown(data.get(key)))}</td></tr>")
    return f'<table class="fazhi-govinfo">\n<tbody>\n{"".join(rows)}\n</tbody>\n</table>\n'


def _validity_notice(data: dict[str, Any], what: str) -> str:
    """A 已修订/失效/废止 item stays listed, with the notice above its metadata."""
    validity = data.get("validity")
    if validity in (None, VALID):
        return ""
    return (f'!!! warning "本{what}{markdown_text(validity)}"\n\n'
            f"    {markdown_text(data.get('validity_notice'))}（{markdown_text(data.get('validity_date'))}）\n\n")


def _note(data: dict[str, Any]) -> str:
    return f"{markdown_text(data['note'])}\n{{: .fazhi-note }}\n\n" if data.get("note") else ""


def documents_markdown(documents: list[dict[str, Any]]) -> str:
    lines = ["---", "title: 政策文件", "---", "", "# 政策文件", ""]
    if not documents:
        return "\n".join(lines + ["暂无政策文件。", ""])
    lines += [
        f"共 {len(documents)} 份。每份文件下列出它的政府信息公开要素；来源没有写明的要素显示为“{_unknown()}”。",
        "",
    ]
    anchors = _document_anchors(documents)
    for data, anchor in zip(documents, anchors, strict=True):
        lines.append(f"- [{markdown_text(data['title'])}](#{anchor})（{markdown_text(_validity(data))}）")
    lines.append("")
    for data, anchor in zip(documents, anchors, strict=True):
        lines += [f"## {markdown_text(data['title'])} {{#{anchor}}}", "", _validity_notice(data, "文件"),
                  _metadata_table("policy", data), _note(data)]
    return "\n".join(lines)


def _document_anchors(documents: list[dict[str, Any]]) -> list[str]:
    """Stable ASCII anchors from the titles, numbered if two titles give the same one."""
    anchors: list[str] = []
    for data in documents:
        base = ascii_slug(str(data["title"])) or "document"
        anchor, number = base, 2
        while anchor in anchors:
            anchor, number = f"{base}-{number}", number + 1
        anchors.append(anchor)
    return anchors


def list_markdown(item: PolicyList) -> str:
    data = item.data
    title = str(data["title"])
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "", f"# {markdown_text(title)}", "", _validity_notice(data, "清单"),
             _metadata_table("list", data), _note(data), "## 清单事项", ""]
    if item.rows:
        lines.append(ROWS_MARKER)
    else:
        lines.append("来源中没有列出本清单的具体事项，本站暂无条目；事项核实后在此发布。")
        lines.append("{: .fazhi-empty }")
    return "\n".join(lines) + "\n"


def _rows_table(item: PolicyList, csv_url: str | None) -> str:
    """A plain HTML table that works without JavaScript, with the controls list-table.js
    brings to life (filter, column choice, sort buttons, download). They are in the page from
    the start, so nothing moves when the script runs; without JavaScript site.css hides the
    controls, and the sort buttons stay disabled, as plain column names."""
    labels = [html.escape(cell) for cell in item.header]
    head = "".join(f'<th scope="col"><button type="button" class="fazhi-sort" disabled>{label}'
                   '<span class="fazhi-sort__icon" aria-hidden="true"></span></button></th>' for label in labels)
    # data-label: the column's name, shown before each cell where a phone stacks the rows
    # (collections.css), so a reader sees what each value is without a header row.
    body = "\n".join("<tr>" + "".join(f'<td data-label="{label}">{html.escape(cell)}</td>'
                                       for label, cell in zip(labels, row, strict=True)) + "</tr>"
                     for row in item.rows)
    download = (f'<p class="fazhi-table__download"><a href="{html.escape(csv_url)}" download>'
                f"下载全部条目（CSV，{len(item.rows)} 条）</a></p>") if csv_url else ""
    title = html.escape(str(item.data["title"]))
    return (
        f'<div class="fazhi-table" data-fazhi-table data-filename="{html.escape(item.name)}.csv">\n'
        f"{_table_controls(labels)}\n"
        f'<p class="fazhi-table__count" role="status">共 {len(item.rows)} 条</p>\n{download}\n'
        f'<div class="fazhi-table__scroll" role="region" aria-label="{title}条目" tabindex="0">\n'
        f"<table>\n<caption>{title}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
        "</div>\n</div>\n"
    )


def _table_controls(labels: list[str]) -> str:
    """筛选条目, 筛选范围 (every column; `labels`: the column names, HTML-escaped), 清空条件 and
    下载当前结果 above a list's rows. One list per page, so the ids are fixed."""
    columns = "".join(f'<option value="{index}">{label}</option>' for index, label in enumerate(labels))
    return (
        '<div class="fazhi-table__controls">'
        '<div class="fazhi-table__field"><label for="fazhi-table-q">筛选条目</label>'
        '<input id="fazhi-table-q" type="search" autocomplete="off" placeholder="输入关键词"></div>'
        '<div class="fazhi-table__field"><label for="fazhi-table-col">筛选范围</label>'
        f'<select id="fazhi-table-col"><option value="">全部列</option>{columns}</select></div>'
        '<div class="fazhi-table__buttons">'
        '<button type="button" class="md-button" data-action="clear">清空条件</button>'
        '<button type="button" class="md-button" data-action="download">下载当前结果（CSV）</button></div>'
        "</div>"
    )


def _index_block(policies: Policies) -> str:
    lines = ["## 政策文件", ""]
    if policies.documents:
        lines += [f"共 {len(policies.documents)} 份文件，逐份列出索引号、发文机关、发文字号、成文日期、发布日期、"
                  f"主题分类和有效性：[查看政策文件]({_rel_from_index(DOCUMENTS_PAGE)})", ""]
    else:
        lines += ["暂无政策文件。", ""]
    lines += ["## 清单", ""]
    if not policies.lists:
        return "\n".join(lines + ["暂无清单。", ""])
    labels = {key: spec.get("title", key) for key, spec, _ in schema.fields("list")}
    for item in policies.lists:
        count = item.data.get("count_text") or _shown(item.data.get("count"))
        facts = markdown_text(f"{labels['level']}：{_shown(item.data.get('level'))}；{labels['count']}：{count}；"
                              f"{labels['validity']}：{_shown(item.data.get('validity'))}")
        lines.append(f"- [{markdown_text(item.data['title'])}]({_rel_from_index(item.page_src)})"
                     f"<br>{facts}；本站条目：{len(item.rows)} 条")
    return "\n".join(lines + [""])


def _rel_from_index(src_uri: str) -> str:
    return src_uri[len("policies/"):]

