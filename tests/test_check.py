"""scripts/check.py on generated sites: silent on a clean site, finds every injected fault
at the right file and line, never crashes, and speaks to staff in Chinese."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fazhi.checks import Context, run_all
from fazhi.findings import Finding

from checker_corpus import FAULTS, FRESHNESS_TODAY, NO_REPORT_TODAY, TODAY, Fault, write_clean_site

REPO = Path(__file__).resolve().parents[1]


def run(root: Path, today: dt.date = TODAY, **options: Any) -> list[Finding]:
    return run_all(Context(root=root, docs=root / "docs", today=today, **options))


def reported(findings: list[Finding]) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.code) for f in findings if f.severity in ("error", "warning")}


def inject(root: Path, fault: Fault) -> None:
    for name, content in fault.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.fixture
def clean_site(tmp_path: Path) -> Path:
    return write_clean_site(tmp_path)


def test_clean_site_has_no_findings(clean_site: Path) -> None:
    assert run(clean_site) == []


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_is_found_where_it_is(clean_site: Path, fault: Fault) -> None:
    inject(clean_site, fault)
    assert reported(run(clean_site)) == fault.expected


def test_all_faults_at_once_match_the_ground_truth_exactly(clean_site: Path) -> None:
    for fault in FAULTS:
        inject(clean_site, fault)
    expected = set().union(*(fault.expected for fault in FAULTS))
    assert reported(run(clean_site)) == expected


def test_messages_are_chinese_with_a_fix(clean_site: Path) -> None:
    for fault in FAULTS:
        inject(clean_site, fault)
    for finding in run(clean_site):
        assert any("\u4e00" <= char <= "\u9fff" for char in finding.message), finding
        assert finding.fix, finding


def test_personal_numbers_are_masked_in_messages(clean_site: Path) -> None:
    from checker_corpus import CARD, VALID_ID

    inject(clean_site, next(f for f in FAULTS if f.name == "身份证号 with a valid check digit"))
    inject(clean_site, next(f for f in FAULTS if f.name == "Luhn-valid bank card"))
    text = "\n".join(finding.text() for finding in run(clean_site))
    assert VALID_ID not in text and CARD not in text and VALID_ID[:3] + "*" in text


def test_missing_required_field_message_reads_as_documented(clean_site: Path) -> None:
    inject(clean_site, next(f for f in FAULTS if f.name == "missing required field"))
    [finding] = run(clean_site)
    assert finding.text().startswith("docs/articles/posts/nodate.md:2:1: 错误 缺少必填字段“date”（发布日期）。修改方法：")


def test_wording_exception_is_listed_not_silenced(clean_site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    from fazhi.checks import wording

    dictionary = tmp_path_factory.mktemp("wording") / "wording.yml"
    dictionary.write_text(
        "words:\n  - {wrong: 杼困, right: 纾困}\n"
        "exceptions:\n  - {file: docs/reports/2024/part-1.md, word: 杼困, reason: 照录原文。}\n"
        "  - {file: docs/about/index.md, word: 杼困, reason: 已改正。}\n",
        encoding="utf-8",
    )
    part = clean_site / "docs/reports/2024/part-1.md"
    part.write_text(part.read_text(encoding="utf-8") + "\n着力为企业杼困解难。\n", encoding="utf-8")
    context = Context(root=clean_site, docs=clean_site / "docs", today=TODAY)
    findings = {(f.path, f.severity, f.code) for f in wording.check(context, dictionary)}
    assert findings == {
        ("docs/reports/2024/part-1.md", "info", "wording-exception"),
        ("docs/about/index.md", "warning", "wording-exception-unused"),
    }


def test_real_wording_dictionary_records_the_2024_report_exception() -> None:
    from fazhi.checks import wording

    [exception] = [e for e in wording.dictionary()["exceptions"] if e["word"] == "杼困"]
    assert exception["file"] == "docs/reports/2024/part-4.md" and "原文" in exception["reason"]
    assert "杼困" in (REPO / exception["file"]).read_text(encoding="utf-8")


def test_stale_columns_are_warnings(clean_site: Path) -> None:
    findings = run(clean_site, today=FRESHNESS_TODAY)
    assert {(f.path, f.severity, f.code) for f in findings} == {
        ("docs/articles/", "warning", "freshness-stale"),
    }
    assert "64 天未更新" in findings[0].message
    later = run(clean_site, today=FRESHNESS_TODAY.replace(month=11))  # policies 214 days old too
    assert {f.path for f in later if f.code == "freshness-stale"} == {"docs/articles/", "docs/policies/"}


def test_empty_column_is_a_warning(clean_site: Path) -> None:
    for post in (clean_site / "docs/articles/posts").iterdir():
        post.unlink()
    index = clean_site / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("[文章](articles/posts/good.md)，", ""), encoding="utf-8")
    assert reported(run(clean_site)) == {("docs/articles/", 0, "freshness-empty")}


def test_missing_annual_report_after_1_april_is_a_warning(clean_site: Path) -> None:
    before = run(clean_site, today=NO_REPORT_TODAY.replace(day=1))
    assert "freshness-annual-report" not in {f.code for f in before if f.path == "docs/reports/"}
    findings = [f for f in run(clean_site, today=NO_REPORT_TODAY) if f.code == "freshness-annual-report"]
    assert [f.severity for f in findings] == ["warning"] and "2025 年度" in findings[0].message


def test_missing_site_identifiers_are_warnings(clean_site: Path) -> None:
    config = clean_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    icp: 测试ICP备案号\n", "    icp:\n")
                      .replace("    site_id_code: 测试标识码\n", ""), encoding="utf-8")
    findings = run(clean_site)
    assert {(f.path, f.severity, f.code) for f in findings} == {("mkdocs.yml", "warning", "site-identifier-missing")}
    assert {("ICP备案号" in f.message) or ("网站标识码" in f.message) for f in findings} == {True}
    assert len(findings) == 2


def test_broken_mkdocs_yml_is_a_finding(clean_site: Path) -> None:
    (clean_site / "mkdocs.yml").write_text("site_name: [x\n", encoding="utf-8")
    assert ("mkdocs.yml", 2, "config-invalid") in reported(run(clean_site))


def test_binary_and_odd_files_never_crash(clean_site: Path) -> None:
    odd: dict[str, bytes | str] = {
        "docs/articles/posts/binary.md": bytes(range(256)) * 4,
        "docs/articles/posts/list.md": "---\n- a\n- b\n---\n",
        "docs/articles/posts/tagged.md": "---\ntitle: !!python/object/apply:os.system [echo]\n---\n",
        "docs/policies/documents.yml": "title: 不是列表\n",
        "docs/policies/lists/broken.yml": "title: [\n",
        "docs/reports/2024/part-2.md": "---\ntitle: 二\nyear: 二〇二四\n---\n",
        "docs/odd/index.md": "---\ntitle: x\n---\n\n[a](<>) [b](http://[::1) ![c]()\n\n<div onmouseover=x>\n",
    }
    inject(clean_site, Fault("odd", odd, frozenset()))
    findings = run(clean_site)
    paths_with_errors = {f.path for f in findings if f.severity == "error"}
    assert set(odd) - {"docs/odd/index.md"} <= paths_with_errors


# ---- the command line ----


def cli(*args: str, today: str = TODAY.isoformat()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts/check.py"), *args],
        capture_output=True, text=True, env={**os.environ, "FAZHI_TODAY": today}, timeout=120,
    )


def test_cli_exit_codes_and_text_output(clean_site: Path) -> None:
    clean = cli("--root", str(clean_site))
    assert clean.returncode == 0 and "共 0 个错误，0 个警告" in clean.stdout
    inject(clean_site, next(f for f in FAULTS if f.name == "missing required field"))
    broken = cli("--root", str(clean_site))
    assert broken.returncode == 1
    assert "docs/articles/posts/nodate.md:2:1: 错误 缺少必填字段“date”（发布日期）" in broken.stdout
    assert broken.stdout.strip().splitlines()[-1].endswith("共 1 个错误，0 个警告，0 个提示。")


def test_cli_warnings_fail_only_under_strict(clean_site: Path) -> None:
    assert cli("--root", str(clean_site), today=FRESHNESS_TODAY.isoformat()).returncode == 0
    strict = cli("--root", str(clean_site), "--strict", today=FRESHNESS_TODAY.isoformat())
    assert strict.returncode == 1 and "警告" in strict.stdout


def test_cli_json_for_ci(clean_site: Path) -> None:
    inject(clean_site, next(f for f in FAULTS if f.name == "unknown category"))
    result = cli("--root", str(clean_site), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["counts"] == {"error": 1, "warning": 0, "info": 0}
    [finding] = report["findings"]
    assert finding["path"] == "docs/articles/posts/cat.md" and finding["line"] == 6
    assert finding["severity"] == "error" and finding["code"] == "meta-categories" and "新闻" in finding["message"]


@pytest.mark.parametrize("args", [["--format", "xml"], ["--docs", "/nonexistent"], ["--timeout", "0"], ["--bogus"]])
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    result = cli(*args)
    assert result.returncode == 2 and "用法错误" in result.stderr


def test_real_docs_have_no_errors_only_the_recorded_exception() -> None:
    result = cli("--format", "json", today="")
    report = json.loads(result.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == [] and result.returncode == 0
    infos = [(f["path"], f["code"]) for f in report["findings"] if f["severity"] == "info"]
    assert ("docs/reports/2024/part-4.md", "wording-exception") in infos


# ---- the CI formats (fazhi.ci_report; the workflow itself: tests/test_workflow.py) ----


def annotations_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_cli_github_format_annotates_changed_files_first_and_appends_the_summary(clean_site: Path, tmp_path: Path) -> None:
    inject(clean_site, next(f for f in FAULTS if f.name == "unknown category"))  # docs/articles/posts/cat.md
    inject(clean_site, next(f for f in FAULTS if f.name == "missing required field"))  # docs/articles/posts/nodate.md
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("earlier step\n", encoding="utf-8")
    args = ["--root", str(clean_site), "--format", "github", "--summary", str(summary_file)]
    result = cli(*args, "--changed", "docs/articles/posts/nodate.md")
    assert result.returncode == 1
    annotations = annotations_of(result.stdout)
    assert annotations[0].startswith("::error file=docs/articles/posts/nodate.md,line=2,col=1,title=")
    assert annotations[1].startswith("::error file=docs/articles/posts/cat.md,line=6,col=20,title=") and "%0A修改方法：" in annotations[1]
    # The usual text lines follow, the count last.
    assert "docs/articles/posts/cat.md:6:20: 错误 分类“新闻”不在允许的分类中" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("共 2 个错误，0 个警告，0 个提示。")
    summary = summary_file.read_text(encoding="utf-8")
    assert summary.startswith("earlier step\n## 内容检查结果：有 2 个错误，需要修改\n")
    assert summary.index("### docs/articles/posts/nodate.md（本合并请求改动的文件）") < summary.index("### docs/articles/posts/cat.md（本合并请求没有改动这个文件")
    assert "| docs/articles/posts/cat.md:6:20 | 错误 | 分类“新闻”不在允许的分类中。 |" in summary
    # Plain text output never prints annotations; the summary is only written when asked for.
    text = cli("--root", str(clean_site))
    assert annotations_of(text.stdout) == [] and text.returncode == 1


def test_cli_changed_from_git_and_its_fallback(clean_site: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=clean_site, check=True)
    inject(clean_site, next(f for f in FAULTS if f.name == "unknown category"))
    subprocess.run([*git, "add", "-A"], cwd=clean_site, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=clean_site, check=True)
    inject(clean_site, next(f for f in FAULTS if f.name == "missing required field"))  # new, not yet committed
    changed = cli("--root", str(clean_site), "--format", "github", "--changed-from", "main")
    assert [line.split(",")[0] for line in annotations_of(changed.stdout)] == [
        "::error file=docs/articles/posts/nodate.md", "::error file=docs/articles/posts/cat.md"]
    unknown = cli("--root", str(clean_site), "--format", "github", "--changed-from", "no-such-ref")
    assert unknown.returncode == 1 and "git 无法比较“no-such-ref”" in unknown.stderr
    assert [line.split(",")[0] for line in annotations_of(unknown.stdout)] == [
        "::error file=docs/articles/posts/cat.md", "::error file=docs/articles/posts/nodate.md"]


def test_cli_summary_that_cannot_be_written_fails(clean_site: Path, tmp_path: Path) -> None:
    result = cli("--root", str(clean_site), "--summary", str(tmp_path / "missing-folder" / "summary.md"))
    assert result.returncode == 2 and "无法写入摘要文件" in result.stderr
    assert cli("--root", str(clean_site), "--changed", "a.md", "--changed-from", "main").returncode == 2


def test_cli_shows_a_windows_image_path_as_typed_on_its_line(clean_site: Path) -> None:
    """Markdown reads `\\.` as an escaped dot: the message still shows the path as typed,
    at its own line and column, and the path that works (tests/test_link_messages.py)."""
    (clean_site / "docs/assets/images").mkdir(parents=True)
    (clean_site / "docs/assets/images/a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    from checker_corpus import article

    page = clean_site / "docs/articles/posts/windows.md"
    page.write_text(article("windows", title="路径测试", body="正文。\n\n![示意图](..\\..\\assets\\images\\a.png)\n"), encoding="utf-8")
    result = cli("--root", str(clean_site))
    assert result.returncode == 1
    assert ("docs/articles/posts/windows.md:13:8: 错误 链接的图片“..\\..\\assets\\images\\a.png”里有“\\”：路径要用“/”，不要用“\\”。"
            "修改方法：改成“../../assets/images/a.png”。 [link-backslash]") in result.stdout.splitlines()
