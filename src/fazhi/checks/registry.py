"""The registry itself (src/fazhi/sources/schemas/registry.yml): every allowed category and
tag needs its own pinyin web name, because each gets a page at articles/category/<name>/ or
articles/tag/<name>/ (fazhi.articles.pages); two names that sound alike would share one."""

from __future__ import annotations

from fazhi.checks import Context
from fazhi.findings import Finding
from fazhi.sources import schema

LABELS = {"categories": "分类", "tags": "标签"}


def check(context: Context) -> list[Finding]:
    path = schema.SCHEMA_DIR / "registry.yml"
    shown = context.display(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    findings = []
    for name, label in LABELS.items():
        taken: dict[str, str] = {}
        for value, slug in schema.group_slugs(name).items():
            line = next((number for number, text in enumerate(lines, 1) if text.strip() in (f"- {value}", f'- "{value}"')), 0)
            if not slug:
                findings.append(Finding(shown, line, 1, "error", "registry-slug",
                                        f"{label}“{value}”无法生成网址名（拼音）。", "改用含有汉字或字母的名称。"))
            elif slug in taken:
                findings.append(Finding(shown, line, 1, "error", "registry-slug",
                                        f"{label}“{value}”与“{taken[slug]}”的拼音网址名相同（{slug}），两者会共用一个页面。",
                                        f"改用不同读音的名称，或删除其中一个{label}。"))
            else:
                taken[slug] = value
    return findings
