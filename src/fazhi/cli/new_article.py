"""新建一篇普法文章：写好页面信息（front matter）和正文骨架，日期是今天（北京时间）。

    .venv/bin/python scripts/new_article.py --title "标题" --category 法律援助 --summary "摘要" \
        --source "长春汽车经济技术开发区2024年度法治政府建设工作报告"

缺少的项目，在终端里运行时会逐项询问；在脚本或 CI 中运行时报错并说明缺什么。
网址名（--slug）不写时由标题的拼音生成。已有同名文件（或同名链接）时不会覆盖。
写出的文件符合 src/fazhi/sources/schemas/article.yml，能通过 scripts/check.py。

The file appears whole or not at all: it is written to a hidden temporary file in the same
folder and linked into place under its name (os.link never replaces an existing name), so a
full disk, a read-only folder or an interrupted run leaves no empty or half-written article.
Text that is not UTF-8 (the terminal's encoding), control characters and line breaks in the
values are refused before anything is written.

Exit status: 0 written, 1 refused (file exists, invalid values, the file could not be
written), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from fazhi.cli import project_root
from fazhi.sources import dates, frontmatter, schema
from fazhi.sources.slugs import ascii_slug

REPO = project_root()
POSTS = Path("articles/posts")
# The schema's limit on a slug (article.yml says why: the file name and the address).
SLUG_MAX_LENGTH = int(schema.load_cached("article")["properties"]["slug"]["maxLength"])
# Text from a terminal that is not UTF-8 reaches Python as lone surrogates (surrogateescape).
UNDECODABLE = re.compile("[\ud800-\udfff]")
# No `# 标题` line: the page shows `title` as its heading (fazhi.articles.pages adds it), so
# the title is written once, and no line of the body starts with "#" that staff could take
# for a comment to delete.
BODY = """
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
    try:
        for key in missing:
            values[key] = _ask_category(ask) if key == "category" else _ask_text(ask, key)
        slug = args.slug or ascii_slug(values["title"], max_length=min(60, SLUG_MAX_LENGTH))
        # A title that gives no slug because it is blank or not UTF-8: the checks below say so.
        if not slug and values["title"].strip() and not UNDECODABLE.search(values["title"]):
            if not interactive:
                print("无法从标题生成网址名，请用 --slug 指定，例如 --slug legal-aid-2026", file=sys.stderr)
                return 2
            slug = _ask_text(ask, "slug")
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，没有写文件。", file=sys.stderr)
        return 1

    data = _front_matter_data(values, args.tag or [], slug, args.report_ref)
    problems = _text_problems(data) or [f"{problem.message} {problem.fix}" for problem in schema.validate("article", data)]
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("没有写文件。改正上面的问题后重新运行。", file=sys.stderr)
        return 1
    path = args.docs / POSTS / f"{slug}.md"
    refused = _make_folder(path.parent) or _write_new(path, render(data))
    if refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"已创建 {path}")
    print("下一步：打开文件，把“（在这里写正文……）”一段换成正文，然后运行 .venv/bin/python scripts/check.py 检查。"
          "占位文字还在时，检查会报错，网站也不会生成。")
    return 0


def render(data: dict[str, Any]) -> str:
    """Front matter in the schema's field order, then the body skeleton."""
    lines = ["---"]
    for key, _spec, _required in schema.fields("article"):
        if key in data:
            lines.append(_yaml_line(key, data[key]))
    lines.append("---")
    return "\n".join(lines) + "\n" + BODY


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
        try:
            answer = ask(f"{spec.get('title', key)}（{spec.get('hint', '')}）：").strip()
        except UnicodeDecodeError:
            print("输入的文字不是 UTF-8 编码，无法识别。请把终端的编码设为 UTF-8 后再输入一次。")
            continue
        if answer:
            return answer
        print("不能为空，请再输入一次。")


def _ask_category(ask: Callable[[str], str]) -> list[str]:
    choices = schema.allowed("categories")
    menu = "  ".join(f"{number}. {name}" for number, name in enumerate(choices, start=1))
    while True:
        try:
            answer = ask(f"分类（输入编号或分类名，多个用空格分开）：{menu}\n> ").replace("，", " ").replace("、", " ").split()
        except UnicodeDecodeError:
            answer = []
        picked = [_category_choice(word, choices) for word in answer]
        if picked and all(picked):
            return list(dict.fromkeys(name for name in picked if name))
        print(f"请输入 1 到 {len(choices)} 之间的编号，或上面列出的分类名。")


