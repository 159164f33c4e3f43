"""Search quality on the real site: build it, type each query below into the header search box
of headless Chromium, and print recall@3, the share of queries whose first result contains
the query, the zero-result rate, bytes downloaded and the time to each answer.

    .venv/bin/python scripts/search_eval.py            # our search
    .venv/bin/python scripts/search_eval.py --stock    # the same queries, stock Material search
    .venv/bin/python scripts/search_eval.py --both     # both, side by side

Which pages are right is not written down by hand: a page is relevant when its rendered text
(read from the built HTML here, independently of any search index) contains every term of
the query. recall@3 = share of the relevant pages (at most 3) found in the first 3 results.
The queries come from the 2024 report (docs/reports/2024/)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from fazhi.search.harness import QueryRun, SearchBrowser, build, copy_project, serve
from fazhi.search.tokens import normalize, runs

# (kind, query). Kinds: whole term, part of a word, several terms, number, title, body-only.
QUERIES: list[tuple[str, str]] = [
    ("whole", "行政复议"), ("whole", "法律援助"), ("whole", "信用修复"), ("whole", "首违不罚"),
    ("whole", "汽开区"), ("whole", "营商环境"), ("whole", "诉前调解"), ("whole", "法治"),
    ("whole", "权责清单"), ("whole", "行政执法"), ("whole", "人民调解"), ("whole", "法律顾问"),
    ("part", "复议"), ("part", "援助"), ("part", "修复"), ("part", "违不罚"), ("part", "开区"),
    ("part", "调解率"), ("part", "诉前"), ("part", "明白人"), ("part", "公信"),
    ("multi", "汽开区 法治"), ("multi", "行政 复议"), ("multi", "法律援助 服务圈"),
    ("multi", "信用修复 告知书"), ("multi", "物业 纠纷"), ("multi", "综治中心 纠纷"),
    ("multi", "营商环境 权责清单"),
    ("number", "2974"), ("number", "1203"), ("number", "141"), ("number", "7127"),
    ("number", "2024年"), ("number", "1203项"), ("number", "620余件"), ("number", "14.3%"),
    ("title", "本年度推进法治政府建设中存在的不足"), ("title", "网站声明"),
    ("title", "党政主要负责人履行推进法治建设第一责任人职责"), ("title", "下一年度推进法治政府建设的主要安排"),
    ("body", "百姓说事点"), ("body", "半小时服务圈"), ("body", "物业调解工作室"), ("body", "两书同达"),
    ("body", "集群注册"), ("body", "简易注销"), ("body", "府院联动"), ("body", "监护责任告知书"),
    ("body", "律师进小区"), ("body", "述法"),
]


@dataclass
class Score:
    kind: str
    run: QueryRun
    relevant: list[str]
    recall3: float
    first_right: bool

    @property
    def zero_but_present(self) -> bool:
        return not self.run.pages and bool(self.relevant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock", action="store_true", help="stock Material search only")
    parser.add_argument("--both", action="store_true", help="our search and stock Material search")
    parser.add_argument("--no-strict", action="store_true", help="build without --strict")
    parser.add_argument("--typing", action="store_true", help="also type each query one character at a time")
    args = parser.parse_args()
    modes = ["ours", "stock"] if args.both else ["stock"] if args.stock else ["ours"]
    results: dict[str, list[Score]] = {}
    with tempfile.TemporaryDirectory(prefix="search-eval-") as temp:
        for mode in modes:
            config = copy_project(Path(temp) / mode, mode)
            site = Path(temp) / mode / "site"
            seconds = build(config, site, strict=not args.no_strict)
            print(f"[{mode}] 生成网站 {seconds:.1f} s，{len(QUERIES)} 个查询……", file=sys.stderr)
            texts = page_texts(site)
            results[mode] = evaluate(site, texts, typing=args.typing)
    for mode, scores in results.items():
        print_details(mode, scores)
    print_summary(results)
    failed = [mode for mode, scores in results.items() if mode == "ours" and not meets_targets(scores)]
    sys.exit(1 if failed else 0)


def evaluate(site: Path, texts: dict[str, str], typing: bool) -> list[Score]:
    scores = []
    with serve(site) as root:
        browser = SearchBrowser(site, root)
        try:
            for kind, query in QUERIES:
                run = browser.run(query, typing=typing)
                relevant = relevant_pages(query, texts)
                top = run.pages[:3]
                wanted = min(3, len(relevant))
                recall = 1.0 if wanted == 0 else len([p for p in top if p in relevant]) / wanted
                first_right = bool(run.pages) and run.pages[0] in relevant
                scores.append(Score(kind, run, relevant, recall, first_right))
        finally:
            browser.close()
    return scores


def page_texts(site: Path) -> dict[str, str]:
    """Each searchable page's article text, normalized, keyed by its site path. Pages that opt
    out of search (`search: exclude`, e.g. the generated article lists) are left out."""
    searchable = searchable_pages(site)
    texts = {}
    for html_file in site.rglob("index.html"):
        relative = html_file.parent.relative_to(site).as_posix()
        path = "" if relative == "." else relative + "/"
        if path not in searchable:
            continue
        tree = lxml.html.parse(str(html_file))
        article = tree.find(".//article")
        if article is None:
            continue
        for permalink in article.find_class("headerlink"):
            permalink.drop_tree()
        texts[path] = normalize(article.text_content())
    return texts


def searchable_pages(site: Path) -> set[str]:
    """The pages the site's search configuration indexes, whichever search built the site."""
    stock = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    if stock["docs"]:
        return {doc["location"].split("#")[0] for doc in stock["docs"]}
    folder = site / "search" / stock["config"]["index"] / "p"
    return {json.loads(page.read_text(encoding="utf-8"))["u"] for page in folder.glob("*.json")}


