"""Hosting, on the real server: deploy/nginx.conf in Debian's nginx with only its documented
placeholders filled (fazhi.hosting.nginx), the site built with SITE_URL=…/fazhi/ and copied
in with scripts/deploy.py's code, as the README's 部署 section tells the maintainer.

- `nginx -t` accepts the file; redirects (http → https, /fazhi → /fazhi/, a folder to its /);
  hidden files (the deploy record) are not served;
- every file of the build gets the Cache-Control of fazhi.hosting.caching, text is sent
  gzip-compressed (the build's .gz copies, byte-equal to the file) with charset=utf-8;
- in the browser: no Content-Security-Policy violation on pages, the reading controls and a
  search; the 404 page under the sub-path;
- a redeploy: a reader who opened version 1 still searches after version 2 is copied in, and
  the next page they open has version 2's stylesheet and index;
- sitemap.xml only with absolute addresses; the government footer and <meta> tags show
  exactly what is set in mkdocs.yml and nothing when it is empty."""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from fazhi.hosting import caching, precompress
from fazhi.hosting.deploy import deploy
from fazhi.hosting.nginx import PLACEHOLDERS, Nginx, NginxError
from fazhi.search.harness import CHROMIUM, CHROMIUM_ARGS
from fazhi.static_server import SUB_PATH
from test_validators import describe, run_vnu

from conftest import REPO, attr, build_site, found

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

HOST = "fazhi.example.invalid"
SITE_URL = f"https://{HOST}/{SUB_PATH}/"
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
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/atom+xml", "image/svg+xml")


@pytest.fixture(scope="module")
def deployed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as for deployment: SITE_URL set and every government value filled in."""
    return build_for_deployment(tmp_path_factory.mktemp("deployed"), REPO / "docs")


def build_for_deployment(work: Path, docs: Path) -> Path:
    config = work / "mkdocs.yml"
    config.write_text(deployment_config(docs), encoding="utf-8")
    site = work / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", SITE_URL)
        build_site(config, site)
    return site


def deployment_config(docs: Path = REPO / "docs") -> str:
    """The real mkdocs.yml with absolute paths (it is built from a temp folder) and the
    government values filled in. A text copy, not INHERIT: tools that read mkdocs.yml next to
    the config (the checker) must see the whole configuration."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^docs_dir: .*$", f"docs_dir: {docs}", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s+custom_dir:) .*$", rf"\1 {REPO / 'overrides'}", text, flags=re.MULTILINE)
    for key, value in GOVERNMENT.items():
        text, found = re.subn(rf"^(\s+{key}:)[^\n]*$", rf"\1 {json.dumps(value, ensure_ascii=False)}", text, flags=re.MULTILINE)
        assert found == 1, f"mkdocs.yml has no government.{key} under the fazhi plugin"
    return text


@pytest.fixture(scope="module")
def nginx() -> Iterator[Nginx]:
    """deploy/nginx.conf running in Debian's nginx for https://fazhi.example.invalid/."""
    work = Path(tempfile.mkdtemp(prefix="fazhi-nginx-"))
    server = Nginx(work)
    try:
        server.start(HOST)
    except NginxError as error:
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail(str(error))
    yield server
    server.stop()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def deployed_url(deployed_site: Path, nginx: Nginx) -> str:
    deploy(deployed_site, nginx.web_root / SUB_PATH)
    return SITE_URL


