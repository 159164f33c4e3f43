"""The pull-request workflow as staff meet it, and the CI formats it relies on.

`.github/workflows/site.yml` is run here the way the CI host runs it: its steps in order, each
`run:` with `bash --noprofile --norc -eo pipefail` (GitHub's command for `shell: bash`) in the
checkout, with the job's `env`, `GITHUB_BASE_REF`, `GITHUB_WORKSPACE` and a `GITHUB_STEP_SUMMARY`
file of its own, and each `if:` evaluated (`!cancelled()`, `success()`, `failure()`, `always()`,
`steps.<id>.outcome`, with GitHub's implicit `success() &&` when no status function is named).
The checkout is a temporary copy of the project made a git repository: a base commit on
`main` (published as `origin`) lacks the new article, the pull request's commit adds it with
three mistakes (a date that does not exist, an unknown category, an anchor no heading has).
The base also carries one old error in a file the pull request does not touch, which sorts
before the article, so "errors in changed files are annotated first" is a real test.

Stand-ins, by step name (STAND_INS): `uses:` steps (the copy is the checkout; nothing is
uploaded), the `git` step (apt-get; this machine has git), the install step (the project's
own `.venv` is linked into the copy, where the steps call `.venv/bin/...`) and the test step,
`scripts/test.sh`: the whole suite, several minutes, and this test is part of it. A stand-in
whose condition holds counts as succeeded; its condition is still checked.

Unit tests below cover fazhi.ci_report's escaping: a finding whose text holds `|`, a line
break, `<script>`, `%` and `::` stays one table row of four cells and one annotation that
GitHub's runner reads back to the same text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from lxml import html as lxml_html

from fazhi import ci_report
from fazhi.findings import Finding

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github/workflows/site.yml"
JOB = "site"
# What a checkout of this repository holds that the steps read (src/ is the installed package,
# which the linked .venv imports from this repository).
PROJECT = ["docs", "overrides", "templates", "scripts", ".github", "mkdocs.yml", ".gitignore", "pyproject.toml", "requirements.txt"]

STAND_INS: dict[str, str] = {
    "git": "installs git with apt-get; this machine has it",
    "安装（scripts/setup.sh --no-build）": "installs .venv; the project's own .venv is linked into the copy",
    "代码检查和测试（ruff、mypy、pytest：scripts/test.sh）": "the whole test suite (minutes), which this test is part of",
}

ARTICLE = "docs/articles/posts/lawyer-day.md"
# The pull request's article: line 3 a date not on the calendar, line 7 (column 5) a category
# not in the registry, line 15 (column 8) a link to an anchor no heading of the page has.
ARTICLE_TEXT = """\
---
title: 律师进小区活动
date: 2024-02-30
source: 长春汽车经济技术开发区2024年度法治政府建设工作报告
summary: 2024年，汽开区开展“律师进小区”活动。
categories:
  - 新闻
tags:
  - 法律援助
slug: lawyer-day
---

# 律师进小区活动

