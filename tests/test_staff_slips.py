"""The slips staff really make get one finding each, at the slip's own line and column, with
the cause named in Chinese (fazhi.sources.slips, fazhi.sources.suggest,
fazhi.checks.quotations). That the build stops on the same findings is in
tests/checker_corpus.py (STAFF_SLIPS), run by tests/test_agreement.py."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.checks import Context, quotations, run_all
from fazhi.findings import Finding
from fazhi.sources import frontmatter, schema
from fazhi.sources.slips import INVISIBLE_SPACES, TYPOGRAPHIC_SPACES

from checker_corpus import TODAY, article, write_clean_site

ARTICLE = article("slip")  # line 1 "---", then title, date, source, summary, categories, tags, slug


def _titled(title: str) -> str:
    """ARTICLE with its title line written as `title: <title>`."""
    return re.sub(r"^title: .*$", lambda _: f"title: {title}", ARTICLE, count=1, flags=re.MULTILINE)


def _problems(tmp_path: Path, text: str) -> list[Finding]:
    path = tmp_path / "slip.md"
    path.write_text(text, encoding="utf-8")
    return frontmatter.read(path, "slip.md").problems


def _where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings]


@pytest.mark.parametrize(("text", "expected", "words"), [
    # The cases: the full-width colon is named on its own line (YAML blamed the next).
    (ARTICLE.replace("title: ", "title："), [(2, 6, "yaml-fullwidth-colon")], "中文冒号"),
    (ARTICLE.replace("summary: ", "summary:\u00a0"), [(5, 9, "yaml-invisible-space")], "不间断空格"),
    (ARTICLE.replace("summary: ", "summary:\u3000"), [(5, 9, "yaml-invisible-space")], "全角空格"),
    (ARTICLE.replace("title: ", "title:"), [(2, 7, "yaml-no-space-after-colon")], "少了一个空格"),
    (ARTICLE.replace("categories: [法律援助]", "categories:\n  － 法律援助"), [(7, 3, "yaml-list-dash")], "英文减号"),
    (ARTICLE.replace("categories: [法律援助]", "categories: []\n  - 法律援助"), [(6, 13, "yaml-empty-list-with-items")], "删掉“[]”"),
    (_titled("“说明: 冒号”"), [(2, 8, "yaml-curly-quotes")], "英文双引号"),
    (_titled('"说明: 冒号”'), [(2, 8, "yaml-unclosed-quote")], "英文引号"),
    # A line without a colon: the line itself, not the next one YAML stopped at.
    (ARTICLE.replace("summary: 测试摘要。\n", "summary: 测试摘要。\n多出来的一行\n"), [(6, 1, "yaml-invalid")], "多出来的一行"),
    # In the body: a heading typed with a non-breaking space is not a heading.
    (ARTICLE + "\n#\u00a0小标题\n", [(13, 2, "body-marker-space")], "不会显示成标题"),
    (ARTICLE + "\n-\u00a0列表项\n", [(13, 2, "body-marker-space")], "不会显示成列表"),
    (ARTICLE + "\n集群\u200b注册\n", [(13, 3, "body-invisible-space")], "零宽空格"),
])
def test_a_slip_is_found_where_it_is_and_named(tmp_path: Path, text: str, expected: list[tuple[int, int, str]], words: str) -> None:
    problems = _problems(tmp_path, text)
    assert _where(problems) == expected
    assert words in problems[0].message + problems[0].fix
    assert not any(ascii_word in problems[0].message for ascii_word in ("could not", "expected", "mapping values"))


@pytest.mark.parametrize("text", [
    ARTICLE,
    _titled("关于印发《办法》的通知：第一号"),  # a colon inside the value
    _titled("“律师进小区”活动"),  # quotation marks inside a plain value
    _titled("标题\u3000副标题"),  # typography in a value
    ARTICLE.replace("source: 测试来源", "source: https://www.gov.cn/zhengce/"),
    ARTICLE.replace("summary: 测试摘要。", "summary: |\n  第一行 key:value\n  title：照录"),  # text of a block scalar
    ARTICLE + "\n　　首行缩进两个全角空格的段落。\n\n```text\n#\u00a0代码里的内容不是标题\n```\n",
])
def test_correct_text_gets_no_slip(tmp_path: Path, text: str) -> None:
    assert _problems(tmp_path, text) == []


@given(key=st.sampled_from(["title", "date", "source", "summary", "slug"]),
       space=st.sampled_from(sorted(set(INVISIBLE_SPACES) - TYPOGRAPHIC_SPACES)))
def test_any_invisible_space_after_any_colon_is_named_at_its_column(key: str, space: str) -> None:
    lines = ARTICLE.split("\n")
    number = next(index for index, line in enumerate(lines) if line.startswith(f"{key}: "))
    lines[number] = lines[number].replace(": ", ":" + space, 1)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        problems = _problems(Path(folder), "\n".join(lines))
    assert _where(problems) == [(number + 1, len(key) + 2, "yaml-invisible-space")]
    assert f"U+{ord(space):04X}" in problems[0].message


@pytest.mark.parametrize(("field", "value", "meant"), [
    ("tags", ["律师进社区"], "律师进小区"),  # a word from memory
    ("tags", ["法律名白人"], "法律明白人"),  # the pinyin input method's same-sound character
    ("categories", ["行政服议"], "行政复议"),
])
def test_a_near_miss_value_gets_a_suggestion(field: str, value: list[str], meant: str) -> None:
    data = frontmatter.read(Path(__file__).parents[1] / "docs/articles/posts" / "lawyers-in-communities.md").data
    problems = schema.validate("article", {**data, field: value})
    assert [problem.code for problem in problems] == [f"meta-{field}"]
    assert f"是不是“{meant}”？" in problems[0].message


def test_a_misspelt_field_name_gets_a_suggestion() -> None:
    data = frontmatter.read(Path(__file__).parents[1] / "docs/articles/posts" / "lawyers-in-communities.md").data
    problems = schema.validate("article", {**data, "sumary": "x"})
    assert any("是不是“summary”？" in problem.message for problem in problems)


# ---- Quotations and figures against the report's original ----

ORIGINAL = "测试原文。全年开展主题法治宣传教育活动15个,开展宣传活动40余场次。\n受益群众2万余人次。\n"


def _quotation_findings(tmp_path: Path, body: str, original: str = ORIGINAL, **fields: str) -> list[Finding]:
    root = write_clean_site(tmp_path)
    (root / "docs/reports/2024/2024-annual-report.txt").write_text(original, encoding="utf-8")
    (root / "docs/articles/posts/quoting.md").write_text(article("quoting", body=body, **fields), encoding="utf-8")
    context = Context(root=root, docs=root / "docs", today=TODAY)
    return [f for f in quotations.check(context) if f.path.endswith("quoting.md")]


def test_a_changed_figure_in_a_quotation_shows_the_original_and_the_difference(tmp_path: Path) -> None:
    found = _quotation_findings(tmp_path, "> 全年开展主题法治宣传教育活动16个,开展宣传活动40余场次。\n", source="2024年度法治政府建设工作报告")
    assert [(f.line, f.code) for f in found] == [(11, "quote-not-in-report")]
    message = found[0].message
    assert "全年开展主题法治宣传教育活动15个,开展宣传活动40余场次。" in message  # the nearest original sentence
    assert "原文是“15个”，这里是“16个”" in message and "第 1 行" in message
    assert "> 全年开展主题法治宣传教育活动16个"[found[0].column - 1:].startswith(("16", "6"))


def test_a_full_width_comma_is_not_the_originals_ascii_one(tmp_path: Path) -> None:
    found = _quotation_findings(tmp_path, "> 全年开展主题法治宣传教育活动15个，开展宣传活动40余场次。\n", report_ref="reports/2024/part-1.md")
    assert [f.code for f in found] == ["quote-not-in-report"] and "原文是“个,开”，这里是“个，开”" in found[0].message


def test_faithful_quotations_pass_however_they_are_wrapped_or_emphasised(tmp_path: Path) -> None:
    body = ("依据原文：\n\n> 全年开展主题法治宣传教育活动**15个**,\n> 开展宣传活动40余场次。\n\n"
            "> 受益群众2万余人次。\n\n## 要点\n\n- 主题法治宣传教育活动：15个。\n\n[报告](../../reports/2024/part-1.md)\n\n"
            "```text\n代码中的 999 不是文章的数字\n```\n")
    assert _quotation_findings(tmp_path, body, report_ref="reports/2024/part-1.md") == []


def test_a_figure_the_report_does_not_have_is_found_in_title_summary_and_body(tmp_path: Path) -> None:
    found = _quotation_findings(tmp_path, "全年活动150个。\n", report_ref="reports/2024/part-1.md", summary="共16个。", title="活动1个")
    assert [(f.line, f.column, f.code, re.search("数字“(.+?)”", f.message).group(1)) for f in found] == [  # type: ignore[union-attr]
        (2, 10, "number-not-in-report", "1"), (5, 11, "number-not-in-report", "16"), (12, 5, "number-not-in-report", "150"),
    ]


def test_an_article_that_cites_no_report_is_not_held_to_one(tmp_path: Path) -> None:
    assert _quotation_findings(tmp_path, "> 任何引文16个。\n") == []


def test_a_report_the_site_does_not_have_is_a_warning(tmp_path: Path) -> None:
    found = _quotation_findings(tmp_path, "> 引文。\n", source="2031年度法治政府建设工作报告")
    assert [(f.severity, f.code) for f in found] == [("warning", "quote-no-original")]


def test_the_untouched_template_gets_only_placeholder_findings_on_its_placeholder_lines(tmp_path: Path) -> None:
    """Not "rename the file to 在这里写网址名.md": a line still holding a placeholder gets that one finding."""
    root = write_clean_site(tmp_path)
    template = (Path(__file__).parents[1] / "templates/article.md").read_text(encoding="utf-8")
    (root / "docs/articles/posts/new-one.md").write_text(template, encoding="utf-8")
    findings = [f for f in run_all(Context(root=root, docs=root / "docs", today=TODAY)) if f.path.endswith("new-one.md")]
    lines = template.split("\n")
    for finding in findings:
        if "在这里" in lines[finding.line - 1]:
            assert finding.code == "unfinished-placeholder", finding.text()
    assert not any("在这里写网址名.md" in finding.text() for finding in findings)
    assert {f.code for f in findings} >= {"unfinished-placeholder"}


def test_a_document_citing_the_report_names_only_what_the_report_says(tmp_path: Path) -> None:
    root = write_clean_site(tmp_path)
    (root / "docs/reports/2024/2024-annual-report.txt").write_text(ORIGINAL + "印发《测试文件甲》。\n", encoding="utf-8")
    documents = root / "docs/policies/documents.yml"
    text = documents.read_text(encoding="utf-8").replace("source: 测试出处", "source: 2024年度法治政府建设工作报告")
    documents.write_text(text, encoding="utf-8")
    context = Context(root=root, docs=root / "docs", today=TODAY)
    assert quotations.check(context) == []  # its title is in the report, the rest is empty
    documents.write_text(text.replace("  doc_number:\n", "  doc_number: 测发〔2024〕1号\n")
                         .replace("source: 2024", "note: 报告原文：印发《测试文件乙》。\n  source: 2024"), encoding="utf-8")
    found = sorted(quotations.check(Context(root=root, docs=root / "docs", today=TODAY)))
    assert [(f.line, f.code) for f in found] == [(4, "record-not-in-report"), (9, "record-not-in-report")]
    assert "测发〔2024〕1号" in found[0].message and "原文是“件甲》”，这里是“件乙》”" in found[1].message


def test_a_figure_with_another_unit_is_not_the_reports(tmp_path: Path) -> None:
    """The report's 15 is “15个”: “15%” is another figure. Thousands separators are layout."""
    found = _quotation_findings(tmp_path, "活动下降15%，受益群众2万余人次。\n", report_ref="reports/2024/part-1.md")
    assert [f.code for f in found] == ["number-not-in-report"]
    assert "“15%”在" in found[0].message and "原文中的 15 写的是“15个”" in found[0].message
    assert _quotation_findings(tmp_path / "again", "共15个活动，40余场次。\n", report_ref="reports/2024/part-1.md") == []
    thousands = ORIGINAL.replace("2万余人次", "1400余人次")
    assert _quotation_findings(tmp_path / "thousands", "受益群众1,400余人次。\n", report_ref="reports/2024/part-1.md", original=thousands) == []


