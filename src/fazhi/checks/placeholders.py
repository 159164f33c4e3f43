"""Unfinished pages: template or scaffold placeholder words (registry.yml `placeholders`)
still in a Markdown page, in its page information or its text."""

from __future__ import annotations

import re

from fazhi.checks import Context
from fazhi.findings import Finding, excerpt
from fazhi.sources import schema


def check(context: Context) -> list[Finding]:
    words = schema.registry().get("placeholders") or []
    if not words:
        return []
    pattern = re.compile("|".join(map(re.escape, words)))
    findings = []
    for path in context.markdown_files:
        for number, line in enumerate(context.parsed(path).text.split("\n"), start=1):
            found = pattern.search(line)
            if found:
                findings.append(Finding(
                    context.display(path), number, found.start() + 1, "error", "unfinished-placeholder",
                    f"模板的占位文字“{excerpt(line[found.start():].strip(), 24)}”还在，这一页还没有写完。",
                    "把这一处换成真实内容（页面信息里的值、标题或正文）；暂时写不完可以先加 draft: true。",
                ))
    return findings
