"""Turn the plain-text original of an annual 法治政府建设 report into the site's Markdown pages.

The original is the record: every line is copied unchanged, only wrapped in Markdown
structure (headings for parts and subsections, a bold lead sentence for numbered items).
A line whose shape is not recognised stops the import instead of being guessed at.

    .venv/bin/python scripts/import_report.py SOURCE.txt --year 2024 --date 2026-11-26

writes docs/reports/<year>/index.md (title, preamble, contents) and part-1.md … part-N.md,
and copies the original next to them so readers can download it. Existing pages are only
replaced with --force.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.slugs import slugify

from fazhi.cli import project_root

REPO = project_root()
ISSUER = "长春汽车经济技术开发区"

PART_RE = re.compile(r"^[一二三四五六七八九十]+、")
SECTION_RE = re.compile(r"^\([一二三四五六七八九十]+\)")
ITEM_RE = re.compile(r"^\d+\.")
# Characters that Markdown would read as markup if they stood in the original text.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")

heading_slug = slugify(case="lower")


@dataclass
class Section:
    heading: str | None  # None: items that stand directly under the part
    items: list[str] = field(default_factory=list)


@dataclass
class Part:
    heading: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    preamble: list[str]
    parts: list[Part]


class ReportFormatError(Exception):
    """A line of the original has a shape the importer does not know."""


def parse(text: str) -> Report:
    preamble: list[str] = []
    parts: list[Part] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if PART_RE.match(line):
            parts.append(Part(line))
        elif not parts:
            preamble.append(line)
        elif SECTION_RE.match(line):
            parts[-1].sections.append(Section(line))
        elif ITEM_RE.match(line):
            if not parts[-1].sections:
                parts[-1].sections.append(Section(None))
            parts[-1].sections[-1].items.append(line)
        else:
            raise ReportFormatError(
                f"第 {number} 行既不是部分标题（一、）、小节标题（(一)）也不是编号条目（1.）："
                f"“{line[:30]}…”。请核对原文格式。"
            )
    if not parts:
        raise ReportFormatError("原文中没有找到“一、”这样的部分标题。")
    return Report(preamble, parts)


def escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def item_markdown(item: str) -> str:
    """Bold the item's lead sentence (its number and first clause up to 。)."""
    lead, mark, rest = item.partition("。")
    if not mark:
        return escape(item)
    return f"**{escape(lead + mark)}**{escape(rest)}"


def front_matter(title: str, year: int, date: dt.date, source_name: str) -> str:
    return (
        "---\n"
        f"title: {title}\n"
        f"year: {year}\n"
        f"issuer: {ISSUER}\n"
        f"date: {date.isoformat()}\n"
        f"source_file: {source_name}\n"
        "---\n"
    )


def report_title(year: int) -> str:
    return f"{ISSUER}{year}年度法治政府建设工作报告"


def part_page(part: Part, year: int, date: dt.date, source_name: str) -> str:
    lines = [front_matter(part.heading, year, date, source_name), f"# {escape(part.heading)}", ""]
    for section in part.sections:
        if section.heading:
            lines += [f"## {escape(section.heading)}", ""]
        for item in section.items:
            lines += [item_markdown(item), ""]
    return "\n".join(lines)


def index_page(report: Report, year: int, date: dt.date, source_name: str) -> str:
    title = report_title(year)
    lines = [front_matter(title, year, date, source_name), f"# {title}", ""]
    for paragraph in report.preamble:
        lines += [escape(paragraph), ""]
    lines += ["## 目录", ""]
    for number, part in enumerate(report.parts, start=1):
        page = f"part-{number}.md"
        lines.append(f"- [{escape(part.heading)}]({page})")
        for section in part.sections:
            if section.heading:
                anchor = heading_slug(section.heading, "-")
                lines.append(f"    - [{escape(section.heading)}]({page}#{anchor})")
    lines += [
        "",
        f"原文纯文本：[{source_name}]({source_name})（UTF-8 编码，与本站页面文字逐句一致）。",
        "",
    ]
    return "\n".join(lines)


def render(report: Report, year: int, date: dt.date, source_name: str) -> dict[str, str]:
    pages = {"index.md": index_page(report, year, date, source_name)}
    for number, part in enumerate(report.parts, start=1):
        pages[f"part-{number}.md"] = part_page(part, year, date, source_name)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把年度法治政府建设工作报告原文导入为网站页面。")
    parser.add_argument("source", type=Path, help="原文纯文本文件（UTF-8）")
    parser.add_argument("--year", type=int, required=True, help="报告年度，如 2024")
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="在本站发布的日期 YYYY-MM-DD（默认今天）",
    )
    parser.add_argument("--out", type=Path, help="输出目录（默认 docs/reports/<年度>）")
    parser.add_argument("--force", action="store_true", help="覆盖已有页面")
    args = parser.parse_args(argv)

    out: Path = args.out or REPO / "docs" / "reports" / str(args.year)
    try:
        text = args.source.read_text(encoding="utf-8")
        report = parse(text)
    except (OSError, UnicodeDecodeError, ReportFormatError) as error:
        print(f"{args.source}: {error}", file=sys.stderr)
        return 1

    source_name = f"{args.year}-annual-report.txt"
    pages = render(report, args.year, args.date, source_name)
    existing = [name for name in [*pages, source_name] if (out / name).exists()]
    if existing and not args.force:
        print(f"{out}: 已有 {', '.join(existing)}，未覆盖。确需重新导入请加 --force。", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for name, content in pages.items():
        (out / name).write_text(content, encoding="utf-8")
    shutil.copyfile(args.source, out / source_name)
    print(f"已写入 {out}：{', '.join(pages)} 和原文 {source_name}")
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
