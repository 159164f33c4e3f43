"""An article's quotations and figures are the report's own words (CONTRIBUTING.md: 引用原文
一字不改；只写原文写明的数字).

An article cites a report when its `report_ref` points into the report's folder or its
`source` names the report's year (“2024年度法治政府建设工作报告”). The
reports are the published annual_report pages: each names its original text in
`source_file` (docs/reports/<year>/<year>-annual-report.txt), the record the site
publishes sentence by sentence. Then:

- every sentence of a `>` quotation must occur in that original (whitespace aside: the
  original has none inside its lines, and Markdown wraps lines where editors do); the
  finding shows the nearest original sentence and what differs ("原文是‘15’，这里是‘16’");
- every number in the title, the summary and the body must occur in the original as a whole
  number (16 is not found inside 160 or 2016);
- a policy document or list whose `source` names the report: its title, a note quoting the
  report (“报告原文：…”), its count and count wording, and any 发文字号 or 索引号 written
  must be in the original (what the report does not say stays empty, never guessed).

An article whose `source` names a year's report that the site does not have gets a warning:
its quotations cannot be checked yet."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import markdown
from markupsafe import Markup

from fazhi.checks import Context
from fazhi.findings import Finding, capped, excerpt
from fazhi.sources.body import outside_fenced_code
from fazhi.sources.frontmatter import MAX_LISTED, ParsedFile, Record
from fazhi.sources.slips import INVISIBLE_SPACES

# Where a sentence ends in the report: its full stops and semicolons, and the ASCII ones
# the original also uses (tests/test_report_fidelity.py splits the same way).
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
# A figure as written: 35, 1.5, 1,400 (thousands separators, as the report never writes them).
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Units and measure words that make a figure another figure: 35次 is not 35%. A figure
# followed by one of these must be in the original with the same one.
# A whole number of the original (16 is not in 160, 2016 or 1.6) and the character after it.
WHOLE_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?!\d|\.\d)(\S?)")
UNITS = frozenset("%次个件项人名家起场份户元倍条部所处支篇期批座万亿千百")
QUOTE_LINE = re.compile(r"^ {0,3}>[ ]?(?P<text>.*)$")
REPORT_NAME = re.compile(r"(\d{4})年度法治政府建设工作报告")
# Markdown that is not reading text: link and image targets, raw HTML tags, reference
# definitions, code (its digits are not figures of the article).
# Each alternative stops at the next character that would start another (a "(" or a "<"):
# a line of a hundred thousand "](" or "<" is read once, not once per opening.
_NOT_TEXT = re.compile(r"\]\([^()\n]*\)|<[^<>\n]*>|^ {0,3}\[[^\]\n]+\]:.*$|`[^`\n]*`", re.MULTILINE)
MAX_DIFFERENCES = 3
# Documents and lists are records in data files; a note quoting the report starts so.
RECORD_TYPES = frozenset({"policy", "list"})
NOTE_QUOTE = "报告原文："


@dataclass(frozen=True)
class Original:
    """A report's original text, as the checks compare it."""

    title: str
    file: str  # as shown to staff, e.g. docs/reports/2024/2024-annual-report.txt
    sentences: tuple[tuple[int, str], ...]  # (line in the file, sentence without whitespace)
    flat: str  # the whole text without whitespace, every character as written
    numbers: frozenset[str]  # its whole numbers (full-width digits as ASCII) ("1203", "2.5"), and each with the character after it ("35次")


def check(context: Context) -> list[Finding]:
    reports = _reports(context)
    findings: list[Finding] = []
    for path, kind in context.typed_files:
        if kind in RECORD_TYPES:
            parsed = context.parsed(path)
            for record in parsed.records:
                original = _cited(record.data, reports)
                if original is not None:
                    findings += _record_findings(parsed, record, original)
    for path, kind in context.typed_markdown.items():
        if kind != "article":
            continue
        parsed = context.parsed(path)
        data = parsed.data
        original = _cited(data, reports)
        if original is None:
            named = REPORT_NAME.search(str(data.get("source", "")))
            if named and not parsed.problems:
                findings.append(Finding(parsed.display, parsed.record.line_of("source"), 1, "warning", "quote-no-original",
                                        f"来源写的是{named.group(1)}年度报告，但网站上还没有这份报告的原文，引文和数字无法核对。",
                                        "请维护者先用 .venv/bin/python scripts/import_report.py 导入这份报告的原文；或改正来源中的年份。"))
            continue
        # At most MAX_LISTED of each kind per page, then one that counts the rest.
        findings += capped(_quotation_findings(parsed, original) + _number_findings(parsed, data, original), MAX_LISTED)
    return findings


