"""Run `mkdocs serve` on a free port and read its pages: the staff's preview as the preview
test (tests/test_preview.py) and the build benchmark (scripts/bench_build.py) use it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PreviewError(RuntimeError):
    """`mkdocs serve` stopped, or a page did not change in time; holds the end of its log."""


@dataclass
class PreviewServer:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        """The address of `path` ("/articles/x/") for a browser."""
        return f"http://127.0.0.1:{self.port}{path}"

    def fetch(self, path: str) -> tuple[int, bytes]:
        """(status, body) of a page; (0, b"") while the server does not answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError:
            return 0, b""
        finally:
            connection.close()

    def text(self, path: str) -> str:
        """The page as text; "" unless it was served (status 200)."""
        status, body = self.fetch(path)
        return body.decode("utf-8", "replace") if status == 200 else ""

    def wait_until(self, condition: Callable[[], bool], seconds: float, interval: float = 0.05) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if self.process.poll() is not None:
                raise PreviewError(f"mkdocs serve stopped:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise PreviewError(f"not true after {seconds} s:\n{self.log_tail()}")
            time.sleep(interval)

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


@contextmanager
def mkdocs_serve(project: Path, log: Path, dirty: bool = True) -> Iterator[PreviewServer]:
    """`mkdocs serve [--dirty]` in `project` (the folder holding mkdocs.yml), its messages
    written to `log`; stopped on leaving the block."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *(["--dirty"] if dirty else []), "-a", f"127.0.0.1:{port}"],
        cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )
    try:
        yield PreviewServer(port, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


# ---- Helper functions ----


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address: tuple[str, int] = probe.getsockname()  # an AF_INET socket's (host, port)
        return address[1]
