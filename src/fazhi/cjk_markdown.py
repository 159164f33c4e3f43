"""Chinese-aware Markdown: the Python-Markdown extension `fazhi.cjk_markdown`.

Listed under `markdown_extensions` in mkdocs.yml, so the build and the checker (which renders
with the extensions that list names, fazhi.sources.siteconfig) render every page alike. Two
rules, each for a habit of the publicity staff that plain Python-Markdown gets wrong:

1. Line breaks (Pandoc's `east_asian_line_breaks`). Editors wrap long Chinese lines; HTML shows
   each newline as a space, so "集群\\n注册" read "集群 注册" and a search for 集群注册 missed it.
   Pandoc's rule (Text.Pandoc.Transforms.eastAsianLineBreakFilter): a soft line break is dropped
   when the character before it and the character after it are both East Asian wide
   (Text.DocLayout.charWidth == 2, i.e. East_Asian_Width W or F in UAX #11; "ambiguous"
   characters such as “ ” ‘ ’ … — count as narrow). Next to any other character it stays a
   space. Where the break touches an inline element (link, strong, code …), that element's
   first or last visible character is the one compared, as Pandoc compares `stringify` of the
   neighbouring inline. Hard breaks (two trailing spaces: <br>) are no soft breaks and stay.

2. Underscore emphasis next to CJK characters. Python-Markdown's "smart" underscore (the `_`
   Delimiter of markdown.inlinepatterns) only opens after and closes before a non-word
   character, and `\\w` includes every Chinese character, so `办理__行政复议案件13件__，` stayed
   literal. Here CJK characters (ideographs, kana, hangul, full-width forms) count as
   punctuation for `_`, as CommonMark's flanking rules (spec 0.31, "6.2 Emphasis and strong
   emphasis") would treat them if they were punctuation; in Python-Markdown's form of those
   rules that means: no longer word characters. A run of one or two underscores then opens
   where it is not preceded by a non-CJK word character and not followed by whitespace, and
   closes where it is not preceded by whitespace and not followed by a non-CJK word character.
   So `理__x__，` opens and closes, while underscores inside ASCII (or other non-CJK) words stay
   literal exactly as before (snake_case, part_1.md, URLs). CJK punctuation (“ ” 《 》 （ ） ，)
   was never a word character and stays a boundary. Runs of three or more underscores keep
   Python-Markdown's rule unchanged, because Chinese forms write fill-in blanks that way
   (`本人____，身份证号____`). `*` and `**` already work next to CJK characters
   (Python-Markdown's asterisk is not "smart") and are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown, util
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:  # Python-Markdown 3.11's emphasis API; _make_underscore_cjk_aware checks it is there
    from markdown.inlinepatterns import DelimiterProcessor

# Text inside these is never changed: code and preformatted text keep every newline, and
# scripts and styles are no prose.
SKIPPED_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})

# A soft line break with the spaces around it: the trailing space of the line before (two or
# more made a <br> already) and the indentation of the continuation line (list items).
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")

# Raw inline HTML for SKIPPED_TAGS, as written in a paragraph: `按<kbd>Ctrl</kbd>键`.
RAW_SKIPPED_TAG = re.compile(r"<(/?)(?:code|kbd|pre|samp|script|style)\b[^>]*>", re.IGNORECASE)

# After `inline` (20): code spans, links and <br> exist as elements and the footnotes are in the
# tree. Before `prettify` (10) adds newlines between blocks, before `attr_list` (8), `abbr` (7)
# and `toc` (5), so abbreviations and heading ids see the joined text.
LINE_BREAKS_PRIORITY = 18

# Characters that Python's `\w` counts as word characters but that, for `_` emphasis, count as
# punctuation: whole CJK blocks (their punctuation and symbols are no `\w` anyway, so listing
# the whole block changes only the letters and digits in it).
CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fff"  # CJK Radicals Supplement, Kangxi Radicals, Ideographic Description Characters
    "\u3000-\u303f"  # CJK Symbols and Punctuation (〃 々 〆 〇 are word characters)
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u31ff"  # Bopomofo, Hangul Compatibility Jamo, Kanbun, CJK Strokes …
    "\u3200-\u33ff"  # Enclosed CJK Letters and Months (㈠), CJK Compatibility
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\ua960-\ua97f"  # Hangul Jamo Extended-A
    "\uac00-\ud7ff"  # Hangul Syllables, Hangul Jamo Extended-B
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\ufe10-\ufe1f"  # Vertical Forms
    "\ufe30-\ufe6f"  # CJK Compatibility Forms, Small Form Variants
    "\uff00-\uffef"  # Halfwidth and Fullwidth Forms (ＡＢＣ１２３ are word characters)
    "\U00020000-\U0003ffff"  # CJK Unified Ideographs Extensions B–H and the Supplement
)
# A word character for `_` emphasis: `\w` less the CJK characters.
NON_CJK_WORD = rf"[^\W{CJK_RANGES}]"


class CjkMarkdownExtension(Extension):
    """Registers both rules; see the module docstring."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(EastAsianLineBreaks(md), "fazhi_cjk_line_breaks", LINE_BREAKS_PRIORITY)
        _make_underscore_cjk_aware(md)


