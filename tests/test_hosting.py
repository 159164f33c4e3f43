"""Hosting: the Content-Security-Policy and security headers of deploy/nginx.conf hold in the
browser (no violation reported); the 404 page works under a sub-path; sitemap.xml exists only
with absolute addresses; the government footer and <meta> tags show exactly what is set in
mkdocs.yml `extra.government` and nothing when it is empty."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from fazhi.static_server import SUB_PATH

from conftest import REPO, attr, build_site, found

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

NGINX_CONF = REPO / "deploy/nginx.conf"
SITE_URL = f"https://fazhi.example.invalid/{SUB_PATH}/"
# Test values only: the committed mkdocs.yml leaves them all empty.
GOVERNMENT = {
    "organizer": "测试主办单位",
    "contact": "测试联系电话 0000-0000000",
    "site_id_code": "TEST000000",
    "icp": "测ICP备00000000号",
    "police_record": "测公网安备 22000000000001号",
    "badge_image": "assets/images/favicon.svg",
    "badge_link": "https://bszs.conac.cn/",
}
CSP_PAGES = ["", "reports/2024/part-1/", "reports/2024/figures/", "articles/", "no/such/page/"]


def nginx_headers() -> dict[str, str]:
    """The fixed `add_header NAME "VALUE" always;` lines of deploy/nginx.conf."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    headers = dict(re.findall(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', text, re.MULTILINE))
    assert "Content-Security-Policy" in headers, "deploy/nginx.conf has no Content-Security-Policy"
    return headers


class NginxLikeHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that sends nginx.conf's headers and its own 404 page for missing files."""

    headers_to_send: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.translate_path(f"/{SUB_PATH}/404.html"))
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def serve_under_sub_path(site: Path, root: Path, headers: dict[str, str]) -> tuple[http.server.ThreadingHTTPServer, str]:
    (root / SUB_PATH).symlink_to(site)
    handler = type("Handler", (NginxLikeHandler,), {"headers_to_send": headers})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"


@pytest.fixture(scope="module")
def deployed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as for deployment: SITE_URL set and every government value filled in."""
    work = tmp_path_factory.mktemp("deployed")
    config = work / "mkdocs.yml"
    config.write_text(deployment_config(), encoding="utf-8")
    site = work / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", SITE_URL)
        build_site(config, site)
    return site


def deployment_config() -> str:
    """The real mkdocs.yml with absolute paths (it is built from a temp folder) and the
    government values filled in. A text copy, not INHERIT: tools that read mkdocs.yml next to
    the config (the checker) must see the whole configuration."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^docs_dir: .*$", f"docs_dir: {REPO / 'docs'}", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s+custom_dir:) .*$", rf"\1 {REPO / 'overrides'}", text, flags=re.MULTILINE)
    for key, value in GOVERNMENT.items():
        text, found = re.subn(rf"^(\s+{key}:)[^\n]*$", rf"\1 {json.dumps(value, ensure_ascii=False)}", text, flags=re.MULTILINE)
        assert found == 1, f"mkdocs.yml has no government.{key} under the fazhi plugin"
    return text


@pytest.fixture(scope="module")
def deployed_url(deployed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, url = serve_under_sub_path(deployed_site, tmp_path_factory.mktemp("www"), nginx_headers())
    yield url
    server.shutdown()
    server.server_close()


def inline_script_hashes(site: Path) -> set[str]:
    scripts = {m for page in site.rglob("*.html") for m in re.findall(r"<script>(.*?)</script>", page.read_text(encoding="utf-8"), re.S)}
    return {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}


def test_the_site_passes_its_content_security_policy(browser: Browser, deployed_site: Path, deployed_url: str) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')))"
    )
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    violations: list[str] = []
    for path in CSP_PAGES:
        response = page.goto(deployed_url + path)
        assert response is not None and "content-security-policy" in response.headers
        page.get_by_role("button", name="长者模式").click()
        page.get_by_role("button", name="字号大").click()
        if path == "":
            box = page.locator("input.md-search__input")
            box.click()
            box.fill("法律援助")
            box.press("End")
            page.locator(".md-search-result__item").first.wait_for()
        page.wait_for_timeout(200)
        violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
    context.close()
    assert violations == [], (
        "CSP violations:\n" + "\n".join(violations)
        + f"\nhashes of the inline scripts now in the site, for script-src in deploy/nginx.conf: {inline_script_hashes(deployed_site)}"
    )
    assert [m for m in console if "Content Security Policy" in m] == []


