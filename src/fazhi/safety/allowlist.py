"""What page HTML may contain: the elements, attributes and URL schemes the site's Markdown
(Python-Markdown with the extensions of mkdocs.yml, Material's permalinks) and its generated
pages really produce. Everything else is removed by fazhi.safety.sanitizer, and reported.

An allowlist, not a denylist (OWASP Cross Site Scripting Prevention Cheat Sheet, "HTML
Sanitization"): what is not listed here never reaches a page. The sets were taken from the
built site and from the output of each Markdown extension in mkdocs.yml (tables, footnotes,
abbr, def_list, admonition, pymdownx.details, pymdownx.tabbed, pymdownx.superfences, toc)
and of fazhi.figures' charts. Never add event handlers (on*), `style`, `<meta>`, `<base>`,
`<form>`, `<script>` or a URL scheme beyond http(s), mailto and tel: tests/test_sanitizer.py
fails if one appears here."""

from __future__ import annotations

from typing import Final

TEXT: Final = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# pymdownx.details and pymdownx.tabbed (radio inputs and their labels switch the tabs).
WIDGETS: Final = frozenset({"details", "summary", "input", "label"})
# fazhi.figures draws its bar charts as inline SVG rectangles.
SVG: Final = frozenset({"svg", "rect"})
TAGS: Final = TEXT | WIDGETS | SVG

ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    # Every element: styling hooks, anchors (toc, footnotes) and accessibility.
    "*": frozenset({"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "aria-describedby",
                    "aria-labelledby", "hidden",
                    # Material's documented way to keep a block out of the search index.
                    "data-search-exclude"}),
    "a": frozenset({"href", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "div": frozenset({"data-tabs"}),  # pymdownx.tabbed
    "input": frozenset({"name", "checked"}),  # `type` is limited to radio below
    "label": frozenset({"for"}),
    # SVG's own spelling: html5ever gives these attributes their SVG case.
    "svg": frozenset({"viewBox", "preserveAspectRatio", "focusable", "width", "height"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry"}),
}
# Attributes allowed only with these values (nh3's tag_attribute_values): a tab is a radio
# button; any other input type would be a form field on a government page.
ATTRIBUTE_VALUES: Final[dict[str, dict[str, frozenset[str]]]] = {
    "input": {"type": frozenset({"radio"})},
}

# Set on every such element whatever it says: an input without a type would be a text box.
FORCED_VALUES: Final[dict[str, dict[str, str]]] = {"input": {"type": "radio"}}

# Attributes whose presence is their value (`checked`, `checked=""` and `checked="checked"`
# are the same).
BOOLEAN_ATTRIBUTES: Final = frozenset({"checked", "open", "hidden", "reversed", "data-search-exclude"})

# Links may go anywhere on the web, by these schemes or relative to the page.
URL_SCHEMES: Final = frozenset({"http", "https", "mailto", "tel"})
# Attributes that make the browser load something as the page opens: only from this site
# (relative addresses), so every page loads fully inside mainland China and tells no other
# host who reads it.
RESOURCE_ATTRIBUTES: Final = frozenset({("img", "src")})
# Element ids Material's own scripts look up (`__config`, `__search`, `__drawer`…): content
# may not take them over. Those of pymdownx.tabbed and code line numbers are the content's own.
RESERVED_ID_PREFIX: Final = "__"
CONTENT_ID_PREFIXES: Final = ("__tabbed_", "__codelineno-", "__code_")
# Attributes holding an element id: `id` itself, and `for`, which makes a label work
# Material's own controls (`<label for="__drawer">`, `for="__search"`).
ID_ATTRIBUTES: Final = frozenset({"id", "for"})
# Material's interface classes (`md-dialog md-dialog--active` draws a fixed, site-styled
# notice): content keeps only its buttons, which Material documents for content.
RESERVED_CLASS_PREFIX: Final = "md-"
CONTENT_CLASSES: Final = frozenset({"md-button", "md-button--primary"})

# Removed with everything inside them (their text is code or styling, not reading matter).
CLEAN_CONTENT: Final = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "textarea", "select", "title"})

# What refuses a page (an error in the checker and the build) rather than being removed
# with a warning: markup that runs code, redirects or frames readers, sends their input
# elsewhere or loads from another host. Anything else outside the allowlist (a pasted
# `style`, `<font>`, `align`) is only removed, and the page is published without it.
ACTIVE_TAGS: Final = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base", "link", "form",
    "button", "textarea", "select", "option", "noscript", "template", "portal", "math", "foreignobject",
    "use", "image", "animate", "set", "animatetransform", "animatemotion", "video", "audio", "source", "track",
    "picture", "html", "head", "body", "title", "xmp", "plaintext", "listing", "noembed", "noframes",
})
ACTIVE_ATTRIBUTES: Final = frozenset({
    "href", "src", "srcset", "action", "formaction", "data", "poster", "background", "xlink:href", "srcdoc",
    "http-equiv", "ping", "codebase", "manifest", "type", "id", "for", "name",
})


def is_active_attribute(name: str) -> bool:
    """An attribute whose removal refuses the page: an event handler or an address."""
    name = name.lower()
    return name.startswith("on") or name in ACTIVE_ATTRIBUTES
