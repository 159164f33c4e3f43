"""Lighthouse (mobile) on the site as a maintainer deploys it: build with SITE_URL, deploy into
deploy/nginx.conf run in Debian's nginx (fazhi.hosting.nginx, fazhi.hosting.deploy), then run
Lighthouse, pinned in package.json, with Debian's Chromium on five pages a citizen reaches most.

    .venv/bin/python scripts/lighthouse.py              # one run per page, about 70 seconds
    .venv/bin/python scripts/lighthouse.py --runs 3     # the median of three runs, about 3 minutes
    .venv/bin/python scripts/lighthouse.py --keep DIR   # keep the JSON reports in DIR (--keep: a new temporary folder)

Pages: the home page, a report part (reports/2024/part-1/), the figures page
(reports/2024/figures/), the first article of the build and the first list of the build
(policies/lists/). Lighthouse runs as it does by default: the mobile form factor with its
simulated slow 4G and 4× slower CPU. The host name is a made-up one that Chromium maps to
nginx's address (its own network namespace, or 127.0.0.1); the certificate is nginx's
throwaway one.

Prints a Markdown table (page | performance | accessibility | best practices | SEO | CLS |
LCP, each the median of the runs), then every failing audit: the scored accessibility, best
practices and SEO audits, and the performance audits below Lighthouse's pass mark. A
performance audit whose every listed item is Material's own hashed bundle
(assets/javascripts/bundle.*.min.js, assets/stylesheets/main.*.min.css) is marked as known:
it is Material's to fix, not ours.

Exit status: 0 all pass; 1 a scored accessibility, best practices or SEO audit failed in any
run, or a page's median performance is below 98; 2 the measurement could not be made (build,
nginx, Lighthouse). Needs root (nginx's network namespace, or ports 80 and 443), Debian's
nginx, openssl, iproute2 and chromium, and `npm ci --ignore-scripts` (scripts/setup.sh does
all of it). Where nginx has to use this machine's ports and another nginx holds them, it
waits for them."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi.checks.output_paths import reserved
from fazhi.cli import project_root
from fazhi.hosting.deploy import deploy
from fazhi.hosting.nginx import PORTS, Nginx, NginxError
from fazhi.search import harness
from fazhi.search.harness import CHROMIUM, CHROMIUM_ARGS
from fazhi.static_server import SUB_PATH

REPO = project_root(Path(__file__).parent)
LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
HOST = harness.NGINX_HOST  # RFC 6761: never a real host
CATEGORIES = {"performance": "performance", "accessibility": "accessibility", "best-practices": "best practices", "seo": "SEO"}
STRICT = ("accessibility", "best-practices", "seo")  # any failing scored audit fails the run
MIN_PERFORMANCE = 98
PASS = 0.9  # Lighthouse's own pass mark: its report lists an audit scoring less as failed
SCORED_MODES = ("binary", "numeric", "metricSavings")  # not informative, manual, notApplicable
# Material's own bundle: the only items of an audit that make it "known".
MATERIAL_BUNDLE = re.compile(r"/assets/(javascripts/bundle\.[0-9a-f]{8}\.min\.js|stylesheets/main\.[0-9a-f]{8}\.min\.css)$")
PORT_WAIT_SECONDS = 900.0  # without a namespace, the hosting tests hold ports 80 and 443 for minutes
RUN_SECONDS = 180  # one Lighthouse run takes 10–30 s


class LighthouseError(Exception):
    """The measurement could not be made; the message says why."""


@dataclass(frozen=True)
class Failure:
    """A failing audit of one run: its category, id, title, what Lighthouse says (its value
    or its error), and whether every item it lists is Material's own bundle."""

    category: str
    audit: str
    title: str
    detail: str
    known: bool = False


@dataclass
class Run:
    """One Lighthouse run of one page."""

    scores: dict[str, int]  # category -> 0–100
    cls: float
    lcp_ms: float
    failures: list[Failure]
    not_run: list[str]  # audits Lighthouse could not run (they score nothing)
    seconds: float


