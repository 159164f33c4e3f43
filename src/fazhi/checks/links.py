"""What a link points at, shared by the source and the built-site link checks."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9\-]{2,}$")


@dataclass(frozen=True)
class Link:
    kind: str  # internal | external | mailto | tel | javascript | absolute | other | invalid
    path: str = ""  # decoded path of an internal link
    fragment: str = ""  # decoded fragment ("" when none)
    problem: str = ""  # for invalid links: what is wrong


@lru_cache(maxsize=65536)  # a site repeats the same navigation links on every page
def classify(url: str) -> Link:
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return Link("invalid", problem=f"无法解析（{error}）")
    scheme = parts.scheme.lower()
    fragment = unquote(parts.fragment)
    if scheme == "mailto":
        address = unquote(parts.path)
        return Link("mailto") if EMAIL.match(address) else Link("invalid", problem="邮箱地址格式不对")
    if scheme == "tel":
        return Link("tel") if PHONE.match(unquote(parts.path)) else Link("invalid", problem="电话号码格式不对")
    if scheme == "javascript":
        return Link("javascript")
    if scheme in ("http", "https") or url.startswith("//"):
        host = parts.hostname or ""
        if not host or " " in url or ("." not in host and host != "localhost"):
            return Link("invalid", problem="网址格式不对，应为 https://域名/路径")
        return Link("external")
    if scheme:
        return Link("other")
    if parts.path.startswith("/"):
        return Link("absolute", unquote(parts.path), fragment)
    return Link("internal", unquote(parts.path), fragment)


# ---- An address as the author typed it ----

# Python-Markdown keeps a backslash-escaped character (`\.`, `\(`, `\_`) as STX, its code
# point, ETX until the page is finished; the checks see addresses before that. The browser
# gets the character alone; the source has the backslash before it.
_ESCAPED = re.compile("\x02([0-9]+)\x03")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
IMAGES_DIR = "assets/images"  # docs/assets/images/: where CONTRIBUTING.md puts every image
# A file on the author's own computer: C:\Users\…, D:/照片/…, file:///…
_LOCAL_FILE = re.compile(r"^(?:[A-Za-z]:[\\/]|file:)", re.IGNORECASE)


def unescaped(url: str) -> str:
    """The address the browser gets: `..\x0246\x03.` -> `...`."""
    return _ESCAPED.sub(lambda match: chr(int(match.group(1))), url)


def as_written(url: str) -> str:
    """The address as it is typed in the source: `..\x0246\x03.` -> `..\\..`."""
    return _ESCAPED.sub(lambda match: "\\" + chr(int(match.group(1))), url)


def is_image(path: str) -> bool:
    return path.lower().endswith(IMAGE_SUFFIXES)


def is_local_file(url: str) -> bool:
    """A path on the author's computer (C:\\…, file:///…): no reader can open it."""
    return bool(_LOCAL_FILE.match(url.strip()))


def images_path(page: str) -> str:
    """How a page (docs-relative, e.g. articles/posts/x.md) writes docs/assets/images/:
    ../../assets/images/ from an article, assets/images/ from docs/index.md."""
    return posixpath.relpath(IMAGES_DIR, posixpath.dirname(page) or ".") + "/"