详见[报告](../../reports/2024/part-1.md#不存在的章节)。
"""
MISTAKES = [(3, 1, "meta-date", "2024-02-30"), (7, 5, "meta-categories", "新闻"), (15, 8, "link-anchor-missing", "不存在的章节")]
# The old error on the base branch, in a file that sorts before the article.
OLD = "docs/articles/posts/administrative-reconsideration.md"
OLD_CATEGORY = "旧栏目"

ANNOTATION = re.compile(r"^::(?P<kind>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


# ---- running the workflow ----


@dataclass
class Step:
    """One step of the job as the host ran it: outcome is success, failure or skipped."""

    name: str
    id: str | None
    outcome: str
    stand_in: bool = False
    output: str = ""
    summary: str = ""


@dataclass
class Job:
    steps: list[Step] = field(default_factory=list)

    def step(self, name_start: str) -> Step:
        return next(step for step in self.steps if step.name.startswith(name_start))

    @property
    def summary(self) -> str:
        """The job summary: the steps' summaries in order, as GitHub joins them."""
        return "".join(step.summary for step in self.steps)


def workflow_job() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job: dict[str, Any] = workflow["jobs"][JOB]
    assert job.get("defaults", {}).get("run", {}).get("shell") == "bash", "the steps are written for bash"
    return job


def run_workflow(checkout: Path, home: Path, env: dict[str, str], only: Callable[[dict[str, Any]], bool] = lambda step: True) -> Job:
    """Run the job's steps (those `only` accepts) in `checkout`, as the host would."""
    definition = workflow_job()
    names = {str(step.get("name", step.get("uses"))) for step in definition["steps"]}
    assert set(STAND_INS) <= names, f"stand-ins for steps the workflow no longer has: {set(STAND_INS) - names}"
    job = Job()
    for number, spec in enumerate(definition["steps"]):
        if not only(spec):
            continue
        assert "continue-on-error" not in spec, "not modelled here"
        name = str(spec.get("name", spec.get("uses")))
        if not condition(str(spec.get("if", "")), job):
            job.steps.append(Step(name, spec.get("id"), "skipped"))
        elif "uses" in spec or name in STAND_INS:
            job.steps.append(Step(name, spec.get("id"), "success", stand_in=True))
        else:
            job.steps.append(run_step(checkout, home, number, name, spec, {**definition.get("env", {}), **env}))
    return job


def run_step(checkout: Path, home: Path, number: int, name: str, spec: dict[str, Any], env: dict[str, str]) -> Step:
    summary_file = home.parent / f"step_summary_{number}"
    summary_file.write_text("", encoding="utf-8")
    script = home.parent / f"step_{number}.sh"
    script.write_text(str(spec["run"]), encoding="utf-8")
    step_env = {
        "PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
        "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(checkout),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        **{key: str(value) for key, value in env.items()}, **{key: str(value) for key, value in spec.get("env", {}).items()},
    }
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=checkout, env=step_env,
                            capture_output=True, text=True, timeout=600)
    return Step(name, spec.get("id"), "success" if result.returncode == 0 else "failure",
                output=result.stdout + result.stderr, summary=summary_file.read_text(encoding="utf-8"))


# ---- `if:` expressions ----

_TOKEN = re.compile(r"\s*(?:(&&|\|\||==|!=|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w.-]*))")
_STATUS_FUNCTIONS = ("success(", "failure(", "cancelled(", "always(")


def condition(expression: str, job: Job) -> bool:
    """GitHub's verdict on a step's `if:` given the steps run so far: no `if:` is `success()`,
    and one naming no status function is `success() && (…)`."""
    expression = expression.strip()
    if expression.startswith("${{") and expression.endswith("}}"):
        expression = expression[3:-2]
    expression = expression.strip() or "success()"
    if not any(function in expression.replace(" ", "") for function in _STATUS_FUNCTIONS):
        expression = f"success() && ({expression})"
    return bool(_Expression(expression, job).parse())


class _Expression:
    """A recursive-descent reader of the part of GitHub's expression language the workflow
    uses: `||`, `&&`, `!`, `==`, `!=`, parentheses, 'strings', status functions and
    `steps.<id>.outcome` / `.conclusion`. Anything else fails the test, by name."""

    def __init__(self, text: str, job: Job) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text.rstrip()):
            match = _TOKEN.match(text, position)
            assert match, f"cannot read {text[position:]!r} in {text!r}"
            operator, string, name = match.groups()
            self.tokens.append(("op", operator) if operator else ("str", string.replace("''", "'")) if string is not None else ("name", name))
            position = match.end()
        self.job = job
        self.failed = any(step.outcome == "failure" for step in job.steps)

    def parse(self) -> object:
        value = self._or()
        assert not self.tokens, f"left over: {self.tokens}"
        return value

    def _take(self, token: tuple[str, str]) -> bool:
        if self.tokens and self.tokens[0] == token:
            self.tokens.pop(0)
            return True
        return False

    def _or(self) -> object:
        value = self._and()
        while self._take(("op", "||")):
            right = self._and()
            value = value or right
        return value

    def _and(self) -> object:
        value = self._not()
        while self._take(("op", "&&")):
            right = self._not()
            value = value and right
        return value

    def _not(self) -> object:
        if self._take(("op", "!")):
            return not self._not()
        left = self._primary()
        if self._take(("op", "==")):
            return left == self._primary()
        if self._take(("op", "!=")):
            return left != self._primary()
        return left

    def _primary(self) -> object:
        kind, text = self.tokens.pop(0)
        if (kind, text) == ("op", "("):
            value = self._or()
            assert self._take(("op", ")")), "unclosed parenthesis"
            return value
        if kind == "str":
            return text
        assert kind == "name", f"unexpected {text!r}"
        if self._take(("op", "(")):
            assert self._take(("op", ")")), f"{text}() takes no arguments here"
            functions = {"success": not self.failed, "failure": self.failed, "cancelled": False, "always": True}
            assert text in functions, f"function {text}() is not modelled"
            return functions[text]
        parts = text.split(".")
        assert len(parts) == 3 and parts[0] == "steps" and parts[2] in ("outcome", "conclusion"), f"context {text} is not modelled"
        return next((step.outcome for step in self.job.steps if step.id == parts[1]), "")


