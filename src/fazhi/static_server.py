"""A plain static file server on 127.0.0.1 for tests, evaluations and benchmarks: the site is
served exactly as any static host would serve the built files, and nothing else."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUB_PATH = "fazhi"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive, as every real static host does: with HTTP/1.0 each of a page's requests
    # opened a connection of its own, and Chromium's six per host made them queue. Headers
    # and body are sent apart, so Nagle's algorithm must be off, or each answer on a kept
    # connection waits for the delayed ACK (about 40 ms).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free port; yields the origin, e.g. http://127.0.0.1:PORT."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def mirror_with_sub_path(site: Path, root: Path, sub_path: str = SUB_PATH) -> Path:
    """Fill `root` so that it holds the site twice: at / and at /<sub_path>/ (symlinks)."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in site.iterdir():
        (root / entry.name).symlink_to(entry)
    (root / sub_path).symlink_to(site)
    return root
