"""Read a content file robustly: Markdown with YAML front matter, or a YAML data file.

Nothing here raises on bad input. A BOM, CRLF line ends, a GBK-encoded file, an empty
file, missing or malformed front matter all become findings on the returned ParsedFile,
and every key keeps the line it was written on so messages can point at it.

Dates stay strings ("2024-02-30" is reported by the schema, not crashed on by YAML).

YAML is read with limits, because these files come from pull requests (fazhi.checks runs
them before anything is built):

- a file larger than its limit (MARKDOWN_FILE_LIMIT, DATA_FILE_LIMIT, FRONT_MATTER_LIMIT)
  is reported and not parsed;
- anchors and aliases (`&a`, `*a`, `<<: *a`) are refused before the document is composed,
  so a kilobyte "billion laughs" alias bomb is a few findings at once, not minutes and
  gigabytes;
- control characters (CONTROL) are an error in page information and data files, raw or
  written as a YAML escape ("\x1b"), each at its own line and column: they make feed.xml
  invalid XML and are invisible in every editor;
- in a Markdown body they are a warning and are taken out of `body`, the text the build
  renders (plugin.on_page_read_source), so they never reach a page or the search index;
- nesting deeper than MAX_DEPTH is refused (no schema goes deeper than three levels)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fazhi.findings import Finding, Severity
from fazhi.sources import slips

BOM = b"\xef\xbb\xbf"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# ---- Limits ----

# Page information is a dozen short fields: an article's is under 1 KiB (its summary is at
# most 120 characters). 64 KiB is far beyond any real page and still parses in a moment.
FRONT_MATTER_LIMIT = 64 * 1024
# The largest data file is docs/policies/documents.yml, about 560 bytes per document: 1,500
# documents are about 0.85 MiB, a figures.yml is under 10 KiB. 4 MiB leaves room for years of
# documents and keeps one file's parse well under a second.
DATA_FILE_LIMIT = 4 * 1024 * 1024
# A Markdown page: the longest (a report part) is 10 KiB. A page of 8 MiB would not open on
# a phone; the file is refused before it is read into memory.
MARKDOWN_FILE_LIMIT = 8 * 1024 * 1024
# Levels of nesting in page information and data: the deepest field any schema has is three
# levels down (changes → item → date; figures → item → value). Ten is generous, and keeps
# every later step (validation, typed copies, templates) far from Python's recursion limit.
MAX_DEPTH = 10
# Findings of one kind listed per file: enough to find them all in a pasted paragraph, few
# enough that a file full of them does not bury every other message.
MAX_LISTED = 10

# ---- Characters that have no place in a page ----

# C0 controls except TAB, LF and CR; DEL; the C1 controls U+0080–U+009F; U+2028 and U+2029
# (YAML and old JavaScript take them for line ends, so lines would be counted differently
# from the editor's); the bidirectional embeddings, overrides and isolates U+202A–U+202E and
# U+2066–U+2069 and the marks U+061C, U+200E, U+200F ("Trojan Source": invisible, they turn the text around them, so a title,
# the navigation or the feed shows other words in another order than the file holds);
# U+FFFE and U+FFFF (not characters). XML 1.0, and so feed.xml, forbids all but DEL, the C1
# controls, U+2028/U+2029 and the direction controls, which browsers show as nothing or as boxes.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
CONTROL_NAMES = {
    0x00: "空字符",
    0x08: "退格符",
    0x0B: "垂直制表符",
    0x0C: "换页符",
    0x1B: "转义符",
    0x7F: "删除符",
    0x85: "下一行符",
    0x061C: "阿拉伯字母方向符",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x2028: "行分隔符",
    0x2029: "段落分隔符",
    0x202A: "从左到右嵌入符",
    0x202B: "从右到左嵌入符",
    0x202C: "方向嵌入结束符",
    0x202D: "从左到右强制符",
    0x202E: "从右到左强制符",
    0x2066: "从左到右隔离符",
    0x2067: "从右到左隔离符",
    0x2068: "方向自动隔离符",
    0x2069: "方向隔离结束符",
    0xFFFE: "非字符",
    0xFFFF: "非字符",
}
# In a Markdown body these are breaks (Word's manual line break is U+000B and its page break
# U+000C; U+0085, U+2028, U+2029 end a line or paragraph): each becomes a space, so the words
# on either side stay apart and every later character keeps its line and column. Any other
# control character has no meaning in text and is removed.
BREAKS = frozenset({0x0B, 0x0C, 0x85, 0x2028, 0x2029})
_BREAK = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def character_name(char: str) -> str:
    """The code point and its Chinese name, for messages: "U+000B 垂直制表符"."""
    return f"U+{ord(char):04X} {CONTROL_NAMES.get(ord(char), '控制字符')}"


def clean_text(text: str) -> str:
    """`text` with every control character (CONTROL) replaced by a space (BREAKS) or removed."""
    return CONTROL.sub("", _BREAK.sub(" ", text))


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
    markdown = path.suffix == ".md"
    limit = MARKDOWN_FILE_LIMIT if markdown else DATA_FILE_LIMIT
    try:
        raw = read_at_most(path, limit)
    except OSError as error:
        parsed.problem(0, "file-unreadable", f"无法读取文件（{error.strerror}）。", "检查文件是否存在、是否有读取权限。")
        return parsed
    if len(raw) > limit:
        _too_large(parsed, 0, "文件", file_size(path, len(raw)), limit,
                   "把内容分成几个文件；图片、附件不要写进文件里。" if markdown else "把数据分成几个文件，或请维护者确认这个文件是否放错了地方。")
        return parsed
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 10:
        # Notepad's "Unicode": every other byte is 0. Read as UTF-8 it is a file of NULs;
        # one message says what happened instead of a dozen about what that looks like.
        parsed.problem(1, "file-encoding", "文件是 UTF-16 编码（记事本“另存为”时选了“Unicode”），网站无法读取。",
                       "用记事本“另存为”，在“编码”中选“UTF-8”后保存；或用 VS Code 右下角的编码按钮改成 UTF-8。")
        return parsed
    parsed.text = _decode(raw, parsed)
    if not parsed.text.strip():
        parsed.problem(1, "file-empty", "文件是空的。", "补上内容；不要的文件请删除。")
        return parsed
    if markdown:
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


class RefusedYAML(yaml.YAMLError):
    """YAML that parse_yaml will not read: too large, a control character, an anchor or alias."""


def parse_yaml(text: str) -> Any:
    """Plain data from YAML text with dates left as strings, under the same limits as `read`
    (raises yaml.YAMLError; RefusedYAML for what the limits refuse)."""
    if len(text) > DATA_FILE_LIMIT // 4 and len(text.encode("utf-8")) > DATA_FILE_LIMIT:
        raise RefusedYAML(f"larger than {DATA_FILE_LIMIT} bytes")
    control = CONTROL.search(text)
    if control is not None:
        raise RefusedYAML(f"control character {character_name(control.group())}")
    if _anchors(text):
        raise RefusedYAML("anchors and aliases are not allowed")
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
        parsed.body = _clean_body(parsed, parsed.text, 1)
        parsed.problem(1, "fm-missing", "文件开头缺少页面信息（两行“---”之间的标题、日期等）。",
                       "在第一行写“---”，接着逐行写“字段: 值”（至少有 title），再写一行“---”。")
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        parsed.body = ""
        parsed.problem(1, "fm-unclosed", "页面信息没有结束行“---”。",
                       "在页面信息的最后一个字段之后单独写一行“---”。")
        return
    parsed.has_front_matter = True
    parsed.body_line = end + 2
    parsed.body = _clean_body(parsed, "\n".join(lines[end + 1:]), parsed.body_line)
    text = "\n".join(lines[1:end])
    if len(text) > FRONT_MATTER_LIMIT // 4 and len(text.encode("utf-8")) > FRONT_MATTER_LIMIT:
        _too_large(parsed, 1, "页面信息（两行“---”之间的部分）", len(text.encode("utf-8")), FRONT_MATTER_LIMIT,
                   "页面信息只写标题、日期、摘要等短字段；长的文字写到第二个“---”之后的正文里。")
        return
    # The delimiter lines too: "---" followed by a control character still opens the block.
    if _refuse_controls(parsed, "\n".join(lines[: end + 1]), 1, "页面信息"):
        return
    if _report_slips(parsed, text, first_line=2):
        return
    record = _parse_records(text, first_line=2, parsed=parsed, many=False)
    if record is not None and not record:
        parsed.problem(1, "fm-empty", "页面信息（两行“---”之间）是空的。", "在两行“---”之间写页面信息，至少写 title。")
    parsed.records = record or []


def _read_data(parsed: ParsedFile, many: bool | None) -> None:
    if _refuse_controls(parsed, parsed.text, 1, "数据文件"):
        return
    if _report_slips(parsed, parsed.text, first_line=1):
        return
    records = _parse_records(parsed.text, first_line=1, parsed=parsed, many=many)
    parsed.records = records or []


class _TooDeepError(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


def _parse_records(text: str, first_line: int, parsed: ParsedFile, many: bool | None) -> list[Record] | None:
    """Records from YAML text starting at file line `first_line`; None after a problem."""
    offset = first_line - 1
    if _refuse_anchors(parsed, text, offset):
        return None
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
    try:
        return _records(node, data, text, first_line, parsed, many)
    except _TooDeepError as error:
        mark = error.node.start_mark
        parsed.problem(offset + mark.line + 1, "yaml-too-deep", f"这里的内容套了超过 {MAX_DEPTH} 层（列表中的列表、表中的表）。",
                       "页面信息和数据文件最多用到三层；对照 CONTRIBUTING.md 的示例改写。", column=mark.column + 1)
        return None


def _records(node: yaml.Node, data: Any, text: str, first_line: int, parsed: ParsedFile, many: bool | None) -> list[Record] | None:
    offset = first_line - 1
    if isinstance(node, yaml.MappingNode) and many is not True:
        records = [_record(node, data, offset, parsed)]
    elif isinstance(node, yaml.SequenceNode) and many is not False:
        records = []
        for item_node, item in zip(node.value, data, strict=True):
            if isinstance(item_node, yaml.MappingNode):
                records.append(_record(item_node, item, offset, parsed))
            else:
                parsed.problem(offset + item_node.start_mark.line + 1, "yaml-not-mapping",
                               "列表中的这一项不是“字段: 值”的形式。",
                               "每一项以“- title: …”开头，下面的字段缩进两个空格对齐。")
    else:
        expected = "“- 字段: 值”组成的列表" if many else "“字段: 值”的形式"
        parsed.problem(first_line, "yaml-not-mapping", f"内容应当是{expected}。",
                       "每行写一个“字段: 值”，冒号后加一个空格。")
        return None
    # Raw control characters never get here; written as an escape ("\x1b", "\u000b") they
    # need a backslash, so text without one (nearly every file) holds none.
    if "\\" in text:
        for record in records:
            _escaped_controls(record.data, "", record, parsed)
    return records


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
        _index_children(value_node, key, offset, record, 1)
    return record


def _index_children(node: yaml.Node, prefix: str, offset: int, record: Record, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _TooDeepError(node)
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            key = f"{prefix}.{index}"
            record.lines[key] = offset + child.start_mark.line + 1
            record.columns[key] = child.start_mark.column + 1
            _index_children(child, key, offset, record, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for key_node, child in node.value:
            key = f"{prefix}.{key_node.value}"
            record.lines[key] = offset + key_node.start_mark.line + 1
            record.columns[key] = key_node.start_mark.column + 1
            _index_children(child, key, offset, record, depth + 1)


def _escaped_controls(value: Any, key: str, record: Record, parsed: ParsedFile) -> None:
    """A control character in a value (or key) that YAML let through as an escape: "\\x1b",
    "\\u000b". Reported on the line of its key; nested lists and tables too (their depth is
    limited by _index_children)."""
    if isinstance(value, dict):
        for name, item in value.items():
            path = f"{key}.{name}" if key else str(name)
            _escaped_controls(name, path, record, parsed)
            _escaped_controls(item, path, record, parsed)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _escaped_controls(item, f"{key}.{index}", record, parsed)
    elif isinstance(value, str) and (found := CONTROL.search(value)) is not None:
        char = found.group()
        escape = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        parsed.problem(record.line_of(key), "yaml-control-character",
                       f"字段“{key}”中有控制字符 {character_name(char)}（在 YAML 里写成了“{escape}”这样的转义），"
                       "网页和订阅（feed.xml）都不能包含它。",
                       f"删除引号中的“{escape}”这类转义写法，只写要显示的文字。",
                       column=record.column_of(key))


def _refuse_anchors(parsed: ParsedFile, text: str, offset: int) -> bool:
    """Report every YAML anchor and alias in `text` (file line = `offset` + YAML line + 1)."""
    found = _anchors(text)
    if not found:
        return False
    source_lines = text.split("\n")
    for index, (line, column, token) in enumerate(found[:MAX_LISTED]):
        # The node's mark is where its properties start (a tag may come before the anchor).
        at = source_lines[line].find(token, column) if line < len(source_lines) else -1
        parsed.problem(offset + line + 1, "yaml-anchor",
                       f"不能使用 YAML 锚点/别名（& 和 *）：这里写了“{token}”{_more(found, index)}。",
                       "把内容直接写出来：删除“&名字”，在写了“*名字”的地方把那段内容完整地再写一遍；"
                       "如果“&”“*”本是文字的一部分，把整个值用英文引号括起来。",
                       column=(at if at >= 0 else column) + 1)
    return True


def _anchors(text: str) -> list[tuple[int, int, str]]:
    """(line, column, "&name" or "*name"), 0-based, of the first MAX_LISTED + 1 anchors and
    aliases in `text`, from libyaml's own events, before anything is composed. An anchor or
    alias is always written with a literal "&" or "*", so text with neither (nearly every
    file) is not scanned."""
    if "&" not in text and "*" not in text:
        return []
    found = []
    loader = ContentLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves Parser.get_event unannotated
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                found.append((event.start_mark.line, event.start_mark.column, f"{sign}{anchor}"))
                if len(found) > MAX_LISTED:
                    break
    except yaml.YAMLError:
        pass  # composing reports the syntax error, if no anchor came before it
    finally:
        loader.dispose()
    return found


def _refuse_controls(parsed: ParsedFile, text: str, first_line: int, what: str) -> bool:
    """Report the control characters in page information or a data file (errors: YAML would
    stop at the first with a message about the wrong line). True when there are any."""
    found = _controls(text, first_line)
    for index, (line, column, char) in enumerate(found[:MAX_LISTED]):
        parsed.problem(line, "file-control-character",
                       f"{what}中有看不见的控制字符 {character_name(char)}"
                       + _more(found, index)
                       + "，常见于从 Word、PDF 或网页复制的文字。",
                       f"把光标移到第 {line} 行第 {column} 个字符处删除它（看起来可能什么也没有）；"
                       "需要换行的地方直接按回车，需要空格的地方重新输入空格。",
                       column=column)
    return bool(found)


def _report_slips(parsed: ParsedFile, text: str, first_line: int) -> bool:
    """Report the typing slips in YAML `text` (fazhi.sources.slips) at their own line and
    column. True when one is an error: the text is then not parsed, since YAML would only
    add a message about the next line for the same slip."""
    found = slips.yaml_slips(text, first_line)
    for slip in found:
        parsed.problem(slip.line, slip.code, slip.message, slip.fix, severity=slip.severity, column=slip.column)
    return any(slip.severity == "error" for slip in found)


def _clean_body(parsed: ParsedFile, body: str, first_line: int) -> str:
    """The Markdown body without control characters, each one a warning at its place, and
    its typing slips (fazhi.sources.slips) reported."""
    for slip in slips.body_slips(body, first_line, MAX_LISTED):
        parsed.problem(slip.line, slip.code, slip.message, slip.fix, severity=slip.severity, column=slip.column)
    if CONTROL.search(body) is None:
        return body
    found = _controls(body, first_line)
    for index, (line, column, char) in enumerate(found[:MAX_LISTED]):
        action = "换成了空格" if ord(char) in BREAKS else "去掉了"
        parsed.problem(line, "body-control-character",
                       f"正文中有看不见的控制字符 {character_name(char)}"
                       + _more(found, index)
                       + f"，网站生成时把它{action}。",
                       f"在第 {line} 行第 {column} 个字符处删除它（看起来可能什么也没有）；需要换行的地方直接按回车。",
                       severity="warning", column=column)
    return clean_text(body)


def _controls(text: str, first_line: int) -> list[tuple[int, int, str]]:
    """(file line, column, character), 1-based, of the first MAX_LISTED + 1 control
    characters in `text` (one more than are listed: the message then says there are more)."""
    found: list[tuple[int, int, str]] = []
    line, counted = first_line, 0
    for match in CONTROL.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.append((line, match.start() - text.rfind("\n", 0, match.start()), match.group()))
        if len(found) > MAX_LISTED:
            break
    return found


def _more(found: list[Any], index: int) -> str:
    """The note on the first of the listed findings when there are more than are listed."""
    return f"（还有更多处，这里只列出前 {MAX_LISTED} 处）" if index == 0 and len(found) > MAX_LISTED else ""


def _too_large(parsed: ParsedFile, line: int, what: str, size: int, limit: int, fix: str) -> None:
    parsed.problem(line, "file-too-large", f"{what}太大（{size_text(size)}，上限是 {size_text(limit)}），没有读取。", fix,
                   column=1 if line else 0)


def read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, or its first limit + 1 bytes when it is larger: never more than
    the limit in memory. (Reading the size the file says it has: asking for limit + 1 bytes
    every time would allocate that much for every small file.)"""
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            return stream.read(limit + 1)
        raw = stream.read((size or limit) + 1)  # size 0: a file that does not say (/proc)
        if size and len(raw) > size:  # grew while being read
            raw += stream.read(limit + 1 - len(raw))
        return raw


