"""Typing slips staff really make, found at their real line and column and explained.

YAML reports these late and in English: a full-width colon in `title：…` or a non-breaking
space after `summary:` (pasted from Word) makes the line plain text, and the parser only
complains on the *next* line ("could not find expected ':'"). In the Markdown body the same
non-breaking space after `#` makes a heading a paragraph (the page then shows its title
twice) and gets no message at all. Each rule here looks at the text as typed, so the finding
names the character and where it is.

    yaml_slips(text, first_line)  -> [Slip]   page information or a data file
    body_slips(body, first_line)  -> [Slip]   a Markdown body

Lines and columns are 1-based file positions (`first_line` is the file line of the text's
first line). The callers (fazhi.sources.frontmatter) turn each Slip into a finding; the
checker and the build read the same findings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from fazhi.findings import Severity, excerpt
from fazhi.sources.body import outside_fenced_code

# Spaces that look like a space, or like nothing, but are not the ASCII space YAML and
# Markdown need (Unicode category Zs other than U+0020, and the zero-width format
# characters). Names as Word and WPS users know them; the common sources are noted.
INVISIBLE_SPACES: dict[str, str] = {
    "\u00a0": "不间断空格", "\u1680": "欧甘空格", "\u2000": "半身空格", "\u2001": "全身空格",
    "\u2002": "半角空格", "\u2003": "全角空格", "\u2004": "三分之一空格", "\u2005": "四分之一空格",
    "\u2006": "六分之一空格", "\u2007": "数字空格", "\u2008": "标点空格", "\u2009": "窄空格",
    "\u200a": "极窄空格", "\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字",
    "\u202f": "窄不间断空格", "\u205f": "数学空格", "\u2060": "字连接符", "\u3000": "全角空格",
    "\ufeff": "零宽不间断空格",
}
# Where staff's text usually picks them up, said with the name so the cause is clear.
SPACE_SOURCES: dict[str, str] = {
    "\u00a0": "，常从 Word、网页复制而来", "\u200b": "，看不见，常从网页复制而来",
    "\u3000": "，中文输入法打出的空格", "\ufeff": "，看不见",
}
# In running Chinese text a full-width space is ordinary typography (an indented paragraph,
# a gap in a title): it is a slip only where YAML or Markdown needs an ASCII space.
TYPOGRAPHIC_SPACES = frozenset("\u3000")
_INVISIBLE = re.compile("[" + "".join(INVISIBLE_SPACES) + "]")

# A YAML key as the schemas write them (title, report_ref, validity_notice …), at the start
# of a line or of a list item, followed by the separator the author typed.
_FULLWIDTH_KEY = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?P<sep>：)")
# `key:value`: the value glued to the colon is read as part of one text "key:value". Not a
# URL scheme (`https://…`) and not a time (`date:12:00` is still a slip, `http:` is not).
_NO_SPACE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<next>[^\s:/\[{"
                       + "".join(INVISIBLE_SPACES) + "])")
# A list item typed with a full-width or typographic dash, or a bullet, instead of "-".
_WRONG_DASH = re.compile(r"^(?P<lead>[ \t]*)(?P<dash>[－—–·•])[ \t\u3000]")
# Quotation marks: YAML only treats ASCII " and ' as quotes.
_CURLY_OPEN = "“”‘’「『"
# A key whose value is a block scalar (`note: |`, `note: >-`): the lines under it are text.
_BLOCK_SCALAR = re.compile(r":[ \t]+[|>][-+0-9]*[ \t]*(#.*)?$")
_VALUE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*:[ \t]+)(?P<value>.*)$")

# `title: 开展活动35次 #普法`: a social-media hashtag after a value. YAML takes " #" and the
# rest of the line for a comment and drops it; a comment of our own files has a space after
# the "#", a hashtag has none.
_HASHTAG_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*):[ \t]+(?=[^\s\"'#|>])")
_HASHTAG = re.compile(r"[ \t]#[^\s#]")
# A line typed with full-width Markdown markers (a Chinese input method): ＞ for a quotation,
# ＃ for a heading. The line is then plain text, and a quotation is not checked.
_FULLWIDTH_MARKER = re.compile(r"^(?P<lead> {0,3})(?P<marker>[＞＃])")
FULLWIDTH_MARKERS = {"＞": (">", "引文（引文也不会与原文核对）"), "＃": ("#", "标题")}

# Markdown block markers that need an ASCII space (or tab) after them: a heading's #s and a
# list item's bullet or number. Python-Markdown reads `#标题` as a heading too, so a missing
# space is not a slip; a non-ASCII space is, since the line then stays a paragraph.
_MARKER = re.compile(r"^(?P<lead> {0,3})(?P<marker>#{1,6}|[-*+]|\d{1,9}[.)])(?P<space>[" + "".join(INVISIBLE_SPACES) + "])")
MARKER_NAMES = {"#": "标题", "-": "列表", "*": "列表", "+": "列表"}


@dataclass(frozen=True)
class Slip:
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    fix: str


def space_name(char: str) -> str:
    """"一个不间断空格（U+00A0，常从 Word、网页复制而来）": what staff know it as, its code
    point, and where it usually comes from."""
    name = INVISIBLE_SPACES.get(char) or unicodedata.name(char, "空白字符")
    return f"一个{name}（U+{ord(char):04X}{SPACE_SOURCES.get(char, '')}）"


def yaml_slips(text: str, first_line: int) -> list[Slip]:
    """The slips in YAML `text` (page information, or a data file), file line of its first
    line `first_line`. Errors where YAML would misread the line; a warning for an invisible
    space inside a value (shown as typed, but searched for and compared as another text)."""
    slips: list[Slip] = []
    lines = text.split("\n")
    block_indent: int | None = None  # inside a block scalar (`note: |`): text, not structure
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            continue
        block_indent = indent if _BLOCK_SCALAR.search(line) else None
        if line.lstrip().startswith("#"):
            continue
        number = first_line + index
        slips += _line_slips(line, number)
        slips += _empty_list_then_items(lines, index, number)
    return slips


def explain_yaml_error(text: str, first_line: int, error_line: int) -> Slip | None:
    """A plain explanation for a YAML parse error at file line `error_line` when a slip the
    parser cannot see causes it: a value wrapped in Chinese quotation marks (“A: B”) where
    YAML needs ASCII ones, or an opening ASCII quote closed with a Chinese one. Looks at the
    error's line and the one before (YAML reports a bad line on the next one)."""
    lines = text.split("\n")
    for number in (error_line, error_line - 1):
        index = number - first_line
        if not 0 <= index < len(lines):
            continue
        match = _VALUE.match(lines[index])
        if match is None:
            continue
        value = match.group("value").rstrip()
        column = len(match.group("lead")) + 1
        if value[:1] in _CURLY_OPEN and (": " in value or " #" in value or value.endswith(":")):
            return Slip(number, column, "error", "yaml-curly-quotes",
                        f"这个值用中文引号 {value[0]}…{value[-1]} 括起来了，但 YAML 只认英文引号，值里的“: ”或“ #”仍会被当作格式符号。",
                        '把整个值再用英文双引号括起来，例如 title: "“A: B”"；或者把值里的英文冒号改成中文冒号“：”。')
        closing = value.find(value[0], 1) if value[:1] in "\"'" else -1
        if closing > 0 and value[closing + 1:].strip() and not value[closing + 1:].lstrip().startswith("#"):
            return Slip(number, column + closing + 1, "error", "yaml-quote-then-text",
                        f"这个值以英文引号 {value[0]} 开头，YAML 把这一对引号当作整个值的开头和结尾，"
                        f"后面的“{excerpt(value[closing + 1:].strip(), 20)}”就读不出来了。",
                        f"把值里的英文引号改成中文引号，例如 {match.group('lead').strip()} “{value[1:closing]}”{value[closing + 1:].strip()}。")
        if value[:1] in "\"'" and len(value) > 1 and value[-1] in _CURLY_OPEN and value[0] not in value[1:]:
            return Slip(number, column, "error", "yaml-unclosed-quote",
                        f"这个值以英文引号 {value[0]} 开头，却以中文引号 {value[-1]} 结尾，YAML 找不到结束的引号。",
                        f"把最后的中文引号 {value[-1]} 改成英文引号 {value[0]}。")
    return None