@pytest.fixture(scope="module")
def hosted(browser: Browser, nginx: Nginx) -> Iterator[Browser]:
    """Chromium that finds fazhi.example.invalid at the test's nginx (the site's absolute
    links, from SITE_URL, name that host) and accepts the throwaway certificate per context."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} {nginx.address}"])
    yield chromium
    chromium.close()


def new_context(hosted: Browser) -> BrowserContext:
    return hosted.new_context(locale="zh-CN", ignore_https_errors=True)


def fetch(server: Nginx, path: str, *, gzip_ok: bool = True, port: int = 443) -> http.client.HTTPResponse:
    """GET https://fazhi.example.invalid<path> from `server` (port 80: http)."""
    if port == 443:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(server.address, 443, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection(server.address, port, timeout=10)
    headers = {"Host": HOST, **({"Accept-Encoding": "gzip"} if gzip_ok else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]  # kept with the response for the asserts
    connection.close()
    return response


def body(response: http.client.HTTPResponse) -> bytes:
    data: bytes = response.body  # type: ignore[attr-defined]  # set by fetch()
    return gzip.decompress(data) if response.getheader("Content-Encoding") == "gzip" else data


# ---- The server ----


def test_nginx_accepts_the_shipped_configuration_with_only_its_placeholders_filled(nginx: Nginx) -> None:
    print(nginx.test_output)
    assert "syntax is ok" in nginx.test_output and "test is successful" in nginx.test_output
    assert "[warn]" not in nginx.test_output and "[emerg]" not in nginx.test_output
    # Each placeholder the maintainer fills is named in the file's own instructions and in
    # the README's steps; none is the start of another (a sed in any order works).
    text = (REPO / "deploy/nginx.conf").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    header = text.split("\n\n")[0]
    names = set(re.findall(r"REPLACE_ME\w*", text))
    assert names == set(PLACEHOLDERS)
    for name in names:
        assert f"#   {name}" in header, f"deploy/nginx.conf: the placeholder {name} is not explained at the top"
        assert f"`{name}`" in readme, f"README.md: the placeholder {name} is not in the 部署 steps"
        assert not any(other != name and other.startswith(name) for other in names)


def test_redirects_and_hidden_files(nginx: Nginx, deployed_url: str) -> None:
    plain = fetch(nginx, f"/{SUB_PATH}/reports/2024/part-1/", port=80)
    assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/{SUB_PATH}/reports/2024/part-1/"
    for asked, target in [(f"/{SUB_PATH}", f"/{SUB_PATH}/"), (f"/{SUB_PATH}/reports", f"/{SUB_PATH}/reports/"), ("/", f"/{SUB_PATH}/")]:
        response = fetch(nginx, asked)
        assert response.status in (301, 302) and urlsplit(response.getheader("Location") or "").path == target, asked
    # Hidden files (the deploy record, whatever their type), folders without a page and
    # anything in the web root outside the site answer with the site's 404 page.
    site_root = nginx.web_root / SUB_PATH
    (site_root / ".secret.csv").write_text("a,b\n", encoding="utf-8")
    (nginx.web_root / "backup.tar.gz").write_bytes(b"backup")
    for missing in [f"/{SUB_PATH}/.fazhi-deploy.json", f"/{SUB_PATH}/.secret.csv", f"/{SUB_PATH}/assets/",
                    "/backup.tar.gz", f"/{SUB_PATH}/no/such/page/"]:
        response = fetch(nginx, missing)
        assert response.status == 404 and "页面不存在".encode() in body(response), missing
        assert response.getheader("Content-Security-Policy"), missing
    (site_root / ".secret.csv").unlink()
    (nginx.web_root / "backup.tar.gz").unlink()
    assert fetch(nginx, f"/{SUB_PATH}/reports/2024/part-1/").status == 200


def test_the_portal_way_serves_the_site_beside_the_portal(deployed_site: Path) -> None:
    """README 部署, 放在门户网站的域名下: the `map` and the part between the two 门户 lines
    copied into a portal's server block; the portal's own pages and the site both work, and
    nginx warns of nothing."""
    text = (REPO / "deploy/nginx.conf").read_text(encoding="utf-8")
    map_block = found(re.search(r"^map \$uri .*?^}\n", text, re.S | re.M)).group(0)
    portal_part = found(re.search(r"# ---- 门户：from here[^\n]*\n(.*?)    # ---- 门户：to here", text, re.S)).group(1)
    work = Path(tempfile.mkdtemp(prefix="fazhi-portal-"))
    portal = Nginx(work)
    (work / "portal").mkdir(parents=True)
    (work / "portal/index.html").write_text("<h1>门户首页</h1>", encoding="utf-8")
    config = map_block + (
        "server {\n    listen 443 ssl;\n    listen 80;\n    server_name REPLACE_ME_HOST;\n"
        "    ssl_certificate REPLACE_ME_CERT_FILE;\n    ssl_certificate_key REPLACE_ME_KEY_FILE;\n"
        f"    root {work / 'portal'};\n    location / {{\n        index index.html;\n    }}\n"
        # A portal's usual rule for its own styles and scripts must not take the site's.
        "    location ~* \\.(css|js|png)$ {\n        expires 30d;\n    }\n"
        + portal_part + "}\n")
    try:
        portal.start(HOST, config)
        assert "[warn]" not in portal.test_output and "test is successful" in portal.test_output
        deploy(deployed_site, portal.web_root / SUB_PATH)
        assert "门户首页" in body(fetch(portal, "/")).decode()
        page = fetch(portal, f"/{SUB_PATH}/reports/2024/part-1/")
        assert page.status == 200 and page.getheader("Content-Security-Policy") and page.getheader("Content-Encoding") == "gzip"
        stylesheet = next(deployed_site.glob("assets/stylesheets/site.*.css")).relative_to(deployed_site).as_posix()
        style = fetch(portal, f"/{SUB_PATH}/{stylesheet}")
        assert style.status == 200 and style.getheader("Cache-Control") == caching.IMMUTABLE, style.status
        assert fetch(portal, f"/{SUB_PATH}/.fazhi-deploy.json").status == 404
        missing = fetch(portal, f"/{SUB_PATH}/no/such/page/")
        assert missing.status == 404 and "页面不存在".encode() in body(missing)
        assert fetch(portal, f"/{SUB_PATH}").status == 301
    finally:
        portal.stop()
        shutil.rmtree(work, ignore_errors=True)


def test_every_file_is_served_with_its_cache_rule_compressed_and_in_utf_8(nginx: Nginx, deployed_site: Path, deployed_url: str) -> None:
    """The whole build through nginx: Cache-Control as fazhi.hosting.caching declares it;
    every text file of at least gzip_min_length sent gzip-compressed, equal to the file."""
    problems: list[str] = []
    immutable = 0
    for path in sorted(deployed_site.rglob("*")):
        relative = path.relative_to(deployed_site).as_posix()
        if not path.is_file() or relative.endswith(".gz"):
            continue
        response = fetch(nginx, f"/{SUB_PATH}/{relative}")
        if response.status != 200:
            problems.append(f"{relative}: {response.status}")
            continue
        expected = caching.cache_control(relative)
        immutable += expected == caching.IMMUTABLE
        if response.getheader("Cache-Control") != expected:
            problems.append(f"{relative}: Cache-Control {response.getheader('Cache-Control')!r}, declared {expected!r}")
        kind = response.getheader("Content-Type") or ""
        text = kind.startswith(TEXT_TYPES)
        if text and path.stat().st_size >= precompress.MIN_BYTES and response.getheader("Content-Encoding") != "gzip":
            problems.append(f"{relative}: {kind} sent uncompressed")
        if text and "charset=utf-8" not in kind:
            problems.append(f"{relative}: {kind} without charset=utf-8")
        if body(response) != path.read_bytes():
            problems.append(f"{relative}: the bytes served differ from the build (a stale .gz copy?)")
    assert problems == []
    assert immutable >= 3, "no content-addressed file in the build: the cache rule was not exercised"
    # Without gzip, the file as it is.
    page = fetch(nginx, f"/{SUB_PATH}/index.html", gzip_ok=False)
    assert page.getheader("Content-Encoding") is None and body(page) == (deployed_site / "index.html").read_bytes()


def inline_script_hashes(site: Path) -> set[str]:
    scripts = {m for page in site.rglob("*.html") for m in re.findall(r"<script>(.*?)</script>", page.read_text(encoding="utf-8"), re.S)}
    return {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}


def test_the_site_passes_its_content_security_policy(hosted: Browser, deployed_site: Path, deployed_url: str) -> None:
    context = new_context(hosted)
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


def test_404_page_works_under_the_sub_path(hosted: Browser, deployed_url: str) -> None:
    page = new_context(hosted).new_page()
    response = page.goto(deployed_url + "deep/missing/page/")
    assert response is not None and response.status == 404
    # Styled (Material's stylesheet loaded) and its links lead back into /fazhi/.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    home = page.evaluate("document.querySelector('.md-header__button.md-logo').href")
    assert urlsplit(home).path == f"/{SUB_PATH}/"
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("button", name="长者模式").is_visible(), "reader.js did not load on the 404 page"
    page.locator(".md-header__button.md-logo").click()
    assert page.url == deployed_url and page.locator(".md-content h1").count() == 1
    page.context.close()


def search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box; the addresses of the results listed."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    # The list of this query, not the previous one's: a result highlights part of it.
    page.wait_for_function(
        "query => [...document.querySelectorAll('.md-search-result__item mark')].some(m => query.includes(m.textContent))",
        arg=query, timeout=10_000)
    addresses: list[str] = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    page.keyboard.press("Escape")
    return addresses


def site_stylesheet(page: Page) -> str:
    return str(page.evaluate(
        "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href).find(h => /\\/site\\.[0-9a-f]{8}\\.css$/.test(h))"))


def test_a_redeploy_reaches_open_pages_and_returning_readers(
    hosted: Browser, deployed_site: Path, deployed_url: str, nginx: Nginx, tmp_path: Path,
) -> None:
    """Version 1 deployed, open in the browser, a search run. Version 2, with a changed
    stylesheet and a new word in the search index, built and deployed into the same folder
    with scripts/deploy.py's code. The open page of version 1 still gets search results (its
    index folder is kept for the grace period); the next page the reader opens has version
    2's stylesheet (a new name, so no cached copy can stand in) and finds the new word."""
    context = new_context(hosted)
    page = context.new_page()
    page.goto(deployed_url)
    first_stylesheet = site_stylesheet(page)
    assert search(page, "法律援助"), "version 1: no search result"

    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    stylesheet = docs / "assets/stylesheets/site.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n:root { --fazhi-version: 2; }\n", encoding="utf-8")
    about = docs / "about/index.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n部署测试新增的一句：琥珀色试金石。\n", encoding="utf-8")
    version_2 = build_for_deployment(tmp_path, docs)
    done = deploy(version_2, nginx.web_root / SUB_PATH)
    print(f"redeploy: {done}")
    assert done.kept > 0, "nothing of version 1 kept for the pages already open"

    # The open page is still version 1: new queries fetch other parts of its index.
    assert site_stylesheet(page) == first_stylesheet
    assert search(page, "行政复议"), "version 1's open page lost its search after the redeploy"
    assert search(page, "合法性审查")

    page.goto(deployed_url + "reports/")  # the reader moves on
    assert site_stylesheet(page) != first_stylesheet
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--fazhi-version').trim()") == "2"
    found_pages = search(page, "琥珀色试金石")
    assert any(urlsplit(address).path == f"/{SUB_PATH}/about/" for address in found_pages), found_pages
    context.close()

    # After the grace period the next deploy removes version 1's files.
    done = deploy(version_2, nginx.web_root / SUB_PATH, keep_days=0)
    assert done.pruned > 0 and fetch(nginx, urlsplit(first_stylesheet).path).status == 404


def test_the_deployed_build_is_valid_html(deployed_site: Path) -> None:
    """The build as deployed (SITE_URL, every government value in the footer and <meta>)
    passes the Nu HTML Checker too, with no message filter (tests/test_validators.py checks
    the plain build)."""
    messages = run_vnu(sorted(deployed_site.rglob("*.html")))
    assert messages == [], f"Nu HTML Checker：{len(messages)} 个错误：\n{describe(messages, deployed_site)}"


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
