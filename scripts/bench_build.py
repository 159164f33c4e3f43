"""Benchmark: build time, peak memory and size of the real site with N generated articles,
beside a stock Material for MkDocs configuration (blog plugin + search) of the same content,
in the same run.

    .venv/bin/python scripts/bench_build.py                 # 100, 1000 and 5000 articles
    .venv/bin/python scripts/bench_build.py --sizes 1000 --preview --transfer
    .venv/bin/python scripts/bench_build.py --sizes 1000 --repeat 3   # best of 3 on a busy machine

Generated articles exist only in a temporary copy of the site; nothing is written to docs/.
Their text is assembled from sentences of the 2024 report so that Chinese segmentation and
search indexing see realistic text, but they are test data, never content.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from fazhi.preview_server import PreviewError, mkdocs_serve
from fazhi.procmem import TreeMemorySampler
from fazhi.search.sample import corrected
from fazhi.static_server import serve_directory

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "docs" / "reports" / "2024" / "2024-annual-report.txt"
CATEGORY = "普法宣传"


@dataclass
class BuildResult:
    seconds: float
    peak_mb: float
    cpu_seconds: float  # user + system time of the build and its child (the search indexer)
    site_mb: float
    search_mb: float
    search_gzip_mb: float


# ---- Generated content ----


def report_sentences() -> list[str]:
    text = corrected(REPORT.read_text("utf-8"))  # the build stops on the report's own 杼困 in an article
    return [s + "。" for line in text.splitlines() for s in line.split("。") if len(s) > 8]


def article_markdown(number: int, sentences: list[str], rng: random.Random) -> str:
    body = "\n\n".join("".join(rng.sample(sentences, 3)) for _ in range(6))
    day = 1 + number % 28
    return (
        "---\n"
        f"title: 测试文章{number:05d}：{sentences[number % len(sentences)][:12]}\n"
        f"date: 2026-{1 + number % 10:02d}-{day:02d}\n"
        "source: 基准测试生成\n"
        f"summary: 基准测试生成的第{number}篇文章。\n"
        f"categories:\n  - {CATEGORY}\n"
        "tags: []\n"
        f"slug: bench-{number:05d}\n"
        "---\n\n"
        f"{body}\n\n## 第二部分\n\n{''.join(rng.sample(sentences, 4))}\n"
    )


def write_articles(posts: Path, count: int) -> list[Path]:
    posts.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20241)
    sentences = report_sentences()
    paths = []
    for number in range(count):
        path = posts / f"bench-{number:05d}.md"
        path.write_text(article_markdown(number, sentences, rng), encoding="utf-8")
        paths.append(path)
    return paths


def real_project(root: Path, count: int) -> Path:
    """A copy of this site with `count` generated articles added."""
    project = root / "real"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    write_articles(project / "docs" / "articles" / "posts", count)
    return project


STOCK_CONFIG = """\
site_name: 汽开区法治政府建设
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
  - blog:
      blog_dir: articles
markdown_extensions:
  - attr_list
  - md_in_html
  - toc:
      permalink: true
"""


def stock_project(root: Path, count: int) -> Path:
    """The same report pages and articles under stock Material: blog plugin + search."""
    project = root / "stock"
    docs = project / "docs"
    shutil.copytree(REPO / "docs" / "reports", docs / "reports")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "articles").mkdir(parents=True)
    (docs / "articles" / "index.md").write_text("# 普法文章\n", encoding="utf-8")
    posts = write_articles(docs / "articles" / "posts", count)
    for post in posts:  # the blog plugin wants a date only, not our extra keys' order
        post.write_text(post.read_text("utf-8").replace("tags: []\n", ""), encoding="utf-8")
    (project / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    return project


# ---- Measurements ----


def measured_build(project: Path, strict: bool = True, repeat: int = 1) -> BuildResult:
    """The best of `repeat` builds (shortest wall time); the peak memory is the largest."""
    results = [one_build(project, strict) for _ in range(repeat)]
    best = min(results, key=lambda result: result.seconds)
    best.peak_mb = max(result.peak_mb for result in results)
    return best


def one_build(project: Path, strict: bool) -> BuildResult:
    """Build once in a child process: wall and CPU time, and peak memory of the whole process
    tree (the site's search index is built by a second process at the same time as the pages)."""
    site = project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-q", "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # MkDocs' messages go to a file: a pipe read only after the build would fill up (64 KB)
    # and stop a build that reports many problems.
    with tempfile.TemporaryFile() as messages:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=messages)
        sampler = TreeMemorySampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if child.returncode != 0:
            messages.seek(0)
            raise SystemExit(f"build failed in {project}:\n{messages.read().decode(errors='replace')[-5000:]}")
    search_files = [p for p in (site / "search").rglob("*") if p.is_file()] if (site / "search").exists() else []
    return BuildResult(
        seconds=seconds,
        # Summed resident memory of the process and its children, sampled every 20 ms; never
        # less than the main process's own peak, which the kernel records exactly.
        peak_mb=max(sampler.peak_kb, usage.ru_maxrss) / 1024,
        # wait4's figures include the children the build waited for (the indexer).
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        site_mb=folder_bytes(site) / 1e6,
        search_mb=sum(p.stat().st_size for p in search_files) / 1e6,
        search_gzip_mb=sum(len(gzip.compress(p.read_bytes(), 6)) for p in search_files) / 1e6,
    )


