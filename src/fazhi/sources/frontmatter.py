"""Read a content file robustly: Markdown with YAML front matter, or a YAML data file.

Nothing here raises on bad input. A BOM, CRLF line ends, a GBK-encoded file, an empty
file, missing or malformed front matter all become findings on the returned ParsedFile,
and every key keeps the line it was written on so messages can point at it.

Dates stay strings ("2024-02-30" is reported by the schema, not crashed on by YAML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fazhi.findings import Finding, Severity

BOM = b"\xef\xbb\xbf"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


# libyaml's parser when PyYAML has it (ten times faster on thousands of files). Both have
# SafeLoader's interface, which is what mypy checks against.
if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_BaseLoader):
    """SafeLoader that leaves dates as written, so the schema can judge them."""


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Record:
    """One mapping of metadata: a page's front matter or one item of a data list."""

    data: dict[str, Any]
    line: int  # where the mapping starts (1-based, in the file)
    lines: dict[str, int] = field(default_factory=dict)  # "key" / "key.0.sub" -> line
    columns: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of `key` (dotted path); falls back to its parent, then the mapping."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return self.line

    def column_of(self, key: str) -> int:
        return self.columns.get(key, 1)


@dataclass
class ParsedFile:
    path: Path
    display: str  # the path as shown in messages
    text: str = ""  # decoded text with \n line ends ("" if unreadable)
    body: str = ""  # Markdown after the front matter
    body_line: int = 1  # file line on which `body` starts
    has_front_matter: bool = False
    records: list[Record] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.records[0].data if self.records else {}

    @property
    def record(self) -> Record:
        return self.records[0] if self.records else Record({}, 1)

    def problem(self, line: int, code: str, message: str, fix: str, severity: Severity = "error",
                column: int = 1) -> None:
        self.problems.append(Finding(self.display, line, column, severity, code, message, fix))


def read(path: Path, display: str | None = None, many: bool | None = None) -> ParsedFile:
    """Parse `path` (.md: front matter + body; .yml/.yaml: data). `many`: the data file
    must be a list of mappings (default: a list is accepted as many records)."""
    parsed = ParsedFile(path, display or str(path))
    try:
        raw = path.read_bytes()
    except OSError as error:
        parsed.problem(0, "file-unreadable", f"无法读取文件（{error.strerror}）。", "检查文件是否存在、是否有读取权限。")
        return parsed
    parsed.text = _decode(raw, parsed)
    if not parsed.text.strip():
        parsed.problem(1, "file-empty", "文件是空的。", "补上内容；不要的文件请删除。")
        return parsed
    if path.suffix == ".md":
        _read_markdown(parsed)
    else:
        _read_data(parsed, many)
    return parsed


class ReadCache:
    """`read`, reusing the last result while the file is unchanged (same size, modification
    time and inode). The plugin keeps one for a whole `mkdocs serve`: it rebuilds after every
    save, and re-reading a thousand unchanged articles each time was most of a preview's
    wait. Results are shared: callers must not modify them."""

    def __init__(self) -> None:
        self._files: dict[tuple[Path, str | None, bool | None], tuple[tuple[int, int, int], ParsedFile]] = {}

    def read(self, path: Path, display: str | None = None, many: bool | None = None) -> ParsedFile:
        try:
            stat = path.stat()
        except OSError:
            return read(path, display, many)
        key = (path, display, many)
        version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._files.get(key)
        if cached is None or cached[0] != version:
            cached = self._files[key] = (version, read(path, display, many))
        return cached[1]

    def clear(self) -> None:
        """Drop every file kept (a one-off build needs them only while it reads its files;
        thousands of articles' text is memory the rest of the build can use)."""
        self._files.clear()


def parse_yaml(text: str) -> Any:
    """Plain data from YAML text with dates left as strings (raises yaml.YAMLError)."""
    return yaml.load(text, ContentLoader)  # noqa: S506 - SafeLoader subclass


# ---- Helper functions ----


def _decode(raw: bytes, parsed: ParsedFile) -> str:
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
        parsed.problem(1, "file-bom", "文件开头有 BOM（字节顺序标记）。",
                       "用编辑器另存为“UTF-8”（不带 BOM）。", severity="warning")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            text = raw.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
            guess = "含有无法识别的字节"
        parsed.problem(line, "file-encoding", f"文件不是 UTF-8 编码（{guess}），网站无法读取。",
                       "用编辑器（如 VS Code、记事本）把文件“另存为”UTF-8 编码后再提交。")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        parsed.problem(line, "file-crlf", "文件使用 Windows 换行符（CRLF）。",
                       "在编辑器中把换行符改为 LF（VS Code 右下角“CRLF”点一下改成“LF”）。",
                       severity="warning")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read_markdown(parsed: ParsedFile) -> None:
    lines = parsed.text.split("\n")
    if lines[0].rstrip() != "---":
        parsed.body = parsed.text
        parsed.problem(1, "fm-missing", "文件开头缺少 front matter（页面信息）。",
                       "在第一行写“---”，接着逐行写“字段: 值”（至少有 title），再写一行“---”。")
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        parsed.body = ""
        parsed.problem(1, "fm-unclosed", "front matter 没有结束行“---”。",
                       "在页面信息的最后一个字段之后单独写一行“---”。")
        return
    parsed.has_front_matter = True
    parsed.body = "\n".join(lines[end + 1:])
    parsed.body_line = end + 2
    record = _parse_records("\n".join(lines[1:end]), first_line=2, parsed=parsed, many=False)
    if record is not None and not record:
        parsed.problem(1, "fm-empty", "front matter 是空的。", "在两行“---”之间写页面信息，至少写 title。")
    parsed.records = record or []


