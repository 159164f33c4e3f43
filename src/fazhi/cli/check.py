"""检查网站内容：页面信息（front matter）、链接、内容安全、错别字和更新情况。

    .venv/bin/python scripts/check.py                 # 检查 docs/
    .venv/bin/python scripts/check.py --site site     # 同时检查构建好的网站
    .venv/bin/python scripts/check.py --format json   # 给 CI 用的 JSON
    .venv/bin/python scripts/check.py --strict        # 警告也算失败
    .venv/bin/python scripts/check.py --external      # 联网检查外部链接（有超时和缓存）
    .venv/bin/python scripts/check.py --format github --summary 摘要.md --changed-from origin/main
                                                      # GitHub Actions：行内标注和中文摘要

`--format github` prints the workflow-command annotations (fazhi.ci_report) before the usual
text lines; `--summary FILE` appends the Markdown summary to FILE (the workflow passes
$GITHUB_STEP_SUMMARY; it is never read from the environment, so a local run writes nothing it
was not asked to). `--changed FILE…` or `--changed-from REF` (files that differ between REF, or
its merge base with HEAD, and the working tree, plus untracked ones) put those files first;
when git or REF is unavailable the order stays as it is and a note goes to stderr.

Exit status: 0 nothing wrong, 1 errors found (or warnings under --strict), 2 usage error (or
the summary file could not be written).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import NoReturn

from fazhi import ci_report
from fazhi.checks import Context, run_all
from fazhi.cli import project_root
from fazhi.findings import Finding, summary, to_json
from fazhi.sources import dates

REPO = project_root()
GIT_TIMEOUT = 60.0  # seconds for each git command of --changed-from


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
    parser.add_argument("--format", choices=["text", "json", "github"], default="text",
                        help="输出格式，默认 text；github 在文字结果前加 GitHub Actions 的行内标注")
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="把中文 Markdown 摘要追加到这个文件（GitHub Actions 中用 \"$GITHUB_STEP_SUMMARY\"）")
    changed = parser.add_mutually_exclusive_group()
    changed.add_argument("--changed", nargs="+", metavar="FILE", help="这些文件（相对项目目录）的问题排在前面、优先标注")
    changed.add_argument("--changed-from", metavar="REF",
                         help="与 git 的 REF（如 origin/main）相比改动过的文件排在前面、优先标注；取不到时保持原顺序")
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
    changed_files = changes(root, args.changed, args.changed_from)
    status = exit_status(findings, strict=args.strict)
    # The summary first: it is what staff read, and it must be there however the printing ends.
    if args.summary is not None and not write_summary(args.summary, findings, changed_files, len(context.files), args.quiet):
        status = status or 2
    try:
        if args.format == "github":
            annotate(findings, changed_files, quiet=args.quiet)
        print_findings(findings, "text" if args.format == "github" else args.format, quiet=args.quiet, elapsed=elapsed, files=len(context.files))
    except BrokenPipeError:  # output piped into `head`: the status still counts
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from complaining at exit
    return status


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


def annotate(findings: list[Finding], changed: Collection[str] | None, quiet: bool) -> None:
    """The GitHub Actions annotations (fazhi.ci_report.annotation_lines), one per line."""
    shown = [finding for finding in findings if not (quiet and finding.severity == "info")]
    for line in ci_report.annotation_lines(shown, changed):
        print(line)


def write_summary(path: Path, findings: list[Finding], changed: Collection[str] | None, files: int, quiet: bool) -> bool:
    """Append the Markdown summary to `path`; False, with a Chinese note on stderr, when it
    cannot be written."""
    try:
        with path.open("a", encoding="utf-8") as summary_file:
            summary_file.write(ci_report.summary_markdown(findings, changed, files, quiet=quiet))
    except OSError as error:
        print(f"无法写入摘要文件 {path}：{error.strerror or error}", file=sys.stderr)
        return False
    return True


def changes(root: Path, names: list[str] | None, ref: str | None) -> frozenset[str] | None:
    """The files this change touched, as findings name them: `--changed`, else `--changed-from`
    through git; None when neither is given or git cannot tell."""
    if names:
        return explicit_changes(root, names)
    return git_changes(root, ref) if ref else None


def explicit_changes(root: Path, names: list[str]) -> frozenset[str]:
    """`--changed` paths as findings show them: relative to `root`, with `/`."""
    return frozenset(_relative(root, Path(name)) for name in names)


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else root / path
    try:
        return Path(os.path.normpath(absolute)).relative_to(root).as_posix()
    except ValueError:  # outside the project: no finding can name it
        return path.as_posix()


def git_changes(root: Path, ref: str) -> frozenset[str] | None:
    """The files that differ between `ref` and the working tree, and the untracked ones,
    relative to `root`; None (with a note on stderr) when git or `ref` is not available.

    Against the merge base of `ref` and HEAD when the history has one (only the pull request's
    own changes); a shallow CI clone often lacks it, and then against `ref` itself (on the
    merge commit GitHub checks out for a pull request, that is the same)."""
    try:
        named = _git(root, "diff", "--name-only", "-z", "--relative", "--merge-base", ref, "--")
        if named is None:
            named = _git(root, "diff", "--name-only", "-z", "--relative", ref, "--")
        untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard") if named is not None else None
    except OSError as error:
        print(f"提示：无法运行 git（{error.strerror or error}），不区分本次改动的文件。", file=sys.stderr)
        return None
    if named is None or untracked is None:
        print(f"提示：git 无法比较“{ref}”，不区分本次改动的文件。", file=sys.stderr)
        return None
    return frozenset(name for name in (named + untracked).split("\0") if name)


def _git(root: Path, *args: str) -> str | None:
    """The output of `git args` run in `root` (paths unquoted), or None when it fails."""
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root, capture_output=True,
                                text=True, encoding="utf-8", errors="surrogateescape", timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return None
    return result.stdout if result.returncode == 0 else None


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