def file_size(path: Path, read: int) -> int:
    """The size of a file found too large, for its message (at least what was read)."""
    try:
        return max(path.stat().st_size, read)
    except OSError:
        return read


def size_text(size: int) -> str:
    """A size for staff, in KB as file managers show it."""
    return f"{-(-size // 1024):,} KB"  # rounded up: a file one byte over the limit does not show as equal to it


def _yaml_problem(parsed: ParsedFile, error: yaml.YAMLError, offset: int, text: str) -> None:
    """One finding for a YAML syntax error, in Chinese, at the line that causes it: where
    the scanner started the key it could not finish ("while scanning a simple key" marks the
    line without a colon, the parser's own mark is the line after it), or the explanation of
    a slip the parser cannot see (fazhi.sources.slips.explain_yaml_error)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and any(phrase in str(getattr(error, "context", "")) for phrase in ("simple key", "quoted scalar")):
        mark = context_mark  # where the unfinished key or the unclosed quotation starts
    line_in_text = mark.line if mark is not None else 0
    column = mark.column + 1 if mark is not None else 1
    source_lines = text.split("\n")
    what = "页面信息" if parsed.path.suffix == ".md" else "数据文件"
    explained = slips.explain_yaml_error(text, offset + 1, offset + line_in_text + 1)
    if explained is not None:
        parsed.problem(explained.line, explained.code, f"{what}（YAML）格式错误：{explained.message}", explained.fix,
                       column=explained.column)
        return
    if "\t" in text:
        tab_line = next(i for i, s in enumerate(source_lines) if "\t" in s)
        line_in_text, column = tab_line, source_lines[tab_line].index("\t") + 1
        cause, fix = "这一行用 Tab 缩进", "把这一行的 Tab 换成空格（YAML 只能用空格缩进）。"
    elif isinstance(error, yaml.constructor.ConstructorError):
        cause, fix = "这里有以“!”开头的标记", "去掉以“!”开头的标记，值直接写文字；含特殊符号的值用英文引号括起来。"
    else:
        cause = _yaml_cause(str(getattr(error, "problem", None) or error))
        fix = ("检查这一行：字段名后面是英文冒号加一个空格（“title: …”）；值里含有英文冒号加空格或“ #”时，"
               "把整个值用英文双引号括起来；值里的引号请用中文引号“”；列表每项以“- ”开头，并和上一项对齐。")
    bad = source_lines[line_in_text] if line_in_text < len(source_lines) else ""
    near = f"“{bad.strip()[:40]}”：" if bad.strip() else ""
    parsed.problem(offset + line_in_text + 1, "yaml-invalid", f"{what}（YAML）格式错误：{near}{cause}。", fix, column=column)


# The parser's problems in staff's words (PyYAML's scanner and parser messages).
_YAML_CAUSES = (
    ("could not find expected ':'", "这一行既不是“字段: 值”，也不是列表项（“- 项”），可能少了英文冒号或冒号后的空格"),
    ("mapping values are not allowed here", "值里有“英文冒号加空格”，YAML 把它当成了又一个字段"),
    ("did not find expected key", "这一行的缩进和上面的字段没有对齐"),
    ("did not find expected '-' indicator", "列表项没有对齐，或列表中间夹了一行别的内容"),
    ("expected <block end>", "这一行的缩进和上面的字段没有对齐"),
    ("found unexpected end of stream", "引号没有配对：开头的引号找不到结束的引号"),
    ("found unknown escape character", "双引号里的反斜杠“\\”后面跟了 YAML 不认识的字符"),
    ("found character '\t'", "这一行有 Tab"),
    ("found unexpected ':'", "这里有一个位置不对的英文冒号"),
    ("found character '@' that cannot start any token", "值不能以“@”开头"),
    ("found character '`' that cannot start any token", "值不能以“`”开头"),
)


def _yaml_cause(problem: str) -> str:
    return next((cause for phrase, cause in _YAML_CAUSES if phrase in problem), "YAML 读不懂这一行")
