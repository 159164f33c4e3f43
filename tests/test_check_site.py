"""scripts/check.py --site: links in the built HTML, on a hand-made site with known faults
and on the real site built with --strict."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi.checks import Context, external_links, site_links

from checker_corpus import TODAY, write_clean_site

PAGE = """<!doctype html><html lang="zh-CN"><head>
<link rel="stylesheet" href="{up}assets/site.css"></head><body>
<h2 id="一聚焦法治思维统筹协调">(一)聚焦法治思维、统筹协调</h2>
{links}
</body></html>
"""


def html(up: str, *links: str) -> str:
    return PAGE.format(up=up, links="\n".join(links))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    files = {
        "index.html": html("", '<a href="reports/2024/">报告</a>', '<a href="reports/2024/#一聚焦法治思维统筹协调">原样锚点</a>',
                           '<a href="reports/2024/#%E4%B8%80%E8%81%9A%E7%84%A6%E6%B3%95%E6%B2%BB%E6%80%9D%E7%BB%B4%E7%BB%9F%E7%AD%B9%E5%8D%8F%E8%B0%83">编码锚点</a>',
                           '<a href="#一聚焦法治思维统筹协调">本页</a>', '<img src="assets/logo.png" alt="标志">',
                           '<a href="mailto:office@example.gov.cn">信</a>', '<a href="https://www.gov.cn/">外部</a>'),
        "reports/2024/index.html": html("../../", '<a href="../../">首页</a>', '<a href="2024-annual-report.txt">原文</a>'),
        "reports/2024/2024-annual-report.txt": "原文",
        "assets/site.css": "body{}",
        "assets/logo.png": "png",
        "404.html": html("/", '<a href="/">首页</a>'),  # served at any depth: root links are how MkDocs writes it
    }
    for name, content in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(content, encoding="utf-8")
    return site


def check(site: Path, root: Path) -> set[tuple[str, int, str]]:
    context = Context(root=root, docs=root / "docs", today=TODAY, site=site)
    return {(f.path, f.line, f.code) for f in site_links.check(context)}


def test_clean_built_site_passes(built: Path, tmp_path: Path) -> None:
    assert check(built, tmp_path) == set()


def test_built_site_faults_are_found(built: Path, tmp_path: Path) -> None:
    page = built / "reports/2024/index.html"
    page.write_text(html("../../", '<a href="/reports/">根路径</a>', '<a href="../2023/">没有</a>',
                         '<a href="../../#不存在">锚点</a>', '<a href="../../#%E4%B8%8D%E5%AD%98%E5%9C%A8">编码锚点</a>',
                         '<img src="missing.png" alt="图">'), encoding="utf-8")
    assert check(built, tmp_path) == {
        ("site/reports/2024/index.html", 4, "link-root-absolute"),
        ("site/reports/2024/index.html", 5, "link-missing"),
        ("site/reports/2024/index.html", 6, "link-anchor-missing"),
        ("site/reports/2024/index.html", 7, "link-anchor-missing"),
        ("site/reports/2024/index.html", 8, "link-missing"),
    }


def test_missing_site_dir_is_a_finding(tmp_path: Path) -> None:
    assert {code for _, _, code in check(tmp_path / "nowhere", tmp_path)} == {"site-missing"}


def test_real_site_built_strict_has_no_broken_links(site_dir: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    context = Context(root=repo, docs=repo / "docs", site=site_dir)
    assert site_links.check(context) == []
    assert len(list(site_dir.rglob("*.html"))) > 10


# ---- --external: over HTTP, with statuses and a cache ----


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self.hits.append(self.path)
        codes = {"/ok": 200, "/gone": 404, "/private": 403, "/loop": 302}
        self.send_response(codes.get(self.path, 500))
        if self.path == "/loop":
            self.send_header("Location", "/loop")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815 - stdlib name

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_external_links_get_ok_caution_broken_and_are_cached(tmp_path: Path, server: str) -> None:
    root = write_clean_site(tmp_path / "project")
    body = " ".join(f"[{name}]({server}/{name})" for name in ("ok", "gone", "private", "loop"))
    index = root / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("[外部](https://www.gov.cn/)", body), encoding="utf-8")
    cache = tmp_path / "cache.json"
    context = Context(root=root, docs=root / "docs", today=TODAY, external=True, timeout=5, cache_file=cache)
    found = {(f.code, f.severity, f.message.split("”")[0].rsplit("/", 1)[-1]) for f in external_links.check(context)}
    assert found == {("external-broken", "error", "gone"), ("external-caution", "warning", "private"),
                     ("external-broken", "error", "loop")}
    hits = len(_Handler.hits)
    again = Context(root=root, docs=root / "docs", today=TODAY, external=True, timeout=5, cache_file=cache)
    assert len(external_links.check(again)) == 3 and len(_Handler.hits) == hits  # answered from the cache
