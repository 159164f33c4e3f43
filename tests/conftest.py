"""Shared fixtures: the site built once per test run, served by a plain static server, and a
real headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUB_PATH = "fazhi"


def build_site(config: Path, site_dir: Path) -> None:
    """Run the strict build; fail the test run with MkDocs' own output if it does not pass."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict."""
    site = tmp_path_factory.mktemp("build") / "site"
    build_site(REPO / "mkdocs.yml", site)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def serve_root(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A plain static server whose root holds the site twice: at / and at /fazhi/.

    Returns the server's origin, e.g. http://127.0.0.1:PORT."""
    root = tmp_path_factory.mktemp("www")
    for entry in site_dir.iterdir():
        (root / entry.name).symlink_to(entry)
    (root / SUB_PATH).symlink_to(site_dir)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session", params=["/", f"/{SUB_PATH}/"], ids=["root", "sub-path"])
def base_url(request: pytest.FixtureRequest, serve_root: str) -> str:
    """The site's address, once at the server root and once under a sub-path."""
    return serve_root + request.param


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/setup.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
