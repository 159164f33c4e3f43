"""The declared metadata schema: what the checker, the build hook, the scaffold and the
contributor guide all read. Staff-facing behaviour: which pages are which type, the
Chinese messages for each mistake, and which pages get published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fazhi.sources import dates, frontmatter, schema

REPO = Path(__file__).resolve().parents[1]
REPORT = (REPO / "docs/reports/2024/2024-annual-report.txt").read_text(encoding="utf-8")

GOOD_ARTICLE = {
    "title": "法律援助“半小时服务圈”",
    "date": "2025-04-28",
    "source": "长春汽车经济技术开发区2024年度法治政府建设工作报告",
    "summary": "汽开区构建法律援助“半小时服务圈”。",
    "categories": ["法律援助"],
    "tags": ["半小时服务圈"],
    "slug": "legal-aid-half-hour",
}
GOOD_POLICY = {
    "title": "汽开区诉讼案件管理办法",
    "index_no": None,
    "issuer": None,
    "doc_number": None,
    "written_date": None,
    "date": "2025-04-01",
    "topic": None,
    "validity": "有效",
    "source": "2024年度法治政府建设工作报告",
}


def codes(problems: list[schema.Problem]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in problems}


@pytest.mark.parametrize("content_type", ["page", "article", "annual_report", "policy", "list"])
def test_every_field_has_a_chinese_label_and_required_fields_are_declared(content_type: str) -> None:
    loaded = schema.load(content_type)
    assert loaded["title"] and loaded["type"] == "object"
    for key, spec, _required in schema.fields(content_type):
        assert spec.get("title"), f"{content_type}.{key} has no Chinese title"
        assert any("\u4e00" <= char <= "\u9fff" for char in spec["title"])
    assert set(loaded["required"]) <= set(loaded["properties"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("docs/articles/posts/legal-aid.md", "article"),
        ("/tmp/x/docs/articles/posts/legal-aid.md", "article"),
        ("reports/2024/index.md", "annual_report"),
        ("docs/reports/2024/part-3.md", "annual_report"),
        ("docs/reports/2024/figures.md", "page"),
        ("docs/reports/index.md", "page"),
        ("docs/policies/documents.yml", "policy"),
        ("docs/policies/lists/rights.yml", "list"),
        ("docs/index.md", "page"),
        ("docs/about/statement.md", "page"),
        ("docs/reports/2024/2024-annual-report.txt", None),
        ("docs/assets/stylesheets/site.css", None),
    ],
)
def test_content_type_follows_the_registry(path: str, expected: str | None) -> None:
    assert schema.content_type_for(Path(path)) == expected


def test_the_real_content_passes_its_schema() -> None:
    checked = 0
    for path in sorted((REPO / "docs").rglob("*")):
        kind = schema.content_type_for(path)
        if kind is None or path.suffix not in (".md", ".yml"):
            continue
        parsed = frontmatter.read(path, many=schema.holds_many(path) or None)
        assert [p for p in parsed.problems if p.severity == "error"] == [], path
        for record in parsed.records:
            problems = [p for p in schema.validate(kind, record.data) if p.code != "meta-unknown-field"]
            assert problems == [], f"{path}: {problems}"
        checked += 1
    assert checked >= 7  # home, about, sections, the 2024 report's five pages


def test_allowed_tags_all_occur_in_the_2024_report() -> None:
    tags = schema.allowed("tags")
    assert {"首违不罚", "信用修复", "半小时服务圈", "两书同达", "监护责任告知书"} <= set(tags)
    assert [tag for tag in tags if tag not in REPORT] == []


def test_allowed_categories_are_the_declared_columns() -> None:
    assert schema.allowed("categories") == ["法治动态", "普法宣传", "法律援助", "调解", "行政执法", "营商环境", "行政复议"]


def test_a_good_article_and_policy_validate() -> None:
    assert schema.validate("article", GOOD_ARTICLE) == []
    assert schema.validate("policy", GOOD_POLICY) == []


def test_missing_required_field_names_field_label_and_example() -> None:
    data = {k: v for k, v in GOOD_ARTICLE.items() if k != "date"}
    [problem] = schema.validate("article", data)
    assert problem.field == "date" and problem.code == "meta-required"
    assert "缺少必填字段“date”（发布日期）" in problem.message
    assert "YYYY-MM-DD" in problem.fix


def test_unknown_value_is_allowed_only_where_declared_and_only_written_empty() -> None:
    assert schema.validate("policy", {**GOOD_POLICY, "doc_number": None}) == []
    left_out = {k: v for k, v in GOOD_POLICY.items() if k != "doc_number"}
    [problem] = schema.validate("policy", left_out)
    assert (problem.field, problem.code) == ("doc_number", "meta-required")
    assert "“doc_number:”" in problem.fix  # tells staff how to write "unknown"
    empty_title = schema.validate("policy", {**GOOD_POLICY, "title": None})
    assert codes(empty_title) == {("title", "meta-type")}


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "2024-5-1", "20240501", "明天"])
def test_dates_must_be_real_calendar_dates_in_iso_form(value: str) -> None:
    problems = schema.validate("article", {**GOOD_ARTICLE, "date": value})
    assert codes(problems) == {("date", "meta-date")}
    assert f"“{value}”不是有效日期" in problems[0].message


def test_categories_and_tags_come_from_the_allowed_lists() -> None:
    problems = schema.validate("article", {**GOOD_ARTICLE, "categories": ["法律援助", "新闻"], "tags": ["热点"]})
    assert codes(problems) == {("categories.1", "meta-categories"), ("tags.0", "meta-tags")}
    assert "分类“新闻”不在允许的分类中" in next(p.message for p in problems if p.code == "meta-categories")
    assert "法律援助" in problems[0].fix


def test_slug_must_be_lowercase_ascii() -> None:
    problems = schema.validate("article", {**GOOD_ARTICLE, "slug": "法律援助"})
    assert codes(problems) == {("slug", "meta-pattern")}


def test_withdrawn_document_needs_notice_and_date() -> None:
    problems = schema.validate("policy", {**GOOD_POLICY, "validity": "废止"})
    assert codes(problems) == {("validity_notice", "meta-required"), ("validity_date", "meta-required")}
    complete = {**GOOD_POLICY, "validity": "废止", "validity_notice": "已废止。", "validity_date": "2025-01-01"}
    assert schema.validate("policy", complete) == []
    assert codes(schema.validate("policy", {**GOOD_POLICY, "validity": "作废"})) == {("validity", "meta-enum")}


def test_change_history_entries_need_date_and_note() -> None:
    problems = schema.validate("article", {**GOOD_ARTICLE, "changes": [{"date": "2025-04-30"}]})
    assert codes(problems) == {("changes.0.note", "meta-required")}


def test_unknown_field_is_reported_for_typos() -> None:
    problems = schema.validate("article", {**GOOD_ARTICLE, "summery": "x"})
    assert codes(problems) == {("summery", "meta-unknown-field")}


def test_is_published_hides_drafts_and_future_dates() -> None:
    today = dt.date(2025, 5, 1)
    assert schema.is_published({"date": "2025-05-01"}, today)
    assert not schema.is_published({"date": "2025-05-02"}, today)
    assert not schema.is_published({"date": "2025-04-01", "draft": True}, today)
    assert not schema.is_published({"date": "2024-02-30"}, today)  # unreadable: never publish
    assert schema.is_published({"title": "关于本站"}, today)


def test_today_is_beijing_time_and_can_be_fixed_for_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_TODAY", "2025-04-01")
    assert dates.today() == dt.date(2025, 4, 1)
    assert schema.is_published({"date": "2025-04-01"}) and not schema.is_published({"date": "2025-04-02"})
    monkeypatch.delenv("FAZHI_TODAY")
    assert dates.today() == dt.datetime.now(dates.SHANGHAI).date()


# ---- frontmatter.read: every malformed file becomes a finding ----


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def problem_codes(parsed: frontmatter.ParsedFile) -> list[tuple[int, str, str]]:
    return [(f.line, f.severity, f.code) for f in parsed.problems]


def test_lines_of_keys_are_kept(tmp_path: Path) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", "---\ntitle: 标题\ntags:\n  - 首违不罚\n  - 信用修复\ndate: 2025-01-02\n---\n\n正文\n"))
    assert parsed.data == {"title": "标题", "tags": ["首违不罚", "信用修复"], "date": "2025-01-02"}
    assert parsed.record.line_of("date") == 6 and parsed.record.line_of("tags.1") == 5
    assert parsed.body_line == 8 and parsed.problems == []


def test_bom_is_a_warning_and_the_file_still_reads(tmp_path: Path) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", b"\xef\xbb\xbf---\ntitle: x\n---\n"))
    assert problem_codes(parsed) == [(1, "warning", "file-bom")] and parsed.data == {"title": "x"}


def test_crlf_is_a_warning_and_lines_stay_right(tmp_path: Path) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", b"---\r\ntitle: x\r\ndate: 2025-01-01\r\n---\r\n"))
    assert problem_codes(parsed) == [(1, "warning", "file-crlf")]
    assert parsed.data["date"] == "2025-01-01" and parsed.record.line_of("date") == 3


def test_gbk_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", "---\ntitle: 普法文章\n---\n".encode("gbk")))
    assert problem_codes(parsed) == [(2, "error", "file-encoding")]
    assert "UTF-8" in parsed.problems[0].message and parsed.data == {"title": "普法文章"}


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert problem_codes(frontmatter.read(write(tmp_path, "a.md", content))) == [(1, "error", "file-empty")]


def test_missing_and_unclosed_front_matter(tmp_path: Path) -> None:
    assert problem_codes(frontmatter.read(write(tmp_path, "a.md", "# 标题\n"))) == [(1, "error", "fm-missing")]
    assert problem_codes(frontmatter.read(write(tmp_path, "b.md", "---\ntitle: x\n"))) == [(1, "error", "fm-unclosed")]


@pytest.mark.parametrize(
    ("front_matter", "line"),
    [
        ("title: x\ndate: [2025-01-01\nsummary: y\n", 4),  # unclosed list
        ("title: x\nsummary: 说明: 冒号\n", 3),  # colon in a value
        ("title: x\ntags:\n\t- 首违不罚\n", 4),  # tab indentation
    ],
)
def test_malformed_yaml_points_at_the_line(tmp_path: Path, front_matter: str, line: int) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", f"---\n{front_matter}---\n正文\n"))
    [problem] = parsed.problems
    assert (problem.code, problem.severity) == ("yaml-invalid", "error")
    assert problem.line == line and "格式错误" in problem.message


def test_duplicate_key_is_reported(tmp_path: Path) -> None:
    parsed = frontmatter.read(write(tmp_path, "a.md", "---\ntitle: x\ntitle: y\n---\n"))
    assert problem_codes(parsed) == [(3, "error", "yaml-duplicate-key")]


def test_data_file_holds_one_record_per_item(tmp_path: Path) -> None:
    path = write(tmp_path, "documents.yml", "- title: 甲\n  date: 2025-01-01\n- title: 乙\n  date: 2025-01-02\n- 不是映射\n")
    parsed = frontmatter.read(path, many=True)
    assert [r.data["title"] for r in parsed.records] == ["甲", "乙"]
    assert parsed.records[1].line_of("date") == 4
    assert problem_codes(parsed) == [(5, "error", "yaml-not-mapping")]


# ---- the contributor guide's field table ----


@pytest.mark.parametrize("content_type", ["article", "policy", "list", "annual_report"])
def test_field_table_has_one_row_per_schema_field(content_type: str) -> None:
    from fazhi.cli import schema_table

    rows = schema_table.table(content_type).splitlines()[2:]
    fields = schema.fields(content_type)
    assert len(rows) == len(fields)
    for row, (key, spec, required) in zip(rows, fields, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[0] == f"`{key}`" and cells[1] == spec["title"]
        assert cells[2].startswith("必填") == required


def test_field_table_follows_a_schema_change(monkeypatch: pytest.MonkeyPatch) -> None:
    from fazhi.cli import schema_table

    invented = ("reviewer", {"title": "审核人", "hint": "写审核人姓名", "example": "某某"}, True)
    monkeypatch.setattr(schema, "fields", lambda content_type: [invented])
    assert schema_table.table("article").splitlines()[2] == "| `reviewer` | 审核人 | 必填 | 写审核人姓名 | `某某` |"


def test_field_table_lists_allowed_values_and_the_unknown_rule() -> None:
    from fazhi.cli import schema_table

    article = schema_table.table("article")
    assert all(category in article for category in schema.allowed("categories"))
    policy = schema_table.table("policy")
    assert "原文未载明可留空，页面显示“未载明”" in policy
    assert "validity 为 已修订、失效、废止 时必填" in policy


# ---- Reuse across the rebuilds of a preview ----


def test_read_cache_sees_a_saved_change(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: 第一版\n---\n\n正文\n")
    cache = frontmatter.ReadCache()
    first = cache.read(path)
    assert cache.read(path) is first  # unchanged file: parsed once
    path.write_text("---\ntitle: 第二版，长度不同\n---\n\n正文\n", encoding="utf-8")
    assert cache.read(path).data["title"] == "第二版，长度不同"


def test_validation_results_are_shared_but_not_changed_by_callers() -> None:
    bad = {**GOOD_ARTICLE, "categories": ["不存在的分类"]}
    problems = schema.validate("article", bad)
    problems.clear()  # a caller changing its list must not change the next answer
    again = schema.validate("article", dict(bad))
    assert codes(again) == {("categories.0", "meta-categories")}
    assert schema.validate("article", GOOD_ARTICLE) == []
