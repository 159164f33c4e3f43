"""Print the Markdown field table of a content type, generated from the schema, for the
contributor guide (CONTRIBUTING.md):

    .venv/bin/python scripts/schema_table.py article
    .venv/bin/python scripts/schema_table.py --all
    .venv/bin/python scripts/schema_table.py --files    # the file types docs/ may hold
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from fazhi.sources import schema


def table(content_type: str) -> str:
    """The field table of `content_type`: one row per schema field, in schema order."""
    unknown = schema.registry().get("unknown_shown_as", "未载明")
    conditions = {
        required: f"{key} 为 {'、'.join(map(str, values))} 时必填"
        for key, values, needed in schema.conditional_requirements(content_type)
        for required in needed
    }
    rows = ["| 字段 | 名称 | 必填 | 怎么写 | 示例 |", "| --- | --- | --- | --- | --- |"]
    for key, spec, required in schema.fields(content_type):
        need = "必填" if required else conditions.get(key, "可选")
        if spec.get("unknown_allowed"):
            need += f"（原文未载明可留空，页面显示“{unknown}”）"
        how = spec.get("hint") or spec.get("description", "")
        if spec.get("allowed_from"):
            how += "。可选值：" + "、".join(schema.allowed(spec["allowed_from"]))
        elif spec.get("enum"):
            how += "。可选值：" + "、".join(map(str, spec["enum"]))
        example = schema.example_value(spec)
        rows.append(f"| `{key}` | {spec.get('title', '')} | {need} | {_cell(how)} | {_cell(f'`{example}`' if example else '')} |")
    return "\n".join(rows)


def file_types() -> str:
    """What staff may put in docs/ besides pages, from registry.yml `published_files`: the
    list in CONTRIBUTING.md between its file-types markers."""
    declared = schema.registry()["published_files"]
    return "\n".join([
        f"- 图片：{'、'.join(declared['images'])}。SVG 图片只能是图形：不能有脚本、事件、外部链接、嵌入的网页或 `<style>` 样式表"
        "（样式写在图形自己的 style、fill 等属性中）。",
        f"- 附件：{'、'.join(declared['attachments'])}。",
        f"- 大小上限：图片 {declared['max_size_kb']['images']:,} KB，附件 {declared['max_size_kb']['attachments'] // 1024:,} MB；"
        "更大的文件会使检查报“错误”。",
        "- 页面只能是 `.md` 文件（小写）。其他类型（`.html`、`.js`、`.css`、`.xml` 等）、`.markdown`/`.MD` 页面和"
        "符号链接（快捷方式，包括名字以“.”开头的隐藏链接）会使检查报“错误”，网站不会生成。",
        "- `docs/` 的最外层只放页面（`.md`）：图片放到 `docs/assets/images/`，附件放到 `docs/assets/`。",
        "- 这些位置留给网站自动生成的页面，不能放任何文件（即使现在还没有生成）："
        + "、".join(f"{what}（`{glob.removesuffix('**')}`）" for glob, what in declared["reserved"].items()) + "。",
        f"- 数据文件（{'、'.join(f'.{name}' for name in declared['data'])}）只供网站生成时读取，不会原样发布；"
        "供读者下载的表格请另存为 xlsx 或 PDF。",
        "- 只被草稿使用的图片和附件暂不发布，草稿发布时随之发布（检查报“提示”）。",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(description="从元数据模式生成字段说明表（Markdown）。")
    parser.add_argument("content_type", nargs="?", choices=schema.content_types(), help="内容类型")
    parser.add_argument("--all", action="store_true", help="输出所有内容类型的表")
    parser.add_argument("--files", action="store_true", help="输出 docs/ 中允许的文件类型（投稿指南用）")
    args = parser.parse_args(argv)
    if args.files:
        print(file_types())
        return 0
    if not args.all and not args.content_type:
        parser.error("请给出内容类型，或使用 --all，或 --files")
    try:
        for content_type in schema.content_types() if args.all else [args.content_type]:
            if args.all:
                print(f"### {schema.load(content_type).get('title', content_type)}（{content_type}）\n")
            print(table(content_type))
            print()
    except BrokenPipeError:  # output piped into `head`: what was printed is enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from complaining at exit
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; say it in Chinese
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
