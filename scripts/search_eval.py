"""Search quality on the real site: build it, type each query of the two evaluation sets into
the header search box of headless Chromium, and print recall@3, the share of queries whose
first result is right, the zero-result count, bytes downloaded and the time to each answer.

    .venv/bin/python scripts/search_eval.py             # our search, both sets
    .venv/bin/python scripts/search_eval.py --set new   # only scripts/search_questions.yml
    .venv/bin/python scripts/search_eval.py --stock     # the same queries, stock Material search
    .venv/bin/python scripts/search_eval.py --both      # both searches, side by side

The sets, which pages are right, the scoring and the targets are in fazhi.search.evaluation
(tests/test_search_eval.py asserts the same targets in CI). Each set is asked twice: once
query after query in one page, as the test does (the figures come from this pass), and once
per query on a fresh page with an empty cache (SearchBrowser.run), for the bytes and the
time from the last key to the answer. A query whose result list differs between the two is
reported. Exits with 1 when our search misses a target of a set it evaluated."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fazhi.search.evaluation import (
    SET_NAMES,
    SETS,
    TARGETS,
    EvaluationError,
    Question,
    Score,
    ask_all,
    figures,
    load_questions,
    missing_pages,
    old_questions,
    score_answers,
)
from fazhi.search.harness import QueryRun, SearchBrowser, build, copy_project, serve

SHOWN = 3  # result and wanted pages shown per query in the tables


@dataclass(frozen=True)
class Row:
    score: Score  # from the pass in one page
    run: QueryRun  # the same query on a fresh page: bytes, time, and its own result list


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock", action="store_true", help="stock Material search only")
    parser.add_argument("--both", action="store_true", help="our search and stock Material search")
    parser.add_argument("--set", choices=[*SETS, "both"], default="both", help="which query set (default both)")
    parser.add_argument("--no-strict", action="store_true", help="build without --strict")
    parser.add_argument("--typing", action="store_true", help="also type each query one character at a time")
    args = parser.parse_args()
    modes = ["ours", "stock"] if args.both else ["stock"] if args.stock else ["ours"]
    sets = list(SETS) if args.set == "both" else [args.set]
    try:
        new = load_questions() if "new" in sets else []
    except EvaluationError as error:
        sys.exit(str(error))
    results: dict[tuple[str, str], list[Row]] = {}  # (set, mode) -> rows
    with tempfile.TemporaryDirectory(prefix="search-eval-") as temp:
        for mode in modes:
            config = copy_project(Path(temp) / mode, mode)
            site = Path(temp) / mode / "site"
            seconds = build(config, site, strict=not args.no_strict)
            try:
                questions = {"old": old_questions(site) if "old" in sets else [], "new": new}
            except EvaluationError as error:
                sys.exit(str(error))
            if missing := missing_pages(new, site):
                sys.exit("\n".join(missing))
            count = sum(len(questions[name]) for name in sets)
            print(f"[{mode}] 生成网站 {seconds:.1f} s，{count} 个查询……", file=sys.stderr)
            for name, rows in evaluate(site, {name: questions[name] for name in sets}, typing=args.typing).items():
                results[name, mode] = rows
    for (name, mode), rows in results.items():
        print_details(name, mode, rows)
    print_summary(results)
    missed = report_misses(results)
    sys.exit(1 if missed else 0)


def evaluate(site: Path, questions: dict[str, list[Question]], typing: bool) -> dict[str, list[Row]]:
    """Each set asked in one page (the scores), then query by query on fresh pages (the
    measurements)."""
    rows: dict[str, list[Row]] = {}
    with serve(site) as root:
        browser = SearchBrowser(site, root)
        try:
            with browser.open_page() as page:
                scores = {name: score_answers(items, ask_all(page, root, [q.query for q in items]))
                          for name, items in questions.items()}
            for name, items in questions.items():
                rows[name] = [Row(score, browser.run(question.query, typing=typing))
                              for question, score in zip(items, scores[name], strict=True)]
        finally:
            browser.close()
    return rows


def print_details(name: str, mode: str, rows: list[Row]) -> None:
    print(f"\n## {SET_NAMES[name]}，{mode}：每个查询")
    print("| 类型 | 查询 | 应找到 | 前 3 条结果 | recall@3 | 首条正确 | 提示 | 首次下载 KB | 耗时 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        s, run = row.score, row.run
        print(f"| {s.question.kind} | {s.question.query} | {_pages(s.question.want)} | {_pages(s.pages) or '（无）'} | "
              f"{s.recall3:.2f} | {'是' if s.first_right else '否'} | {s.notice or '–'} | "
              f"{run.query_bytes / 1024:.1f} | {run.latency_ms:.0f} |")
    differ = [row for row in rows if tuple(row.run.pages) != row.score.pages]
    for row in differ:
        print(f"\n注意：“{row.score.question.query}”在新打开的页面上结果不同："
              f"{_pages(tuple(row.run.pages))}（同一页面里连续查询时：{_pages(row.score.pages)}）")


def print_summary(results: dict[tuple[str, str], list[Row]]) -> None:
    print("\n## 汇总")
    print("| set | search | queries | recall@3 | first result right | zero-result | "
          "KB at page load | KB first query (mean / max) | answer ms (median / max) | "
          "per keystroke ms (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, mode), rows in results.items():
        got = figures([row.score for row in rows])
        runs = [row.run for row in rows]
        first_kb = [run.query_bytes / 1024 for run in runs]
        answer_ms = [run.latency_ms for run in runs]
        typing = [ms for run in runs for ms in run.typing_ms]
        typing_column = f"{statistics.median(typing):.0f} / {max(typing):.0f}" if typing else "–"
        print(f"| {name} | {mode} | {got.queries} | {got.recall3:.3f} | {got.first_right:.3f} | {got.zero} | "
              f"{max(run.load_bytes for run in runs) / 1024:.1f} | "
              f"{statistics.mean(first_kb):.1f} / {max(first_kb):.1f} | "
              f"{statistics.median(answer_ms):.0f} / {max(answer_ms):.0f} | {typing_column} |")


def report_misses(results: dict[tuple[str, str], list[Row]]) -> bool:
    """Print each target our search misses; whether there was any."""
    missed = False
    for (name, mode), rows in results.items():
        if mode != "ours":
            continue
        target = TARGETS[name]
        misses = target.misses(figures([row.score for row in rows]))
        if misses:
            missed = True
            print(f"\n{SET_NAMES[name]}未达目标（recall@3 ≥ {target.recall3:.2f}，首条正确 ≥ {target.first_right:.2f}，"
                  f"0 条结果 ≤ {target.zero}）：{'；'.join(misses)}", file=sys.stderr)
    return missed


def _pages(paths: tuple[str, ...]) -> str:
    """Up to SHOWN site paths (home shown as “首页”), or how many when there are more."""
    if len(paths) > SHOWN:
        return f"{'、'.join(path or '首页' for path in paths[:SHOWN])}…共 {len(paths)} 个"
    return "、".join(path or "首页" for path in paths)


if __name__ == "__main__":
    main()