def test_404_page_works_under_the_sub_path(page: Page, deployed_url: str) -> None:
    response = page.goto(deployed_url + "deep/missing/page/")
    assert response is not None and response.status == 404
    # Styled (Material's stylesheet loaded) and its links lead back into /fazhi/.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    home = page.evaluate("document.querySelector('.md-header__button.md-logo').href")
    assert urlsplit(home).path == f"/{SUB_PATH}/"
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("button", name="长者模式").is_visible(), "reader.js did not load on the 404 page"


def test_404_page_tells_the_reader_what_to_do(site_dir: Path) -> None:
    text = BeautifulSoup((site_dir / "404.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "页面不存在" in text or "找不到" in text


def test_sitemap_only_with_absolute_addresses(site_dir: Path, deployed_site: Path) -> None:
    # Without SITE_URL no address could be absolute: a valid, empty sitemap.
    assert re.findall(r"<loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8")) == []
    assert "<urlset" in (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", (deployed_site / "sitemap.xml").read_text(encoding="utf-8"))
    assert f"{SITE_URL}reports/2024/part-1/" in locs
    assert all(loc.startswith(SITE_URL) for loc in locs)


def test_footer_shows_nothing_fake_when_values_are_unset(site_dir: Path) -> None:
    footer = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".md-footer-meta")
    assert footer is not None
    text = footer.get_text()
    for label in ("主办单位", "联系方式", "网站标识码", "ICP", "公网安备", "备案"):
        assert label not in text
    assert footer.select("a[href*='beian']") == [] and footer.select("img") == []
    head = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'name="SiteIDCode"' not in head and 'name="SiteDomain"' not in head


def test_footer_shows_each_government_value_when_set(deployed_site: Path) -> None:
    for path in ["index.html", "reports/2024/part-1/index.html", "404.html"]:
        soup = BeautifulSoup((deployed_site / path).read_text(encoding="utf-8"), "html.parser")
        footer = found(soup.select_one(".md-footer-meta"))
        text = footer.get_text()
        for key in ("organizer", "contact", "site_id_code"):
            assert GOVERNMENT[key] in text, f"{path}: {key} not shown"
        icp = footer.find("a", string=GOVERNMENT["icp"])
        assert icp is not None and attr(icp, "href").startswith("https://beian.miit.gov.cn")
        police = footer.find("a", string=GOVERNMENT["police_record"])
        assert police is not None and found(urlsplit(attr(police, "href")).hostname).endswith("beian.gov.cn")
        assert "recordcode=22000000000001" in attr(police, "href")
        badge = footer.select_one("img[alt='党政机关网站标识']")
        assert badge is not None and found(badge.parent)["href"] == GOVERNMENT["badge_link"]
        assert (deployed_site / path).parent.joinpath(attr(badge, "src")).resolve().exists() or path == "404.html"
        meta = {m["name"]: m["content"] for m in soup.select("meta[name]")}
        assert meta["SiteName"] == "汽开区法治政府建设"
        assert meta["SiteDomain"] == "fazhi.example.invalid"
        assert meta["SiteIDCode"] == GOVERNMENT["site_id_code"]


def test_unknown_government_key_stops_the_build(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(deployment_config().replace("    site_id_code:", "    site_code:"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert "government 中有未知的键 site_code" in result.stdout + result.stderr
