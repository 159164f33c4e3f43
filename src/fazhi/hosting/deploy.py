"""Copy a built site into the web root so that no reader sees a broken page, then or later.

A plain copy (or rsync --delete) breaks readers in two ways: a page can arrive before the
styles it names, and a page already open in a browser names the previous version's
content-addressed files (its stylesheet `site.<hash>.css`, its search index folder
`search/<hash>/`), which the copy deleted. So:

1. files are written in an order where nothing named is missing: content-addressed files
   first, then other files, then search/search_index.json (which names the index folder),
   then the pages; each file is written beside its place and renamed over it, so a reader
   never gets half a file;
2. a file the new build no longer has is removed at once, unless it is content-addressed
   (fazhi.hosting.caching): those stay for a grace period (`keep_days`, 7 by default) and go
   at the first deploy after it. A withdrawn page is gone immediately; a reader with an old
   page open keeps its styles and its search;
3. the target folder must be empty or a folder this tool deployed to: its record,
   `.fazhi-deploy.json` (never served: deploy/nginx.conf refuses hidden files), lists every
   file it put there, and only those are ever removed. Anything else in the folder is left.
   The record names the new files before the first is written, so a deploy interrupted
   part-way (Ctrl-C, a full disk) is finished by running it again, and a page it wrote is
   still removed by a later deploy once the build no longer has it;
4. the build must be made for an address (SITE_URL, read back from its sitemap.xml) whose
   path ends in the target folder's name, e.g. https://host/fazhi/ for /srv/www/fazhi: a
   build without it has a 404 page that loads no styles under /fazhi/;
5. nothing is written through a symbolic link in the target, and every folder and file is
   readable by the web server (0755 / 0644), whatever the umask.

Unchanged files are not rewritten, so their modification time, and the ETag nginx derives
from it, stay the same and returning readers get a 304."""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fazhi.hosting.caching import is_content_addressed

RECORD = ".fazhi-deploy.json"
KEEP_DAYS = 7.0  # grace period; a reader rarely keeps one page open longer
REQUIRED = ("index.html", "404.html", "search/search_index.json")  # what marks a built site


class DeployError(Exception):
    """The deploy was refused before anything was changed; the message is Chinese."""


