"""The deploy tool's rules (fazhi.hosting.deploy, scripts/deploy.py), the build's gzip copies
(fazhi.hosting.precompress) and content-hash names (fazhi.hosting.fingerprint), on small
folders. The whole path through nginx and a browser is tests/test_hosting.py."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fazhi.hosting import caching, precompress
from fazhi.hosting.deploy import RECORD, DeployError, deploy
from fazhi.hosting.fingerprint import hashed_name, unrenamed_references

from conftest import REPO

DAY = 86400.0


def built(folder: Path, files: dict[str, str], address: str = "https://fazhi.example.invalid/fazhi/") -> Path:
    """A minimal built site for `address` (its SITE_URL): the files every build has, and `files`."""
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{address}</loc></url></urlset>'
    everything = {"index.html": "<p>首页</p>", "404.html": "<p>找不到</p>", "search/search_index.json": "{}",
                  "sitemap.xml": sitemap, **files}
    for name, text in everything.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def names(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def test_removed_files_go_at_once_content_addressed_ones_after_the_grace_period(tmp_path: Path) -> None:
    target = tmp_path / "www/fazhi"
    old_css, new_css = "assets/stylesheets/site.0123abcd.css", "assets/stylesheets/site.89abcdef.css"
    version_1 = built(tmp_path / "v1", {old_css: "a{}", "search/0123456789/meta.json": "{}", "articles/withdrawn/index.html": "x"})
    version_2 = built(tmp_path / "v2", {new_css: "b{}", "search/abcdef0123/meta.json": "{}"})

    first = deploy(version_1, target, now=0)
    assert first.written == 7 and names(target) == names(version_1) | {RECORD}
    second = deploy(version_2, target, now=DAY)
    assert second.removed == 1 and second.kept == 2
    assert not (target / "articles").exists(), "a withdrawn page stays online after the redeploy"
    assert (target / old_css).exists() and (target / "search/0123456789/meta.json").exists()
    assert (target / new_css).read_text() == "b{}"
    # Still kept within the grace period, gone at the first deploy after it.
    assert deploy(version_2, target, now=5 * DAY).kept == 2
    last = deploy(version_2, target, now=9 * DAY)
    assert last.pruned == 2 and names(target) == names(version_2) | {RECORD}
    assert not (target / "search/0123456789").exists(), "an empty folder was left behind"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    site = built(tmp_path / "site", {"reports/2024/index.html": "报告"})
    target = tmp_path / "fazhi"
    deploy(site, target)
    page = target / "reports/2024/index.html"
    os.utime(page, (1_000_000, 1_000_000))
    again = deploy(site, target)
    assert again.written == 0 and again.unchanged == 5
    assert page.stat().st_mtime == 1_000_000, "an unchanged page was rewritten (its ETag changes, no 304)"


def test_pages_are_written_after_what_they_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = built(tmp_path / "site", {"assets/javascripts/reader.0123abcd.js": "1", "search/0123456789/k/0.json": "{}",
                                     "feed.xml": "<feed/>", "index.html.gz": "gz", "assets/images/logo.png": "png"})
    order: list[str] = []
    real_replace = os.replace

    def replace(source: str | Path, destination: str | Path) -> None:
        order.append(Path(destination).name)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    deploy(site, tmp_path / "fazhi")
    written = [name for name in order if name != RECORD]
    assert written.index("reader.0123abcd.js") < written.index("feed.xml") < written.index("search_index.json") < written.index("index.html")
    # nginx sends a page's gzip copy in its place: it comes with the pages, after the images.
    assert written.index("logo.png") < written.index("search_index.json") < written.index("index.html.gz")
    assert written.index("0.json") < written.index("search_index.json")


@pytest.mark.parametrize("case", ["foreign files", "not a build", "overlap", "broken record", "record in the build",
                                  "no SITE_URL", "SITE_URL for another folder", "arguments swapped", "link outside",
                                  "link outside, new folder under it", "root"])
def test_refused_deploys_change_nothing(tmp_path: Path, case: str) -> None:
    site = built(tmp_path / "site", {})
    target = tmp_path / "www"
    target.mkdir()
    (target / "portal.html").write_text("另一个网站", encoding="utf-8")
    if case == "not a build":
        (site / "search/search_index.json").unlink()
        target = tmp_path / "empty"
    elif case == "overlap":
        target = site / "out"
    elif case == "broken record":
        (target / RECORD).write_text("{", encoding="utf-8")
    elif case == "record in the build":
        (site / RECORD).write_text("{}", encoding="utf-8")
        target = tmp_path / "empty"
    elif case == "no SITE_URL":
        (site / "sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>', encoding="utf-8")
        target = tmp_path / "fazhi"
    elif case == "SITE_URL for another folder":
        built(site, {}, address="https://fazhi.example.invalid/")
        built(site, {}, address="https://fazhi.example.invalid/law/")
        target = tmp_path / "fazhi"
    elif case == "arguments swapped":
        deploy(built(tmp_path / "old", {}), tmp_path / "fazhi")
        site, target = tmp_path / "fazhi", tmp_path / "site"
    elif case == "link outside":
        target = tmp_path / "fazhi"
        deploy(site, target)
        (tmp_path / "outside").mkdir()
        (target / "assets").symlink_to(tmp_path / "outside")
        (site / "assets").mkdir()
        (site / "assets/site.css").write_text("a{}", encoding="utf-8")
    elif case == "link outside, new folder under it":
        target = tmp_path / "fazhi"
        deploy(site, target)
        (tmp_path / "outside").mkdir()
        (target / "img").symlink_to(tmp_path / "outside")
        (site / "img/new").mkdir(parents=True)
        (site / "img/new/x.png").write_bytes(b"png")
    elif case == "root":
        target = Path("/")
    before = {name: (tmp_path / name).read_bytes() for name in names(tmp_path)}
    with pytest.raises(DeployError) as refused:
        deploy(site, target)
    assert {name: (tmp_path / name).read_bytes() for name in names(tmp_path)} == before
    if case == "arguments swapped":
        assert "参数顺序" in str(refused.value)
    assert any("\u4e00" <= character <= "\u9fff" for character in str(refused.value)), "the reason is not in Chinese"


def test_only_files_it_deployed_are_ever_removed(tmp_path: Path) -> None:
    target = tmp_path / "fazhi"
    deploy(built(tmp_path / "v1", {"a.html": "1"}), target)
    (target / "uploaded-by-hand.pdf").write_bytes(b"%PDF")
    record = json.loads((target / RECORD).read_text(encoding="utf-8"))
    record["files"]["../outside.txt"] = None  # a hand-edited record must not reach out
    (target / RECORD).write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    deploy(built(tmp_path / "v2", {}), target)
    assert (target / "uploaded-by-hand.pdf").exists() and (tmp_path / "outside.txt").exists()
    assert not (target / "a.html").exists()


def test_an_interrupted_deploy_is_finished_by_running_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted after its first page (a full disk, Ctrl-C): a second run finishes, and
    the page it wrote is removed once a later build no longer has it."""
    target = tmp_path / "fazhi"
    site = built(tmp_path / "v1", {"about/notice/index.html": "误发的通知"})
    real_copy = shutil.copyfile
    copied: list[str] = []

    def copy_then_fail(source: str | Path, destination: str | Path) -> object:
        if len(copied) == 4:  # after the sitemap, the search pointer, 404.html and the notice
            raise OSError(28, "No space left on device", str(destination))
        copied.append(str(source))
        return real_copy(source, destination)

    monkeypatch.setattr(shutil, "copyfile", copy_then_fail)
    with pytest.raises(OSError):
        deploy(site, target)
    monkeypatch.undo()
    assert (target / "about/notice/index.html").exists() and not list(target.rglob("*.deploying"))
    finished = deploy(site, target)
    assert finished.written > 0 and names(target) == names(site) | {RECORD}
    deploy(built(tmp_path / "v2", {}), target)
    assert not (target / "about").exists()


