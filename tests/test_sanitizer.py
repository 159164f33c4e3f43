"""The page HTML allowlist (fazhi.safety): what it may never admit, that the site's own
Markdown passes it unchanged, that findings name exactly what it removed, and that the
checker refuses or warns with file:line for each raw-HTML attempt of issue 12."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import nh3
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from fazhi.checks import Context, run_all
from fazhi.safety import allowlist
from fazhi.safety.escaping import markdown_text, template_values
from fazhi.safety.sanitizer import _elements, clean, removals
from fazhi.sources import siteconfig

from checker_corpus import REPO, TODAY, article, write_clean_site

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

NEVER_TAGS = {"script", "style", "meta", "base", "form", "iframe", "object", "embed", "link", "frame", "svg:script"}


def test_the_allowlist_never_admits_active_markup() -> None:
    assert not NEVER_TAGS & allowlist.TAGS
    for tag, names in allowlist.ATTRIBUTES.items():
        assert not {name for name in names if name.lower().startswith("on")}, tag
        assert "style" not in {name.lower() for name in names}, tag
        assert not {"srcset", "action", "formaction", "http-equiv", "srcdoc"} & names, tag
    assert {"http", "https", "mailto", "tel"} >= allowlist.URL_SCHEMES


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "vbscript:x",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "ftp://example.org/", "blob:https://a/b",
])
def test_no_other_url_scheme_survives(url: str) -> None:
    cleaned = clean(f'<a href="{url}">x</a><img src="{url}" alt="x">')
    assert "href" not in cleaned and "src=" not in cleaned, cleaned


@pytest.mark.parametrize("url", ["https://www.gov.cn/", "http://example.org/a?b=1", "mailto:a@example.org", "tel:0431-1", "../a/", "#anchor", "x.pdf"])
def test_links_the_site_uses_survive(url: str) -> None:
    assert f'href="{url}"' in clean(f'<a href="{url}">x</a>')


def test_images_load_only_from_this_site() -> None:
    assert clean('<img src="images/a.png" alt="a">') == '<img src="images/a.png" alt="a">'
    for src in ("https://evil.example/a.png", "//evil.example/a.png", "http://a/b.png", "\\\\evil.example/a.png",
                "\\\t\\\\evil.example/../a.png", "/\t/evil.example/a.png", " \x01//evil.example/a.png"):
        assert "src" not in clean(f'<img src="{src}" alt="a">'), src


HOSTILE_HTML = [
    "<script>alert(1)</script>", "<svg onload=alert(1)>", "<img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<base href=https://evil.example/>",
    "<style>body{display:none}</style>", '<p style="position:fixed;inset:0">x</p>', '<form action="https://evil.example/"><input name=q></form>',
    '<img src="a.png" srcset="https://evil.example/a.png 2x" alt="a">', '<link rel=stylesheet href="https://evil.example/x.css">',
    '<a href="javascript:alert(1)">x</a>', "<iframe src=https://evil.example/></iframe>", '<p id="__config">x</p>',
    "<svg><foreignObject><div onclick=alert(1)>x</div></foreignObject></svg>", '<input type="text" name="q">',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "<details open ontoggle=alert(1)>x</details>",
    "<font color=red>x</font>", "<!-- note --><p>x</p>", "<scr<script>ipt>alert(1)</script>",
]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(pieces=st.lists(st.sampled_from(HOSTILE_HTML) | st.text(max_size=8), max_size=5))
@example(pieces=HOSTILE_HTML)
def test_cleaned_html_has_nothing_outside_the_allowlist(pieces: list[str]) -> None:
    """Whatever goes in, what comes out is inside the allowlist, and cleaning again changes
    nothing; the removals say what went, and nothing went when none are listed."""
    html = "".join(pieces)
    cleaned = clean(html)
    for tag, attributes in _elements(cleaned):
        assert tag in allowlist.TAGS, tag
        allowed = allowlist.ATTRIBUTES["*"] | allowlist.ATTRIBUTES.get(tag, frozenset()) | set(allowlist.ATTRIBUTE_VALUES.get(tag, {}))
        for _, name, value in attributes:
            assert name in {allowed_name.lower() for allowed_name in allowed}, (tag, name, value)
            assert not name.startswith("on")
    assert clean(cleaned) == cleaned
    if not removals(html, cleaned):
        assert {tag for tag, _ in _elements(html)} <= {tag for tag, _ in _elements(cleaned)}


def test_the_sites_own_markdown_passes_unchanged() -> None:
    """Every construct of the site's Markdown extensions (mkdocs.yml) keeps all its markup."""
    names, settings_ = siteconfig.markdown_extensions(siteconfig.load(REPO / "mkdocs.yml"))
    converter = markdown.Markdown(extensions=names, extension_configs=settings_)
    rendered = converter.convert(CONSTRUCTS)
    assert removals(rendered, clean(rendered)) == []


CONSTRUCTS = """\
# 标题

## 小节 {: #custom .fazhi-note }

正文 **粗** *斜* `代码` [链接](https://www.gov.cn/) [本站](../a.md#x) 脚注[^1] HTML 缩写。

*[HTML]: 超文本标记语言

[^1]: 脚注内容。

| 左 | 中 | 右 |
|----|----|----|
| 1  | 2  | 3  |

术语
:   定义

!!! note "提示"
    内容

??? info "展开"
    内容

=== "甲"
    甲的内容

=== "乙"
    乙的内容

```python
print("x")
```

<div class="fazhi-figure" markdown>
**卡片**
</div>

- 列表
    1. 有序

> 引用

![说明](images/a.png)

---
"""