@pytest.mark.parametrize(("text", "expected"), [
    (ARTICLE + "\n＞ 引文。\n", [(13, 1, "body-fullwidth-marker")]),
    (ARTICLE + "\n＃ 标题\n", [(13, 1, "body-fullwidth-marker")]),
    (_titled('"律师进小区"活动'), [(2, 15, "yaml-quote-then-text")]),
    (_titled("开展活动 #普法"), [(2, 13, "yaml-comment-in-value")]),
])
def test_more_slips_of_a_chinese_keyboard(tmp_path: Path, text: str, expected: list[tuple[int, int, str]]) -> None:
    assert _where(_problems(tmp_path, text)) == expected


# ---- Where staff put files, and what the fix then says ----

P = "docs/articles/posts/"


@pytest.mark.parametrize(("files", "expected", "words"), [
    ({P + "notepad.md.txt": article("notepad")}, ("docs/articles/posts/notepad.md.txt", 0, "file-page-saved-as-text"), "notepad.md"),
    ({"docs/articles/lost.md": article("lost")}, ("docs/articles/lost.md", 1, "article-outside-posts"), "docs/articles/posts/lost.md"),
    ({P + "Capital-File.md": article("capital-file")}, (P + "Capital-File.md", 8, "meta-slug-file-name"), "改名为“capital-file.md”"),
    ({P + "no-slug.md": article("no-slug").replace("slug: no-slug\n", "")}, (P + "no-slug.md", 2, "meta-required"), "slug: no-slug"),
    ({P + "heading.md": article("heading", body="# 另一个标题\n\n正文。\n")}, (P + "heading.md", 11, "article-heading-differs"), "另一个标题"),
    ({P + "twin.md": article("twin", title="同名文章"), P + "twin-2.md": article("twin-2", title="同名文章")},
     (P + "twin.md", 2, "article-duplicate-title"), "twin-2.md"),
    ({P + "flag.md": article("flag", draft="是")}, (P + "flag.md", 9, "meta-type"), "true"),
])
def test_where_staff_put_things_gets_a_fix_that_works(tmp_path: Path, files: dict[str, str], expected: tuple[str, int, str], words: str) -> None:
    root = write_clean_site(tmp_path)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    findings = run_all(Context(root=root, docs=root / "docs", today=TODAY))
    matching = [f for f in findings if (f.path, f.line, f.code) == expected]
    assert matching, "\n".join(f.text() for f in findings)
    assert words in matching[0].message + matching[0].fix
    assert "去掉值两边的引号" not in matching[0].fix  # nothing was quoted
    if expected[2] == "article-outside-posts":
        assert not [f for f in findings if f.path == expected[0] and f.code == "meta-unknown-field"]