def body_slips(body: str, first_line: int, limit: int) -> list[Slip]:
    """The slips in a Markdown `body` starting at file line `first_line`, outside fenced
    code: a heading or list marker followed by a non-ASCII space (an error: the line is not
    a heading or list item), and other invisible spaces in the text (a warning each, at most
    `limit` of them, then one that counts the rest)."""
    slips: list[Slip] = []
    hidden: list[tuple[int, int, str]] = []
    for index, line in enumerate(outside_fenced_code(body)):
        number = first_line + index
        wide = _FULLWIDTH_MARKER.match(line)
        if wide:
            ascii_marker, kind = FULLWIDTH_MARKERS[wide.group("marker")]
            slips.append(Slip(number, wide.start("marker") + 1, "error", "body-fullwidth-marker",
                              f"这一行以中文符号“{wide.group('marker')}”开头，不会显示成{kind}。",
                              f"把“{wide.group('marker')}”改成英文的“{ascii_marker}”，后面加一个空格（切换到英文输入法输入）。"))
        marker = _MARKER.match(line)
        if marker:
            kind = MARKER_NAMES.get(marker.group("marker")[0], "列表")
            column = marker.start("space") + 1
            slips.append(Slip(number, column, "error", "body-marker-space",
                              f"“{marker.group('marker')}”后面是{space_name(marker.group('space'))}，不是普通空格，这一行不会显示成{kind}。",
                              f"删掉第 {column} 个字符处的这个空格，用键盘重新输入一个普通（半角）空格。"))
        for found in _INVISIBLE.finditer(line):
            if found.group() not in TYPOGRAPHIC_SPACES and not (marker and found.start() == marker.start("space")):
                hidden.append((number, found.start() + 1, found.group()))
    slips += _unbalanced_blocks(body, first_line)
    for count, (number, column, char) in enumerate(hidden):
        if count == limit:
            slips.append(Slip(number, column, "warning", "body-invisible-space",
                              f"从这里起另有 {len(hidden) - limit} 处看不见的特殊空格（共 {len(hidden)} 处），只列出了前 {limit} 处。",
                              "按前面几处的方法改正全部同类问题后再检查。"))
            break
        slips.append(Slip(number, column, "warning", "body-invisible-space",
                          f"正文中有{space_name(char)}，看起来像普通空格或什么也没有，但搜索会把它当作别的字，读屏软件也可能读错。",
                          f"删掉第 {column} 个字符处的它；需要空格就重新输入一个普通空格。"))
    return slips


