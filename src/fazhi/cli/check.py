"""检查网站内容：页面信息（front matter）、链接、内容安全、错别字和更新情况。

    python scripts/check.py                 # 检查 docs/
    python scripts/check.py --site site     # 同时检查构建好的网站
    python scripts/check.py --format json   # 给 CI 用的 JSON
    python scripts/check.py --strict        # 警告也算失败
    python scripts/check.py --external      # 联网检查外部链接（有超时和缓存）

Exit status: 0 nothing wrong, 1 errors found (or warnings under --strict), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from fazhi.checks import Context, run_all
from fazhi.cli import project_root
from fazhi.findings import Finding, summary, to_json
from fazhi.sources import dates

REPO = project_root()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; say it in Chinese
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(description="检查网站内容（页面信息、链接、内容安全、错别字、更新情况）。")
    parser.add_argument("--root", type=Path, default=REPO, help="项目目录（含 mkdocs.yml 和 docs/），默认本项目")
    parser.add_argument("--docs", type=Path, help="内容目录，默认 <项目目录>/docs")
    parser.add_argument("--site", type=Path, help="同时检查这个构建好的网站目录（mkdocs build 的输出）")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式，默认 text")
    parser.add_argument("--strict", action="store_true", help="有警告也返回失败（退出码 1）")
    parser.add_argument("--external", action="store_true", help="联网检查外部链接（默认只检查格式）")
    parser.add_argument("--timeout", type=float, default=15.0, help="联网检查每个链接的超时秒数，默认 15")
    parser.add_argument("--cache", type=Path, help="联网检查的缓存文件，默认 ~/.cache/fazhi/external-links.json")
    parser.add_argument("--quiet", action="store_true", help="不列出“提示”，只列错误和警告")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    docs = (args.docs or root / "docs").resolve()
    if not docs.is_dir():
        parser.error(f"找不到内容目录 {docs}")
    if args.timeout <= 0:
        parser.error("--timeout 必须大于 0")
    try:
        today = dates.today()
    except ValueError:
        parser.error("环境变量 FAZHI_TODAY 应为 YYYY-MM-DD")
    context = Context(root=root, docs=docs, today=today, site=args.site.resolve() if args.site else None,
                      external=args.external, timeout=args.timeout, cache_file=args.cache)
    started = time.monotonic()
    findings = run_all(context)
    elapsed = time.monotonic() - started
    try:
        print_findings(findings, args.format, quiet=args.quiet, elapsed=elapsed, files=len(context.files))
    except BrokenPipeError:  # output piped into `head`: the status still counts
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from complaining at exit
    return exit_status(findings, strict=args.strict)


def exit_status(findings: list[Finding], strict: bool) -> int:
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(finding.severity in failing for finding in findings) else 0


def print_findings(findings: list[Finding], output: str, quiet: bool, elapsed: float, files: int) -> None:
    if output == "json":
        print(to_json(findings))
        return
    for finding in findings:
        if not (quiet and finding.severity == "info"):
            print(finding.text())
    print(f"检查了 {files} 个文件，用时 {elapsed:.1f} 秒。{summary(findings)}")


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