def _read_data(parsed: ParsedFile, many: bool | None) -> None:
    records = _parse_records(parsed.text, first_line=1, parsed=parsed, many=many)
    parsed.records = records or []


def _parse_records(text: str, first_line: int, parsed: ParsedFile, many: bool | None) -> list[Record] | None:
    """Records from YAML text starting at file line `first_line`; None after a problem."""
    offset = first_line - 1
    loader = None
    try:
        loader = ContentLoader(text)
        node = loader.get_single_node()
        data: Any = loader.construct_document(node) if node is not None else None  # whatever the YAML holds
    except yaml.YAMLError as error:
        _yaml_problem(parsed, error, offset, text)
        return None
    except Exception as error:  # noqa: BLE001 - any parser failure is a finding
        parsed.problem(first_line, "yaml-invalid", f"YAML 无法解析（{error}）。", "检查这一段的格式。")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return []
    if isinstance(node, yaml.MappingNode) and many is not True:
        return [_record(node, data, offset, parsed)]
    if isinstance(node, yaml.SequenceNode) and many is not False:
        records = []
        for item_node, item in zip(node.value, data, strict=True):
            if isinstance(item_node, yaml.MappingNode):
                records.append(_record(item_node, item, offset, parsed))
            else:
                parsed.problem(offset + item_node.start_mark.line + 1, "yaml-not-mapping",
                               "列表中的这一项不是“字段: 值”的形式。",
                               "每一项以“- title: …”开头，下面的字段缩进两个空格对齐。")
        return records
    expected = "“- 字段: 值”组成的列表" if many else "“字段: 值”的形式"
    parsed.problem(first_line, "yaml-not-mapping", f"内容应当是{expected}。",
                   "每行写一个“字段: 值”，冒号后加一个空格。")
    return None


def _record(node: yaml.MappingNode, data: dict[str, Any], offset: int, parsed: ParsedFile) -> Record:
    record = Record(data, offset + node.start_mark.line + 1)
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = offset + key_node.start_mark.line + 1
        if key in seen:
            parsed.problem(line, "yaml-duplicate-key", f"字段“{key}”写了两次，只有最后一次有效。",
                           "删除重复的那一行。", column=key_node.start_mark.column + 1)
        seen.add(key)
        record.lines[key] = line
        record.columns[key] = key_node.start_mark.column + 1
        _index_children(value_node, key, offset, record)
    return record


def _index_children(node: yaml.Node, prefix: str, offset: int, record: Record) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            key = f"{prefix}.{index}"
            record.lines[key] = offset + child.start_mark.line + 1
            record.columns[key] = child.start_mark.column + 1
            _index_children(child, key, offset, record)
    elif isinstance(node, yaml.MappingNode):
        for key_node, child in node.value:
            key = f"{prefix}.{key_node.value}"
            record.lines[key] = offset + key_node.start_mark.line + 1
            record.columns[key] = key_node.start_mark.column + 1
            _index_children(child, key, offset, record)


def _yaml_problem(parsed: ParsedFile, error: yaml.YAMLError, offset: int, text: str) -> None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line_in_text = mark.line if mark is not None else 0
    column = mark.column + 1 if mark is not None else 1
    source_lines = text.split("\n")
    bad = source_lines[line_in_text] if line_in_text < len(source_lines) else ""
    detail = getattr(error, "problem", None) or str(error)
    if "\t" in text:
        tab_line = next(i for i, s in enumerate(source_lines) if "\t" in s)
        line_in_text, column = tab_line, source_lines[tab_line].index("\t") + 1
        fix = "把这一行的 Tab 换成空格（YAML 只能用空格缩进）。"
    elif isinstance(error, yaml.constructor.ConstructorError):
        fix = "去掉以“!”开头的标记，值直接写文字；含特殊符号的值用英文引号括起来。"
    else:
        fix = ("检查这一行及上一行：冒号后要有一个空格；值里含有英文冒号、#、引号时，"
               "把整个值用英文引号括起来；列表每项以“- ”开头并对齐。")
    near = f"：“{bad.strip()[:40]}”" if bad.strip() else ""
    parsed.problem(offset + line_in_text + 1, "yaml-invalid",
                   f"{'页面信息' if parsed.path.suffix == '.md' else '数据文件'}（YAML）格式错误{near}（{detail}）。", fix, column=column)