def relevant_pages(query: str, texts: dict[str, str]) -> list[str]:
    terms = runs(normalize(query))
    return [path for path, text in texts.items() if terms and all(term in text for term in terms)]


def meets_targets(scores: list[Score]) -> bool:
    return (
        statistics.mean(s.recall3 for s in scores) >= 0.95
        and sum(s.first_right for s in scores) / len(scores) >= 0.90
        and not any(s.zero_but_present for s in scores)
    )


def print_details(mode: str, scores: list[Score]) -> None:
    print(f"\n## {mode}: 每个查询")
    print("| 类型 | 查询 | 相关页 | 结果页 | recall@3 | 首条正确 | 首次下载 KB | 耗时 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for s in scores:
        print(f"| {s.kind} | {s.run.query} | {len(s.relevant)} | {len(s.run.pages)} | {s.recall3:.2f} | "
              f"{'是' if s.first_right else '否'} | {s.run.query_bytes / 1024:.1f} | {s.run.latency_ms:.0f} |")


def print_summary(results: dict[str, list[Score]]) -> None:
    print("\n## 汇总")
    print("| search | queries | recall@3 | first result right | zero-result (words on site) | "
          "KB at page load | KB first query (mean / max) | answer ms (median / max) | "
          "per keystroke ms (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for mode, scores in results.items():
        n = len(scores)
        runs_ = [s.run for s in scores]
        typing = [ms for r in runs_ for ms in r.typing_ms]
        typing_column = f"{statistics.median(typing):.0f} / {max(typing):.0f}" if typing else "–"
        print(
            f"| {mode} | {n} | {statistics.mean(s.recall3 for s in scores):.3f} | "
            f"{sum(s.first_right for s in scores) / n:.3f} | "
            f"{sum(s.zero_but_present for s in scores)} | "
            f"{max(r.load_bytes for r in runs_) / 1024:.1f} | "
            f"{statistics.mean(r.query_bytes for r in runs_) / 1024:.1f} / {max(r.query_bytes for r in runs_) / 1024:.1f} | "
            f"{statistics.median(r.latency_ms for r in runs_):.0f} / {max(r.latency_ms for r in runs_):.0f} | "
            f"{typing_column} |"
        )


if __name__ == "__main__":
    main()