# Python-Markdown looks for the end of every "[" and "<" it meets: time grows with the square
# of the unclosed ones in one block (4,000 unclosed "[" take 2.3 s, 40,000 several minutes,
# in the build and the checker alike). No real paragraph has 200; a pasted page of brackets is
# refused before anything renders it.
MAX_UNCLOSED = 200
UNBALANCED = "body-unclosed-brackets"


def _unbalanced_blocks(body: str, first_line: int) -> list[Slip]:
    """A block (lines between blank lines) with more than MAX_UNCLOSED unclosed "[" or "<"."""
    slips = []
    start = 0
    lines = body.split("\n")
    for index in range(len(lines) + 1):
        if index < len(lines) and lines[index].strip():
            continue
        block = "\n".join(lines[start:index])
        for opening, closing in (("[", "]"), ("<", ">")):
            unclosed = block.count(opening) - block.count(closing)
            if unclosed > MAX_UNCLOSED:
                slips.append(Slip(first_line + start, 1, "error", UNBALANCED,
                                  f"从这一行起的一段文字中有 {unclosed} 个没有配对的“{opening}”（最多 {MAX_UNCLOSED} 个），网站无法生成这一页。",
                                  f"检查这一段是否粘贴了乱码或代码；需要原样显示的“{opening}”写成“\\{opening}”，或放进代码块（前后各一行 ```）。"))
                break
        start = index + 1
    return slips


# ---- Helper functions ----


def _line_slips(line: str, number: int) -> list[Slip]:
    slips: list[Slip] = []
    fullwidth = _FULLWIDTH_KEY.match(line)
    if fullwidth:
        key, column = fullwidth.group("key"), fullwidth.start("sep") + 1
        slips.append(Slip(number, column, "error", "yaml-fullwidth-colon",
                          f"字段名“{key}”后面是中文冒号“：”。页面信息的字段名后面要用英文冒号“:”，再加一个空格。",
                          f"把“{key}：”改成“{key}: ”（切换到英文输入法输入冒号）。"))
    no_space = _NO_SPACE.match(line)
    if no_space:
        key, column = no_space.group("key"), no_space.start("next") + 1
        slips.append(Slip(number, column, "error", "yaml-no-space-after-colon",
                          f"“{key}:”后面少了一个空格，YAML 会把这一整行当成一段文字。",
                          f"在“{key}:”后面加一个空格，写成“{key}: {no_space.group('next')}…”。"))
    dash = _WRONG_DASH.match(line)
    if dash:
        slips.append(Slip(number, dash.start("dash") + 1, "error", "yaml-list-dash",
                          f"列表项以“{dash.group('dash')}”开头；YAML 的列表项要以英文减号“-”加一个空格开头。",
                          f"把“{dash.group('dash')}”改成英文减号“-”（键盘上 0 右边的键，英文输入法）。"))
    slips += _hashtag(line, number)
    slips += _invisible_in_yaml(line, number)
    return slips


