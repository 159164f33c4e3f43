"""scripts/new_article.py with hostile input, run as staff run it (the venv's python, no
terminal on stdin): every refusal is a Chinese message and exit status 1, never a
traceback; no file is created, half-written or overwritten, and no temporary file is left.

Covered: a title that is not UTF-8 (argv bytes), control characters and line breaks in a
value, a 300-character slug, a path too long for the file system, a link (dangling or not)
at the article's name, a file where the articles folder should be, a read-only folder, a
full disk (RLIMIT_FSIZE), an interrupted prompt, a file system without hard links."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from fazhi.cli import new_article
from fazhi.sources import frontmatter, schema

from conftest import REPO

SCRIPT = REPO / "scripts/new_article.py"
GIVEN = ["--category", "法律援助", "--summary", "测试摘要。", "--source", "长春汽车经济技术开发区2024年度法治政府建设工作报告"]
POSTS = Path("articles/posts")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs" / POSTS).mkdir(parents=True)
    return tmp_path / "docs"


def scaffold(docs: Path, *args: str | bytes, preexec_fn: Callable[[], None] | None = None,
             user: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    command: list[str | bytes] = [*user, sys.executable, str(SCRIPT), "--docs", str(docs), *args]
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            preexec_fn=preexec_fn, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def listing(folder: Path) -> dict[str, str]:
    """Every name in `folder` (hidden ones too): what it is and what it holds or points at."""
    if not folder.is_dir():
        return {}
    entries = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            entries[path.name] = f"link -> {os.readlink(path)}"
        elif path.is_file():
            entries[path.name] = path.read_text(encoding="utf-8", errors="replace")
        else:
            entries[path.name] = "folder"
    return entries


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    for word in words:
        assert word in result.stderr, result.stderr
    assert "已创建" not in result.stdout


def test_a_title_that_is_not_utf8_is_refused(docs: Path) -> None:
    result = scaffold(docs, b"--title", "标题".encode("gbk"), *GIVEN)  # a GBK terminal
    refused(result, "标题（--title）中有无法识别的字节", "不是 UTF-8 编码", "没有写文件")
    assert listing(docs / POSTS) == {}


@pytest.mark.parametrize(("value", "says"), [
    ("标题\x1b[31m", "U+001B 转义符"),
    ("标题\x0b第二行", "U+000B 垂直制表符"),
    ("标题\n# 另一个标题", "不能分成几行"),
    ("法律援助\u202e圈务服时小半", "U+202E 从右到左强制符"),  # Trojan Source: shown reversed
    ("标题\u2066隔离\u2069", "U+2066 从左到右隔离符"),
], ids=["escape", "vertical tab", "line break", "right-to-left override", "isolate"])
def test_control_characters_and_line_breaks_are_refused(docs: Path, value: str, says: str) -> None:
    refused(scaffold(docs, "--title", value, *GIVEN), "标题（--title）", says)
    assert listing(docs / POSTS) == {}


@pytest.mark.parametrize("slug", [[], ["--slug", "blank-title"]], ids=["slug from the title", "slug given"])
def test_a_blank_title_is_refused_by_the_schema_s_rule(docs: Path, slug: list[str]) -> None:
    """The schema's one rule (common.yml title: not blank), as the checker and the build read it."""
    refused(scaffold(docs, "--title", " \u3000 ", *slug, *GIVEN), "字段“title”（标题）不能为空")
    assert listing(docs / POSTS) == {}


def test_a_slug_longer_than_the_schema_allows_is_refused(docs: Path) -> None:
    assert new_article.SLUG_MAX_LENGTH == schema.load_cached("article")["properties"]["slug"]["maxLength"] == 80
    result = scaffold(docs, "--title", "标题", "--slug", "a" * 300, *GIVEN)
    refused(result, "网址名太长（300 个字符，最多 80 个）")
    assert listing(docs / POSTS) == {}
    # At the limit it is written.
    assert scaffold(docs, "--title", "标题", "--slug", "a" * 80, *GIVEN).returncode == 0
    assert list(listing(docs / POSTS)) == ["a" * 80 + ".md"]


def test_a_path_too_long_for_the_file_system(tmp_path: Path) -> None:
    """The slug is short enough; the project folder's path is not (PATH_MAX is 4096)."""
    folder_length = 4040  # docs/articles/posts: under PATH_MAX; the article's path is not
    deep = tmp_path
    while len(str(deep)) + 201 + len("/docs/articles/posts") < folder_length:
        deep /= "d" * 200
    deep /= "e" * (folder_length - len("/docs/articles/posts") - len(str(deep)) - 1)
    docs = deep / "docs"
    (docs / POSTS).mkdir(parents=True)
    assert len(str(docs / POSTS)) == folder_length
    result = scaffold(docs, "--title", "标题", "--slug", "b" * 80, *GIVEN)
    refused(result, "文件路径太长，系统无法保存", "没有留下不完整的文件")
    assert listing(docs / POSTS) == {}


