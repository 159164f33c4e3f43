"""The wording dictionary (src/fazhi/checks/wording.yml): known wrong words and 规范表述, with
explicitly recorded exceptions that are listed on every run instead of being silenced."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from fazhi.checks import Context
from fazhi.findings import Finding

DICTIONARY = Path(__file__).resolve().parent / "wording.yml"
SCANNED_SUFFIXES = (".md", ".yml", ".yaml", ".csv")


@cache
def dictionary(path: Path = DICTIONARY) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream) or {}
    return {"words": data.get("words") or [], "exceptions": data.get("exceptions") or []}


def check(context: Context, path: Path = DICTIONARY) -> list[Finding]:
    words = {entry["wrong"]: entry for entry in dictionary(path)["words"]}
    if not words:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    exceptions = {(e["file"], e["word"]): e for e in dictionary(path)["exceptions"]}
    used: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    for file in context.files:
        if file.suffix not in SCANNED_SUFFIXES:
            continue
        shown = context.display(file)
        # Exceptions name the file as docs/<path>, whatever folder the checker runs from.
        recorded = f"docs/{context.relative(file)}"
        text = context.parsed(file).text if file.suffix != ".csv" else _read(file)
        if not pattern.search(text):  # no word crosses a line end: most files need no line-by-line pass
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            for match in pattern.finditer(line):
                entry = words[match.group()]
                exception = exceptions.get((recorded, match.group()))
                if exception:
                    used.add((recorded, match.group()))
                    findings.append(Finding(shown, number, match.start() + 1, "info", "wording-exception",
                                            f"保留原文用字“{match.group()}”（规范为“{entry['right']}”），已登记为例外：{exception['reason']}",
                                            ""))
                    continue
                findings.append(Finding(shown, number, match.start() + 1, entry.get("severity", "error"), "wording",
                                        f"“{match.group()}”应为“{entry['right']}”。{entry.get('note', '')}",
                                        f"改为“{entry['right']}”。如果必须保留原文用字，请在 src/fazhi/checks/wording.yml 的 exceptions 中登记文件、字词和理由。"))
    for key in exceptions:
        if key not in used and (context.docs / key[0].removeprefix("docs/")).exists():
            findings.append(Finding(key[0], 0, 0, "warning", "wording-exception-unused",
                                    f"src/fazhi/checks/wording.yml 登记的例外“{key[1]}”在这个文件中已不再出现。",
                                    "删除这条例外。"))
    return findings


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig", errors="replace")