@dataclass
class Deployed:
    """What one deploy did, in files: written (new or changed), unchanged, removed (no
    longer built), kept (content-addressed, no longer built, in their grace period), pruned
    (their grace period over)."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0
    pruned: int = 0


def deploy(site: Path, target: Path, *, keep_days: float = KEEP_DAYS, now: float | None = None) -> Deployed:
    """Deploy the built site folder `site` into `target` (created if missing). `now` is a
    Unix time in seconds (default: the clock). Raises DeployError when `site` is not a built
    site or `target` holds files of another origin; OSError from the file system."""
    if math.isnan(keep_days) or keep_days < 0:
        raise DeployError(f"保留天数应为 0 或正数，现在是 {keep_days}。")
    site, target = site.resolve(), target.absolute()
    _check_folders(site, target)
    target = target.resolve()
    record = _read_record(target)
    now = time.time() if now is None else now
    built = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    current = set(built)
    for name in [*built, *record]:
        _check_inside(target, name)

    # First the record names every file this deploy may write: an interruption leaves none
    # that a later deploy would not know.
    _write_record(target, {**record, **dict.fromkeys(built)})
    result = Deployed()
    result.removed += _clear_the_way(target, current, record)
    for name in sorted(built, key=_order):
        if _copy(site / name, target / name):
            result.written += 1
        else:
            result.unchanged += 1

    retired: dict[str, float] = {}
    for name, retired_at in record.items():
        if name in current or not (target / name).is_file():
            continue
        if not is_content_addressed(name):
            _remove(target, name)
            result.removed += 1
        elif retired_at is not None and now - retired_at > keep_days * 86400:
            _remove(target, name)
            result.pruned += 1
        else:
            retired[name] = retired_at if retired_at is not None else now
            result.kept += 1
    files: dict[str, float | None] = {name: None for name in built} | retired
    _write_record(target, files)
    return result


# ---- Helper functions ----


def _order(name: str) -> tuple[int, str]:
    """Content-addressed files, other files, the search pointer, the pages; a gzip copy
    (which nginx sends in place of its file) with its file."""
    plain = name.removesuffix(".gz")
    if is_content_addressed(name):
        return 0, name
    if plain == "search/search_index.json":
        return 2, name
    if plain.endswith(".html"):
        return 3, name
    return 1, name


def _clear_the_way(target: Path, built: set[str], record: dict[str, float | None]) -> int:
    """Remove what the last deploy put where this build needs the other kind: a file where
    a folder is now (`files` -> `files/a.txt`), files of a folder where a file is now.
    Otherwise no deploy could ever finish. Returns how many were removed."""
    folders = {folder for name in built for folder in _folders_of(name)}
    now_files = {name for name in built if (target / name).is_dir()}
    in_the_way = [name for name in record if name not in built and (
        (name in folders and (target / name).is_file()) or not now_files.isdisjoint(_folders_of(name)))]
    for name in in_the_way:
        if (target / name).is_file() or (target / name).is_symlink():
            _remove(target, name)
    return len(in_the_way)


def _folders_of(name: str) -> list[str]:
    """`a/b/c.html` -> [`a`, `a/b`]."""
    parts = name.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


def _check_folders(site: Path, target: Path) -> None:
    if target.resolve() == Path(target.anchor) or target.resolve() == Path.home().resolve():
        raise DeployError(f"部署目标 {target} 不能是根目录或主目录，请指定网页根目录下的文件夹，例如 /srv/www/fazhi。")
    if (site / RECORD).exists():
        raise DeployError(f"{site} 是部署过的文件夹（其中有部署记录 {RECORD}），不是生成的网站。"
                          "参数顺序是否颠倒了？先写网站文件夹（site），再写部署目标。")
    missing = [name for name in REQUIRED if not (site / name).is_file()]
    if missing:
        swapped = all((target / name).is_file() for name in REQUIRED)
        raise DeployError(f"{site}：不是生成好的网站（缺少 {'、'.join(missing)}）。"
                          + ("参数顺序是否颠倒了？先写网站文件夹（site），再写部署目标。" if swapped else
                             "请先运行 SITE_URL=https://域名/fazhi/ .venv/bin/mkdocs build --strict，再部署 site/ 文件夹。"))
    resolved = target.resolve()
    if resolved == site or site in resolved.parents or resolved in site.parents:
        raise DeployError(f"部署目标 {target} 与网站文件夹 {site} 重叠，请指定网页根目录下的另一个文件夹，例如 /srv/www/fazhi。")
    _check_address(site, resolved)


def _check_address(site: Path, target: Path) -> None:
    """The build's address (its home page in sitemap.xml) must end in the target's name."""
    try:
        tree = ElementTree.parse(site / "sitemap.xml")
    except (OSError, ElementTree.ParseError):
        locations: list[str] = []
    else:
        locations = [element.text.strip() for element in tree.iter() if element.tag.endswith("}loc") and element.text]
    if not locations:
        raise DeployError(f"{site}：生成时没有设置 SITE_URL（sitemap.xml 中没有网址），子路径下的 404 页面会没有样式。"
                          f"请运行 SITE_URL=https://域名/{target.name}/ .venv/bin/mkdocs build --strict 后再部署。")
    home = min(locations, key=len)
    path = urlsplit(home).path
    if path not in ("", "/") and path.rstrip("/").rsplit("/", 1)[-1] != target.name:
        raise DeployError(f"{site}：网站是按 {home} 生成的，但要部署到 {target}，文件夹名与网址的最后一段不同，"
                          f"页面中的网址会不对。请按 SITE_URL=https://域名/{target.name}/ 重新生成，或部署到名为"
                          f"“{path.rstrip('/').rsplit('/', 1)[-1]}”的文件夹。")


def _check_inside(target: Path, name: str) -> None:
    """DeployError when a symbolic link among the folders of `name` in the target leads
    outside it (its folders that do not exist yet would be made on the far side)."""
    folder = target
    for part in Path(name).parts[:-1]:
        folder = folder / part
        if not folder.exists() and not folder.is_symlink():
            return
        if folder.is_symlink() and not folder.resolve().is_relative_to(target):
            raise DeployError(f"部署目标中的 {folder} 是指向目标以外的链接，部署不会通过它写入文件。"
                              "请把它换成普通文件夹后重新部署。")


def _read_record(target: Path) -> dict[str, float | None]:
    """{path: None (current) or the Unix time it left the build}; {} for a new folder."""
    record = target / RECORD
    if not record.exists():
        if target.exists() and any(target.iterdir()):
            raise DeployError(f"部署目标 {target} 中已有文件，但没有本工具的部署记录 {RECORD}。"
                              "为免删除其他文件，请指定一个空文件夹（或本站上次部署的文件夹）。")
        return {}
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict) or not all(value is None or (isinstance(value, (int, float)) and math.isfinite(value)) for value in files.values()):
            raise ValueError(RECORD)
    except (ValueError, KeyError, TypeError):
        raise DeployError(f"{record}：部署记录已损坏，无法判断哪些文件是本站的。请检查或删除后部署到一个空文件夹。") from None
    return {str(name): value for name, value in files.items() if _inside(name)}


def _inside(name: str) -> bool:
    """A relative path that stays inside the target (a hand-edited record cannot reach out)."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _copy(source: Path, destination: Path) -> bool:
    """Write `source` at `destination` unless it holds the same bytes; True when written.
    Folders made on the way are 0755, the file 0644 (the web server reads them)."""
    if destination.is_file() and not destination.is_symlink() and destination.stat().st_size == source.stat().st_size \
            and destination.read_bytes() == source.read_bytes():
        return False
    _make_folders(destination.parent)
    partial = destination.with_name(f".{destination.name}.deploying")
    try:
        shutil.copyfile(source, partial)
        os.chmod(partial, 0o644)
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return True


def _make_folders(folder: Path) -> None:
    """`folder` and its missing parents, each 0755 (mkdir alone follows the umask)."""
    missing: list[Path] = []
    while not folder.is_dir() and folder != folder.parent:
        if folder.exists() or folder.is_symlink():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir()
        os.chmod(made, 0o755)


def _remove(target: Path, name: str) -> None:
    path = target / name
    path.unlink()
    for folder in path.parents:  # folders left empty, up to the target
        if folder == target or not folder.is_relative_to(target) or any(folder.iterdir()):
            break
        folder.rmdir()


def _write_record(target: Path, files: dict[str, float | None]) -> None:
    _make_folders(target)
    partial = target / f"{RECORD}.partial"
    partial.write_text(json.dumps({"files": dict(sorted(files.items()))}, ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(partial, target / RECORD)
