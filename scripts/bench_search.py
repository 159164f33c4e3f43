"""Search at scale: generate 1,000 and 5,000 articles in a temporary copy of the site (never in
docs/), build it two ways in the same run — stock Material search (jieba) and ours — and
print index size, bytes for a first query, build time spent on search (the time inside the
stock search plugin's handlers and the fazhi plugin's search steps, fazhi.search.build,
measured in the build process by fazhi.search.buildprobe) and the time from the last
keystroke to the answer in headless Chromium.

Our search is also asked the evaluation set's questions (scripts/search_questions.yml, at
most the first QUESTIONS), each on a fresh page, and held to the budget: a first query
downloads at most BUDGET_KB and is answered within BUDGET_MS of the last key, for every
question (the largest and the slowest are what the budget line judges). Stock Material
keeps its short list beside it: it downloads and indexes everything on each page load.

    .venv/bin/python scripts/bench_search.py                 # 1,000 and 5,000 articles
    .venv/bin/python scripts/bench_search.py --articles 1000 # one size
    .venv/bin/python scripts/bench_search.py --skip-stock-browser  # stock: build only
    .venv/bin/python scripts/bench_search.py --server python # the tests' Python server

The sites are served as a maintainer deploys them: deploy/nginx.conf in Debian's nginx under
/fazhi/ (fazhi.search.harness.serve_nginx; needs root, which scripts/setup.sh's machine has).
Python's http.server answers each request some 20 ms later than nginx, which a loosened
query feels on each of its rounds of small files.

It also prints what one file costs a reader whatever it holds: a fresh page fetching 1, 10
and 40 of the site's page files side by side (FETCHED). That cost, not bytes, is why a query
reads as few files as it can.

Bytes are what a static server sends with gzip (level 6) for the search files the browser
actually requested; "page load" is before anyone touches the search box."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.search.evaluation import EvaluationError, load_questions
from fazhi.search.harness import QueryRun, SearchBrowser, copy_project, gzip_size, serve, serve_nginx
from fazhi.search.sample import write_articles

QUERIES = ["行政复议", "复议", "法治", "2974", "汽开区 法治", "诉前调解", "首违不罚", "样例123"]
STOCK_QUERIES = 2  # stock Material downloads and indexes everything on each page load: slow
QUESTIONS = 60  # evaluation questions asked of our search per size (each on a fresh page, ~1 s)
# Issue 16's budget for a first query on a phone: what it downloads (gzip KB) and the time
# from the last key to the answer (ms).
BUDGET_KB = 200
BUDGET_MS = 100
FETCHED = (1, 10, 40)  # page files fetched side by side for the cost of a file (each set on a fresh page)


@dataclass
class Row:
    articles: int
    mode: str
    build_s: float
    build_cpu_s: float
    search_s: float
    search_cpu_s: float
    peak_mb: float
    files: int = 0
    raw_mb: float = 0.0
    gzip_mb: float = 0.0
    runs: list[QueryRun] = field(default_factory=list)
    question_runs: list[QueryRun] = field(default_factory=list)  # ours: the evaluation questions
    fetch_ms: list[tuple[int, float]] = field(default_factory=list)  # ours: (files side by side, ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", help="article counts (default 1000 and 5000)")
    parser.add_argument("--skip-stock-browser", action="store_true", help="do not time stock search in the browser")
    parser.add_argument("--server", choices=["nginx", "python"], default="nginx",
                        help="serve the built sites with deploy/nginx.conf in Debian's nginx (default, needs root) "
                             "or with the tests' plain Python server")
    args = parser.parse_args()
    try:
        questions = [question.query for question in load_questions()[:QUESTIONS]]
    except EvaluationError as error:
        sys.exit(str(error))
    rows: list[Row] = []
    for count in args.articles or [1000, 5000]:
        with tempfile.TemporaryDirectory(prefix=f"search-bench-{count}-") as temp:
            for mode in ("stock", "ours"):
                project = Path(temp) / mode
                config = copy_project(project, mode)
                write_articles(project / "docs", count)
                site = project / "site"
                print(f"[{count} 篇，{mode}] 生成中……", file=sys.stderr)
                row = Row(count, mode, *timed_build(config, site))
                measure_index(row, site)
                if mode == "ours" or (mode == "stock" and not args.skip_stock_browser):
                    queries = QUERIES if mode == "ours" else QUERIES[:STOCK_QUERIES]
                    row.runs = browse(site, queries, typing=mode == "ours", server=args.server)
                if mode == "ours":
                    row.question_runs = browse(site, questions, typing=False, server=args.server)
                    row.fetch_ms = fetch_cost(site, args.server)
                rows.append(row)
                print_row(row)
    print_table(rows)
    print_budget(rows)
    print_fetch_cost(rows)


def timed_build(config: Path, site: Path) -> tuple[float, float, float, float, float]:
    """Wall and CPU time of one build, the same inside search handlers, and peak memory,
    measured in a fresh process."""
    command = [sys.executable, "-m", "fazhi.search.buildprobe", str(config), str(site)]
    output = subprocess.run(command, cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if output.returncode != 0:
        sys.exit(f"生成失败（{config}）：\n{output.stdout[-3000:]}\n{output.stderr[-3000:]}")
    result = json.loads(output.stdout.strip().splitlines()[-1])
    return (result["seconds"], result["cpu_seconds"], result["search_seconds"], result["search_cpu_seconds"],
            result["peak_mb"])


def measure_index(row: Row, site: Path) -> None:
    folder = site / "search"
    if not folder.exists():
        return
    files = [path for path in folder.rglob("*.json")]
    row.files = len(files)
    row.raw_mb = sum(path.stat().st_size for path in files) / 1e6
    row.gzip_mb = sum(gzip_size(path) for path in files) / 1e6


def fetch_cost(site: Path, server: str) -> list[tuple[int, float]]:
    """(files, ms) for a fresh page fetching FETCHED of the site's page files side by side:
    what each file of a query costs the reader, whatever it holds."""
    folder = next(path for path in (site / "search").iterdir() if path.is_dir())
    files = sorted(folder.glob("p/*.json"), key=lambda path: int(path.stem))
    with browsing(site, server) as browser:
        offset, found = 0, []
        for count in FETCHED:
            paths = [path.relative_to(site).as_posix() for path in files[offset:offset + count]]
            found.append((len(paths), browser.fetch_ms(paths)))
            offset += count
        return found


def browse(site: Path, queries: list[str], typing: bool, server: str) -> list[QueryRun]:
    """Each query on a fresh page of the site."""
    with browsing(site, server) as browser:
        return [browser.run(query, typing=typing) for query in queries]


@contextlib.contextmanager
def browsing(site: Path, server: str) -> Iterator[SearchBrowser]:
    """Headless Chromium on the site served by `server` ("nginx": deploy/nginx.conf in
    Debian's nginx, as deployed; "python": the tests' plain static server)."""
    with contextlib.ExitStack() as stack:
        if server == "nginx":
            root, switches = stack.enter_context(serve_nginx(site))
        else:
            root, switches = stack.enter_context(serve(site)), []
        browser = SearchBrowser(site, root, switches)
        try:
            yield browser
        finally:
            browser.close()


def print_row(row: Row) -> None:
    print(f"  {row.articles} 篇 {row.mode}: 生成 {row.build_s:.1f} s（CPU {row.build_cpu_s:.1f} s），"
          f"其中搜索 {row.search_s:.1f} s（CPU {row.search_cpu_s:.1f} s），"
          f"内存峰值 {row.peak_mb:.0f} MB，索引 {row.raw_mb:.1f} MB（gzip {row.gzip_mb:.2f} MB，{row.files} 个文件）",
          file=sys.stderr)
    for run in row.runs:
        print(f"    {run.query}: {len(run.pages)} 条，页面加载 {run.load_bytes / 1024:.1f} KB，"
              f"首次查询 {run.query_bytes / 1024:.1f} KB，{run.latency_ms:.0f} ms，"
              f"逐字 {[round(ms) for ms in run.typing_ms]}", file=sys.stderr)
    if row.fetch_ms:
        print("    并行取页面文件：" + "，".join(f"{count} 个 {ms:.1f} ms" for count, ms in row.fetch_ms) +
              f"（每个约 {row.fetch_ms[-1][1] / row.fetch_ms[-1][0]:.1f} ms）", file=sys.stderr)
    for run in row.question_runs:
        if run.query_bytes > BUDGET_KB * 1024 or run.latency_ms > BUDGET_MS:
            print(f"    超出预算：{run.query}: 首次查询 {run.query_bytes / 1024:.1f} KB，{run.latency_ms:.0f} ms", file=sys.stderr)


def print_table(rows: list[Row]) -> None:
    print("\n| articles | search | build s (CPU) | of it search s (CPU) | peak MB | index files | index MB raw / gzip | "
          "KB at page load | KB first query (median / max) | first answer ms (median / max) | "
          "per keystroke ms (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        cells = [f"{row.articles:,}", row.mode, f"{row.build_s:.1f} ({row.build_cpu_s:.1f})",
                 f"{row.search_s:.1f} ({row.search_cpu_s:.1f})", f"{row.peak_mb:.0f}",
                 str(row.files), f"{row.raw_mb:.1f} / {row.gzip_mb:.2f}"]
        if row.runs:
            load = max(run.load_bytes for run in row.runs) / 1024
            first = [run.query_bytes / 1024 for run in row.runs]
            latency = [run.latency_ms for run in row.runs]
            typing = [ms for run in row.runs for ms in run.typing_ms]
            cells += [f"{load:.1f}", f"{statistics.median(first):.1f} / {max(first):.1f}",
                      f"{statistics.median(latency):.0f} / {max(latency):.0f}",
                      f"{statistics.median(typing):.0f} / {max(typing):.0f}" if typing else "–"]
        else:
            cells += ["–", "–", "–", "–"]
        print("| " + " | ".join(cells) + " |", flush=True)


def print_budget(rows: list[Row]) -> None:
    """The evaluation questions per size: our search beside stock Material's short list, and
    whether ours keeps the budget."""
    print(f"\n| articles | search | queries | KB first query (median / max) | answer ms (median / worst) | "
          f"budget (≤ {BUDGET_KB} KB, ≤ {BUDGET_MS} ms) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        runs = row.question_runs if row.mode == "ours" else row.runs
        if not runs:
            continue
        kb = [run.query_bytes / 1024 for run in runs]
        ms = [run.latency_ms for run in runs]
        if row.mode == "ours":
            largest = max(runs, key=lambda run: run.query_bytes)
            slowest = max(runs, key=lambda run: run.latency_ms)
            over = ([f"{largest.query_bytes / 1024:.1f} KB（“{largest.query}”）"] if max(kb) > BUDGET_KB else []) + \
                   ([f"{slowest.latency_ms:.0f} ms（“{slowest.query}”）"] if max(ms) > BUDGET_MS else [])
            budget = f"over: {'，'.join(over)}" if over else "PASS"
            label = "questions"
        else:
            budget, label = "–", "short list"
        print(f"| {row.articles:,} | {row.mode} | {len(runs)} {label} | {statistics.median(kb):.1f} / {max(kb):.1f} | "
              f"{statistics.median(ms):.0f} / {max(ms):.0f} | {budget} |", flush=True)



def print_fetch_cost(rows: list[Row]) -> None:
    """What a file costs the reader: page files fetched side by side on a fresh page."""
    measured = [row for row in rows if row.fetch_ms]
    if not measured:
        return
    print("\n| articles | " + " | ".join(f"{count} files side by side, ms" for count, _ in measured[0].fetch_ms) +
          " | ms per file |")
    print("|---|" + "---|" * (len(measured[0].fetch_ms) + 1))
    for row in measured:
        last_count, last_ms = row.fetch_ms[-1]
        print(f"| {row.articles:,} | " + " | ".join(f"{ms:.1f}" for _, ms in row.fetch_ms) +
              f" | {last_ms / max(1, last_count):.1f} |", flush=True)

if __name__ == "__main__":
    main()
