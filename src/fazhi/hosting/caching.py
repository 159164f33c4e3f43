"""Which published files never change under their name, and may be cached for a year.

A file is *content-addressed* when its address holds a hash of its content: the styles and
scripts under assets/stylesheets/ and assets/javascripts/ named `<name>.<8 hex>[.min].css|js`
(Material's own, and the site's, named by fazhi.hosting.fingerprint), their source maps and
gzip copies, and every file of a search index folder `search/<10 hex>/` (fazhi.search.index
names the folder after the hash of its files). A new version of such a
file gets a new address, so a browser may keep it for a year ("immutable"); every other file
(pages, search_index.json, sitemap.xml, feed.xml, images, CSV, the reports' .txt) is sent
`no-cache`: kept, but checked with the server (a cheap 304) before each use, so a redeploy
reaches every reader at once.

deploy/nginx.conf's `map $uri $fazhi_cache_control` writes the same rule as nginx regular
expressions; tests/test_hosting.py checks, through the real nginx, that every file of a
build gets the header this module gives it. fazhi.hosting.deploy keeps the content-addressed
files of earlier versions for a grace period, because pages already open in a browser still
name them."""

from __future__ import annotations

import re

# `assets/(stylesheets|javascripts)/…<name>.<hash>[.min].(css|js)[.map]`: 8 hex digits, as
# Material's. Only there: an image a staff member names `x.12345678.png` stays revalidated.
HASHED_ASSET = re.compile(r"(?:^|/)assets/(?:stylesheets|javascripts)/.+\.[0-9a-f]{8}(?:\.min)?\.(?:css|js)(?:\.map|\.gz)?$")
# `search/<version>/…`: fazhi.search.index's folder name, 10 hex digits of a SHA-1.
SEARCH_VERSION = re.compile(r"(?:^|/)search/[0-9a-f]{10}/")

IMMUTABLE = "public, max-age=31536000, immutable"  # one year, RFC 8246
REVALIDATE = "no-cache"


def is_content_addressed(path: str) -> bool:
    """True when `path` ('/'-separated, relative to the site folder or an URL path) names a
    file whose content never changes under that name."""
    return bool(HASHED_ASSET.search(path) or SEARCH_VERSION.search(path))


def cache_control(path: str) -> str:
    """The Cache-Control header deploy/nginx.conf sends for the file at `path`."""
    return IMMUTABLE if is_content_addressed(path) else REVALIDATE
