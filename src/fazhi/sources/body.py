"""A Markdown body read line by line, as the source rules read it.

    outside_fenced_code(body) -> [line]   the body's lines, those of fenced code blocks
                                          (fences included) as ""

Line numbers stay (index i is the body's line i), and code is never read as text: a
`#` with a non-breaking space, or a figure inside a code block is not a slip or a figure of the article. Fences
follow CommonMark: up to three spaces, then three or more backticks or tildes, closed by a
fence of the same character at least as long."""

from __future__ import annotations

import re

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def outside_fenced_code(body: str) -> list[str]:
    lines = body.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            lines[index] = ""
        elif opened:
            fence = opened.group(1)
            lines[index] = ""
    return lines