def makeExtension(**kwargs: Any) -> CjkMarkdownExtension:  # noqa: N802 - the name Python-Markdown looks for
    return CjkMarkdownExtension(**kwargs)


# ---- Rule 1: line breaks ----


# Curly quotation marks, the ellipsis and the dash are "ambiguous" width in UAX #11, so
# Pandoc's rule takes them as narrow. Next to a Chinese character they are Chinese
# punctuation, set full width: a line wrapped at “两书同达” must not show a space before 制度.
# Next to English text they stay narrow (said “yes”\nthen keeps its space).
CHINESE_AMBIGUOUS = frozenset("“”‘’…—")


def is_wide(char: str | None) -> bool:
    """East Asian Width W or F (UAX #11): Pandoc's `charWidth c == 2`. None (no character:
    the edge of a paragraph, an image, a <br>) is not wide."""
    return char is not None and unicodedata.east_asian_width(char) in ("W", "F")


def joins(left: str | None, right: str | None) -> bool:
    """A soft break between `left` and `right` renders as nothing: both wide (Pandoc), or
    one wide and the other Chinese punctuation of ambiguous width (CHINESE_AMBIGUOUS)."""
    if is_wide(left) and is_wide(right):
        return True
    return (is_wide(left) and right in CHINESE_AMBIGUOUS) or (left in CHINESE_AMBIGUOUS and is_wide(right))


def join_soft_breaks(text: str, before: str | None, after: str | None, kept: Sequence[tuple[int, int]] = ()) -> str:
    """`text` with each soft line break between two wide characters removed (`joins`).

    `before` and `after` are the visible characters just outside `text` (the neighbouring
    inline element's last or first character), None where there is none. Breaks inside the
    `kept` (start, end) ranges stay as they are."""

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in kept):
            return match.group(0)
        left = text[match.start() - 1] if match.start() > 0 else before
        right = text[match.end()] if match.end() < len(text) else after
        return "" if joins(left, right) else match.group(0)

    return SOFT_BREAK.sub(replace, text) if "\n" in text else text


