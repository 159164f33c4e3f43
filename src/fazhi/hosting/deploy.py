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

Unchanged files are not rewritten, so their modification time, and the ETag nginx derives
from it, stay the same and returning readers get a 304."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

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
    site, target = site.resolve(), target.resolve()
    _check_folders(site, target)
    record = _read_record(target)
    now = time.time() if now is None else now
    built = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    if RECORD in built:
        raise DeployError(f"{site / RECORD}：生成的网站中不应有部署记录文件，请重新生成网站后再部署。")

    result = Deployed()
    for name in sorted(built, key=_order):
        if _copy(site / name, target / name):
            result.written += 1
        else:
            result.unchanged += 1

    retired: dict[str, float] = {}
    for name, retired_at in record.items():
        if name in built or not (target / name).is_file():
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
    """Content-addressed files, other files, the search pointer, the pages."""
    if is_content_addressed(name):
        return 0, name
    if name == "search/search_index.json":
        return 2, name
    if name.endswith(".html"):
        return 3, name
    return 1, name


def _check_folders(site: Path, target: Path) -> None:
    missing = [name for name in REQUIRED if not (site / name).is_file()]
    if missing:
        raise DeployError(f"{site}：不是生成好的网站（缺少 {'、'.join(missing)}）。"
                          "请先运行 SITE_URL=https://域名/fazhi/ .venv/bin/mkdocs build --strict，再部署 site/ 文件夹。")
    if target == site or site in target.parents or target in site.parents:
        raise DeployError(f"部署目标 {target} 与网站文件夹 {site} 重叠，请指定网页根目录下的另一个文件夹，例如 /srv/www/fazhi。")
    if target == Path(target.anchor) or target == Path.home():
        raise DeployError(f"部署目标 {target} 不能是根目录或主目录，请指定网页根目录下的文件夹，例如 /srv/www/fazhi。")


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
        if not isinstance(files, dict) or not all(value is None or isinstance(value, (int, float)) for value in files.values()):
            raise ValueError(RECORD)
    except (ValueError, KeyError, TypeError):
        raise DeployError(f"{record}：部署记录已损坏，无法判断哪些文件是本站的。请检查或删除后部署到一个空文件夹。") from None
    return {str(name): value for name, value in files.items() if _inside(name)}


def _inside(name: str) -> bool:
    """A relative path that stays inside the target (a hand-edited record cannot reach out)."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _copy(source: Path, destination: Path) -> bool:
    """Write `source` at `destination` unless it holds the same bytes; True when written."""
    if destination.is_file() and destination.stat().st_size == source.stat().st_size \
            and destination.read_bytes() == source.read_bytes():
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.deploying")
    shutil.copyfile(source, partial)
    os.chmod(partial, 0o644)
    os.replace(partial, destination)
    return True


def _remove(target: Path, name: str) -> None:
    path = target / name
    path.unlink()
    for folder in path.parents:  # folders left empty, up to the target
        if folder == target or not folder.is_relative_to(target) or any(folder.iterdir()):
            break
        folder.rmdir()


def _write_record(target: Path, files: dict[str, float | None]) -> None:
    partial = target / f"{RECORD}.partial"
    partial.write_text(json.dumps({"files": dict(sorted(files.items()))}, ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(partial, target / RECORD)
