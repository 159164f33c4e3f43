"""Render the theme's page-independent parts once per build, not once per page.

Material renders its navigation, tabs, search box and settings script again for every
page. With 1,000 articles that was close to half of all template time, yet on every page
that is not itself in the nav (articles, article lists) these parts differ only in their
relative links. The templates wrap them in `{% call cached_fragment(key) %}…{% endcall %}`:
the body is rendered the first time a key is seen and reused after that. A key holds
everything the fragment's output depends on, so a cached fragment is byte-identical to a
fresh render (tests/test_fragments.py compares whole pages). `None` means "do not cache".

A FragmentCache lives on the plugin; `install` empties it at the start of each build's
theme render, so `mkdocs serve` never shows a fragment from an older version of the site.

`material/partials/…` names Material's own template when ours has the same name, so an
override can wrap the original instead of copying it (overrides/partials/nav.html)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import jinja2
import material
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"

class FragmentCache:
    """Rendered fragments of one build, by key."""

    def __init__(self) -> None:
        self.enabled = True  # plugin option `cache_fragments`
        self._fragments: dict[Hashable, str] = {}

    def install(self, env: jinja2.Environment) -> None:
        """Empty the cache and give the templates `cached_fragment`, its key functions, and
        `material/…` names for Material's own templates."""
        self._fragments.clear()
        material_loader = jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(str(MATERIAL_TEMPLATES))})
        env.loader = jinja2.ChoiceLoader([env.loader, material_loader] if env.loader is not None else [material_loader])
        env.globals["cached_fragment"] = self.cached_fragment
        env.globals["nav_fragment_key"] = nav_fragment_key
        env.globals["assets_fragment_key"] = assets_fragment_key

    def cached_fragment(self, key: Hashable | None, caller: Callable[[], str]) -> str:
        """The body of a `{% call %}` block: rendered once per key (every time if key is None)."""
        if key is None or not self.enabled:
            return caller()
        if key not in self._fragments:
            self._fragments[key] = caller()
        return self._fragments[key]


# ---- Key functions the templates call ----


def nav_fragment_key(name: str, page: Page | None, nav: Navigation | None) -> Hashable | None:
    """Key of a fragment built from the nav (the sidebar navigation, the tabs): which items
    are active and where each nav link and the assets lead from this page. A page that is
    itself in the nav shows its table of contents inside the navigation, so it is not cached."""
    if page is None or nav is None or page in nav.pages:
        return None
    links = tuple(get_relative_url(item.url or ".", page.url) for item in nav.pages)
    active = tuple(item.active for item in _nav_items(nav.items))
    return (name, assets_fragment_key(page), links, active)


def assets_fragment_key(page: Page | None) -> Hashable | None:
    """Key of a fragment whose only page-dependent parts are links to the site's assets (the
    settings script, the search box): the relative way from this page to assets/."""
    if page is None:
        return None
    return get_relative_url("assets/", page.url)


# ---- Helper functions ----


def _nav_items(items: list[Any]) -> list[Any]:
    """Every section, page and link of the nav, depth first (MkDocs leaves Navigation.items
    untyped; each item has `active`)."""
    result = []
    for item in items:
        result.append(item)
        if isinstance(item, Section):
            result += _nav_items(item.children)
    return result