def test_conditions_read_as_github_does() -> None:
    job = Job([Step("a", "setup", "success"), Step("b", "check", "failure")])
    assert not condition("", job) and not condition("${{ steps.setup.outcome == 'success' }}", job)
    assert condition("${{ !cancelled() && steps.setup.outcome == 'success' }}", job)
    assert condition("failure()", job) and condition("always()", job) and not condition("success()", job)
    assert not condition("${{ !cancelled() && steps.build.outcome == 'success' }}", job)
    assert condition("steps.check.outcome != 'success' || cancelled()", Job([Step("b", "check", "skipped")]))


# ---- the pull request with three mistakes ----


def git(repository: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repository, env=env, capture_output=True, text=True, check=True).stdout


@dataclass
class PullRequest:
    checkout: Path
    home: Path


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PullRequest]:
    """A checkout of a pull request from branch `pr` into `main`, whose base is on `origin`."""
    root = tmp_path_factory.mktemp("workflow")
    checkout = root / "checkout"
    checkout.mkdir()
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, checkout / name)
    old = checkout / OLD
    old.write_text(re.sub(r"(?m)^categories:\n  - .*$", f"categories:\n  - {OLD_CATEGORY}", old.read_text(encoding="utf-8"), count=1),
                   encoding="utf-8")
    git(checkout, "init", "-q", "-b", "main")
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "base")
    git(root, "clone", "-q", "--bare", str(checkout), str(root / "origin.git"))
    git(checkout, "remote", "add", "origin", str(root / "origin.git"))
    git(checkout, "checkout", "-q", "-b", "pr")
    (checkout / ARTICLE).write_text(ARTICLE_TEXT, encoding="utf-8")
    git(checkout, "add", ARTICLE)
    git(checkout, "commit", "-q", "-m", "新文章")
    # The install step's work: the project's environment, where the steps look for it. A link,
    # so kept out of git's view (".venv/" in .gitignore matches only a real folder).
    (checkout / ".venv").symlink_to(REPO / ".venv")
    with (checkout / ".git/info/exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("/.venv\n")
    home = root / "home"
    home.mkdir()
    yield PullRequest(checkout, home)


def annotation_lines(output: str) -> list[re.Match[str]]:
    return [match for line in output.splitlines() if (match := ANNOTATION.match(line))]


def test_pull_request_with_three_mistakes(pull_request: PullRequest) -> None:
    job = run_workflow(pull_request.checkout, pull_request.home,
                       {"GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "pr", "GITHUB_EVENT_NAME": "pull_request"})
    outcomes = {step.name: (step.outcome, step.stand_in) for step in job.steps}
    check, build = job.step("检查内容"), job.step("严格构建")

    # The checker ran right after the install and failed, with the whole story in the summary.
    assert check.outcome == "failure" and not check.stand_in, check.output
    summary = job.summary
    assert summary.startswith("## 内容检查结果：有 4 个错误，需要修改\n"), summary
    assert "共 4 个错误" in summary
    article_part, _, rest = summary.partition(f"### {ARTICLE}（本合并请求改动的文件）")[2].partition(f"### {ci_report.markdown_cell(OLD)}")
    assert article_part and rest, "the changed file's table comes before the untouched file's"
    for line, column, _code, detail in MISTAKES:
        row = next(row for row in article_part.splitlines() if row.startswith(f"| {ARTICLE}:{line}:{column} |"))
        assert "| 错误 |" in row and detail in row, row
    assert "（本合并请求没有改动这个文件，一般由维护者处理）" in summary and OLD_CATEGORY in rest

    # Annotations: the article's three errors first, at their lines, then the old one; no
    # warnings for files the pull request did not touch (mkdocs.yml's site identifiers).
    annotations = annotation_lines(check.output)
    errors = [match for match in annotations if match["kind"] == "error"]
    assert [match["properties"].split(",")[:3] for match in errors[:3]] == [
        [f"file={ARTICLE}", f"line={line}", f"col={column}"] for line, column, _code, _detail in MISTAKES]
    for match, (_line, _column, code, detail) in zip(errors, MISTAKES, strict=False):
        assert f"[{code}]" in match["properties"] and detail in match["message"] and "%0A修改方法：" in match["message"]
    assert len(errors) == 4 and errors[3]["properties"].startswith(f"file={OLD},")
    assert all(ARTICLE in match["properties"] for match in annotations if match["kind"] != "error")
    assert "共 4 个错误" in check.output  # the checker's own text lines follow the annotations

    # The build still ran, and failed on the same mistakes, in Chinese.
    assert build.outcome == "failure" and not build.stand_in
    assert ARTICLE in build.output and "网站没有生成" in build.output, build.output[-3000:]
    # The rest as declared: no tests after a refused build, no preview of it.
    assert outcomes["代码检查和测试（ruff、mypy、pytest：scripts/test.sh）"] == ("skipped", False)
    assert outcomes["上传网站预览"] == ("skipped", False)
    assert outcomes["安装（scripts/setup.sh --no-build）"] == ("success", True)
    assert [step.name for step in job.steps][:2] == ["git", "actions/checkout@v4"]


@pytest.mark.parametrize("base", ["", "no-such-branch"], ids=["manual run, no base", "base ref not fetchable"])
def test_without_a_base_the_checker_keeps_its_order(pull_request: PullRequest, base: str) -> None:
    """A manual run has no GITHUB_BASE_REF; a base that cannot be fetched leaves git nothing to
    compare: the step still writes the summary and fails, errors in the checker's order."""
    env = {"GITHUB_BASE_REF": base} if base else {}
    job = run_workflow(pull_request.checkout, pull_request.home, env, only=lambda step: step.get("id") == "check")
    [check] = job.steps
    assert check.outcome == "failure"
    errors = [match for match in annotation_lines(check.output) if match["kind"] == "error"]
    assert [match["properties"].split(",")[0] for match in errors] == [f"file={OLD}"] + [f"file={ARTICLE}"] * 3
    assert check.summary.startswith("## 内容检查结果：有 4 个错误") and "本合并请求" not in check.summary
    if base:
        assert "取不到目标分支" in check.output or "git 无法比较" in check.output


# ---- escaping ----

HOSTILE = "A | B 'q' \"d\" &amp; &#x27; \\*\n<script>alert(1)</script> 100% ::error::x %0A `code` [link](javascript:x) **b** @user #1"


def unescape_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command back the way GitHub's runner does (ActionCommand.cs: the command
    up to the first space, properties split at `,` and the first `=`, the data after the first
    `::` that follows the command), undoing the escapes, `%25` last."""
    assert line.startswith("::") and "\n" not in line and "\r" not in line
    head, _, data = line[2:].partition("::")
    command, _, properties = head.partition(" ")

    def unescape(text: str, property_value: bool) -> str:
        text = text.replace("%0D", "\r").replace("%0A", "\n")
        if property_value:
            text = text.replace("%3A", ":").replace("%2C", ",")
        return text.replace("%25", "%")

    values = dict(item.split("=", 1) for item in properties.split(",") if item)
    return command, {key: unescape(value, True) for key, value in values.items()}, unescape(data, False)


def test_annotation_escaping_round_trips() -> None:
    finding = Finding("docs/a,b:c 100%.md", 4, 2, "error", "x-code", HOSTILE, "改成“A”\n再检查")
    line = ci_report.annotation(finding)
    command, properties, message = unescape_annotation(line)
    assert command == "error"
    assert properties == {"file": "docs/a,b:c 100%.md", "line": "4", "col": "2", "title": "内容检查 错误 [x-code]"}
    assert message == f"{HOSTILE}\n修改方法：改成“A”\n再检查"
    assert ci_report.escape_data("50%\r\n") == "50%25%0D%0A" and ci_report.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert ci_report.annotation(Finding("mkdocs.yml", 0, 0, "info", "c", "m")) == "::notice file=mkdocs.yml,title=内容检查 提示 [c]::m"


def test_summary_cells_hold_exactly_the_text() -> None:
    finding = Finding("docs/x|<b>.md", 2, 1, "error", "x-code", HOSTILE, "fix | it\r\nnow <img src=x onerror=alert(1)>")
    summary = ci_report.summary_markdown([finding], changed=None, files=1)
    assert "<script" not in summary and "<img" not in summary and "<b>" not in summary
    [row] = [line for line in summary.splitlines() if line.startswith("| docs/")]
    assert row.count("|") == 5, row  # four cells: the text's `|` and line breaks did not split anything
    page = lxml_html.fromstring(f"<div>{markdown.markdown(summary, extensions=['tables'])}</div>")
    assert not page.xpath("//script | //img | //a | //b | //em")
    assert [strong.text for strong in page.xpath("//strong")] == ["错误", "警告", "提示", "Files changed"]  # ours only
    assert [code.text for code in page.xpath("//code")] == [".venv/bin/python scripts/check.py --quiet"]
    cells = page.xpath("//tbody/tr/td")
    assert len(cells) == 4

    def text(cell: Any) -> str:  # <br> back to a line break
        for br in cell.xpath(".//br"):
            br.tail = "\n" + (br.tail or "")
        return str(cell.text_content())

    assert [text(cell) for cell in cells] == ["docs/x|<b>.md:2:1", "错误", HOSTILE, "fix | it\nnow <img src=x onerror=alert(1)>"]
    assert page.xpath("string(//h3)") == "docs/x|<b>.md"


def test_annotations_put_changed_files_first_and_stop_at_ten() -> None:
    old = [Finding("docs/a.md", n, 1, "error", "c", f"旧{n}") for n in range(1, 13)]
    new = [Finding("docs/z.md", n, 1, "error", "c", f"新{n}") for n in range(1, 4)]
    standing = [Finding("mkdocs.yml", 0, 0, "warning", "w", "站点"), Finding("docs/z.md", 1, 1, "warning", "w", "新警告")]
    lines = ci_report.annotation_lines([*old, *new, *standing], changed={"docs/z.md"})
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == ci_report.ANNOTATIONS_PER_STEP
    assert all("file=docs/z.md" in line for line in errors[:3]) and all("file=docs/a.md" in line for line in errors[3:])
    assert [line for line in lines if line.startswith("::warning ")] == [ci_report.annotation(standing[1])]
    assert lines[-1].startswith("::notice title=") and "另有 5 个错误" in lines[-1]
    assert len(lines) <= ci_report.ANNOTATIONS_PER_JOB
    unordered = ci_report.annotation_lines([*old, *new], changed=None)
    assert all("file=docs/a.md" in line for line in unordered[:10])


def test_summary_stays_under_githubs_limit() -> None:
    many = [Finding(f"docs/p{n}.md", 1, 1, "error", "c", "很长的说明" * 200) for n in range(400)]
    summary = ci_report.summary_markdown(many, changed=None, files=400)
    assert len(summary.encode()) <= ci_report.SUMMARY_BUDGET_BYTES + 1024
    assert "没有列在这里" in summary and summary.startswith("## 内容检查结果：有 400 个错误")


def test_clean_summary_says_so() -> None:
    summary = ci_report.summary_markdown([Finding("mkdocs.yml", 0, 0, "info", "c", "提示")], changed=frozenset(), files=3, quiet=True)
    assert summary.startswith("## 内容检查结果：没有错误\n") and "另有 1 个提示没有列出" in summary and "|" not in summary
