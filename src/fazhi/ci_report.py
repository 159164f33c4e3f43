"""The checker's findings where CI shows them: inline annotations and the job summary.

Two formats, both read by GitHub Actions (and by hosts that run the same workflow YAML;
Gitea and Forgejo print annotation lines as plain log lines):

- **Annotations**: one workflow command per line on standard output,
  `::error file=docs/x.md,line=6,col=5,title=…::message` (`::warning`, `::notice` for the
  other severities). GitHub shows each on the named line of the pull request's "Files changed"
  view and in the run's annotation list. Format and escaping: GitHub Docs, "Workflow commands
  for GitHub Actions" (sections "Setting an error message" and the parameters `file`, `line`,
  `col`, `title`); the escapes are those of actions/toolkit's `escapeData` (`%`, CR, LF as
  `%25`, `%0D`, `%0A`) and `escapeProperty` (also `:` and `,` as `%3A`, `%2C`),
  packages/core/src/command.ts.
- **Job summary**: GitHub-flavoured Markdown appended to the file named by
  `$GITHUB_STEP_SUMMARY` (same GitHub Docs page, "Adding a job summary"; at most 1 MiB per step,
  larger summaries are refused and replaced by an error annotation).

Limits (actions/toolkit, docs/problem-matchers.md, "Limitations"; the same numbers in GitHub's
community answers): GitHub keeps 10 error, 10 warning and 10 notice annotations per step and 50
annotations per job; the rest are dropped silently. So the annotations go to the files the pull
request changed first, stop at ANNOTATIONS_PER_STEP of each kind, and one notice says how many
more there are; the summary and the log always list every finding."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Final

from fazhi.findings import SEVERITY_LABEL, Finding, summary

# GitHub: 10 annotations of each kind per step, 50 per job (module docstring). Three kinds at
# 10 stay under the job's 50 with room for the other steps.
ANNOTATIONS_PER_STEP: Final = 10
ANNOTATIONS_PER_JOB: Final = 50
# GitHub refuses a step summary over 1 MiB; stop listing well before it (room for the
# headings and the closing note).
SUMMARY_BUDGET_BYTES: Final = 1024 * 1024 - 16 * 1024

# The workflow command for each severity.
COMMAND: Final[dict[str, str]] = {"error": "error", "warning": "warning", "info": "notice"}
TITLE: Final = "内容检查"
HEADING: Final = "## 内容检查结果"

# How markdown_cell writes each special character: HTML's own (no tag, comment or entity of
# the text survives), and the inline Markdown syntax a table cell or heading of ours may meet
# (emphasis, code, links and images, strikethrough, backslash escapes, table pipes, a
# heading's closing `#`s) as numeric character references, which GitHub shows as the character.
_CELL_ESCAPES: Final[dict[str, str]] = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    **{char: f"&#{ord(char)};" for char in "\\`*_[]!~|#"},
}
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")  # Markdown's line endings


# ---- annotations ----


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR, LF as `%25`, `%0D`, `%0A` (actions/toolkit
    escapeData). `%` first, so an escape already in the text stays text."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): escape_data plus `:` and `,` as
    `%3A`, `%2C`, which would otherwise end the value (actions/toolkit escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """`::error file=docs/x.md,line=6,col=5,title=内容检查 错误 [meta-categories]::分类…%0A修改方法：…`

    A finding about a whole file has no `line`/`col`; the fix goes on its own line of the
    annotation."""
    properties = [f"file={escape_property(finding.path)}"]
    if finding.line:
        properties.append(f"line={finding.line}")
        if finding.column:
            properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(f'{TITLE} {SEVERITY_LABEL[finding.severity]} [{finding.code}]')}")
    message = finding.message + (f"\n修改方法：{finding.fix}" if finding.fix else "")
    return f"::{COMMAND[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def changed_first(findings: Iterable[Finding], changed: Collection[str] | None) -> list[Finding]:
    """`findings` with those in the `changed` files (paths as findings show them) first, each
    part in its own order; `changed` None (unknown) keeps the order."""
    findings = list(findings)
    if changed is None:
        return findings
    return [f for f in findings if f.path in changed] + [f for f in findings if f.path not in changed]


def annotation_lines(findings: Iterable[Finding], changed: Collection[str] | None, per_step: int = ANNOTATIONS_PER_STEP) -> list[str]:
    """The annotation lines for `findings`, at most `per_step` of each kind.

    Errors in the changed files first, then the other errors (an error anywhere blocks the
    pull request). Warnings and notices only in the changed files when those are known: the
    standing ones elsewhere (mkdocs.yml's unset site identifiers, a report not yet due) are
    the maintainers' and would crowd every pull request. When any are left out, one notice (in
    place of the last notice) says how many and where all of them are listed."""
    ordered = changed_first(findings, changed)
    chosen: dict[str, list[Finding]] = {severity: [] for severity in COMMAND}
    left_out: dict[str, int] = {severity: 0 for severity in COMMAND}
    for finding in ordered:
        if finding.severity != "error" and changed is not None and finding.path not in changed:
            continue
        if len(chosen[finding.severity]) < per_step:
            chosen[finding.severity].append(finding)
        else:
            left_out[finding.severity] += 1
    if any(left_out.values()) and len(chosen["info"]) == per_step:
        chosen["info"].pop()
        left_out["info"] += 1
    lines = [annotation(finding) for severity in COMMAND for finding in chosen[severity]]
    if any(left_out.values()):
        lines.append(_left_out_notice(left_out))
    return lines


def _left_out_notice(left_out: dict[str, int]) -> str:
    counts = "、".join(f"{count} 个{SEVERITY_LABEL[severity]}" for severity, count in left_out.items() if count)
    message = (f"另有 {counts}没有标注在文件旁（GitHub 每个步骤每种最多显示 {ANNOTATIONS_PER_STEP} 个）。"
               "全部问题列在本次运行的摘要（Summary）页面和“检查内容”步骤的日志中。")
    return f"::notice title={escape_property(TITLE)}::{escape_data(message)}"


# ---- the job summary ----


def markdown_cell(text: str) -> str:
    """`text` as one line of inline GitHub Markdown that shows exactly its characters, safe in
    a table cell and a heading: each character of _CELL_ESCAPES as written there (so `|` cannot
    end the cell and `<` cannot open a tag), each line break as `<br>` (so it cannot end the
    row). One pass per character: an escape is never escaped again."""
    return "<br>".join("".join(_CELL_ESCAPES.get(char, char) for char in line) for line in _LINE_BREAK.split(text))


def location(finding: Finding) -> str:
    """`docs/x.md:6:5`, or the path alone for a finding about the whole file (as Finding.text)."""
    return f"{finding.path}:{finding.line}:{finding.column or 1}" if finding.line else finding.path


def summary_markdown(findings: list[Finding], changed: Collection[str] | None, files: int, quiet: bool = False) -> str:
    """The job summary: a heading that says whether the pull request can pass, the counts, how
    to read and fix, then every finding (every one but the 提示 under `quiet`) in one table per
    file, the changed files first:

        ## 内容检查结果：有 3 个错误，需要修改
        检查了 37 个文件。共 3 个错误，6 个警告，1 个提示。
        …
        ### docs/articles/posts/x.md（本合并请求改动的文件）
        | 位置（文件:行:列） | 级别 | 问题 | 修改方法 |
        | --- | --- | --- | --- |
        | docs/articles/posts/x.md:7:5 | 错误 | 分类“新闻”不在允许的分类中。 | 从这些中选择：… |

    Every text from a finding goes through markdown_cell. Rows stop before the summary would
    pass SUMMARY_BUDGET_BYTES; a last line then says how many are only in the log."""
    errors = sum(1 for finding in findings if finding.severity == "error")
    listed = [finding for finding in findings if not (quiet and finding.severity == "info")]
    lines = [_heading(errors), "", f"检查了 {files} 个文件。{summary(findings)}"]
    if listed:
        lines += ["", _how_to_read()]
    size = _size(lines)
    omitted = 0
    for path, group in _by_file(changed_first(listed, changed)):
        head = ["", f"### {markdown_cell(path)}{_file_note(path, changed)}", "",
                "| 位置（文件:行:列） | 级别 | 问题 | 修改方法 |", "| --- | --- | --- | --- |"]
        rows: list[str] = []
        for finding in group:
            row = _row(finding)
            cost = _size([row]) + (0 if rows else _size(head))
            if omitted or size + cost > SUMMARY_BUDGET_BYTES:  # once one is left out, the rest are too
                omitted += 1
                continue
            rows.append(row)
            size += cost
        if rows:
            lines += [*head, *rows]
    return _finish(lines, findings, listed, omitted)


def _size(lines: list[str]) -> int:
    """Bytes `lines` take in the summary file (UTF-8, one newline each)."""
    return sum(len(line.encode()) + 1 for line in lines)


def _heading(errors: int) -> str:
    return f"{HEADING}：有 {errors} 个错误，需要修改" if errors else f"{HEADING}：没有错误"


def _how_to_read() -> str:
    return ("**错误**必须改正：有错误时网站不会生成，合并请求也不能合并。**警告**请尽量处理，**提示**仅供参考。"
            "改法：在合并请求的 **Files changed**（改动的文件）中打开下表的文件，找到“位置”中的行号（冒号后第一个数），"
            "按“修改方法”改好后提交，检查会自动重新运行。在自己的电脑上检查：`.venv/bin/python scripts/check.py --quiet`。")


def _file_note(path: str, changed: Collection[str] | None) -> str:
    if changed is None:
        return ""
    return "（本合并请求改动的文件）" if path in changed else "（本合并请求没有改动这个文件，一般由维护者处理）"


def _by_file(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by path, in the order each path first appears."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.path, []).append(finding)
    return list(groups.items())


def _row(finding: Finding) -> str:
    cells = [location(finding), SEVERITY_LABEL[finding.severity], finding.message, finding.fix]
    return "| " + " | ".join(markdown_cell(cell) for cell in cells) + " |"


def _finish(lines: list[str], findings: list[Finding], listed: list[Finding], omitted: int) -> str:
    hidden = len(findings) - len(listed)
    notes = []
    if omitted:
        notes.append(f"另有 {omitted} 个问题没有列在这里（摘要最多 1 MiB），全部问题见“检查内容”步骤的日志。")
    if hidden:
        notes.append(f"另有 {hidden} 个提示没有列出，它们不需要处理。")
    for note in notes:  # each its own paragraph
        lines += ["", note]
    return "\n".join(lines) + "\n"