def test_a_dangling_link_at_the_name_is_not_followed_or_replaced(docs: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    (docs / POSTS / "my-article.md").symlink_to(target)
    result = scaffold(docs, "--title", "标题", "--slug", "my-article", *GIVEN)
    refused(result, "已经存在（是一个链接），没有覆盖")
    assert listing(docs / POSTS) == {"my-article.md": f"link -> {target}"}
    assert not target.exists()


def test_a_link_to_an_existing_file_is_not_written_through(docs: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("别处的内容。\n", encoding="utf-8")
    (docs / POSTS / "my-article.md").symlink_to(target)
    refused(scaffold(docs, "--title", "标题", "--slug", "my-article", *GIVEN), "没有覆盖")
    assert target.read_text(encoding="utf-8") == "别处的内容。\n"


def test_a_folder_at_the_name_is_left_alone(docs: Path) -> None:
    (docs / POSTS / "my-article.md").mkdir()
    refused(scaffold(docs, "--title", "标题", "--slug", "my-article", *GIVEN), "已经存在，没有覆盖")
    assert listing(docs / POSTS) == {"my-article.md": "folder"}


@pytest.mark.parametrize("blocked", ["articles/posts", "articles"])
def test_a_file_where_the_folder_should_be(tmp_path: Path, blocked: str) -> None:
    docs = tmp_path / "docs"
    (docs / blocked).parent.mkdir(parents=True)
    (docs / blocked).write_text("不是文件夹。\n", encoding="utf-8")
    result = scaffold(docs, "--title", "标题", *GIVEN)
    refused(result, f"{docs / blocked} 不是文件夹", "没有写文件")
    assert (docs / blocked).read_text(encoding="utf-8") == "不是文件夹。\n"


@pytest.fixture
def read_only_docs() -> Iterator[tuple[Path, list[str]]]:
    """docs/ whose articles folder cannot be written, and the command prefix to run the
    scaffold as someone who cannot write it: root ignores permissions, so as root it runs as
    `nobody` (setpriv), in a folder `nobody` can reach."""
    user: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot run the scaffold without root's rights")
        user = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    root = Path(tempfile.mkdtemp(prefix="fazhi-read-only-"))
    posts = root / "docs" / POSTS
    try:
        root.chmod(0o755)
        posts.mkdir(parents=True)
        (root / "docs").chmod(0o755)
        posts.chmod(0o555)
        yield root / "docs", user
    finally:
        if posts.is_dir():
            posts.chmod(0o755)
        shutil.rmtree(root)


def test_a_read_only_folder(read_only_docs: tuple[Path, list[str]]) -> None:
    docs, user = read_only_docs
    result = scaffold(docs, "--title", "标题", *GIVEN, user=user)
    refused(result, "没有权限", "文件夹是只读的", "没有留下不完整的文件")
    assert listing(docs / POSTS) == {}


def _file_size_limit() -> None:
    """In the child: files may grow to 100 bytes, and going past that is an error (EFBIG),
    not a signal: the scaffold sees a write fail halfway, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))


def test_a_failed_write_leaves_no_file_behind(docs: Path) -> None:
    result = scaffold(docs, "--title", "标题", "--slug", "full-disk", *GIVEN, preexec_fn=_file_size_limit)
    refused(result, "磁盘空间不足", "文件没有写完", "没有留下不完整的文件")
    assert listing(docs / POSTS) == {}  # neither the article nor its temporary file


def test_an_existing_article_is_never_overwritten(docs: Path) -> None:
    path = docs / POSTS / "my-article.md"
    path.write_text("已有的内容，不能丢。\n", encoding="utf-8")
    refused(scaffold(docs, "--title", "标题", "--slug", "my-article", *GIVEN), "已经存在，没有覆盖")
    assert listing(docs / POSTS) == {"my-article.md": "已有的内容，不能丢。\n"}


def test_the_written_article_is_whole_and_readable_by_others(docs: Path) -> None:
    result = scaffold(docs, "--title", "标题", "--slug", "whole", *GIVEN)
    assert result.returncode == 0, result.stderr
    path = docs / POSTS / "whole.md"
    assert list(listing(docs / POSTS)) == ["whole.md"]  # no temporary file left
    assert path.read_text(encoding="utf-8") == new_article.render(frontmatter.read(path).data)
    assert path.stat().st_mode & 0o044 == 0o044 & ~_umask()  # as any new file: not the temporary file's 0600


def test_an_interrupted_prompt_writes_nothing(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def ask(prompt: str) -> str:
        raise EOFError  # Ctrl-D at the first question

    assert new_article.main(["--docs", str(docs), "--title", "标题"], ask=ask) == 1
    assert "已取消，没有写文件" in capsys.readouterr().err
    assert listing(docs / POSTS) == {}


def test_without_hard_links_the_file_is_still_written_whole(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems (FAT, some network shares) refuse os.link: the article is then
    created exclusively under its name, and still never replaces anything."""
    def no_link(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    args = ["--docs", str(docs), "--title", "标题", *GIVEN]
    assert new_article.main([*args, "--slug", "no-links"]) == 0
    assert list(listing(docs / POSTS)) == ["no-links.md"]
    assert not frontmatter.read(docs / POSTS / "no-links.md").problems
    assert new_article.main([*args, "--slug", "no-links"]) == 1
    assert list(listing(docs / POSTS)) == ["no-links.md"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