def _hashtag(line: str, number: int) -> list[Slip]:
    """A hashtag after an unquoted value (`title: 开展活动 #普法`): found by two linear
    searches, not one pattern (a lazy value before `[ \t]+#` backtracks quadratically on a
    long line of spaces)."""
    key = _HASHTAG_KEY.match(line)
    tag = _HASHTAG.search(line, key.end()) if key else None
    if key is None or tag is None:
        return []
    value = line[key.end():tag.start()].rstrip()
    if "#" in value:  # an earlier "#" YAML already treats differently; not this slip
        return []
    start = tag.start() + 1
    return [Slip(number, start + 1, "warning", "yaml-comment-in-value",
                 f"“ #”和后面的文字被 YAML 当作说明（注释），网站上不会显示：这个值只到“{excerpt(value, 20)}”为止。",
                 f"要显示“#”，把整个值用英文双引号括起来，例如 {key.group('key')}: \"{value} {line[start:start + 2]}…\"；"
                 "不需要就删掉“#”和它后面的文字。")]


def _invisible_in_yaml(line: str, number: int) -> list[Slip]:
    """Invisible spaces in one YAML line: before the value starts (indentation, around the
    list dash, the key and the colon) an error, since YAML then reads another structure;
    inside the value a warning (a full-width space there is typography, not a slip)."""
    found = list(_INVISIBLE.finditer(line))
    if not found:
        return []
    structure_end = _structure_end(line)
    slips = []
    for match in found:
        char, column = match.group(), match.start() + 1
        if match.start() < structure_end:
            slips.append(Slip(number, column, "error", "yaml-invisible-space",
                              f"第 {column} 个字符是{space_name(char)}，不是普通空格，YAML 读不出这一行的字段。",
                              "删掉它，用键盘重新输入一个普通（半角）空格。"))
        elif char not in TYPOGRAPHIC_SPACES:
            slips.append(Slip(number, column, "warning", "yaml-invisible-space-in-value",
                              f"值中第 {column} 个字符是{space_name(char)}，看起来像普通空格或什么也没有，但搜索会把它当作别的字。",
                              "删掉它；需要空格就重新输入一个普通空格。"))
    return slips


def _structure_end(line: str) -> int:
    """Where the value of a `key: value` or `- value` line starts (0-based); what comes
    before it is YAML structure. Invisible spaces count as blanks here: they are the slip."""
    blank = " \t" + "".join(INVISIBLE_SPACES)
    position = 0
    while position < len(line) and line[position] in blank:
        position += 1
    if line[position:position + 1] == "-" and line[position + 1:position + 2] in tuple(blank):
        position += 1
        while position < len(line) and line[position] in blank:
            position += 1
    key = re.match(r"[A-Za-z_][A-Za-z0-9_]*", line[position:])
    if key is None:
        return position
    after = position + key.end()
    while after < len(line) and line[after] in blank:
        after += 1
    if line[after:after + 1] not in (":", "："):
        return position
    after += 1
    # Right after the colon an invisible space is the slip (YAML needs an ASCII one there);
    # after an ASCII space it is the first character of the value, which YAML reads.
    while after < len(line) and line[after] in blank and not (after > 0 and line[after - 1] in " \t" and line[after] not in " \t"):
        after += 1
    return after


def _empty_list_then_items(lines: list[str], index: int, number: int) -> list[Slip]:
    """`categories: []` followed by `  - 普法宣传`: an empty list, then items YAML cannot
    place (the template's old shape; "could not find expected ':'" on the item)."""
    match = re.match(r"^(?P<lead>[ \t]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):[ \t]*\[\s*\][ \t]*(#.*)?$", lines[index])
    following = next((line for line in lines[index + 1:] if line.strip() and not line.lstrip().startswith("#")), "")
    if match is None or not re.match(r"^[ \t]*-[ \t]", following):
        return []
    key = match.group("key")
    return [Slip(number, lines[index].index("[", match.end("key")) + 1, "error", "yaml-empty-list-with-items",
                 f"“{key}: []”表示空列表，下面又写了列表项，YAML 读不出来。",
                 f"把这一行改成“{key}:”（删掉“[]”），下面每行一个“  - 项”。")]
