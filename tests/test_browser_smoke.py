"""The built site, served by a plain static server, loads in real headless Chromium with no
console error, no failed request and no request to another host — at the root and under a
sub-path such as /fazhi/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route


@dataclass
class PageLoad:
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def watch(page: Page, origin: str) -> PageLoad:
    """Record what a person would call a broken page: errors, failed and foreign requests."""
    load = PageLoad()
    page.on("console", lambda m: load.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: load.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: load.failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: load.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" == origin:
            return route.continue_()
        load.foreign.append(url)
        return route.abort()

    page.route("**/*", route)
    return load


def report_pages(site_dir: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site_dir)) + "/" for p in (site_dir / "reports").rglob("index.html")
    )


def test_home_and_every_report_page_load_cleanly(page: Page, site_dir: Path, base_url: str) -> None:
    origin = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
    load = watch(page, origin)
    paths = ["", *report_pages(site_dir)]
    assert "reports/2024/part-4/" in paths
    for path in paths:
        response = page.goto(base_url + path, wait_until="networkidle")
        assert response is not None and response.ok, path
        assert page.locator("article h1").first.is_visible(), path
    assert load.console_errors == []
    assert load.failed == []
    assert load.foreign == []


def test_reader_reaches_the_report_from_the_home_page(page: Page, base_url: str) -> None:
    page.goto(base_url, wait_until="networkidle")
    page.get_by_role("link", name="长春汽车经济技术开发区2024年度法治政府建设工作报告").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == base_url + "reports/2024/"
    page.get_by_role("link", name="(一)聚焦法治思维、统筹协调,持续强化组织领导").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("reports/2024/part-1/#一聚焦法治思维统筹协调持续强化组织领导") or page.url.endswith(
        "reports/2024/part-1/#%E4%B8%80%E8%81%9A%E7%84%A6%E6%B3%95%E6%B2%BB%E6%80%9D%E7%BB%B4%E7%BB%9F%E7%AD%B9%E5%8D%8F%E8%B0%83%E6%8C%81%E7%BB%AD%E5%BC%BA%E5%8C%96%E7%BB%84%E7%BB%87%E9%A2%86%E5%AF%BC"
    )
    assert page.locator("h2#一聚焦法治思维统筹协调持续强化组织领导").is_visible()


@pytest.mark.parametrize("path", ["", "reports/2024/part-1/"])
def test_old_browser_without_resize_observer_gets_the_local_polyfill(page: Page, serve_root: str, path: str) -> None:
    base_url = serve_root + "/fazhi/"
    page.add_init_script("delete window.ResizeObserver")
    load = watch(page, serve_root)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + path, wait_until="networkidle")
    # Published under its content-hash name (fazhi.hosting.fingerprint).
    assert any(re.search(r"/resize-observer-polyfill-1\.5\.1\.[0-9a-f]{8}\.js$", url) for url in requested)
    assert load.foreign == [] and load.failed == [] and load.console_errors == []
    assert page.evaluate("typeof ResizeObserver") == "function"
