"""A finding: one thing the checker (or the build hook) has to tell a person, as a value.

Checks return lists of findings; only scripts/check.py and the hook print them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # as shown to the reader, e.g. docs/articles/posts/x.md
    line: int  # 1-based; 0 when the finding concerns the whole file
    column: int  # 1-based; 0 when unknown
    severity: Severity
    code: str  # stable machine name, e.g. "meta-required"
    message: str  # Chinese: what is wrong
    fix: str = ""  # Chinese: how to put it right

    def text(self) -> str:
        """`docs/x.md:3:1: 错误 缺少必填字段“date”（发布日期）。修改方法：…`"""
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        fix = f"修改方法：{self.fix}" if self.fix else ""
        return f"{where}: {SEVERITY_LABEL[self.severity]} {self.message}{fix} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def excerpt(text: str, limit: int) -> str:
    """`text` as a message quotes it: whole up to `limit` characters, else its first `limit`
    and “…”."""
    return text if len(text) <= limit else text[:limit] + "…"


def capped(findings: list[Finding], limit: int) -> list[Finding]:
    """The first `limit` findings of each code, then, for a code with more, one finding at the
    first one not listed that counts them: a file with a hundred thousand of one problem gets
    a readable answer, at once. `limit` is fazhi.sources.frontmatter.MAX_LISTED."""
    kept: list[Finding] = []
    counts: Counter[str] = Counter(finding.code for finding in findings)
    seen: Counter[str] = Counter()
    for finding in findings:
        seen[finding.code] += 1
        if seen[finding.code] <= limit:
            kept.append(finding)
        elif seen[finding.code] == limit + 1:
            count = counts[finding.code]
            kept.append(replace(finding, message=f"从这里起另有 {count - limit} 处同类问题（共 {count} 处），只列出了前 {limit} 处。",
                                fix="按前面几处的方法改正全部同类问题后再检查。"))
    return kept


def summary(findings: Iterable[Finding]) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return f"共 {counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 个提示。"


def to_json(findings: list[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.severity == level) for level in SEVERITY_LABEL}
    return json.dumps(
        {"findings": [f.as_dict() for f in findings], "counts": counts},
        ensure_ascii=False,
        indent=2,
    )
