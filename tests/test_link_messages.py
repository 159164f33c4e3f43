"""The link and image messages staff read: one answer on where images go (docs/assets/images/,
written from the page's own folder), the path that exists for a wrong one (“是不是……？”), a
Windows path shown as typed at its line, a root-absolute link's fix that works, the nearest
heading for a wrong anchor, and a link or image typed with a Chinese keyboard. Every
suggested path is tried: put in place of the wrong one, the finding goes away."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from fazhi.checks import Context, run_all, site_links
from fazhi.findings import Finding
from fazhi.sources.suggest import nearest_anchor

from checker_corpus import PNG, REAL_ANCHOR, TODAY, P, article, write_clean_site

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

ENCODED_ANCHOR = "%E4%B8%80%E8%81%9A%E7%84%A6%E6%B3%95%E6%B2%BB%E6%80%9D%E7%BB%B4%E7%BB%9F%E7%AD%B9%E5%8D%8F%E8%B0%83"
SUGGESTED = re.compile(r"是不是“([^”]+)”？")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_clean_site(tmp_path)
    (root / "docs/assets/images").mkdir(parents=True)
    (root / "docs/assets/images/a.png").write_bytes(PNG)
    return root


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def post(slug: str, body: str = "正文。\n", **fields: str) -> dict[str, str]:
    """One article with a title of its own (two articles of one title are a finding)."""
    return {f"{P}{slug}.md": article(slug, title=f"链接测试{slug}", body=body, **fields)}


def findings(root: Path) -> list[Finding]:
    return [f for f in run_all(Context(root=root, docs=root / "docs", today=TODAY)) if f.severity in ("error", "warning")]


def only(root: Path, path: str) -> Finding:
    [finding] = [f for f in findings(root) if f.path == path]
    return finding


def replace_in(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- 1. One answer on where images go ----

IMAGE_PAGES = {  # docs-relative page -> how it writes docs/assets/images/
    "articles/posts/img.md": "../../assets/images/",
    "about/img.md": "../assets/images/",
    "img.md": "assets/images/",
}


def _page(relative: str, body: str) -> dict[str, str]:
    if relative.startswith("articles/posts/"):
        return post(posixpath.basename(relative)[:-3], body)
    return {f"docs/{relative}": f"---\ntitle: 图片测试\n---\n\n{body}"}


@pytest.mark.parametrize("relative", list(IMAGE_PAGES))
@pytest.mark.parametrize("body, code", [
    ("![外部图片](https://evil.example/a.png)\n", "unsafe-external-resource"),
    ("![](../../assets/logo.png)\n", "image-alt-missing"),
    ('<font color="red">红字</font>\n', "html-removed"),
])
def test_image_guidance_is_docs_assets_images_from_the_page(site: Path, relative: str, body: str, code: str) -> None:
    write(site, _page(relative, body))
    [finding] = [f for f in findings(site) if f.path == f"docs/{relative}" and f.code == code]
    text = finding.message + finding.fix
    assert "posts/images" not in text and "](images/" not in text and "图片.png" not in text
    example = re.search(r"!\[[^\]]+\]\(([^)]+)\)", finding.fix)
    assert example and example.group(1).startswith(IMAGE_PAGES[relative]), finding.fix
    # The example, read from the page's own folder, is a file in docs/assets/images/.
    assert posixpath.dirname(posixpath.normpath(posixpath.join(posixpath.dirname(relative), example.group(1)))) == "assets/images"
    if code == "unsafe-external-resource":
        assert "docs/assets/images/" in finding.fix


def test_an_image_on_the_authors_computer_is_said_so(site: Path) -> None:
    write(site, post("local", "![照片](C:\\Users\\张三\\Desktop\\a.png)\n"))
    finding = only(site, P + "local.md")
    assert finding.code == "unsafe-external-resource" and "电脑上" in finding.message and "其他网站" not in finding.message
    assert "../../assets/images/" in finding.fix


# ---- 2. A wrong image path gets the one that exists ----

@pytest.mark.parametrize("written", ["assets/images/a.png", "../assets/images/a.png", "../../A.png", "../../assets/a.png"])
def test_a_wrong_image_path_suggests_the_file_of_that_name(site: Path, written: str) -> None:
    write(site, post("wrong", f"正文。\n\n![示意图]({written})\n"))
    finding = only(site, P + "wrong.md")
    assert (finding.line, finding.column, finding.code) == (13, 8, "link-missing")
    assert finding.message == f"链接的图片“{written}”不存在。是不是“../../assets/images/a.png”？"
    assert ".md" not in finding.fix
    replace_in(site, P + "wrong.md", f"({written})", "(../../assets/images/a.png)")
    assert findings(site) == []


def test_a_missing_image_without_a_namesake_says_where_images_go(site: Path) -> None:
    write(site, post("none", "![示意图](../../assets/images/nothing.png)\n"))
    finding = only(site, P + "none.md")
    assert "是不是" not in finding.message and ".md" not in finding.fix
    assert "docs/assets/images/" in finding.fix and "“../../assets/images/" in finding.fix


def test_two_files_of_that_name_suggest_neither(site: Path) -> None:
    (site / "docs/about/a.png").write_bytes(PNG)
    write(site, post("twice", "![示意图](a.png)\n"))
    assert "是不是" not in only(site, P + "twice.md").message


def test_a_windows_path_is_shown_as_typed_at_its_line(site: Path) -> None:
    written = "..\\..\\assets\\images\\a.png"
    write(site, post("windows", f"正文。\n\n第二段。\n\n![示意图]({written})\n"))
    finding = only(site, P + "windows.md")
    assert (finding.line, finding.column, finding.code) == (15, 8, "link-backslash")
    assert f"“{written}”" in finding.message and "路径要用“/”，不要用“\\”" in finding.message
    assert not re.search("[\x00-\x1f]", finding.text()) and "46" not in finding.message
    assert finding.fix == "改成“../../assets/images/a.png”。"
    replace_in(site, P + "windows.md", written, "../../assets/images/a.png")
    assert findings(site) == []


def test_a_backslash_escape_markdown_reads_is_no_windows_path(site: Path) -> None:
    """`a\\_b.png` is `a_b.png` to Markdown and the browser: the file of that name is found."""
    (site / "docs/assets/images/a_b.png").write_bytes(PNG)
    write(site, post("escaped", "![示意图](../../assets/images/a\\_b.png)\n\n![另一张](../../assets/images/c\\_d.png)\n"))
    finding = only(site, P + "escaped.md")
    assert (finding.line, finding.code) == (13, "link-missing") and "“../../assets/images/c_d.png”" in finding.message


# ---- 3. A root-absolute link's suggestion works ----

@pytest.mark.parametrize("written, meant", [
    ("/reports/2024/part-1/", "../../reports/2024/part-1.md"),
    ("/reports/2024/part-1/index.html", "../../reports/2024/part-1.md"),
    ("/fazhi/reports/2024/part-1/", "../../reports/2024/part-1.md"),
    ("/about/", "../../about/index.md"),
    ("/articles/good/", "good.md"),
    ("/articles/category/fa-lv-yuan-zhu/", "../category/fa-lv-yuan-zhu.md"),
    (f"/reports/2024/part-1/#{REAL_ANCHOR}", f"../../reports/2024/part-1.md#{REAL_ANCHOR}"),
])
def test_a_root_absolute_link_suggests_the_md_source_that_exists(site: Path, written: str, meant: str) -> None:
    write(site, post("absolute", f"[原文]({written})\n"))
    finding = only(site, P + "absolute.md")
    assert finding.code == "link-root-absolute" and finding.fix == f"改用相对于本页的路径“{meant}”。"
    replace_in(site, P + "absolute.md", f"({written})", f"({meant})")
    assert findings(site) == []


def test_a_root_absolute_link_to_nothing_suggests_no_path(site: Path) -> None:
    write(site, post("absolute", "[原文](/reports/2099/part-9/)\n"))
    finding = only(site, P + "absolute.md")
    assert finding.code == "link-root-absolute" and "“../../”" in finding.fix and "2099" not in finding.fix


def test_a_page_written_as_the_address_bar_shows_it_gets_its_md_file(site: Path) -> None:
    write(site, post("address", "[原文](../../reports/2024/part-1/)\n"))
    finding = only(site, P + "address.md")
    assert "是不是“../../reports/2024/part-1.md”？" in finding.message


# ---- 4. A wrong anchor gets the nearest heading ----

def test_a_wrong_anchor_suggests_the_nearest_heading(site: Path) -> None:
    write(site, post("anchor", "[原文](../../reports/2024/part-1.md#一聚焦法治思维统筹)\n"))
    finding = only(site, P + "anchor.md")
    assert finding.code == "link-anchor-missing" and f"是不是“#{REAL_ANCHOR}”？" in finding.message


def test_the_nearest_anchor_by_characters_then_by_sound() -> None:
    assert nearest_anchor("一巨焦法制思维", {REAL_ANCHOR, "二深化改革", "__drawer"}) == REAL_ANCHOR
    assert nearest_anchor("发驴明摆人", {"法律明白人", "二深化改革"}) == "法律明白人"  # same sound: pinyin
    assert nearest_anchor("no-such-heading", {REAL_ANCHOR, "__drawer"}) is None
    assert nearest_anchor("__drawe", {"__drawer"}) is None


def test_a_wrong_report_ref_anchor_suggests_the_nearest_heading(site: Path) -> None:
    write(site, post("ref", report_ref="reports/2024/part-1.md#一聚焦法治思维"))
    finding = only(site, P + "ref.md")
    assert (finding.line, finding.code) == (9, "meta-anchor-missing") and f"是不是“#{REAL_ANCHOR}”？" in finding.message


@pytest.mark.parametrize("copied", [
    f"http://127.0.0.1:8000/reports/2024/part-1/#{ENCODED_ANCHOR}",
    "http://localhost:8000/reports/2024/part-1/#一聚焦法治思维统筹",  # and a slip in the anchor
    f"https://fazhi.example.gov.cn/fazhi/reports/2024/part-1/#{REAL_ANCHOR}",
    f"../../reports/2024/part-1.md#{REAL_ANCHOR}",
])
def test_a_report_ref_copied_from_the_browser_says_what_to_write(site: Path, copied: str) -> None:
    write(site, post("ref", report_ref=f'"{copied}"'))
    finding = only(site, P + "ref.md")
    meant = f"reports/2024/part-1.md#{REAL_ANCHOR}"
    assert (finding.line, finding.code) == (9, "meta-link-missing") and finding.fix == f"写成 {meant}。"
    replace_in(site, P + "ref.md", f'"{copied}"', meant)
    assert findings(site) == []


def test_a_report_ref_to_another_sites_page_gets_no_guess(site: Path) -> None:
    write(site, post("ref", report_ref='"https://www.gov.cn/"'))
    assert "reports/2024/part-1.md" in only(site, P + "ref.md").fix  # the usual example only
    assert "写成" not in only(site, P + "ref.md").fix


def test_the_built_site_check_suggests_the_nearest_id_too(tmp_path: Path) -> None:
    ids = {"part-1/index.html": {REAL_ANCHOR, "__drawer"}}
    problem = site_links._check("index.html", "part-1/#一聚焦法治思维统筹", {"index.html", "part-1/index.html"}, ids, tmp_path)
    assert problem is not None and problem[0] == "link-anchor-missing" and f"是不是“#{REAL_ANCHOR}”？" in problem[1]


# ---- 5. A link or image typed with a Chinese keyboard ----

IMAGE = "../../assets/images/a.png"
PAGE = "../../reports/2024/part-1.md"


@pytest.mark.parametrize("line, column, severity, code, marks, meant", [
    (f"正文！[法律援助站]（{IMAGE}）", 3, "error", "image-fullwidth-syntax", "“!”“(”“)”", f"![法律援助站]({IMAGE})"),
    (f"![法律援助站]（{IMAGE}）", 1, "error", "image-fullwidth-syntax", "“(”“)”", f"![法律援助站]({IMAGE})"),
    (f"正文！[法律援助站]({IMAGE})", 3, "warning", "image-fullwidth-syntax", "“!”", f"![法律援助站]({IMAGE})"),
    (f"见[报告]（{PAGE}）。", 2, "warning", "link-fullwidth-syntax", "“(”“)”", f"[报告]({PAGE})"),
    ("见[政府网]（https://www.gov.cn）", 2, "warning", "link-fullwidth-syntax", "“(”“)”", "[政府网](https://www.gov.cn)"),
    (f"见[报告]({PAGE}）", 2, "warning", "link-fullwidth-syntax", "“)”", f"[报告]({PAGE})"),
    # The “！” ends a sentence when what follows is a page: a link, the “！” left as it is.
    ("好消息！[详情]（../../about/index.md）", 5, "warning", "link-fullwidth-syntax", "“(”“)”", "[详情](../../about/index.md)"),
])
def test_chinese_punctuation_in_link_syntax_is_found_where_it_is(site: Path, line: str, column: int, severity: str, code: str,
                                                                  marks: str, meant: str) -> None:
    write(site, post("typed", f"正文。\n\n{line}\n"))
    finding = only(site, P + "typed.md")
    assert (finding.line, finding.column, finding.severity, finding.code) == (13, column, severity, code)
    assert finding.fix == f"用英文的{marks}，写成 {meant}。"
    fixed = line[:column - 1] + meant + ("。" if line.endswith("。") else "")
    replace_in(site, P + "typed.md", line, fixed)
    assert findings(site) == []


def test_the_fix_names_only_the_marks_typed_in_chinese(site: Path) -> None:
    write(site, post("typed", "！[法律援助站]（../../assets/images/a.png）\n\n![站]（../../assets/images/a.png）\n"))
    first, second = sorted((f for f in findings(site) if f.path == P + "typed.md"), key=lambda f: f.line)
    assert "用英文的“!”“(”“)”" in first.fix and "用英文的“(”“)”" in second.fix


@pytest.mark.parametrize("body", [
    "```\n！[说明]（路径/a.png）\n```\n",
    "~~~markdown\n[报告]（../../reports/2024/part-1.md）\n~~~\n",
    "写法示例：`![说明]（../../assets/images/a.png）`。\n",
    "好消息！[注]（见第三页）\n",  # a note in brackets, not an address
    "[注]（见附件）和（其他说明）\n",
])
def test_code_and_ordinary_brackets_are_not_reported(site: Path, body: str) -> None:
    write(site, post("plain", body))
    assert [f for f in findings(site) if f.path == P + "plain.md"] == []
