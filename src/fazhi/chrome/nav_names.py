"""Give each section's navigation a name that screen readers can announce.

With `navigation.indexes`, Material names a section's sub-navigation after the section's
toggle, which holds only an arrow icon: the landmark has no name, and two such sections
(年度报告, 关于本站) cannot be told apart (axe: landmark-unique). The section's title is
written in the sub-navigation's own heading; this filter copies it onto the toggle as its
aria-label. overrides/partials/nav.html applies it to Material's navigation. If a Material
upgrade changes this markup the filter changes nothing, and tests/test_a11y.py notices."""

from __future__ import annotations

import html
import re

import jinja2

ICON_ONLY_TOGGLE = re.compile(
    r'(?P<open><label class="md-nav__link[^"]*" for="(?P<id>[^"]+)" id="(?P=id)_label" tabindex="[^"]*")'
    r'(?P<rest>>\s*<span class="md-nav__icon md-icon"></span>\s*</label>)'
)
SECTION_TITLE = re.compile(
    r'aria-labelledby="(?P<id>[^"]+)_label"[^>]*>\s*<label class="md-nav__title" for="(?P=id)">'
    r'\s*<span class="md-nav__icon md-icon"></span>(?P<title>.*?)</label>',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def install(env: jinja2.Environment) -> None:
    """Make the filter available to the templates (overrides/partials/nav.html)."""
    env.filters["name_section_navs"] = name_section_navs


def name_section_navs(markup: str) -> str:
    titles = {match["id"]: _text(match["title"]) for match in SECTION_TITLE.finditer(markup)}

    def named(match: re.Match[str]) -> str:
        title = titles.get(match["id"])
        if not title:
            return match[0]
        return f'{match["open"]} aria-label="{html.escape(title)}"{match["rest"]}'

    return ICON_ONLY_TOGGLE.sub(named, markup)


# ---- Helper functions ----


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())