@dataclass
class PageResult:
    name: str
    path: str  # under the site, "" for the home page
    runs: list[Run] = field(default_factory=list)

    def median(self, category: str) -> float:
        return statistics.median(run.scores[category] for run in self.runs)

    def cls(self) -> float:
        return statistics.median(run.cls for run in self.runs)

    def lcp_ms(self) -> float:
        return statistics.median(run.lcp_ms for run in self.runs)

    def failures(self) -> dict[Failure, int]:
        """Each failing audit (as in the first run that failed it) -> in how many runs it failed."""
        counts: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], Failure] = {}
        for run in self.runs:
            for failure in run.failures:
                key = (failure.category, failure.audit)
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, failure)
        return {first[key]: count for key, count in counts.items()}


# ---- The pages ----


def pages(site: Path) -> list[tuple[str, str]]:
    """(name, path under the site) of the pages measured. The article and the list are the
    first of the build, so no slug is written here."""
    articles = [folder.name for folder in sorted((site / "articles").iterdir())
                if (folder / "index.html").is_file() and reserved(f"articles/{folder.name}/index.md") is None]
    lists = sorted((site / "policies/lists").glob("*/index.html"))
    if not articles or not lists:
        raise LighthouseError(f"{site}：生成的网站中没有{'文章' if not articles else '清单页'}，无法测量。")
    return [
        ("home", ""),
        ("report part", "reports/2024/part-1/"),
        ("figures", "reports/2024/figures/"),
        ("article", f"articles/{articles[0]}/"),
        ("list", f"{lists[0].parent.relative_to(site).as_posix()}/"),
    ]


# ---- Build, serve, measure ----


def build(site: Path, site_url: str) -> float:
    """The strict build with SITE_URL set, as for deployment; its wall time in seconds."""
    try:
        return harness.build(REPO / "mkdocs.yml", site, env={"SITE_URL": site_url})
    except SystemExit as stopped:  # the harness's message, with MkDocs' output
        raise LighthouseError(str(stopped.code)) from None


def start_nginx(work: Path, host: str, wait_seconds: float = PORT_WAIT_SECONDS) -> Nginx:
    """deploy/nginx.conf running for `host`. nginx normally gets a network namespace of its
    own; where it cannot, it needs this machine's ports 80 and 443, and while another nginx
    holds them (the hosting tests in the same case), wait for it, up to `wait_seconds`."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        nginx = Nginx(work)
        try:
            nginx.start(host)
            return nginx
        except NginxError:  # start() has cleaned up after itself
            on_this_machine = nginx.address == "127.0.0.1"  # no network namespace of its own
            if not on_this_machine or not any(nginx.answers(port) for port in PORTS) or time.monotonic() > deadline:
                raise
        if not told:
            print(f"端口 {'、'.join(map(str, PORTS))} 正被另一个 nginx 使用（也许是部署测试），等它结束……", file=sys.stderr)
            told = True
        time.sleep(5)


def chrome_flags(host: str, address: str) -> str:
    """The tests' Chromium switches, plus the throwaway certificate and `host` mapped to
    nginx's `address`. Lighthouse splits the string as a shell would: the rule is quoted."""
    return " ".join([*CHROMIUM_ARGS, "--ignore-certificate-errors", f'--host-resolver-rules="MAP {host} {address}"'])


