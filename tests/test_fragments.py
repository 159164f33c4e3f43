"""The theme parts rendered once per build (fazhi.fragments) must make exactly
the pages a fresh render of every page makes: same navigation, tabs, search box and
settings, with links that work from each page's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.search.sample import write_articles

from collections_site import build, copy_site
from conftest import attr

PLUGIN_ENTRY = "  - fazhi:\n"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site with 45 generated articles (three list pages, categories, archive), built as
    committed and built with the fragment cache switched off."""
    sites = []
    for name, cached in (("cached", True), ("fresh", False)):
        config = copy_site(tmp_path_factory.mktemp(name))
        write_articles(config.parent / "docs", 45)
        text = config.read_text(encoding="utf-8")
        assert PLUGIN_ENTRY in text, "mkdocs.yml changed: update this test's switch"
        if not cached:  # the plugin option that renders every fragment afresh
            config.write_text(text.replace(PLUGIN_ENTRY, PLUGIN_ENTRY + "      cache_fragments: false\n", 1), encoding="utf-8")
        sites.append(build(config))
    return sites[0], sites[1]


def test_cached_fragments_give_byte_identical_pages(two_builds: tuple[Path, Path]) -> None:
    cached, fresh = two_builds
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("*.html"))
    assert len(pages) > 60
    assert sorted(p.relative_to(cached) for p in cached.rglob("*.html")) == pages
    differing = [str(p) for p in pages if (cached / p).read_bytes() != (fresh / p).read_bytes()]
    assert not differing, f"pages differ with the fragment cache: {differing[:5]}"


def test_navigation_links_resolve_from_pages_at_every_depth(two_builds: tuple[Path, Path]) -> None:
    """The cached navigation of an article (articles/<slug>/) and of a deeper list page
    (articles/page/2/) leads to pages that exist."""
    from bs4 import BeautifulSoup

    cached, _ = two_builds
    article = cached / "articles" / "sample-00007" / "index.html"
    deep = cached / "articles" / "page" / "2" / "index.html"
    for page in (article, deep):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [attr(a, "href") for a in soup.select("nav.md-nav--primary a[href], nav.md-tabs a[href]")]
        assert links, f"{page}: no navigation links"
        for href in links:
            target = (page.parent / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{page}: {href} leads nowhere"
