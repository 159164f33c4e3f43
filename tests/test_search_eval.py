"""Search quality on the real site, in CI: both evaluation sets (fazhi.search.evaluation) typed
query after query into one page of headless Chromium, scored and held to their targets
(the new set: recall@3 ≥ 0.95, first result right ≥ 0.85, no zero-result query; the old set
keeps 1.00 / 1.00 / 0). Timings stay in scripts/search_eval.py and scripts/bench_search.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fazhi.search.evaluation import (
    TARGETS,
    EvaluationError,
    Question,
    QuestionFileError,
    Score,
    ask_all,
    failure_report,
    figures,
    load_questions,
    missing_pages,
    old_questions,
    recall_at_3,
    score,
    score_answers,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def questions(site_dir: Path) -> dict[str, list[Question]]:
    try:
        return {"old": old_questions(site_dir), "new": load_questions()}
    except EvaluationError as error:  # a bad question file or index layout: its message, no traceback
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def scores(browser: Browser, serve_root: str, questions: dict[str, list[Question]]) -> Iterator[dict[str, list[Score]]]:
    """Both sets asked in one page, one query after another (under 10 s for 106 queries)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(serve_root + "/")
    yield {name: score_answers(items, ask_all(page, serve_root + "/", [q.query for q in items]))
           for name, items in questions.items()}
    context.close()


def test_every_wanted_page_is_on_the_site(questions: dict[str, list[Question]], site_dir: Path) -> None:
    missing = missing_pages(questions["new"], site_dir)
    assert not missing, "\n".join(missing)
    assert all(q.want for q in questions["old"]), "every old query has a page that contains it"


@pytest.mark.parametrize("name", ["old", "new"])
def test_search_meets_its_targets(scores: dict[str, list[Score]], name: str) -> None:
    assert not TARGETS[name].misses(figures(scores[name])), failure_report(name, scores[name])


# ---- The rules themselves, on hand-made data ----


def test_scoring_on_hand_made_lists() -> None:
    assert recall_at_3(["a/", "b/", "c/", "d/"], ["d/"]) == 0.0  # found, but not in the first 3
    assert recall_at_3(["a/", "x/", "b/"], ["a/", "b/"]) == 1.0
    assert recall_at_3(["a/", "x/", "y/", "b/"], ["a/", "b/", "c/", "d/"]) == pytest.approx(1 / 3)
    assert recall_at_3([], []) == 1.0
    home = Question("网站", "topic", ("",), "首页")
    assert score(home, ["", "about/"]).first_right
    two = Question("复议", "topic", ("a/", "b/"), "…")
    right_second = score(two, ["x/", "b/", "a/"])
    assert (right_second.recall3, right_second.first_right, right_second.zero) == (1.0, False, False)
    nothing = score(two, [])
    assert (nothing.recall3, nothing.first_right, nothing.zero) == (0.0, False, True)
    got = figures([right_second, nothing, score(two, ["a/"], notice="您是不是要找：复议")])
    assert (got.queries, got.zero) == (3, 1)
    assert got.recall3 == pytest.approx(0.5) and got.first_right == pytest.approx(1 / 3)
    assert len(TARGETS["new"].misses(got)) == 3 and not TARGETS["old"].misses(figures([score(two, ["a/", "b/"])]))
    assert "“复议”" in failure_report("new", [nothing]) and "（无结果）" in failure_report("new", [nothing])


GOOD = "questions:\n  - query: 复议\n    kind: topic\n    want: [articles/x/]\n    why: 文章讲复议。\n"


@pytest.mark.parametrize(("entry", "message"), [
    ("  - query: 复议\n    kind: topic\n    why: 没写 want。\n", "第 2 条缺少字段“want”（应找到的页面）"),
    ("  - query: 复议\n    kind: typo\n    want: [a/]\n    why: …\n", "第 2 条的 kind（类型）“typo”不认识"),
    ("  - query: 复议\n    kind: topic\n    want: [2024]\n    why: …\n", "第 2 条的 want 中“2024”不是页面路径"),
    ("  - query: 复议\n    kind: topic\n    want: [/articles/x]\n    why: …\n", "第 2 条的 want 中“/articles/x”写法不对"),
    ("  - query: 复议\n    kind: topic\n    wants: [a/]\n    want: [a/]\n    why: …\n", "第 2 条有未知字段“wants”"),
    ("  - 只是一行字\n", "第 2 条应是一组“字段: 值”"),
], ids=["missing-field", "unknown-kind", "path-not-text", "path-form", "unknown-field", "not-a-mapping"])
def test_a_bad_question_is_named_in_chinese(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "questions.yml"
    path.write_text(GOOD + entry, encoding="utf-8")
    with pytest.raises(QuestionFileError) as raised:
        load_questions(path)
    assert f"{path}:6 {message}" in str(raised.value), str(raised.value)


def test_broken_yaml_and_a_missing_list_are_named_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "questions.yml"
    path.write_text(GOOD + "  - query: [复议\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=rf"^{re.escape(str(path))}:\d+ YAML 格式错误"):
        load_questions(path)
    path.write_text("- query: 复议\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match="应以“questions:”开头"):
        load_questions(path)
    path.write_text(GOOD, encoding="utf-8")
    assert load_questions(path) == [Question("复议", "topic", ("articles/x/",), "文章讲复议。", 2, str(path))]