class EastAsianLineBreaks(Treeprocessor):
    """Pandoc's `east_asian_line_breaks` over the element tree, in document order: each
    element's text and each child's tail, with the children as neighbours. Leaves alone what
    Markdown leaves as written: SKIPPED_TAGS, literal text (AtomicString: raw HTML inside
    md_in_html blocks) and text between raw inline tags such as <kbd>…</kbd>."""

    # How many raw inline SKIPPED_TAGS are open at the current point of the paragraph.
    raw_depth = 0

    def run(self, root: Element) -> None:
        self.raw_depth = 0
        self._visit(root)

    def _visit(self, element: Element) -> None:
        if element.tag in SKIPPED_TAGS:
            return
        if self.md.is_block_level(element.tag):
            self.raw_depth = 0  # raw inline tags never reach across blocks
        children = list(element)
        element.text = self._join(element.text, None, children[0] if children else None)
        for index, child in enumerate(children):
            self._visit(child)
            child.tail = self._join(child.tail, child, children[index + 1] if index + 1 < len(children) else None)

    def _join(self, text: str | None, before: Element | None, after: Element | None) -> str | None:
        """`text` joined; `before` and `after` are the elements around it (None: none)."""
        if not text:
            return text
        kept = self._inside_raw_tags(text)
        if isinstance(text, util.AtomicString) or "\n" not in text:
            return text
        return join_soft_breaks(text, self._edge(before, first=False), self._edge(after, first=True), kept)

    def _inside_raw_tags(self, text: str) -> list[tuple[int, int]]:
        """The ranges of `text` inside raw inline <code>, <kbd> … tags. Python-Markdown keeps
        each raw inline tag as a placeholder in the text (util.HTML_PLACEHOLDER_RE) and the
        tag itself in its stash, so such tags are no elements here; raw_depth carries an open
        one on into the following text and tails."""
        ranges: list[tuple[int, int]] = []
        start = 0 if self.raw_depth else None
        stash = self.md.htmlStash.rawHtmlBlocks
        for placeholder in util.HTML_PLACEHOLDER_RE.finditer(text):
            index = int(placeholder.group(1))
            raw = stash[index] if index < len(stash) else None
            tag = RAW_SKIPPED_TAG.fullmatch(raw.strip()) if isinstance(raw, str) else None
            if tag is None:
                continue
            if not tag.group(1):  # an opening tag
                start = placeholder.end() if self.raw_depth == 0 else start
                self.raw_depth += 1
            elif self.raw_depth:
                self.raw_depth -= 1
                if self.raw_depth == 0 and start is not None:
                    ranges.append((start, placeholder.start()))
                    start = None
        if start is not None:
            ranges.append((start, len(text)))
        return ranges

    def _edge(self, element: Element | None, first: bool) -> str | None:
        """The first or last visible character of an inline element; None for no element, a
        block-level one (a break beside a block is no break inside a line) or one without text."""
        if element is None or not isinstance(element.tag, str) or self.md.is_block_level(element.tag):
            return None
        text = "".join(element.itertext())
        if not text:
            return None
        return text[0] if first else text[-1]


# ---- Rule 2: underscore emphasis ----


def underscore_boundary() -> re.Pattern[str]:
    """The `_` delimiter's boundary pattern: CJK-aware for runs of one or two underscores,
    Python-Markdown's own "smart" rule for longer runs.

    The DelimiterProcessor reads only the first letter of the matched group's name
    (a: may open or close, e: only closes, s: only opens), so each part names its groups."""
    return re.compile(
        _smart_underscore(NON_CJK_WORD, "{1,2}", "_cjk") + "|" + _smart_underscore(r"\w", "+", ""),
        flags=re.UNICODE,
    )


def _smart_underscore(word: str, run: str, suffix: str) -> str:
    """Python-Markdown 3.11's smart boundary for `_` (markdown.inlinepatterns.Delimiter
    ._build_patterns), with `word` as the class of word characters. It opens where the run is
    not preceded by a word character and not followed by whitespace; it closes where the run is
    not preceded by whitespace and not followed by a word character. A run is always matched
    whole: never preceded or followed by another underscore."""
    no_word_before = rf"(?<!_)(?<!{word})"
    no_word_after = rf"(?!_)(?!{word})"
    return (
        rf"(?P<ambiguous{suffix}>(?<!^)(?<![\s_]){no_word_before}_{run}{no_word_after}(?![\s_])(?!$))|"
        rf"(?P<end{suffix}>(?<!^)(?<![\s_])_{run}{no_word_after})|"
        rf"(?P<start{suffix}>{no_word_before}_{run}(?![\s_])(?!$))"
    )


def _make_underscore_cjk_aware(md: Markdown) -> None:
    """Give the "smart" `_` delimiter the CJK-aware boundary. A `_` delimiter that is not smart
    (e.g. after the legacy_em extension) already works inside words and is left alone."""
    delimiters: DelimiterProcessor | None = getattr(md, "delimiters", None)
    if delimiters is None or "_" not in delimiters.delimiters:
        # Python-Markdown before 3.11 had no delimiter processor: stop the build rather than
        # publish pages whose emphasis differs from what the tests checked.
        raise RuntimeError("fazhi.cjk_markdown needs Python-Markdown 3.11 or later (markdown.inlinepatterns.DelimiterProcessor)")
    underscore = delimiters.delimiters["_"]
    if underscore.smart:
        underscore.boundary = underscore_boundary()
