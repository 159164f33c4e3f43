"""Content safety: what the sanitizer removed from a page (fazhi.safety: markup that runs
code, redirects, frames, collects input or loads from another host refuses the page; other
markup outside the allowlist is removed with a warning); personal information (身份证号 with a valid check digit, mobile numbers, bank
card numbers passing Luhn); images without alt text."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from fazhi.checks import Context
from fazhi.checks.links import as_written, classify, images_path, is_local_file, unescaped
from fazhi.findings import Finding, capped
from fazhi.safety import allowlist
from fazhi.safety.sanitizer import Removal
from fazhi.sources.frontmatter import MAX_LISTED, ParsedFile

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
    """What the sanitizer removed, and images without alt text: at most MAX_LISTED findings
    of one kind per page, then one that counts the rest (fazhi.findings.capped)."""
    rendered = context.rendered(path)
    parsed = context.parsed(path)
    shown = context.display(path)
    images = images_path(context.relative(path))  # docs/assets/images/ as this page writes it
    locate = _Locator(parsed)
    findings: list[Finding] = []
    listed: Counter[str] = Counter()

    def where(code: str, *needles: str) -> tuple[int, int]:
        """Only what will be listed is looked for: the rest is counted (fazhi.findings.capped)."""
        listed[code] += 1
        return locate(*needles) if listed[code] <= MAX_LISTED + 1 else (0, 0)

    for removal in rendered.removed:
        if removal.kind == "attribute" and removal.name == "href" and classify(removal.value).kind == "invalid":
            continue  # a malformed address: the link rule (link-invalid) says what is wrong with it
        code, message, fix = _removal_text(removal, images)
        line, column = where(code, removal.needle, f"{removal.name}=", f"<{removal.tag}")
        findings.append(Finding(shown, line, column, "error" if removal.active else "warning", code, message, fix))
    for src in rendered.images_without_alt:
        line, column = where("image-alt-missing", as_written(src) or "![", "![", "<img")
        findings.append(Finding(shown, line, column, "error", "image-alt-missing",
                                f"图片“{unescaped(src)}”没有替代文字，视障读者无法知道图片内容。",
                                f"在 ![ ] 的方括号里写一句话说明图片内容，例如 ![法律援助工作站外景]({images}photo-1.jpg)。"))
    return capped(findings, MAX_LISTED)


# Why an element is refused, by what it does (fazhi.safety.allowlist.ACTIVE_TAGS).
_TAG_REASONS = (
    ({"script", "noscript", "template", "math", "foreignobject", "use", "image", "animate", "set", "animatetransform",
      "animatemotion", "xmp", "plaintext", "listing"}, "可能执行脚本"),
    ({"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "noembed", "noframes"}, "会嵌入其他网站的内容"),
    ({"meta", "base", "link", "html", "head", "body", "title"}, "会把读者转到其他网址、改变页面中所有链接或从其他网站加载内容"),
    ({"form", "input", "button", "textarea", "select", "option"}, "表单会把读者填写的内容发送出去"),
    ({"style"}, "会改变或遮盖整个网页"),
    ({"video", "audio", "source", "track", "picture"}, "会从其他网站加载内容"),
)


def _html_fix(images: str) -> str:
    """How to write it instead; `images` is docs/assets/images/ as the page writes it."""
    return f"改用 Markdown 的写法（如 **加粗**、## 小标题、[文字](网址)、![图片说明]({images}photo-1.jpg)）；确实需要的效果请联系网站维护者。"


def _removal_text(removal: Removal, images: str) -> tuple[str, str, str]:
    """(code, message, fix) for one thing the sanitizer removed; `images` is
    docs/assets/images/ as the page writes it (../../assets/images/ from an article)."""
    name = removal.name
    html_fix = _html_fix(images)
    if removal.kind == "tag":
        if not removal.active:
            return ("html-removed", f"网站会去掉 <{name}> 标签（不在允许使用的 HTML 范围内），其中的文字照常显示。", html_fix)
        reason = next((why for names, why in _TAG_REASONS if name in names), "可能执行脚本或加载其他网站的内容")
        return (f"unsafe-{name}", f"正文中不允许使用 <{name}> 标签（{reason}），网站不会发布这个页面。",
                "删除这个标签；视频、地图、表单等请改为指向它的普通链接。")
    if name.startswith("on"):
        return ("unsafe-event-handler", f"正文中不允许使用事件属性“{name}”（会执行脚本）。", "删除这个属性。")
    if (removal.tag, name) in allowlist.RESOURCE_ATTRIBUTES or name == "srcset":
        fix = f"把图片放进 docs/assets/images/（文件名用英文小写），从本页写成 ![图片说明]({images}photo-1.jpg)。"
        if is_local_file(removal.value):
            return ("unsafe-external-resource", f"图片地址“{removal.value[:80]}”是你电脑上的位置，读者打不开。", fix)
        return ("unsafe-external-resource", f"图片地址“{removal.value[:80]}”指向其他网站：本站页面只能显示本站的图片（在中国大陆也要能完整打开，也不向其他网站透露谁在阅读）。",
                "下载后确认可以使用，" + fix)
    if name in ("href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "ping", "codebase", "manifest"):
        scheme = removal.value.strip().split(":", 1)[0].lower() if ":" in removal.value else removal.value.strip()
        code = "unsafe-javascript-url" if "script" in scheme else "unsafe-url"
        return (code, f"不允许的链接地址“{removal.value[:80]}”：链接只能是本站页面、http(s) 网址、mailto: 或 tel:。",
                "改为普通网址（https://…）或本站页面的相对地址，或删除这个链接。")
    if name == "class":
        return ("html-removed", f"网站会去掉 class=“{removal.value[:80]}”中以 md- 开头的名称（那是网站界面自己用的样式）。",
                "删除这些名称；需要按钮样式时只能用 md-button。")
    if name in ("id", "for"):
        return ("unsafe-id", f"{name}=“{removal.value}”以两个下划线开头，指向网站自身的元素，会使搜索、菜单等功能失效或被冒用。",
                "换一个不以 __ 开头的编号。")
    if removal.active:
        return (f"unsafe-{name}", f"正文中不允许使用属性 {name}=“{removal.value[:80]}”（{removal.tag} 元素）。", "删除这个属性。")
    return ("html-removed", f"网站会去掉 <{removal.tag}> 上的属性“{name}”（不在允许使用的 HTML 范围内）。", html_fix)


class _Locator:
    """Where a removed piece was written: the first of the needles found in the body, each
    needle searched on from its previous match, so repeated markup gets its own lines. The
    body is the one the page was rendered from (control characters already taken out)."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.lines = parsed.body.lower().split("\n")
        self.offset = parsed.body_line - 1  # body line index -> file line
        self.cursor: dict[str, tuple[int, int]] = {}

    def __call__(self, *needles: str) -> tuple[int, int]:
        for needle in needles:
            needle = needle.lower()
            if not needle:
                continue
            line, column = self.cursor.get(needle, (0, 0))
            while line < len(self.lines):
                found = self.lines[line].find(needle, column)
                if found >= 0:
                    self.cursor[needle] = (line, found + 1)
                    return line + 1 + self.offset, found + 1
                line, column = line + 1, 0
            self.cursor[needle] = (len(self.lines), 0)  # not here: later calls skip the search
        return self.offset + 1, 1
