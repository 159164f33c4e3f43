"""No page may load anything from another host: the site must load fully inside mainland China.

Every built HTML, CSS and JS file is parsed; a resource URL that leaves the site fails the test.
Plain outbound links (<a href>) are fine: the reader chooses to follow them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup

# Attributes through which an HTML element loads something.
RESOURCE_ATTRIBUTES = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "iframe": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
    "input": ["src"],
}
# <link rel=…> values that fetch their href (stylesheet, icon, preload, manifest …).
NON_FETCHING_LINK_RELS = {"alternate", "canonical", "author", "license", "help", "next", "prev", "search"}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
JS_URL = re.compile(r"""["'`](https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^"'`\s]*""", re.IGNORECASE)

# URLs inside Material's JavaScript bundle that this site never fetches, each with the
# reason; the tests below assert the reason stays true.
JS_URLS_NEVER_FETCHED = {
    # Only fetched when a browser lacks ResizeObserver; overrides/main.html loads the
    # polyfill from this site first on such browsers (test_polyfill_is_served_locally).
    "https://unpkg.com/resize-observer-polyfill": "polyfill",
    # Only fetched on pages with a Mermaid diagram; the site has none (test_no_mermaid).
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "mermaid",
    # Only fetched when repo_url names a GitHub repository; mkdocs.yml sets no repo_url.
    "https://api.github.com/users/${e}": "repo_url",
    "https://api.github.com/repos/${e}/${t}": "repo_url",
}
# Hosts that appear in bundled code only as XML namespaces or in licence and source comments.
REFERENCE_ONLY_HOSTS = {
    "www.w3.org",
    "www.mozilla.org",
    "github.com",
    "snowball.tartarus.org",
    "tartarus.org",
    "code.google.com",
    "fontawesome.com",
    "developer.mozilla.org",
    "clipboardjs.com",
    "bit.ly",
    "wiki.ecmascript.org",
    "wiki.commonjs.org",
    "underscorejs.org",
    "people.mozilla.org",
    "narwhaljs.org",
    "msdn.microsoft.com",
    "lunrjs.com",
    "en.wikipedia.org",
    "docs.python.org",
    "drafts.fxtf.org",
}


def built_files(site_dir: Path, suffix: str) -> Iterator[Path]:
    yield from (path for path in site_dir.rglob(f"*{suffix}") if path.is_file())


def external_in_html(html: str) -> list[str]:
    soup = BeautifulSoup(html, "lxml")
    found: list[str] = []
    for tag, attributes in RESOURCE_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                for url in str(element.get(attribute) or "").split(","):
                    if EXTERNAL.match(url):
                        found.append(f"<{tag} {attribute}={url.strip()}>")
    for link in soup.find_all("link"):
        rels = set(link.get("rel") or [])
        if rels - NON_FETCHING_LINK_RELS and EXTERNAL.match(str(link.get("href") or "")):
            found.append(f"<link rel={' '.join(rels)} href={link['href']}>")
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)}):
        if EXTERNAL.search(str(meta.get("content") or "").split("url=")[-1]):
            found.append(f"<meta refresh {meta['content']}>")
    inline_css = "\n".join(style.get_text() for style in soup.find_all("style"))
    inline_css += "\n".join(str(tag["style"]) for tag in soup.find_all(style=True))
    found += external_in_css(inline_css)
    return found


def external_in_css(css: str) -> list[str]:
    return [url for match in CSS_URL.finditer(css) for url in match.groups() if url and EXTERNAL.match(url)]


def external_in_js(js: str) -> list[str]:
    found = []
    for match in JS_URL.finditer(js):
        url = match.group(0)[1:]
        host = re.sub(r"^(https?:)?//", "", url).split("/")[0]
        if url in JS_URLS_NEVER_FETCHED or host in REFERENCE_ONLY_HOSTS:
            continue
        found.append(url)
    return found


def test_no_html_page_loads_from_another_host(site_dir: Path) -> None:
    pages = list(built_files(site_dir, ".html"))
    assert len(pages) >= 10
    offenders = {str(p.relative_to(site_dir)): external_in_html(p.read_text("utf-8")) for p in pages}
    assert {page: urls for page, urls in offenders.items() if urls} == {}


def test_no_stylesheet_loads_from_another_host(site_dir: Path) -> None:
    sheets = list(built_files(site_dir, ".css"))
    assert sheets
    offenders = {str(p.relative_to(site_dir)): external_in_css(p.read_text("utf-8")) for p in sheets}
    assert {sheet: urls for sheet, urls in offenders.items() if urls} == {}


def test_no_script_loads_from_another_host(site_dir: Path) -> None:
    scripts = list(built_files(site_dir, ".js"))
    assert scripts
    offenders = {str(p.relative_to(site_dir)): external_in_js(p.read_text("utf-8")) for p in scripts}
    assert {script: urls for script, urls in offenders.items() if urls} == {}


def test_no_template_names_a_resource_on_another_host() -> None:
    """The theme overrides themselves, not only the pages built today: a branch a setting
    could switch on later (Material's web fonts block) must not name another host either."""
    overrides = Path(__file__).resolve().parents[1] / "overrides"
    for template in sorted(overrides.rglob("*.html")):
        assert external_in_html(template.read_text("utf-8")) == [], template


def test_detectors_catch_an_added_cdn_link() -> None:
    assert external_in_html('<script src="https://cdn.jsdelivr.net/npm/x.js"></script>')
    assert external_in_html('<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">')
    assert external_in_html('<img alt="" src="http://example.org/a.png">')
    assert external_in_html('<div style="background:url(https://example.org/bg.png)"></div>')
    assert not external_in_html('<a href="https://beian.miit.gov.cn/">备案</a>')
    assert external_in_css("@import 'https://fonts.googleapis.com/css2?family=Noto+Sans+SC';")
    assert external_in_js('fetch("https://cdn.example.com/index.json")')


def test_no_mermaid(site_dir: Path) -> None:
    for page in built_files(site_dir, ".html"):
        assert 'class="mermaid"' not in page.read_text("utf-8"), page


def test_polyfill_is_served_locally(site_dir: Path) -> None:
    # Published under its content-hash name (fazhi.hosting.fingerprint).
    [polyfill] = (site_dir / "assets/javascripts/vendor").glob("resize-observer-polyfill-1.5.1.*.js")
    for page in built_files(site_dir, ".html"):
        html = page.read_text("utf-8")
        if "assets/javascripts/bundle." in html:
            assert html.index(polyfill.name) < html.index("assets/javascripts/bundle."), page


def test_no_repo_url() -> None:
    config = (Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text("utf-8")
    assert not re.search(r"^repo_url:", config, re.MULTILINE)
