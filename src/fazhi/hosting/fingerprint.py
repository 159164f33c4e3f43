"""Content-hash names for the site's own styles and scripts, as Material names its own.

Every .css and .js file the site itself provides (from docs/ or the theme's custom_dir
overrides/, not from Material's package) is published as `<name>.<hash>.<ext>` next to where
it would have been, `hash` the first 8 hex digits of the SHA-256 of its bytes. A changed file
gets a new address, which the pages (revalidated on every visit, fazhi.hosting.caching)
name at once; an unchanged one keeps its address and stays in the reader's cache for a year.

What names a file points at the new name: `extra_css` and `extra_javascript` (rewritten
here), the templates through the `asset` filter (`{{ 'assets/javascripts/reader.js' | asset
| url }}`), and the search worker (fazhi.search.build). A renamed file is published under
its new name only: `unrenamed_references` finds a page that still names the old one (a
template without `| asset`), and the build stops on it.
Material's `search.*.min.js` worker and its lunr language files are not published while the
site's own search is on: no page loads them."""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

HASH_LENGTH = 8  # hex digits, as Material's asset names (and fazhi.hosting.caching's rule)
SUFFIXES = (".css", ".js")


def hashed_name(src_uri: str, content: bytes) -> str:
    """`assets/stylesheets/site.css` + its bytes -> `assets/stylesheets/site.1a2b3c4d.css`."""
    stem, suffix = posixpath.splitext(src_uri)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}{suffix}"


def own_assets(files: Files, config: MkDocsConfig) -> list[File]:
    """The .css and .js files from docs/ or the custom_dir, in `files` order."""
    own_dirs = {str(Path(config.docs_dir).resolve())}
    custom_dir = config.theme.custom_dir
    if custom_dir:
        own_dirs.add(str(Path(custom_dir).resolve()))
    return [
        file for file in files
        if file.src_uri.endswith(SUFFIXES) and not file.generated_by and file.src_dir is not None
        and str(Path(file.src_dir).resolve()) in own_dirs
    ]


def rename(files: Files, config: MkDocsConfig) -> dict[str, str]:
    """Publish each of `own_assets` under its hashed name; point extra_css and
    extra_javascript at the new names. Returns {src_uri: published path} for the `asset`
    template filter. Reads each file once (OSError if it vanished since MkDocs listed it)."""
    names: dict[str, str] = {}
    for file in own_assets(files, config):
        dest_uri = hashed_name(file.src_uri, file.content_bytes)
        file.dest_uri = dest_uri
        file.url = dest_uri
        file.abs_dest_path = str(Path(config.site_dir) / dest_uri)
        names[file.src_uri] = dest_uri
    config.extra_css = [names.get(path, path) for path in config.extra_css]
    for index, script in enumerate(config.extra_javascript):  # a path, or {path, defer, …}
        if isinstance(script, str):
            config.extra_javascript[index] = names.get(script, script)
        else:
            script.path = names.get(script.path, script.path)
    return names


def drop_stock_search(files: Files) -> None:
    """Take Material's own search worker and lunr files out of `files` (the site's worker
    replaces them)."""
    stock = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
    for file in [file for file in files if file.src_uri.startswith(stock)]:
        files.remove(file)


def unrenamed_references(output: str, names: dict[str, str]) -> list[str]:
    """The old paths of renamed files that the page `output` still names as the end of an
    attribute value (`…/reader.js"`): each would be a missing file on the site."""
    return [original for original in names if f'{original}"' in output]
