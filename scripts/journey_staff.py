"""The staff's pull request, walked end to end on a clean copy of the project (.ci/run runs
it as its own step, after the test suite).

1. A clean copy: the files git tracks, nothing else (no site/, no caches).
2. Two new articles made with the scaffold as CONTRIBUTING.md says (`scripts/new_article.py`),
   one with `--report-ref` and one without; their body written the way the guide says: which
   part of the report, then a sentence of the report's original quoted word for word (taken
   from docs/reports/2024/2024-annual-report.txt here, never invented), then a figure of it.
3. The checker, the strict build and the whole test suite (`scripts/test.sh`) on that copy:
   all green. A correct article always lands. The modules marked `generated_content`
   (pyproject.toml) build only sites they generate, never docs/: their result on the copy is
   the one the suite just had, and they are not run twice.
4. Each slip staff make, one at a time on one of the new articles: the checker exits 1, names
   the line the slip is on, and explains the cause in Chinese. Then the article is put back.

The copy uses this project's virtual environment (a symlink to .venv): the code under test
is the same; only the content differs. Exit status 0 when every step holds, 1 otherwise,
with what went wrong.

    .venv/bin/python scripts/journey_staff.py [--keep] [--skip-suite]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ORIGINAL = Path("docs/reports/2024/2024-annual-report.txt")
REPORT_SOURCE = "长春汽车经济技术开发区2024年度法治政府建设工作报告"
SENTENCE = re.compile(r"[^。\n]*?\d+[^。\n]*?。")  # a sentence of the original with a figure in it


@dataclass(frozen=True)
class Slip:
    name: str
    change: Callable[[str], str]  # the article's text -> the text with the slip
    line_of: Callable[[str], int]  # the slipped text -> the line the finding must name
    words: tuple[str, ...]  # what the explanation must say
    on_second: bool = False  # made on the article without report_ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="投稿人员合并请求的全流程检验。")
    parser.add_argument("--keep", action="store_true", help="保留临时副本（默认删除）")
    parser.add_argument("--skip-suite", action="store_true", help="不在副本上运行整套测试（只用于调试本脚本）")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="journey-staff-"))
    folder.chmod(0o755)  # mkdtemp's is 0700: the suite runs the scaffold as another user too
    try:
        copy = _clean_copy(folder / "project")
        first, second = _two_new_articles(copy)
        _step("检查（scripts/check.py）", copy, [".venv/bin/python", "scripts/check.py", "--quiet"])
        _step("严格构建（mkdocs build --strict）", copy, [".venv/bin/mkdocs", "build", "--strict"])
        if not args.skip_suite:
            _step("整套测试（scripts/test.sh）", copy, ["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider",
                                                    "-m", "not generated_content"])
        failures = [message for slip in SLIPS if (message := _try_slip(copy, second if slip.on_second else first, slip))]
        for message in failures:
            print(message, file=sys.stderr)
        print(f"投稿流程：两篇新文章通过检查、构建和测试；{len(SLIPS) - len(failures)}/{len(SLIPS)} 种常见错误都在正确的行得到了中文说明。")
        return 1 if failures else 0
    except JourneyError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"副本保留在 {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


class JourneyError(RuntimeError):
    """A step that must pass did not; holds the step's output."""


# ---- The steps ----


