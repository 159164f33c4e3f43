"""Shared fixtures: the site built once per test run, served by a plain static server, and a
real headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi.search.harness import CHROMIUM, CHROMIUM_ARGS
from fazhi.static_server import SUB_PATH, mirror_with_sub_path, serve_directory

REPO = Path(__file__).resolve().parents[1]


def build_site(config: Path, site_dir: Path, engine: str = "mkdocs") -> None:
    """Run the strict build with `engine` (mkdocs, or properdocs, its maintained fork); fail
    the test run with the engine's own output if it does not pass."""
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        pytest.fail(f"{engine} build --strict failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict."""
    site = tmp_path_factory.mktemp("build") / "site"
    build_site(REPO / "mkdocs.yml", site)
    return site


@pytest.fixture(scope="session")
def serve_root(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A plain static server whose root holds the site twice: at / and at /fazhi/.

    Returns the server's origin, e.g. http://127.0.0.1:PORT."""
    root = mirror_with_sub_path(site_dir, tmp_path_factory.mktemp("www"), SUB_PATH)
    with serve_directory(root) as origin:
        yield origin


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
