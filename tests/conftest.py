"""Shared fixtures: the site built once per test run, served by a plain static server, and a
real headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

from fazhi.search.harness import CHROMIUM, CHROMIUM_ARGS
from fazhi.static_server import SUB_PATH, mirror_with_sub_path, serve_directory

if TYPE_CHECKING:  # types only (Playwright itself is imported where the browser is launched)
    from bs4 import Tag
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def build_site(config: Path, site_dir: Path, engine: str = "mkdocs") -> None:
    """Run the strict build with `engine` (mkdocs, or properdocs, its maintained fork); fail
    the test run with the engine's own output if it does not pass. Never with -q: it raises
    the log level above WARNING, and --strict then counts none of MkDocs' own warnings."""
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        pytest.fail(f"{engine} build --strict failed:\n{result.stdout}\n{result.stderr}")


def found(value: T | None) -> T:
    """What a lookup found: BeautifulSoup's select_one and ElementTree's find give None when
    nothing matches, and the test fails here rather than on the next attribute."""
    assert value is not None, "nothing found"
    return value


def attr(tag: Tag, name: str) -> str:
    """A one-valued attribute of tag (href, src, content, datetime): BeautifulSoup types every
    attribute as text or a list of words, and only class, rel and a few others are lists."""
    value = tag.get(name)
    assert isinstance(value, str), f"{name}: {value!r}"
    return value


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
    path: str = request.param
    return serve_root + path


@pytest.fixture(scope="session")
def policy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site with generated policy content (collections_site.build_policy_site):
    built once, for the policy tests and the phone tests of a list with rows."""
    from collections_site import build_policy_site

    return build_policy_site(tmp_path_factory.mktemp("policy-site"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/setup.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