def _clean_copy(dest: Path) -> Path:
    """The files git tracks (as they are in the working tree), and links to what setup.sh
    installed: .venv, and node_modules (the HTML checker)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    if (REPO / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(REPO / "node_modules")
    return dest


def _two_new_articles(copy: Path) -> tuple[Path, Path]:
    """Two articles made with the scaffold, bodies written as the guide says."""
    sentences = SENTENCE.findall((copy / ORIGINAL).read_text(encoding="utf-8"))
    made = []
    for number, (title, extra) in enumerate((
        ("旅程测试新文章甲", ["--report-ref", "reports/2024/part-1.md"]),
        ("旅程测试新文章乙", []),  # without report_ref: optional everywhere
    )):
        slug = f"journey-article-{number + 1}"
        _step(f"新建文章 {slug}（scripts/new_article.py）", copy, [
            ".venv/bin/python", "scripts/new_article.py", "--title", title, "--category", "普法宣传", "--tag", "普法宣传",
            "--summary", "按投稿指南新建的文章。", "--source", REPORT_SOURCE, "--slug", slug, *extra,
        ])
        path = copy / "docs/articles/posts" / f"{slug}.md"
        text = path.read_text(encoding="utf-8")
        placeholder = next(line for line in text.splitlines() if "在这里写" in line)
        sentence = sentences[number].strip().lstrip("　 ")
        body = f"《{REPORT_SOURCE}》写道：\n\n> {sentence}\n\n## 要点\n\n- {sentence}\n"
        path.write_text(text.replace(placeholder, body), encoding="utf-8")
        made.append(path)
    return made[0], made[1]


def _try_slip(copy: Path, article: Path, slip: Slip) -> str:
    """"" when the checker refuses the slipped article at the right line with the right
    words; else what it said instead. The article is put back either way."""
    good = article.read_text(encoding="utf-8")
    bad = slip.change(good)
    assert bad != good, f"the slip {slip.name} changed nothing"
    article.write_text(bad, encoding="utf-8")
    try:
        result = subprocess.run([".venv/bin/python", "scripts/check.py", "--quiet"], cwd=copy, env=ENV,
                                 capture_output=True, text=True, timeout=120)
    finally:
        article.write_text(good, encoding="utf-8")
    where = f"{article.relative_to(copy).as_posix()}:{slip.line_of(bad)}:"
    lines = [line for line in result.stdout.splitlines() if line.startswith(where) and " 错误 " in line]
    if result.returncode == 1 and any(all(word in line for word in slip.words) for line in lines):
        print(f"  ✓ {slip.name}: {lines[0][:160]}")
        return ""
    return (f"✗ {slip.name}: 检查程序退出码 {result.returncode}，应在 {where} 报错并说明 {'、'.join(slip.words)}；它输出：\n"
            + "\n".join(line for line in result.stdout.splitlines() if " 错误 " in line or " 警告 " in line))


def _step(name: str, cwd: Path, command: list[str]) -> None:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        raise JourneyError(f"✗ {name}：退出码 {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    print(f"✓ {name}（{time.monotonic() - started:.0f} 秒）")


# ---- The slips (issue 13: each gets the right line and a plain explanation) ----


def _line(pattern: str) -> Callable[[str], int]:
    """The 1-based number of the first line matching `pattern` in the slipped text."""
    return lambda text: next(n for n, line in enumerate(text.split("\n"), start=1) if re.search(pattern, line))


def _first_quote_digit_changed(text: str) -> str:
    line = next(line for line in text.split("\n") if line.startswith("> ") and re.search(r"\d", line))
    digit = re.search(r"\d", line)
    assert digit is not None
    changed = line[:digit.start()] + str((int(digit.group()) + 1) % 10) + line[digit.end():]
    return text.replace(line, changed, 1)


SLIPS = [
    Slip("full-width colon", lambda t: t.replace("\ntitle: ", "\ntitle：", 1), _line("^title："), ("中文冒号", "title: ")),
    Slip("non-breaking space after summary:", lambda t: t.replace("\nsummary: ", "\nsummary:\u00a0", 1), _line("^summary:"),
         ("不间断空格",)),
    Slip("non-breaking space after a heading's #", lambda t: t.replace("\n## 要点", "\n##\u00a0要点", 1), _line("^##\u00a0"),
         ("不间断空格", "不会显示成标题")),
    Slip("tag typo", lambda t: t.replace("  - 普法宣传\nslug", "  - 律师进社区\nslug", 1), _line("律师进社区"),
         ("律师进社区", "是不是“律师进小区”？")),
    Slip("category typo", lambda t: t.replace("categories:\n  - 普法宣传", "categories:\n  - 普法宣转", 1), _line("普法宣转"),
         ("是不是“普法宣传”？",)),
    Slip("empty list with items", lambda t: t.replace("categories:\n", "categories: []\n", 1), _line(r"^categories: \[\]"),
         ("categories: []", "删掉“[]”")),
    Slip("Chinese quotation marks around a value with a colon", lambda t: re.sub(r"\nsummary: .*", "\nsummary: “说明: 冒号”", t, count=1),
         _line("^summary:"), ("中文引号", "英文")),
    Slip("bad date", lambda t: re.sub(r"\ndate: .*", "\ndate: 2026/11/30", t, count=1), _line("^date:"), ("日期", "YYYY-MM-DD")),
    Slip("changed figure in a quotation", _first_quote_digit_changed, _line(r"^> "), ("原文中找不到", "原文是“")),
    Slip("figure the report does not have", lambda t: t.rstrip("\n") + "\n- 另有123456789次。\n", _line("123456789"),
         ("123456789", "原文中找不到")),
    Slip("wrong anchor", lambda t: t.rstrip("\n") + "\n\n[报告](../../reports/2024/part-1.md#没有这个小节)\n", _line("没有这个小节"),
         ("没有这个小节",)),
    Slip("template placeholder left", lambda t: re.sub(r"\nsummary: .*", "\nsummary: 在这里写摘要", t, count=1), _line("^summary:"),
         ("占位文字",)),
    Slip("slug and file name differ", lambda t: t.replace("\nslug: ", "\nslug: wrong-", 1), _line("^slug:"), ("文件名",),
         on_second=True),
    Slip("changed figure, article without report_ref", _first_quote_digit_changed, _line(r"^> "), ("原文中找不到",), on_second=True),
]


if __name__ == "__main__":
    sys.exit(main())