def test_a_utf16_file_gets_one_message(tmp_path: Path) -> None:
    """Notepad's “Unicode” is UTF-16: one finding that says so, not a dozen about NULs."""
    path = tmp_path / "utf16.md"
    path.write_bytes(ARTICLE.encode("utf-16"))
    problems = frontmatter.read(path, "utf16.md").problems
    assert [(p.line, p.code) for p in problems] == [(1, "file-encoding")] and "UTF-16" in problems[0].message


HOSTILE_BODIES = {
    "unclosed-brackets": "[" * 40_000 + "]:",
    "image-openers": "！[" * 40_000,
    "unclosed-tags": "<a " * 40_000,
    "link-openers": "](" * 40_000,
    "figures": "1," * 40_000 + "个",
    "long-quotation": "> " + "全年" * 40_000,
}


def test_pasted_garbage_gets_findings_not_a_hang(tmp_path: Path) -> None:
    """Python-Markdown's time grows with the square of unclosed "[" and "<" in a block
    (40,000 took minutes): such a block is refused before anything renders it, and the
    quotation and figure rules read each line once. The whole check of six such pages stays
    within seconds (tests/test_input_limits.py bounds the source rules the same way)."""
    root = write_clean_site(tmp_path)
    for name, body in HOSTILE_BODIES.items():
        (root / f"docs/articles/posts/{name}.md").write_text(article(name, body=body + "\n", report_ref="reports/2024/part-1.md"), encoding="utf-8")
    started = time.monotonic()
    findings = run_all(Context(root=root, docs=root / "docs", today=TODAY))
    assert time.monotonic() - started < 30, "the checker took too long on pasted garbage"
    refused = {f.path.rsplit("/", 1)[-1] for f in findings if f.code == "body-unclosed-brackets"}
    assert refused == {"unclosed-brackets.md", "image-openers.md", "unclosed-tags.md"}
    assert all(len([f for f in findings if f.path.endswith(f"{name}.md")]) <= 30 for name in HOSTILE_BODIES)