def lighthouse(url: str, output: Path, host: str, address: str) -> dict[str, Any]:
    """One Lighthouse run (mobile, default throttling) of `url` on `host`, served at
    `address`; its JSON report, also kept at `output`."""
    if not LIGHTHOUSE.exists():
        raise LighthouseError(f"找不到 {LIGHTHOUSE.relative_to(REPO)}：在项目文件夹中运行 npm ci --ignore-scripts"
                              "（bash scripts/setup.sh 会安装）。")
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={chrome_flags(host, address)}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS,
                                env={**os.environ, "CHROME_PATH": CHROMIUM})
    except subprocess.TimeoutExpired:
        raise LighthouseError(f"Lighthouse 在 {RUN_SECONDS} 秒内没有测完 {url}。") from None
    if result.returncode != 0 or not output.exists():
        raise LighthouseError(f"Lighthouse 没有测完 {url}（退出码 {result.returncode}）：\n{result.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise LighthouseError(f"Lighthouse 测量 {url} 时出错：{report['runtimeError'].get('message')}")
    return report


def summarize(report: dict[str, Any], seconds: float) -> Run:
    """The scores, CLS, LCP and failing audits of one report."""
    audits = report["audits"]
    failures: list[Failure] = []
    not_run: list[str] = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            mode = audit["scoreDisplayMode"]
            if mode == "error":
                not_run.append(ref["id"])
                if category in STRICT and ref["weight"] > 0:  # a scored check that did not run is no pass
                    failures.append(Failure(category, ref["id"], audit["title"], f"error: {audit.get('errorMessage', '')}"))
                continue
            # Scored: weighed in its category's score; in performance, every audit its report shows.
            scored = ref["weight"] > 0 if category in STRICT else ref.get("group") != "hidden"
            if scored and mode in SCORED_MODES and audit["score"] is not None and audit["score"] < PASS:
                failures.append(Failure(category, ref["id"], audit["title"], audit.get("displayValue") or f"score {audit['score']}",
                                        category == "performance" and is_material_bundle_only(audit)))
    return Run(
        scores={category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES},
        cls=audits["cumulative-layout-shift"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        failures=failures, not_run=sorted(set(not_run)), seconds=seconds,
    )


def is_material_bundle_only(audit: dict[str, Any]) -> bool:
    """True when the audit lists items and every one is Material's own hashed bundle."""
    items = (audit.get("details") or {}).get("items") or []
    urls = [item.get("url") for item in items]
    return bool(urls) and all(isinstance(url, str) and MATERIAL_BUNDLE.search(url.split("?")[0]) for url in urls)


def measure(runs: int, reports: Path, host: str = HOST) -> tuple[list[PageResult], dict[str, Any]]:
    """Build, deploy into nginx, run Lighthouse `runs` times on each page (JSON reports written
    to `reports`). Returns the results and the first report (for its versions). nginx is
    stopped in all cases."""
    work = reports.parent
    site = work / "site"
    base = f"https://{host}/{SUB_PATH}/"
    print(f"生成网站（SITE_URL={base}）……", file=sys.stderr)
    print(f"  {build(site, base):.1f} 秒", file=sys.stderr)
    nginx = start_nginx(work / "nginx", host)
    try:
        deploy(site, nginx.web_root / SUB_PATH)
        print(f"nginx 运行 deploy/nginx.conf：{base}（{nginx.address}）", file=sys.stderr)
        results = [PageResult(name, path) for name, path in pages(site)]
        first: dict[str, Any] = {}
        for result in results:
            for number in range(1, runs + 1):
                started = time.perf_counter()
                report = lighthouse(base + result.path, reports / f"{_file_name(result.name)}-{number}.json", host, nginx.address)
                run = summarize(report, time.perf_counter() - started)
                result.runs.append(run)
                first = first or report
                print(f"  {result.name} {number}/{runs}: " + ", ".join(f"{CATEGORIES[c]} {run.scores[c]}" for c in CATEGORIES)
                      + f", CLS {run.cls:.3f}, LCP {run.lcp_ms / 1000:.1f} s（{run.seconds:.1f} 秒）", file=sys.stderr)
    finally:
        nginx.stop()
    return results, first


# ---- The report ----


def table(results: list[PageResult]) -> str:
    lines = ["| page | " + " | ".join(CATEGORIES.values()) + " | CLS | LCP |", "|---" * (len(CATEGORIES) + 3) + "|"]
    for result in results:
        scores = " | ".join(f"{result.median(category):g}" for category in CATEGORIES)
        lines.append(f"| {result.name} (`/{SUB_PATH}/{result.path}`) | {scores} | {result.cls():.3f} | {result.lcp_ms() / 1000:.1f} s |")
    return "\n".join(lines)


def failures_text(results: list[PageResult]) -> str:
    strict, performance = [], []
    for result in results:
        for failure, count in result.failures().items():
            runs = f"{count}/{len(result.runs)}"
            if failure.category == "performance":
                note = "known: Material's own bundle" if failure.known else ""
                performance.append(f"| `{failure.audit}` | {failure.title} | {result.name} | {failure.detail} | {runs} | {note} |")
            else:
                strict.append(f"| `{failure.audit}` | {failure.title} | {result.name} | {CATEGORIES[failure.category]} | {runs} |")
    parts = ["### Failing audits: accessibility, best practices, SEO", ""]
    parts += ["| audit | title | page | category | runs |", "|---|---|---|---|---|", *strict] if strict else ["None."]
    parts += ["", "### Failing audits: performance", ""]
    parts += ["| audit | title | page | value | runs | note |", "|---|---|---|---|---|---|", *performance] if performance else ["None."]
    not_run = sorted({audit for result in results for run in result.runs for audit in run.not_run})
    if not_run:
        parts += ["", f"Lighthouse could not run (with this Chromium; they score nothing): {', '.join(f'`{a}`' for a in not_run)}."]
    return "\n".join(parts)


def failed(results: list[PageResult]) -> list[str]:
    """Why the run fails, one line per reason; empty when it passes."""
    reasons = [f"{result.name}: performance {result.median('performance'):g} < {MIN_PERFORMANCE}"
               for result in results if result.median("performance") < MIN_PERFORMANCE]
    reasons += [f"{result.name}: {failure.audit} ({CATEGORIES[failure.category]})"
                for result in results for failure in result.failures() if failure.category in STRICT]
    return reasons


def environment(report: dict[str, Any], loads: tuple[float, float]) -> str:
    """The versions and settings measured with, and the machine's load (a busy CPU lowers the
    performance score: Lighthouse multiplies the main thread's observed work by 4)."""
    settings = report.get("configSettings", {})
    chromium = re.search(r"(?:HeadlessChrome|Chrome)/([\d.]+)", report.get("environment", {}).get("hostUserAgent", ""))
    return (f"Lighthouse {report.get('lighthouseVersion')}, Chromium {chromium[1] if chromium else '?'}, "
            f"{settings.get('formFactor')} ({settings.get('throttlingMethod')} throttling, "
            f"CPU ×{settings.get('throttling', {}).get('cpuSlowdownMultiplier')}), nginx with deploy/nginx.conf; "
            f"load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end, {os.cpu_count()} cores")


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/lighthouse.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the table gives the median (default 1)")
    parser.add_argument("--keep", nargs="?", const="", default=None, metavar="DIR",
                        help="keep the JSON reports: in DIR, or without DIR in a new temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    started = time.perf_counter()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="fazhi-lighthouse-") as temporary:
        work = Path(temporary)
        work.chmod(0o755)  # nginx's workers (www-data) read the web root inside it
        reports = work / "reports"
        reports.mkdir()
        try:
            results, first = measure(args.runs, reports)
        except (LighthouseError, NginxError, OSError) as error:
            print(f"无法测量：{error}", file=sys.stderr)
            raise SystemExit(2) from None
        finally:
            kept = _keep(reports, args.keep)
    print(f"{environment(first, (load, os.getloadavg()[0]))}; median of {args.runs} run{'s' if args.runs > 1 else ''} per page.\n")
    print(table(results))
    print()
    print(failures_text(results))
    seconds = time.perf_counter() - started
    per_run = statistics.median(run.seconds for result in results for run in result.runs)
    print(f"\nTook {seconds:.0f} s in all; one Lighthouse run {per_run:.1f} s (median).")
    if kept:
        print(f"JSON reports: {kept}")
    reasons = failed(results)
    if reasons:
        print("\nFAILED: " + "; ".join(reasons))
        raise SystemExit(1)


def _keep(reports: Path, keep: str | None) -> Path | None:
    """Copy the reports out of the temporary folder when asked (`keep`: a folder, or "" for a
    new temporary one); where they went."""
    if keep is None or not any(reports.iterdir()):
        return None
    target = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="fazhi-lighthouse-reports-"))
    target.mkdir(parents=True, exist_ok=True)
    for report in sorted(reports.iterdir()):
        (target / report.name).write_bytes(report.read_bytes())
    return target.resolve()


def _file_name(name: str) -> str:
    return re.sub(r"\W+", "-", name).strip("-")

