"""scripts/new_article.py: writes an article that passes the checker, with today's date and
a pinyin slug; asks for what is missing in a terminal; refuses to overwrite; says what is
wrong in Chinese and writes nothing when a value breaks the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fazhi.checks import Context, metadata, placeholders
from fazhi.cli import new_article
from fazhi.sources import dates, frontmatter, schema

from conftest import REPO

SCRIPT = REPO / "scripts/new_article.py"
GIVEN = ["--title", "法律援助“半小时服务圈”", "--category", "法律援助", "--tag", "半小时服务圈",
         "--summary", "测试摘要。", "--source", "长春汽车经济技术开发区2024年度法治政府建设工作报告"]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs/articles/posts").mkdir(parents=True)
    return tmp_path / "docs"


def _run(docs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The script as staff run it, with no terminal on stdin."""
    return subprocess.run([sys.executable, str(SCRIPT), "--docs", str(docs), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def _checker_errors(docs: Path) -> list[str]:
    context = Context(root=REPO, docs=docs)
    return [f.text() for f in metadata.check(context) if f.severity == "error"]


def test_writes_a_valid_article_with_today_and_a_pinyin_slug(docs: Path) -> None:
    result = _run(docs, *GIVEN)
    assert result.returncode == 0, result.stderr
    path = docs / "articles/posts/fa-lv-yuan-zhu-ban-xiao-shi-fu-wu-quan.md"
    assert path.is_file() and str(path) in result.stdout
    parsed = frontmatter.read(path)
    assert not parsed.problems
    assert parsed.data["date"] == dates.today().isoformat()
    assert parsed.data["title"] == "法律援助“半小时服务圈”"
    assert parsed.data["categories"] == ["法律援助"] and parsed.data["tags"] == ["半小时服务圈"]
    assert not schema.validate("article", parsed.data)
    # The title is written once, in the page information: no "# 标题" line to keep in step.
    assert not any(line.startswith("#") for line in parsed.body.splitlines())
    assert _checker_errors(docs) == []
    # The same checker does see this file: break its date and it reports it.
    path.write_text(path.read_text(encoding="utf-8").replace(parsed.data["date"], "2026-02-30"), encoding="utf-8")
    assert any(path.name in error and "date" in error for error in _checker_errors(docs))


def test_refuses_to_overwrite_an_existing_article(docs: Path) -> None:
    path = docs / "articles/posts/my-article.md"
    path.write_text("已有的内容，不能丢。\n", encoding="utf-8")
    result = _run(docs, *GIVEN, "--slug", "my-article")
    assert result.returncode == 1
    assert "已经存在，没有覆盖" in result.stderr
    assert path.read_text(encoding="utf-8") == "已有的内容，不能丢。\n"


def test_without_a_terminal_missing_values_are_an_error(docs: Path) -> None:
    result = _run(docs, "--title", "只有标题")
    assert result.returncode == 2
    for label in ("--category（分类）", "--summary（摘要）", "--source（来源）"):
        assert label in result.stderr
    assert not list((docs / "articles/posts").iterdir())


def test_invalid_values_are_explained_and_nothing_is_written(docs: Path) -> None:
    result = _run(docs, *GIVEN[:2], "--category", "不存在的分类", *GIVEN[4:], "--slug", "Bad_Slug")
    assert result.returncode == 1
    assert "分类“不存在的分类”不在允许的分类中" in result.stderr
    assert "网址名" in result.stderr  # the slug pattern, in the schema's words
    assert "没有写文件" in result.stderr
    assert not list((docs / "articles/posts").iterdir())


def test_asks_for_missing_values_in_a_terminal(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["", "普法进社区", "2 3", "一两句话的摘要。", "测试来源"])
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    assert new_article.main(["--docs", str(docs)], ask=ask) == 0
    assert "不能为空" in capsys.readouterr().out  # the empty first answer is asked again
    assert any("分类" in p and "1. 法治动态" in p for p in prompts)
    data = frontmatter.read(docs / "articles/posts/pu-fa-jin-she-qu.md").data
    categories = schema.allowed("categories")
    assert data["categories"] == [categories[1], categories[2]]
    assert data["summary"] == "一两句话的摘要。" and data["source"] == "测试来源"


def test_the_body_placeholder_is_an_error_until_the_text_is_written(docs: Path) -> None:
    assert _run(docs, *GIVEN).returncode == 0
    path = docs / "articles/posts/fa-lv-yuan-zhu-ban-xiao-shi-fu-wu-quan.md"
    unfinished = [f for f in placeholders.check(Context(root=REPO, docs=docs)) if f.severity == "error"]
    assert [(f.path.endswith(path.name), f.code) for f in unfinished] == [(True, "unfinished-placeholder")]
    text = path.read_text(encoding="utf-8")
    placeholder = next(line for line in text.splitlines() if "在这里" in line)
    path.write_text(text.replace(placeholder, "正文。"), encoding="utf-8")
    assert placeholders.check(Context(root=REPO, docs=docs)) == []


def test_every_placeholder_of_the_template_is_reported() -> None:
    template = (REPO / "templates/article.md").read_text(encoding="utf-8").splitlines()
    with_placeholder = {n for n, line in enumerate(template, start=1) if "在这里" in line}
    context = Context(root=REPO, docs=REPO / "templates")
    found = {f.line for f in placeholders.check(context)}
    assert with_placeholder and found == with_placeholder


def test_a_category_may_be_typed_by_name(docs: Path) -> None:
    """The guide names categories by name; the menu numbers them: either is understood."""
    categories = schema.allowed("categories")
    answers = iter(["不是分类", f"{categories[0]}、2", "摘要。"])
    assert new_article.main(["--docs", str(docs), "--title", "按名称选分类", "--source", "测试来源"], ask=lambda _: next(answers)) == 0
    data = frontmatter.read(docs / "articles/posts/an-ming-cheng-xuan-fen-lei.md").data
    assert data["categories"] == [categories[0], categories[1]]
