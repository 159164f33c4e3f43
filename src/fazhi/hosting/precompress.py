"""A gzip copy beside each text file of the built site, for nginx's `gzip_static on;`
(deploy/nginx.conf): the server sends `page.html.gz` as it is to a browser that accepts
gzip, instead of compressing `page.html` again for every request, and at the highest level,
which per-request compression does not use.

Written at the end of a build (not in the preview), after the search index; a copy smaller
than its file only. The copies are byte-for-byte reproducible (no time or name in the gzip
header), so an unchanged file keeps an unchanged copy and a redeploy does not rewrite it."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

# The text types deploy/nginx.conf compresses (gzip_types, and HTML), by file name.
SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv"})
MIN_BYTES = 256  # deploy/nginx.conf's gzip_min_length: smaller files are sent as they are
LEVEL = 9


def write(site: Path) -> tuple[int, int]:
    """Write `<file>.gz` for every text file of at least MIN_BYTES under `site` where
    compression helps; remove copies whose file is gone. Returns (copies written, bytes of
    the copies). OSError from the file system."""
    written = total = 0
    for path in sorted(site.rglob("*")):
        if path.suffix == ".gz" and path.is_file() and path.with_suffix("").suffix in SUFFIXES:
            if not path.with_suffix("").is_file():
                path.unlink()
            continue
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=LEVEL, mtime=0) if len(data) >= MIN_BYTES else data
        copy = path.with_name(path.name + ".gz")
        if len(packed) >= len(data):  # an older copy would be served in place of this file
            copy.unlink(missing_ok=True)
            continue
        partial = path.with_name(f".{path.name}.gz.partial")
        partial.write_bytes(packed)
        os.replace(partial, copy)
        written += 1
        total += len(packed)
    return written, total
