"""新建一篇普法文章：写好页面信息（front matter）和正文骨架，日期是今天（北京时间）。

    python scripts/new_article.py --title "标题" --category 法律援助 --summary "摘要" \
        --source "长春汽车经济技术开发区2024年度法治政府建设工作报告"

缺少的项目，在终端里运行时会逐项询问；在脚本或 CI 中运行时报错并说明缺什么。
网址名（--slug）不写时由标题的拼音生成。已有同名文件时不会覆盖。
写出的文件符合 src/fazhi/sources/schemas/article.yml，能通过 scripts/check.py。

Exit status: 0 written, 1 refused (file exists, invalid values), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from fazhi.cli import project_root
from fazhi.sources import dates, frontmatter, schema
from fazhi.sources.slugs import ascii_slug

REPO = project_root()
POSTS = Path("articles/posts")
BODY = """
# {title}

（在这里写正文。只写来源原文中写明的事实；引用原文时另起一段，以“> ”开头，一字不改。）
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def main(argv: list[str] | None = None, ask: Callable[[str], str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        parser.error(f"找不到内容目录 {args.docs}：请在项目文件夹（有 mkdocs.yml 的地方）里运行，或用 --docs 指定")
    interactive = ask is not None or sys.stdin.isatty()
    ask = ask or input
    values: dict[str, Any] = {
        "title": args.title,
        "category": args.category,
        "summary": args.summary,
        "source": args.source,
    }
    missing = [key for key, value in values.items() if not value]
    if missing and not interactive:
        labels = "、".join(f"--{key}（{_label(key)}）" for key in missing)
        print(f"缺少 {labels}。请在命令中写上，或在终端里运行以便逐项询问。", file=sys.stderr)
        return 2
    for key in missing:
        values[key] = _ask_category(ask) if key == "category" else _ask_text(ask, key)
    slug = args.slug or ascii_slug(values["title"])
    if not slug:
        if not interactive:
            print("无法从标题生成网址名，请用 --slug 指定，例如 --slug legal-aid-2026", file=sys.stderr)
            return 2
        slug = _ask_text(ask, "slug")

    data = _front_matter_data(values, args.tag or [], slug, args.report_ref)
    problems = schema.validate("article", data)
    if problems:
        for problem in problems:
            print(f"{problem.message} {problem.fix}", file=sys.stderr)
        print("没有写文件。改正上面的问题后重新运行。", file=sys.stderr)
        return 1
    path = args.docs / POSTS / f"{slug}.md"
    if path.exists():
        print(f"{path} 已经存在，没有覆盖。换一个网址名（--slug），或直接编辑这个文件。", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as stream:  # "x": never overwrite
        stream.write(render(data))
    print(f"已创建 {path}")
    print("下一步：打开文件，把“（在这里写正文……）”一段换成正文，然后运行 python scripts/check.py 检查。"
          "占位文字还在时，检查会报错，网站也不会生成。")
    return 0


def render(data: dict[str, Any]) -> str:
    """Front matter in the schema's field order, then the body skeleton."""
    lines = ["---"]
    for key, _spec, _required in schema.fields("article"):
        if key in data:
            lines.append(_yaml_line(key, data[key]))
    lines.append("---")
    return "\n".join(lines) + "\n" + BODY.format(title=data["title"])


# ---- Helper functions ----


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(description="新建一篇普法文章（docs/articles/posts/<网址名>.md）。")
    parser.add_argument("--title", help=_help("title"))
    parser.add_argument("--category", action="append",
                        help=_help("categories") + "；可写多次。可选：" + "、".join(schema.allowed("categories")))
    parser.add_argument("--tag", action="append", help=_help("tags") + "；可写多次。可选：" + "、".join(schema.allowed("tags")))
    parser.add_argument("--summary", help=_help("summary"))
    parser.add_argument("--source", help=_help("source"))
    parser.add_argument("--slug", help=_help("slug") + "；不写时由标题拼音生成")
    parser.add_argument("--report-ref", help=_help("report_ref"))
    parser.add_argument("--docs", type=Path, default=REPO / "docs", help="内容目录，默认本项目的 docs/")
    return parser


def _spec(key: str) -> dict[str, Any]:
    return next(spec for name, spec, _ in schema.fields("article") if name == key)


def _label(key: str) -> str:
    return str(_spec({"category": "categories"}.get(key, key)).get("title", key))


def _help(key: str) -> str:
    spec = _spec(key)
    return f"{spec.get('title', key)}：{spec.get('hint') or spec.get('description', '')}"


def _ask_text(ask: Callable[[str], str], key: str) -> str:
    spec = _spec(key)
    while True:
        answer = ask(f"{spec.get('title', key)}（{spec.get('hint', '')}）：").strip()
        if answer:
            return answer
        print("不能为空，请再输入一次。")


def _ask_category(ask: Callable[[str], str]) -> list[str]:
    choices = schema.allowed("categories")
    menu = "  ".join(f"{number}. {name}" for number, name in enumerate(choices, start=1))
    while True:
        answer = ask(f"分类（输入编号，多个用空格分开）：{menu}\n> ").split()
        if answer and all(a.isdigit() and 1 <= int(a) <= len(choices) for a in answer):
            return list(dict.fromkeys(choices[int(a) - 1] for a in answer))
        print(f"请输入 1 到 {len(choices)} 之间的编号。")


def _front_matter_data(values: dict[str, Any], tags: list[str], slug: str, report_ref: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": values["title"],
        "date": dates.today().isoformat(),
        "source": values["source"],
        "summary": values["summary"],
        "categories": list(values["category"]),
        "tags": list(tags),
        "slug": slug,
    }
    if report_ref:
        data["report_ref"] = report_ref
    return data


def _yaml_line(key: str, value: Any) -> str:
    """One front-matter line, written the way CONTRIBUTING.md shows it. The date stays bare
    (YYYY-MM-DD) so MkDocs reads it as a date."""
    if key == "date":
        return f"{key}: {value}"
    if isinstance(value, list):
        if not value:
            return f"{key}: []"
        return f"{key}:\n" + "\n".join(f"  - {_yaml_text(item)}" for item in value)
    return f"{key}: {_yaml_text(value)}"


def _yaml_text(text: str) -> str:
    """Plain text when YAML reads it back unchanged; otherwise a quoted (JSON) string, which
    is valid YAML whatever characters it holds (e.g. "A: B", a leading "#" or "[")."""
    try:
        if frontmatter.parse_yaml(f"k: {text}") == {"k": text}:
            return text
    except Exception:  # noqa: BLE001 - any parse failure means: quote it
        pass
    return json.dumps(text, ensure_ascii=False)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