def _category_choice(word: str, choices: list[str]) -> str | None:
    """The category a typed word names: its number in the menu, or its name."""
    if word.isdigit() and 1 <= int(word) <= len(choices):
        return choices[int(word) - 1]
    return word if word in choices else None


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


def _text_problems(data: dict[str, Any]) -> list[str]:
    """What no article may hold, whatever the schema says: text that was not UTF-8 in the
    terminal (it cannot be written to a UTF-8 file), control characters (they break the feed
    and are invisible), line breaks in a one-line field, a slug longer than the schema allows
    (said before the file name is ever tried)."""
    problems = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            option = f"{_label(key)}（--{_OPTIONS.get(key, key)}）"
            control = frontmatter.CONTROL.search(item)
            if UNDECODABLE.search(item):
                problems.append(f"{option}中有无法识别的字节：命令行传来的文字不是 UTF-8 编码。"
                                "把终端的编码设为 UTF-8（Windows 命令提示符先运行 chcp 65001）后重新输入。")
            elif control is not None:
                problems.append(f"{option}中有看不见的控制字符 {frontmatter.character_name(control.group())}"
                                "（常见于从 Word、PDF 或网页复制的文字）。删除它后重新输入。")
            elif "\n" in item or "\r" in item:
                problems.append(f"{option}不能分成几行。写成一行。")
            elif key == "slug" and len(item) > SLUG_MAX_LENGTH:
                problems.append(f"网址名太长（{len(item)} 个字符，最多 {SLUG_MAX_LENGTH} 个）：它是文件名，也是文章网址的一部分。"
                                "用几个英文单词或拼音，例如 --slug legal-aid-2026。")
    return problems


_OPTIONS = {"categories": "category", "tags": "tag", "report_ref": "report-ref"}  # field -> its command-line option


def _make_folder(folder: Path) -> str | None:
    """Create the articles folder if needed; a message when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in [folder, *folder.parents] if os.path.lexists(p) and not p.is_dir()), folder)
        return f"{blocking} 不是文件夹（有一个同名的文件或链接），无法在里面新建文章。没有写文件。请维护者检查这个位置。"
    except OSError as error:
        return _os_message(error, folder)
    return None


def _write_new(path: Path, text: str) -> str | None:
    """Write `text` as the new file `path`, all of it or nothing; a message when refused.

    Never replaces anything at `path`: a file, a folder, a link (even one to a file that does
    not exist). The text goes to a hidden temporary file in the same folder first; os.link
    then gives it its name, failing if the name is taken. The temporary file is removed
    whatever happens."""
    exists = f"{path} 已经存在，没有覆盖。换一个网址名（--slug），或直接编辑这个文件。"
    if os.path.lexists(path):
        if path.is_symlink():
            return f"{path} 已经存在（是一个链接），没有覆盖。换一个网址名（--slug），或请维护者检查这个链接。"
        return exists
    data = text.encode("utf-8")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_all(temporary, data)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            _write_all(path, data)  # a file system without hard links: exclusive create
    except FileExistsError:
        return exists
    except OSError as error:
        return _os_message(error, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return None


# os.link's errors on file systems that have no hard links (FAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def _write_all(path: Path, data: bytes) -> None:
    """Create `path` (it must not exist) holding `data`, flushed to disk; on any error the
    file is removed again, so it is never left empty or cut short."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
            try:
                os.fsync(descriptor)
            except OSError as error:
                if error.errno != errno.EINVAL:  # EINVAL: this file system cannot sync; the data is written
                    raise
        finally:
            os.close(descriptor)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _os_message(error: OSError, path: Path) -> str:
    """A failed write, in words: what happened and what to do. Nothing was left behind."""
    code = error.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = f"没有权限在 {path.parent} 中新建文件（文件夹是只读的）。"
        fix = "检查文件夹的权限，或在自己有写入权限的项目副本里运行。"
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        what = "磁盘空间不足（或超出了文件大小限制），文件没有写完。"
        fix = "清理磁盘空间后重新运行。"
    elif code == errno.ENAMETOOLONG:
        what = f"文件路径太长，系统无法保存（{len(str(path))} 个字符）。"
        fix = "用更短的网址名（--slug），或把项目放在路径较短的文件夹里。"
    else:
        what = f"写文件时出错（{error.strerror or error}）。"
        fix = "检查磁盘和文件夹后重新运行。"
    return f"{what}没有留下不完整的文件。{fix}"


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
    """Console-script entry point. A terminal whose encoding cannot show a character (or a
    path that was not UTF-8) gets an escape, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # sys.stdout is typed TextIO; it is a TextIOWrapper here
    try:
        status = main()
    except KeyboardInterrupt:
        print("\n已取消。", file=sys.stderr)
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    run()
