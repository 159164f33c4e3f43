"""Chinese-aware Markdown (fazhi.cjk_markdown): line breaks between Chinese characters show
as nothing (Pandoc's east_asian_line_breaks) and underscore emphasis works next to Chinese
characters, rendered with the site's own extension list read from mkdocs.yml."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi import cjk_markdown
from fazhi.checks import rendering
from fazhi.sources import dates, siteconfig

from collections_site import build, copy_site, search_index_text
from conftest import REPO

EXTENSION = "fazhi.cjk_markdown"


@cache
def site_extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    """markdown_extensions of mkdocs.yml, as the checker reads them."""
    return siteconfig.markdown_extensions(siteconfig.load(REPO / "mkdocs.yml"))


def render(text: str, *, without_cjk: bool = False) -> str:
    names, configs = site_extensions()
    if without_cjk:
        names = [name for name in names if name != EXTENSION]
    return markdown.markdown(text, extensions=names, extension_configs=configs)


# ---- Line breaks ----

LINE_BREAKS = [
    # (Markdown, expected HTML)
    ("集群\n注册", "<p>集群注册</p>"),
    ("依法行政，\n建设法治政府。", "<p>依法行政，建设法治政府。</p>"),  # ， U+FF0C is full-width (F)
    ("集群 \n  注册", "<p>集群注册</p>"),  # one trailing space and the indentation belong to the break
    ("集群\n注册\n登记", "<p>集群注册登记</p>"),
    ("English\n中文", "<p>English\n中文</p>"),  # a narrow character on one side: a space, as in Pandoc
    ("中文\nEnglish", "<p>中文\nEnglish</p>"),
    ("中文,\n中文", "<p>中文,\n中文</p>"),  # an ASCII comma is narrow
    ("共13\n件", "<p>共13\n件</p>"),
    # “ ” are East Asian Width "ambiguous": narrow for Pandoc, so the break stays a space.
    # Curly quotes are ambiguous width: next to a Chinese character they join as Chinese
    # punctuation; next to English text they keep the space.
    ("“两书同达”\n制度", "<p>“两书同达”制度</p>"),
    ("中文：\n“两书同达”", "<p>中文：“两书同达”</p>"),
    ("said “yes”\nthen", "<p>said “yes”\nthen</p>"),
    ("“两书同达”\n“法律明白人”", "<p>“两书同达”\n“法律明白人”</p>"),
    # Hard breaks stay: two trailing spaces make <br>; Python-Markdown has no backslash break,
    # so a trailing backslash stays as written (and, a narrow character, keeps its newline).
    ("集群  \n注册", "<p>集群<br />\n注册</p>"),
    ("集群\\\n注册", "<p>集群\\\n注册</p>"),
    # At an inline element the element's own first or last character counts.
    ("集群\n[注册](a.md)", '<p>集群<a href="a.md">注册</a></p>'),
    ("[集群](a.md)\n注册", '<p><a href="a.md">集群</a>注册</p>'),
    ("[集群\n注册](a.md)", '<p><a href="a.md">集群注册</a></p>'),
    ("全年办理\n**行政复议案件**\n共计", "<p>全年办理<strong>行政复议案件</strong>共计</p>"),
    ("**集群\n注册**", "<p><strong>集群注册</strong></p>"),
    ("[Link](a.md)\n注册", '<p><a href="a.md">Link</a>\n注册</p>'),
    ("中文\n![图](a.png)", '<p>中文\n<img alt="图" src="a.png" /></p>'),  # an image has no text
    ("中文<span>注册</span>\n中文", "<p>中文<span>注册</span>\n中文</p>"),  # raw HTML is left as written
    # Code is never changed; beside it, its visible characters count.
    ("中文`代码`\n中文", "<p>中文<code>代码</code>中文</p>"),
    ("中文\n`code`中文", "<p>中文\n<code>code</code>中文</p>"),
    ("`集群\n注册`", "<p><code>集群\n注册</code></p>"),
    ("    集群\n    注册", "<pre><code>集群\n注册\n</code></pre>"),
    ("```\n集群\n注册\n```", '<div class="highlight"><pre><span></span><code>集群\n注册\n</code></pre></div>'),
    ("<kbd>集群\n注册</kbd>", "<p><kbd>集群\n注册</kbd></p>"),  # raw inline tags: no elements, still kept
    ("<code>**集群**\n注册</code>", "<p><code><strong>集群</strong>\n注册</code></p>"),
    ("按<kbd>键</kbd>后集群\n注册", "<p>按<kbd>键</kbd>后集群注册</p>"),
    # Blocks.
    ("- 集群\n  注册\n- 第二项", "<ul>\n<li>集群注册</li>\n<li>第二项</li>\n</ul>"),
    ("1. 集群\n   注册", "<ol>\n<li>集群注册</li>\n</ol>"),
    ("> 集群\n> 注册", "<blockquote>\n<p>集群注册</p>\n</blockquote>"),
    ("术语\n:   定义\n    续行", "<dl>\n<dt>术语</dt>\n<dd>定义续行</dd>\n</dl>"),
    ('!!! note "提示"\n    集群\n    注册', '<div class="admonition note">\n<p class="admonition-title">提示</p>\n<p>集群注册</p>\n</div>'),
    ('??? note "提示"\n    集群\n    注册', "<details class=\"note\">\n<summary>提示</summary>\n<p>集群注册</p>\n</details>"),
    ("<div markdown>\n集群\n注册\n</div>", "<div>\n<p>集群注册</p>\n</div>"),
    ("集群\n注册\n{: .lead }", '<p class="lead">集群注册</p>'),  # attr_list still finds its attributes
    ("集群\n注册 HTML\n\n*[HTML]: 超文本", '<p>集群注册 <abbr title="超文本">HTML</abbr></p>'),
    ("<div>\n集群\n注册\n</div>", "<div>\n集群\n注册\n</div>"),  # a raw HTML block is left as written
    ("| 列一 | 列二 |\n| --- | --- |\n| 集群 | 注册 |",
     "<table>\n<thead>\n<tr>\n<th>列一</th>\n<th>列二</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>集群</td>\n<td>注册</td>\n</tr>\n</tbody>\n</table>"),
]


@pytest.mark.parametrize("text,expected", LINE_BREAKS, ids=[case[0] for case in LINE_BREAKS])
def test_line_breaks(text: str, expected: str) -> None:
    assert render(text) == expected


def test_tabbed_content_is_joined() -> None:
    assert "<p>集群注册</p>" in render('=== "标签"\n\n    集群\n    注册\n')


def test_footnote_text_is_joined_and_its_reference_keeps_the_break() -> None:
    html = render("中文[^1]\n中文\n\n[^1]: 注释\n    续行")
    # The reference shows "1" (narrow): the break after it stays, as in Pandoc (a note has no text).
    assert '<a class="footnote-ref" href="#fn:1">1</a></sup>\n中文</p>' in html
    assert "<p>注释续行&#160;" in html


def test_headings_keep_their_ids() -> None:
    # Headings are one line: their text and so their ids (pymdownx.slugs) are as before.
    for heading in ("## 一、聚焦科学民主，提升质效", "### （一）深入学习贯彻习近平法治思想", "## 2024 年度"):
        assert render(heading) == render(heading, without_cjk=True)


def test_is_wide_follows_east_asian_width() -> None:
    assert all(cjk_markdown.is_wide(char) for char in "中文，。：；！？（）《》【】、　ａ１ぁア한")
    assert not any(cjk_markdown.is_wide(char) for char in "a1,.“”‘’…—·é ")
    assert not cjk_markdown.is_wide(None)


CJK_TEXT = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from("，。、：；！？（）《》【】"), min_size=1, max_size=12)
BREAKS = st.sampled_from(["\n", " \n", "\n ", "\n   "])


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(CJK_TEXT, min_size=1, max_size=8), breaks=st.data())
def test_wrapped_chinese_renders_as_the_unwrapped_text(lines: list[str], breaks: st.DataObject) -> None:
    text = lines[0] + "".join(breaks.draw(BREAKS) + line for line in lines[1:])
    assert render(text) == f"<p>{''.join(lines)}</p>"


# ---- Emphasis ----

EMPHASIS = [
    ("全年办理__行政复议案件13件__，办结率100%。", "<p>全年办理<strong>行政复议案件13件</strong>，办结率100%。</p>"),
    ("办理**行政复议案件13件**，", "<p>办理<strong>行政复议案件13件</strong>，</p>"),
    ("**“两书同达”**制度", "<p><strong>“两书同达”</strong>制度</p>"),
    ("“__法律明白人__”", "<p>“<strong>法律明白人</strong>”</p>"),
    ("“_法律明白人_”", "<p>“<em>法律明白人</em>”</p>"),
    ("推行_首违不罚_模式", "<p>推行<em>首违不罚</em>模式</p>"),
    ("推行*首违不罚*模式", "<p>推行<em>首违不罚</em>模式</p>"),
    ("__粗体__开头", "<p><strong>粗体</strong>开头</p>"),
    ("结尾__粗体__", "<p>结尾<strong>粗体</strong></p>"),
    ("达到__100%__，", "<p>达到<strong>100%</strong>，</p>"),
    ("（__重点__）", "<p>（<strong>重点</strong>）</p>"),
    ("《__条例__》", "<p>《<strong>条例</strong>》</p>"),
    ("使用_App_办理", "<p>使用<em>App</em>办理</p>"),
    ("制度__“两书同达”__和__“法律明白人”__工程", "<p>制度<strong>“两书同达”</strong>和<strong>“法律明白人”</strong>工程</p>"),
    ("*中文*与**中文**与***中文***", "<p><em>中文</em>与<strong>中文</strong>与<strong><em>中文</em></strong></p>"),
    ("__集群\n注册__", "<p><strong>集群注册</strong></p>"),
    # Underscores inside an ASCII word stay literal, next to Chinese or not.
    ("part_1.md 与 snake_case_name", "<p>part_1.md 与 snake_case_name</p>"),
    ("见https://example.com/a_b_c.html页面", "<p>见https://example.com/a_b_c.html页面</p>"),
    ("foo__bar__baz中文", "<p>foo__bar__baz中文</p>"),
    ("中__a__b", "<p>中__a__b</p>"),
    ("a__中__b", "<p>a__中__b</p>"),
    ("中文_snake_case", "<p>中文_snake_case</p>"),
    # Three or more underscores keep Python-Markdown's rule: fill-in blanks stay literal.
    ("本人____，身份证号____。", "<p>本人____，身份证号____。</p>"),
    ("___强调___中文", "<p>___强调___中文</p>"),
    # Escapes and code are untouched.
    ("中文\\_强调\\_中文", "<p>中文_强调_中文</p>"),
    ("中文`__代码__`中文", "<p>中文<code>__代码__</code>中文</p>"),
    # The rule's consequence: underscores between Chinese and other characters are emphasis,
    # so a file name written in prose needs a code span or escapes (\_) to keep them.
    ("汽开区_2024_报告", "<p>汽开区<em>2024</em>报告</p>"),
    ("`汽开区_2024_报告.pdf`", "<p><code>汽开区_2024_报告.pdf</code></p>"),
]


@pytest.mark.parametrize("text,expected", EMPHASIS, ids=[case[0] for case in EMPHASIS])
def test_emphasis(text: str, expected: str) -> None:
    assert render(text) == expected


ASCII_ONLY = [
    "snake_case_name and part_1.md",
    "http://example.com/a_b_c",
    "_em_ and __strong__ and ___both___",
    "foo_bar_ _baz_",
    "**bold**text and *em*text",
    "a__b__c __d__e f__g__",
    "line one\nline two  \nline three",
    "- item_one\n- item __two__",
    "“_quoted_” and (__bracketed__)",
    "café_au_lait _café_",
]


@pytest.mark.parametrize("text", ASCII_ONLY)
def test_text_without_chinese_renders_as_before(text: str) -> None:
    assert render(text) == render(text, without_cjk=True)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab1_ *\n.,:é-(\"”"), max_size=30))
def test_any_text_without_chinese_renders_as_before(text: str) -> None:
    assert render(text) == render(text, without_cjk=True)


def test_the_underscore_pattern_names_its_groups_for_the_delimiter_processor() -> None:
    # Python-Markdown reads the first letter of the group name: a(mbiguous), e(nd), s(tart).
    pattern = cjk_markdown.underscore_boundary()
    cases = [("理__行政__，", 1, "a"), ("理__行政__，", 5, "a"), ("__中", 0, "s"), ("中__", 1, "e"), ("a_b", 1, None)]
    for text, position, kind in cases:
        match = pattern.match(text, position)
        assert (match.lastgroup[0] if match and match.lastgroup else None) == kind, (text, position)


# ---- The site: build and checker ----


def test_mkdocs_yml_lists_the_extension_and_the_checker_renders_with_it() -> None:
    names, configs = site_extensions()
    assert EXTENSION in names
    markdown.Markdown(extensions=names, extension_configs=configs)  # importable, no fallback needed
    # The checker's ids come from the same rendering: `__13件__` is emphasis, not part of the id.
    assert rendering.render("## 办理__13件__\n", (names, configs)).ids == {"办理13件"}


ARTICLE_TITLE = "企业集群注册改革试点"
WRAPPED_BODY = "汽开区推行企业集群\n注册改革，为__小微企业__提供\n住所托管服务。"


def test_built_article_and_search_index_show_the_wrapped_phrase_joined(tmp_path: Path) -> None:
    config = copy_site(tmp_path)
    today: dt.date = dates.today()
    (tmp_path / "docs/articles/posts/cluster-registration.md").write_text(
        f"---\ntitle: {ARTICLE_TITLE}\ndate: {today.isoformat()}\nsource: 测试来源\nsummary: 测试摘要。\n"
        f"categories:\n  - 普法宣传\ntags: []\nslug: cluster-registration\n---\n\n# {ARTICLE_TITLE}\n\n{WRAPPED_BODY}\n",
        encoding="utf-8",
    )
    site = build(config)
    page = (site / "articles/cluster-registration/index.html").read_text(encoding="utf-8")
    assert "<p>汽开区推行企业集群注册改革，为<strong>小微企业</strong>提供住所托管服务。</p>" in page
    index = search_index_text(site)
    assert "企业集群注册改革" in index and "提供住所托管服务" in index
    assert "集群 注册" not in index and "集群\\n注册" not in index


def test_an_emphasis_api_it_does_not_know_stops_the_build() -> None:
    md = markdown.Markdown()
    md.delimiters = None  # as on Python-Markdown before 3.11, which had no delimiter processor
    with pytest.raises(RuntimeError, match="Python-Markdown 3.11"):
        cjk_markdown.makeExtension().extendMarkdown(md)


def test_a_non_smart_underscore_is_left_alone() -> None:
    # legacy_em makes `_` work inside words already; the extension does not change that.
    text = "snake_case_name 与 中文_强调_中文"
    legacy = markdown.markdown(text, extensions=["legacy_em"])
    assert markdown.markdown(text, extensions=["legacy_em", EXTENSION]) == legacy