# ---- The reports ----


def _reports(context: Context) -> list[tuple[str, int, Original]]:
    """(folder, year, original) of every published report with a readable original."""
    found = []
    for path, kind in context.typed_markdown.items():
        if kind != "annual_report" or path.name != "index.md":
            continue
        records = context.published_records.get(context.relative(path)) or []
        if not records:
            continue
        record = records[0]
        source = path.parent / str(record.get("source_file", ""))
        if not context.readable(source):
            continue
        folder = context.relative(path.parent) + "/"
        title = str(record.get("title", ""))
        year = record.get("year")
        found.append((folder, year if isinstance(year, int) else 0,
                      _original(source, context.display(source), title, source.stat().st_mtime_ns)))
    return found


@cache
def _original(path: Path, shown: str, title: str, version: int) -> Original:
    """The original, read once per version (`version`: its mtime, for the preview)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    sentences = tuple(
        (number, _flat(piece))
        for number, line in enumerate(text.split("\n"), start=1)
        for piece in SENTENCE_END.split(line) if piece.strip()
    )
    normalised = unicodedata.normalize("NFKC", text)
    numbers = {found.group(1) + suffix for found in WHOLE_NUMBER.finditer(normalised) for suffix in ("", found.group(2))}
    return Original(title, shown, sentences, _flat(text), frozenset(numbers))


def _cited(data: dict[str, Any], reports: list[tuple[str, int, Original]]) -> Original | None:
    """The report an article cites: by report_ref's folder, else by the year its `source`
    names (“2024年度法治政府建设工作报告”, the reports' own `year`)."""
    ref = str(data.get("report_ref") or "")
    named = REPORT_NAME.search(str(data.get("source") or ""))
    for folder, year, original in reports:
        if ref.startswith(folder) or (named is not None and int(named.group(1)) == year):
            return original
    return None


# ---- Quotations ----


def _quotation_findings(parsed: ParsedFile, original: Original) -> list[Finding]:
    findings = []
    for first_line, lines in _quotations(parsed):
        text = _reading_text("\n".join(lines))
        for sentence in SENTENCE_END.split(text):
            flat = _flat(sentence)
            if not flat or flat in original.flat:
                continue
            line_number, nearest = _nearest(flat, original)
            line, column = _locate(sentence, first_line, lines, nearest)
            findings.append(Finding(
                parsed.display, line, column, "error", "quote-not-in-report",
                f"引文“{excerpt(sentence.strip(), 40)}”在《{original.title}》原文中找不到。"
                + (f"原文中最接近的一句是“{nearest}”（{original.file} 第 {line_number} 行）；{_differences(flat, nearest)}。" if nearest else ""),
                "从原文逐字复制这一句，一个字、一个标点都不改（包括原文中的英文逗号“,”）；如果这段话不是引用原文，不要以“>”开头。",
            ))
    return findings


def _quotations(parsed: ParsedFile) -> list[tuple[int, list[str]]]:
    """(file line of its first line, its lines) of each quoted paragraph, outside code."""
    result: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(outside_fenced_code(parsed.body)):
        quoted = QUOTE_LINE.match(line)
        text = quoted.group("text") if quoted else ""
        if quoted and text.strip():
            if not current:
                start = parsed.body_line + index
            current.append(text)
        elif current:
            result.append((start, current))
            current = []
    if current:
        result.append((start, current))
    return result


def _nearest(flat: str, original: Original) -> tuple[int, str]:
    """(line, sentence) of the original sentence most like `flat` ((0, "") if none is)."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(flat)
    best: tuple[float, int, str] = (0.0, 0, "")
    for line, sentence in original.sentences:
        matcher.set_seq1(sentence)
        if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, line, sentence)
    return (best[1], best[2]) if best[0] >= 0.5 else (0, "")


def _differences(quoted: str, original: str) -> str:
    """What differs, in staff's words: “原文是‘15’，这里是‘16’”, at most MAX_DIFFERENCES."""
    parts = []
    for tag, a1, a2, b1, b2 in _changes(quoted, original):
        # One character of context on each side: “15个” and “16个”, not “5” and “6”.
        before, after = _visible(original[max(a1 - 1, 0):a2 + 1]), _visible(quoted[max(b1 - 1, 0):b2 + 1])
        if tag == "replace":
            parts.append(f"原文是“{before}”，这里是“{after}”")
        elif tag == "delete":
            parts.append(f"原文是“{before}”，这里少了“{_visible(original[a1:a2])}”")
        else:
            parts.append(f"原文是“{before}”，这里多了“{_visible(quoted[b1:b2])}”")
    shown = "；".join(parts[:MAX_DIFFERENCES])
    return shown + ("；另有其他不同" if len(parts) > MAX_DIFFERENCES else "")


def _changes(quoted: str, original: str) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `original` to `quoted`, without the equal stretches."""
    opcodes = difflib.SequenceMatcher(None, original, quoted, autojunk=False).get_opcodes()
    return [opcode for opcode in opcodes if opcode[0] != "equal"]


def _locate(sentence: str, first_line: int, lines: list[str], nearest: str) -> tuple[int, int]:
    """Where a quoted sentence first differs from the nearest original sentence, in the
    file: the sentence is found by its first characters in the quotation's lines, then
    characters other than whitespace are counted up to the first difference. Markdown that
    rendering removed (emphasis, a link's address) can shift the column, not the line."""
    flat = _flat(sentence)
    changes = _changes(flat, nearest) if nearest else []
    target = changes[0][3] if changes else 0  # index in `flat` of the first difference
    head = sentence.strip()[:6]
    for offset, line in enumerate(lines):
        start = line.find(head) if head else -1
        if start < 0:
            continue
        counted = 0
        for row in range(offset, len(lines)):
            text = lines[row]
            for index in range(start if row == offset else 0, len(text)):
                if text[index].isspace():
                    continue
                if counted == target:
                    return first_line + row, _column(text, index)
                counted += 1
        return first_line + offset, _column(line, start)
    return first_line, 1


def _column(quoted_text: str, index: int) -> int:
    """The file column of `quoted_text[index]`: the line there is "> " + quoted_text."""
    return index + 3


# ---- Numbers ----


def _number_findings(parsed: ParsedFile, data: dict[str, Any], original: Original) -> list[Finding]:
    findings = []
    for key in ("title", "summary"):
        value = data.get(key)
        if isinstance(value, str):
            key_line = parsed.record.line_of(key)
            written = parsed.text.split("\n")[key_line - 1] if key_line else ""
            for match in NUMBER.finditer(unicodedata.normalize("NFKC", value)):
                problem = _number_problem(match, original)
                if problem:
                    at = written.find(match.group(), written.find(":") + 1)  # in the value as typed, when it is on the key's line
                    column = at + 1 if at >= 0 else parsed.record.column_of(key)
                    findings.append(_number_finding(parsed, key_line, column, problem, original, key))
    for index, line in enumerate(outside_fenced_code(parsed.body)):
        if QUOTE_LINE.match(line):
            continue  # a quotation's figures are checked with its words, above
        text = _NOT_TEXT.sub(lambda m: " " * len(m.group()), unicodedata.normalize("NFKC", line))
        for match in NUMBER.finditer(text):
            problem = _number_problem(match, original)
            if problem:
                findings.append(_number_finding(parsed, parsed.body_line + index, match.start() + 1, problem, original, ""))
    return findings


def _number_problem(match: re.Match[str], original: Original) -> str:
    """What is wrong with a figure written in an article ("" when nothing): the number is
    not in the original as a whole number, or it is there only with another unit (the
    report's 35 is “35次”, the article wrote “35%”). Thousands separators are ignored
    (1,400 is 1400)."""
    written = match.group()
    number = written.replace(",", "")
    unit = match.string[match.end():match.end() + 1]
    if not _has_number(number, original):
        return f"数字“{written}”在《{original.title}》原文中找不到。"
    if unit and unit in UNITS and not _has_number(number, original, unit):
        used = sorted(entry[len(number):] for entry in original.numbers
                      if entry.startswith(number) and len(entry) == len(number) + 1 and not entry[-1].isdigit() and entry[-1] != ".")
        shown = "、".join(f"“{number}{after}”" for after in used[:3]) or f"“{number}”"
        return f"“{written}{unit}”在《{original.title}》原文中找不到：原文中的 {number} 写的是{shown}。"
    return ""


def _has_number(number: str, original: Original, unit: str = "") -> bool:
    """`number` (with `unit` after it, if given) is a whole number of the original: one set
    lookup, however many figures a page has."""
    return number + unit in original.numbers


def _number_finding(parsed: ParsedFile, line: int, column: int, problem: str, original: Original, key: str) -> Finding:
    where = f"字段“{key}”中的" if key else ""
    return Finding(parsed.display, line, column, "error", "number-not-in-report", f"{where}{problem}",
                   f"只写原文写明的数字和单位，不换算、不推算：对照原文（{original.file}）改正；"
                   "如果它出自另一份已公开的文件，请维护者先把那份文件的原文放到网站上。")


# ---- Policy documents and lists ----


def _record_findings(parsed: ParsedFile, record: Record, original: Original) -> list[Finding]:
    """A document or list whose `source` is the report: what it quotes or names is there.
    Its title (a list's level in brackets aside), a note quoting the report (after
    NOTE_QUOTE), the count and its wording, and a 发文字号 or 索引号 if one is written."""
    findings = []
    data = record.data
    texts: list[tuple[str, str]] = []
    title = data.get("title")
    if isinstance(title, str) and title:
        texts.append(("title", re.sub(r"（[^（）]*）$", "", title)))
    note = data.get("note")
    if isinstance(note, str) and note.startswith(NOTE_QUOTE):
        texts.append(("note", note.removeprefix(NOTE_QUOTE)))
    for key in ("count_text", "doc_number", "index_no"):
        value = data.get(key)
        if isinstance(value, str) and value:
            texts.append((key, value))
    for key, text in texts:
        if _flat(text) not in original.flat:
            _line_number, nearest = _nearest(_flat(text), original)
            findings.append(Finding(
                parsed.display, record.line_of(key), record.column_of(key), "error", "record-not-in-report",
                f"字段“{key}”的“{excerpt(text, 40)}”在《{original.title}》原文中找不到"
                + (f"（原文中最接近的一句是“{excerpt(nearest, 60)}”；{_differences(_flat(text), nearest)}）" if nearest and key == "note" else "")
                + "，但出处（source）写的是这份报告。",
                "照原文逐字填写；原文没有写明的要素留空（页面显示“未载明”），不要猜。",
            ))
    count = data.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and not _has_number(str(count), original):
        findings.append(_number_finding(parsed, record.line_of("count"), record.column_of("count"),
                                        f"数字“{count}”在《{original.title}》原文中找不到。", original, "count"))
    return findings


# ---- Text ----


@cache
def _converter() -> markdown.Markdown:
    """Python-Markdown with the site's Chinese rules (fazhi.cjk_markdown): `__…__` next to
    Chinese characters is emphasis here as on the page."""
    return markdown.Markdown(extensions=["fazhi.cjk_markdown"])


def _reading_text(markdown_text: str) -> str:
    """A quotation's text as readers see it: emphasis, links and escapes rendered away.
    Plain text (most quotations) is taken as it is."""
    if not re.search(r"[*_`\[\]<>&\\]", markdown_text):
        return markdown_text
    converter = _converter()
    converter.reset()
    return str(Markup(converter.convert(markdown_text)).striptags())


def _visible(text: str) -> str:
    """`text` with each invisible space named (“〔零宽空格〕”): a difference that is one
    would otherwise read as an empty pair of quotation marks."""
    return "".join(f"〔{INVISIBLE_SPACES[char]}〕" if char in INVISIBLE_SPACES else char for char in text)


def _flat(text: str) -> str:
    """`text` without whitespace (layout, not content), every other character as written:
    a full-width comma is not the original's ASCII one."""
    return re.sub(r"\s+", "", text)