def folder_bytes(folder: Path) -> int:
    """Bytes of the published files, without the build's gzip copies for nginx's gzip_static
    (fazhi.hosting.precompress: `x.html.gz` beside `x.html`), which repeat the same content
    and which stock Material does not write; the time to write them is in the build's."""
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not (p.suffix == ".gz" and p.with_suffix("").is_file()))


def preview_seconds(project: Path, article: Path, url_path: str, dirty: bool) -> float:
    """Seconds from saving an edited article in `mkdocs serve` (full or --dirty rebuild) until
    the new text is served."""
    with mkdocs_serve(project, project / "serve.log", dirty=dirty) as server:
        try:
            server.wait_until(lambda: server.fetch(url_path)[0] == 200, 600, interval=0.2)
            time.sleep(1)  # let the file watcher settle after the first build
            # Letters, not a long number: the build's privacy rule stops on a Luhn-valid digit run.
            marker = f"预览标记{uuid.uuid4().hex.translate(str.maketrans('0123456789', 'ghijklmnop'))}"
            article.write_text(article.read_text("utf-8") + f"\n\n{marker}\n", encoding="utf-8")
            saved = time.perf_counter()
            server.wait_until(lambda: marker.encode() in server.fetch(url_path)[1], 120)
            return time.perf_counter() - saved
        except PreviewError as error:
            raise SystemExit(f"preview failed: {error}") from None


def url_of(site: Path, text: str) -> str:
    """The URL path of the built page whose title (its <h1>) contains `text`."""
    for page in site.rglob("index.html"):
        if re.search(f"<h1[^>]*>{re.escape(text)}", page.read_text("utf-8")):
            relative = page.parent.relative_to(site).as_posix()
            return "/" if relative == "." else f"/{relative}/"
    raise SystemExit(f"no built page contains {text!r}")


def transfer_kb(site: Path, pages: list[str]) -> dict[str, float]:
    """Compressed bytes a browser downloads to show each page (search not yet used)."""
    from playwright.sync_api import sync_playwright

    from fazhi.search.harness import CHROMIUM, CHROMIUM_ARGS  # the tests' browser switches

    sizes: dict[str, float] = {}
    with serve_directory(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in pages:
            page = browser.new_page()
            bodies: list[bytes] = []
            foreign: list[str] = []
            page.on("response", lambda r, bodies=bodies, foreign=foreign: (  # this page's lists
                bodies.append(r.body()) if r.url.startswith(origin) else foreign.append(r.url)))
            page.goto(origin + path, wait_until="networkidle")
            page.close()
            if foreign:
                raise SystemExit(f"{path} requested other hosts: {foreign}")
            sizes[path] = sum(len(gzip.compress(body, 6)) for body in bodies) / 1024
        browser.close()
    return sizes


# ---- Report ----


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="numbers of articles")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Material comparison")
    parser.add_argument("--preview", action="store_true", help="measure mkdocs serve after one edit (at the first size ≥ 1000, else the largest)")
    parser.add_argument("--transfer", action="store_true", help="measure compressed bytes of the home page and an article")
    parser.add_argument("--repeat", type=int, default=1, help="build each configuration N times and keep the fastest (default 1)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    header = f"{'articles':>8} {'config':<8} {'build s':>8} {'peak MB':>8} {'site MB':>8} {'search MB':>9} {'gzip MB':>8} {'CPU s':>8}"
    print(header)
    preview_size = next((n for n in args.sizes if n >= 1000), max(args.sizes))
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-") as temp:
            root = Path(temp)
            real = measured_build(real_project(root, count), repeat=args.repeat)
            print(row(count, "site", real))
            if not args.no_stock:
                stock = measured_build(stock_project(root, count), strict=False, repeat=args.repeat)
                print(row(count, "stock", stock))
                print(
                    f"{count:>8} {'ratio':<8} {real.seconds / stock.seconds:>8.2f} {real.peak_mb / stock.peak_mb:>8.2f}"
                    f" {real.site_mb / stock.site_mb:>8.2f} {ratio(real.search_mb, stock.search_mb):>9}"
                    f" {ratio(real.search_gzip_mb, stock.search_gzip_mb):>8} {real.cpu_seconds / stock.cpu_seconds:>8.2f}"
                )
            project = root / "real"
            if args.transfer and count == preview_size:
                site = project / "site"
                article_url = url_of(site, "测试文章00007")
                for path, kb in transfer_kb(site, ["/", article_url]).items():
                    print(f"transfer {path}: {kb:.0f} KB compressed (all requests of the page, gzip -6)")
            if args.preview and count == preview_size:
                article = project / "docs" / "articles" / "posts" / "bench-00007.md"
                url_path = url_of(project / "site", "测试文章00007")
                for dirty, label in [(False, "mkdocs serve"), (True, "mkdocs serve --dirty")]:
                    seconds = preview_seconds(project, article, url_path, dirty)
                    print(f"preview at {count} articles, {label}: edited article served after {seconds:.2f} s")
    return 0


def row(count: int, label: str, result: BuildResult) -> str:
    return (
        f"{count:>8} {label:<8} {result.seconds:>8.1f} {result.peak_mb:>8.0f} {result.site_mb:>8.1f}"
        f" {result.search_mb:>9.2f} {result.search_gzip_mb:>8.2f} {result.cpu_seconds:>8.1f}"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


if __name__ == "__main__":
    sys.exit(main())