def test_markdown_text_renders_as_the_characters_written() -> None:
    converter = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "admonition", "def_list", "abbr", "footnotes"])
    for value in ["*a* _b_ `c` [d](javascript:x) <b>e</b> {: onclick=x } | f | &amp;", "# 1. > - + !!! ??? === :", "‹标题› <标题>"]:
        rendered = converter.reset().convert(f"前{markdown_text(value)}后")
        assert [tag for tag, _ in _elements(rendered)] == ["p"], rendered
        assert lxml_html.fragment_fromstring(rendered).text_content() == f"前{' '.join(value.split())}后"


def test_template_values_escape_every_string_once() -> None:
    meta = template_values({"title": "<b>&", "tags": ["<i>"], "search": {"exclude": True}, "year": 2024})
    assert meta["title"] == "&lt;b&gt;&amp;" and meta["tags"] == ["&lt;i&gt;"]
    assert meta["search"] == {"exclude": True} and meta["year"] == 2024
    assert template_values(meta) == meta  # escaping is done once, never twice


RAW_HTML_FINDINGS = [
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "error", "unsafe-meta"),
    ("<base href=https://evil.example/>", "error", "unsafe-base"),
    ("<style>body{display:none}</style>", "error", "unsafe-style"),
    ('<form action="https://evil.example/"><input name=q></form>', "error", "unsafe-form"),
    ('<img src="https://evil.example/a.png" alt="外部">', "error", "unsafe-external-resource"),
    ('<img src="../../assets/logo.png" srcset="https://evil.example/a.png 2x" alt="a">', "error", "unsafe-external-resource"),
    ('<link rel=stylesheet href="https://evil.example/x.css">', "error", "unsafe-link"),
    ('<p id="__search">x</p>', "error", "unsafe-id"),
    ('<label for="__drawer">打开菜单</label>', "error", "unsafe-id"),
    ('<p class="md-dialog md-dialog--active">系统通知</p>', "warning", "html-removed"),
    ('<q cite="javascript:alert(1)">引语</q>', "warning", "html-removed"),
    ('<p style="position:fixed;inset:0">覆盖</p>', "warning", "html-removed"),
    ("<font color=red>红字</font>", "warning", "html-removed"),
]


@pytest.mark.parametrize(("markup", "severity", "code"), RAW_HTML_FINDINGS, ids=[f"{code}-{index}" for index, (_, _, code) in enumerate(RAW_HTML_FINDINGS)])
def test_raw_html_gets_a_finding_at_its_line(tmp_path: Path, markup: str, severity: str, code: str) -> None:
    root = write_clean_site(tmp_path / "site")
    (root / "docs/articles/posts/raw.md").write_text(article("raw", body=f"# 标题\n\n正文。\n\n{markup}\n"), encoding="utf-8")
    findings = run_all(Context(root=root, docs=root / "docs", today=TODAY))
    ours = [(f.line, f.severity, f.code) for f in findings if f.path == "docs/articles/posts/raw.md"]
    assert (15, severity, code) in ours, ours
    assert all(f.message and f.fix for f in findings)


def test_nh3_is_the_sanitizer() -> None:
    """The allowlist is nh3's, not a cleaner of our own: the same call with the same sets."""
    html = '<p onclick="x" class="a">t<script>s</script></p>'
    assert clean(html) == nh3.clean(html, tags=set(allowlist.TAGS), attributes={k: set(v) for k, v in allowlist.ATTRIBUTES.items()},
                                    clean_content_tags=set(allowlist.CLEAN_CONTENT), link_rel=None, url_schemes=set(allowlist.URL_SCHEMES))


def test_many_removals_are_answered_at_once(tmp_path: Path) -> None:
    """Thousands of different removed addresses: ten findings and a count, in seconds (the
    first version looked each one up from the top of the page)."""
    root = write_clean_site(tmp_path / "site")
    body = "\n\n".join(f'<a href="javascript:void{number}">x</a>' for number in range(5000))
    (root / "docs/articles/posts/many.md").write_text(article("many", body=f"# 标题\n\n{body}\n"), encoding="utf-8")
    findings = [f for f in run_all(Context(root=root, docs=root / "docs", today=TODAY)) if f.path.endswith("many.md")]
    assert [f.line for f in findings if f.code == "unsafe-javascript-url"] == [13 + 2 * n for n in range(11)]
    assert "共 5000 处" in findings[-1].message


def test_undeclared_front_matter_never_reaches_a_page(tmp_path: Path) -> None:
    """Material prints `author` raw into <meta>: an undeclared key is reported as unknown
    and left out of page.meta, and mapping keys are escaped as well as values."""
    root = write_clean_site(tmp_path / "site")
    about = root / "docs/about/index.md"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "title: 关于本站\n", "title: 关于本站\nauthor: {'\"><script>alert(1)</script><x y=\"': 1}\n", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")], cwd=root,
                            capture_output=True, text=True, env={**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((tmp_path / "out/about/index.html").read_bytes())
    assert not page.xpath("//meta[@name='author']") and "alert(1)" not in " ".join(page.xpath("//script/text()"))
    assert template_values({"m": {"<k>": "<v>"}}) == {"m": {"&lt;k&gt;": "&lt;v&gt;"}}