def test_a_file_that_becomes_a_folder_and_back(tmp_path: Path) -> None:
    target = tmp_path / "fazhi"
    deploy(built(tmp_path / "v1", {"files": "a file"}), target)
    deploy(built(tmp_path / "v2", {"files/a.txt": "now a folder"}), target)
    assert (target / "files/a.txt").read_text(encoding="utf-8") == "now a folder"
    deploy(built(tmp_path / "v3", {"files": "a file again"}), target)
    assert (target / "files").read_text(encoding="utf-8") == "a file again"


def test_a_record_with_impossible_times_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "fazhi"
    deploy(built(tmp_path / "site", {}), target)
    (target / RECORD).write_text('{"files": {"index.html": NaN}}', encoding="utf-8")
    with pytest.raises(DeployError, match="部署记录已损坏"):
        deploy(built(tmp_path / "site", {}), target)


def test_folders_and_files_are_readable_by_the_web_server_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        deploy(built(tmp_path / "site", {"reports/2024/index.html": "报告"}), tmp_path / "www/fazhi")
    finally:
        os.umask(old)
    for path in [tmp_path / "www", *(tmp_path / "www").rglob("*")]:
        if path.name == RECORD:  # the deploy's own, never served
            continue
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"


def test_the_command_says_what_it_did_and_why_it_refused(tmp_path: Path) -> None:
    site = built(tmp_path / "site", {})
    command = [sys.executable, str(REPO / "scripts/deploy.py")]
    done = subprocess.run([*command, str(site), str(tmp_path / "fazhi")], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "已部署到" in done.stdout and "写入 4 个文件" in done.stdout
    refused = subprocess.run([*command, str(tmp_path / "nothing"), str(tmp_path / "x")], capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "不是生成好的网站" in refused.stderr and "Traceback" not in refused.stderr
    for wrong in (["--keep-days", "abc"], ["--keep-days", "nan"], ["--keep-days", "-1"], []):
        usage = subprocess.run([*command, *([str(site), str(tmp_path / "fazhi")] if wrong else []), *wrong],
                               capture_output=True, text=True, check=False)
        assert usage.returncode == 2 and "用法" in usage.stderr and "Traceback" not in usage.stderr, usage.stderr
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    failed = subprocess.run([*command, str(site), str(tmp_path / "a-file/fazhi")], capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "不是文件夹" in failed.stderr and "a-file" in failed.stderr, failed.stderr


def test_gzip_copies_are_exact_reproducible_and_never_stale(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<p>法治</p>" * 200, encoding="utf-8")
    (tmp_path / "tiny.css").write_text("a{}", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG" * 200)
    precompress.write(tmp_path)
    copy = tmp_path / "index.html.gz"
    assert gzip.decompress(copy.read_bytes()) == page.read_bytes()
    assert not (tmp_path / "tiny.css.gz").exists() and not (tmp_path / "photo.png.gz").exists()
    first = copy.read_bytes()
    precompress.write(tmp_path)
    assert copy.read_bytes() == first, "the copy differs between two builds of the same page"
    page.write_text("<p>短</p>", encoding="utf-8")  # now below gzip_min_length: nginx would send the old copy
    precompress.write(tmp_path)
    assert not copy.exists()


def test_every_text_type_the_site_publishes_gets_a_copy(site_dir: Path) -> None:
    suffixes = {path.suffix for path in site_dir.rglob("*") if path.is_file() and path.suffix != ".gz"}
    copied = {path.with_suffix("").suffix for path in site_dir.rglob("*.gz")}
    text = {".html", ".css", ".js", ".json", ".xml", ".txt"} & suffixes
    assert text <= copied <= precompress.SUFFIXES


def test_the_sites_own_styles_and_scripts_are_published_under_content_hash_names(site_dir: Path) -> None:
    """Each .css/.js of docs/ and overrides/ is in the build under the hash of its bytes,
    and the pages name exactly those files; Material's unused search files are left out."""
    sources = [path for folder in (REPO / "docs", REPO / "overrides") for path in folder.rglob("*")
               if path.suffix in (".css", ".js")]
    assert sources
    for source in sources:
        relative = source.relative_to(REPO / ("docs" if source.is_relative_to(REPO / "docs") else "overrides")).as_posix()
        published = hashed_name(relative, source.read_bytes())
        assert (site_dir / published).read_bytes() == source.read_bytes()
        assert caching.is_content_addressed(published)
        assert not (site_dir / relative).exists(), f"{relative} is also published under its plain name"
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    named = [str(tag.get("src") or tag.get("href")) for tag in home.select("script[src], link[rel=stylesheet]")]
    assert named and all(caching.is_content_addressed(name) for name in named), named
    assert all((site_dir / name).is_file() for name in named)
    assert not (site_dir / "assets/javascripts/lunr").exists()
    assert not list((site_dir / "assets/javascripts").glob("workers/search.*.js"))


def test_a_page_naming_an_asset_by_its_old_name_is_found() -> None:
    names = {"assets/javascripts/reader.js": "assets/javascripts/reader.0123abcd.js"}
    assert unrenamed_references('<script src="../assets/javascripts/reader.js"></script>', names) == ["assets/javascripts/reader.js"]
    assert unrenamed_references('<script src="../assets/javascripts/reader.0123abcd.js"></script>', names) == []


def test_a_changed_file_gets_a_new_name() -> None:
    assert hashed_name("assets/stylesheets/site.css", b"a{}") != hashed_name("assets/stylesheets/site.css", b"b{}")
    assert hashed_name("assets/stylesheets/site.css", b"a{}") == hashed_name("assets/stylesheets/site.css", b"a{}")
