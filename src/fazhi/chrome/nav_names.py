"""Give each section's navigation a name that screen readers can announce.

Material names a section's sub-navigation after the section's toggle
(`<nav aria-labelledby="…_label">`). With `navigation.indexes` the toggle of a section that has
an index page holds only an arrow icon: the landmark had no name, and two such sections
(年度报告, 关于本站) could not be told apart (axe: landmark-unique). overrides/partials/nav-item.html
gives that icon the section's title (`role="img" aria-label="…"`), which names the toggle and,
through it, the landmark; this filter turns the title as Material renders it (`render_title`:
plain text, or the typeset plugin's HTML) into the attribute's value.

The name cannot go on the `<label>` itself (aria-label is not allowed on a label that belongs
to a control: Nu HTML Checker, axe aria-prohibited-attr), and the `<nav>` must keep pointing at
the toggle: Material's script finds it by that id to update aria-expanded."""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape


def install(env: jinja2.Environment) -> None:
    """Make the filter available to the templates (overrides/partials/nav-item.html)."""
    env.filters["section_name"] = section_name


def section_name(title: str) -> Markup:
    """`title` as plain text (tags removed, entities decoded, each run of white space one
    space), escaped for an attribute value."""
    return escape(Markup(str(title)).striptags())
