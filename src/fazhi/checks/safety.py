"""Content safety: raw scripts and frames, event handlers and javascript: addresses in
Markdown; personal information (身份证号 with a valid check digit, mobile numbers, bank
card numbers passing Luhn); images without alt text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fazhi.checks import Context, source_line
from fazhi.findings import Finding
from fazhi.sources.frontmatter import ParsedFile

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
CARD = re.compile(r"(?<![0-9])\d(?:[ -]?\d){15,18}(?![0-9])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PERSONAL_FIX = "公开页面不得含有个人信息：删除，或只保留前后几位并用 * 代替中间部分（如 138****0000）。"


def personal_information_check(context: Context) -> list[Finding]:
    """Personal information in every text file (Markdown, YAML, CSV)."""
    findings: list[Finding] = []
    for path in context.files:
        if path.suffix in (".md", ".yml", ".yaml", ".csv"):
            findings += personal_information(context, path)
    return findings


def markup_check(context: Context) -> list[Finding]:
    """Unsafe markup and images without alt text in every Markdown page, as rendered."""
    findings: list[Finding] = []
    for path in context.markdown_files:
        findings += _markup(context, path)
    return findings


def valid_id_number(number: str) -> bool:
    """18-digit 居民身份证号码: a real birth date and the GB 11643 check digit."""
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def personal_information(context: Context, path: Path) -> list[Finding]:
    text = context.parsed(path).text if path.suffix != ".csv" else path.read_bytes().decode("utf-8-sig", "replace")
    shown = context.display(path)
    findings: list[Finding] = []
    # None of the patterns crosses a line end: a file without a match needs no line-by-line pass.
    if not (ID_NUMBER.search(text) or MOBILE.search(text) or CARD.search(text)):
        return findings
    for number, line in enumerate(text.split("\n"), start=1):
        id_spans = []
        for match in ID_NUMBER.finditer(line):
            if valid_id_number(match.group()):
                id_spans.append(match.span())
                findings.append(Finding(shown, number, match.start() + 1, "error", "privacy-id-number",
                                        f"疑似公民身份号码“{_mask(match.group())}”。", PERSONAL_FIX))
        for match in MOBILE.finditer(line):
            findings.append(Finding(shown, number, match.start() + 1, "error", "privacy-mobile",
                                    f"疑似个人手机号码“{_mask(match.group())}”。",
                                    PERSONAL_FIX + "对外服务电话请写单位的固定电话。"))
        for match in CARD.finditer(line):
            digits = re.sub(r"\D", "", match.group())
            inside_id = any(start <= match.start() < end for start, end in id_spans)
            if not inside_id and len(set(digits)) > 2 and luhn(digits):
                findings.append(Finding(shown, number, match.start() + 1, "error", "privacy-bank-card",
                                        f"疑似银行卡号“{_mask(digits)}”。", PERSONAL_FIX))
    return findings


# ---- Helper functions ----


def _mask(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _markup(context: Context, path: Path) -> list[Finding]:
    rendered = context.rendered(path)
    parsed = context.parsed(path)
    shown = context.display(path)
    findings = []
    for kind, name, needle in rendered.unsafe:
        line, column = _find(parsed, needle)
        if kind == "tag":
            findings.append(Finding(shown, line, column, "error", f"unsafe-{name}",
                                    f"正文中不允许使用 <{name}> 标签（可能执行脚本或嵌入其他网站的内容）。",
                                    "删除这个标签；需要展示的视频、地图等请改为普通链接。"))
        elif kind == "event":
            findings.append(Finding(shown, line, column, "error", "unsafe-event-handler",
                                    f"正文中不允许使用事件属性“{name}”（会执行脚本）。", "删除这个属性。"))
        else:
            findings.append(Finding(shown, line, column, "error", "unsafe-javascript-url",
                                    "正文中不允许使用“javascript:”链接（会执行脚本）。", "改为普通网址，或删除这个链接。"))
    for src in rendered.images_without_alt:
        line, column = source_line(parsed, src or "![")
        findings.append(Finding(shown, line, column, "error", "image-alt-missing",
                                f"图片“{src}”没有替代文字，视障读者无法知道图片内容。",
                                "在 ![ ] 的方括号里写一句话说明图片内容，例如 ![法律援助工作站外景](images/x.jpg)。"))
    return findings


def _find(parsed: ParsedFile, needle: str) -> tuple[int, int]:
    """Case-insensitive source position of `needle` in the body."""
    lines = parsed.text.lower().split("\n")
    for index in range(parsed.body_line - 1, len(lines)):
        column = lines[index].find(needle.lower())
        if column >= 0:
            return index + 1, column + 1
    return parsed.body_line, 1
