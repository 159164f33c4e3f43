"""Every field is text: hostile strings in every field of every content type at once, one
strict build per example (issue 12).

For each generated value, one copy of the checker's corpus site gets that value in every
free-text field: an article's title, summary, source, description and change note, a page's
title, a policy document's and a list's text fields, a list's CSV cells, and the figure
cards' groups, labels and chart titles. The strict build either refuses with a Chinese
`file:line` finding (and no traceback), or publishes the values as inert text: every output
file parses as HTML, XML, JSON or CSV, and has no element, attribute or URL scheme that the
same site built with harmless values lacks; the served CSV starts no cell with a formula
character. Hypothesis draws the values (derandomized, so CI runs the same examples every
time); every attempt from the issue is an @example."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from checker_corpus import TODAY, article, write_clean_site

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

ENV = {**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
POST = "docs/articles/posts/hostile.md"
SENTENCE = "全年办理法律援助案件15件。"
ORIGINAL = f"测试原文。\n{SENTENCE}\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Pieces of the attempts that broke out of a field before (issue 12, items 1, 10 and 12).
ATTACKS = [
    "</title><script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><img src=x onerror=alert(3)>',
    "摘要\n{: onfocus=alert(4) autofocus tabindex=0 }",
    "<svg onload=alert(5)>",
    "[点我](javascript:alert(6))",
    "javascript:alert(7)",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<base href=https://evil.example/>",
    "<style>body{display:none}</style>",
    '<a href="https://evil.example/" style="position:fixed;inset:0">',
    "*强调* _下划_ `代码` **粗** ~~删~~",
    "# 标题\n\n1. 列表\n> 引用\n| a | b |\n|---|---|",
    "!!! warning \"警告\"\n\n    内容",
    "&lt;script&gt;alert(8)&lt;/script&gt; &amp; &#60;b&#62;",
    "‹标题› <标题> \\<转义\\>",
    "=HYPERLINK(\"https://evil.example\",\"点我\")",
    "+1+2", "-2-3", "@SUM(A1:A2)", "\t=1",
    "]]></title><![CDATA[", "{{ config }}", "{% raw %}",
    "\u00a0\u3000\u200b",
    "]: https://evil.example/ *[缩写]: 定义",
]
SAFE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
HOSTILE = st.lists(st.sampled_from(ATTACKS) | SAFE_TEXT, min_size=1, max_size=4).map("".join)


def write_site(root: Path, value: str) -> Path:
    """The corpus site with `value` in every free-text field of every content type."""
    write_clean_site(root)
    text = f"测试{value}"  # never empty: an empty required field is a plain finding, not an attack
    fields = {"title": text, "source": text, "summary": text, "description": text,
              "changes": [{"date": "2025-04-29", "note": text}]}
    (root / POST).write_text(_markdown_page(_article_meta("hostile", fields), f"# 标题\n\n正文{SENTENCE}\n"), encoding="utf-8")
    (root / "docs/about/index.md").write_text(_markdown_page({"title": text}, "# 关于本站\n\n[回到首页](../index.md)\n"), encoding="utf-8")
    document = {"title": text, "index_no": text, "issuer": text, "doc_number": text, "written_date": None, "date": "2025-04-01",
                "topic": text, "validity": "失效", "validity_notice": text, "validity_date": "2025-04-02", "source": text, "note": text}
    _write_yaml(root / "docs/policies/documents.yml", [document])
    listing = {"title": text, "issuer": text, "date": "2025-04-01", "level": text, "count": 2, "count_text": text,
               "source": text, "validity": "有效", "note": text}
    _write_yaml(root / "docs/policies/lists/items.yml", listing)
    rows = io.StringIO()
    csv.writer(rows).writerows([["事项", "类型"], [text, value or "甲"], ["乙", text]])
    (root / "docs/policies/lists/items.csv").write_text(rows.getvalue(), encoding="utf-8")
    (root / "docs/reports/2024/2024-annual-report.txt").write_text(ORIGINAL, encoding="utf-8")
    _write_yaml(root / "docs/reports/2024/figures.yml", {
        "source_file": "2024-annual-report.txt",
        "charts": {"cases": {"title": text}},
        "figures": [{"group": text, "value": 15, "unit": "件", "label": text, "sentence": SENTENCE,
                     "page": "part-1.md", "chart": "cases"}],
    })
    (root / "docs/reports/2024/figures.md").write_text(
        _markdown_page({"title": "年度数据", "year": 2024, "issuer": "测试机关", "date": "2025-03-20", "source_file": "2024-annual-report.txt"},
                       "# 年度数据\n\n<!-- fazhi:figures -->\n\n<!-- fazhi:chart cases -->\n"), encoding="utf-8")
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
                          cwd=root, capture_output=True, text=True, env=ENV, timeout=120)


def vocabulary(site: Path) -> dict[str, set[Any]]:
    """What the built site is made of, per output kind: HTML elements, attributes and URL
    schemes; XML elements; JSON shapes; CSV column counts. Values are left out: those are
    the fields' text."""
    found: dict[str, set[Any]] = {"html": set(), "xml": set(), "json": set(), "csv": set()}
    for path in sorted(site.rglob("*")):
        if path.is_dir() or "assets" in path.relative_to(site).parts[:1]:
            continue
        data = path.read_bytes()
        if path.suffix == ".html":
            for element in lxml_html.fromstring(data).iter():
                if not isinstance(element.tag, str):
                    continue
                found["html"].add(element.tag)
                for name, value in element.attrib.items():
                    found["html"].add((element.tag, name))
                    if name in ("href", "src", "action", "content") and ":" in value.split("/")[0]:
                        found["html"].add((element.tag, name, urlsplit(value).scheme))
        elif path.suffix == ".xml":
            found["xml"] |= {element.tag for element in ElementTree.fromstring(data).iter()}
        elif path.suffix == ".json":
            found["json"] |= _json_keys(json.loads(data))
        elif path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            found["csv"] |= {len(row) for row in rows}
            for row in rows[1:]:
                for cell in row:
                    assert not cell.startswith(FORMULA_START), f"{path}: formula not neutralised: {cell!r}"
    return found


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[Any]]:
    root = write_site(tmp_path_factory.mktemp("baseline") / "site-src", "文本")
    result = build(root)
    assert result.returncode == 0, result.stderr
    return vocabulary(root / "site")


@settings(max_examples=int(os.environ.get("FAZHI_HOSTILE_EXAMPLES", "10")), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=HOSTILE)
@example(value="</title><script>alert(1)</script>")
@example(value="<img src=x onerror=alert(2)>")
@example(value='"><img src=x onerror=alert(3)>')
@example(value="摘要\n{: onfocus=alert(4) autofocus tabindex=0 }")
@example(value="[链接](javascript:alert(6)) <svg onload=alert(5)>")
@example(value='<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href=https://evil.example/>')
@example(value="=HYPERLINK(\"https://evil.example\",\"x\")")
@example(value="‹标题› <标题>")
@example(value="\x1b")
@example(value="\x0b摘要")
def test_hostile_values_are_refused_or_inert(value: str, baseline: dict[str, set[Any]], tmp_path_factory: pytest.TempPathFactory) -> None:
    root = write_site(tmp_path_factory.mktemp("hostile") / "site-src", value)
    result = build(root)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    if result.returncode != 0:
        # Refused: with the checker's Chinese file:line message.
        assert "错误" in output and "docs/" in output, output
        return
    built = vocabulary(root / "site")
    for kind, items in built.items():
        assert items <= baseline[kind], f"{kind}: the value {value!r} added {sorted(map(str, items - baseline[kind]))}"
    shutil.rmtree(root)


# ---- Helper functions ----


def _article_meta(slug: str, fields: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = yaml.safe_load(article(slug).split("---\n")[1])
    meta.update(fields)
    return meta


def _markdown_page(meta: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def _write_yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _json_keys(data: object) -> set[str]:
    """The file's shape: the search index is keyed by the characters and words it indexes,
    so its keys are content, not structure."""
    return {type(data).__name__}


def test_fields_show_exactly_as_written(tmp_path: Path) -> None:
    """Issue 12, item 12: `‹` and `<` in a title showed a stray backslash in the article
    list. Every list, heading and card shows a field's characters, no more, no fewer."""
    value = "‹标题› <标题> *星* \\反斜杠 [方括号] {: .x } #井号 1. &amp;"
    root = write_site(tmp_path / "site-src", value)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = f"测试{value}"
    site = root / "site"
    texts = {
        "article list heading": lxml_html.fromstring((site / "articles/index.html").read_bytes()).xpath("//article//h2/a[1]"),
        "document heading": lxml_html.fromstring((site / "policies/documents/index.html").read_bytes()).xpath("//article//h2"),
        "figure group": lxml_html.fromstring((site / "reports/2024/figures/index.html").read_bytes()).xpath("//article//h2"),
    }
    for where, elements in texts.items():
        assert shown in [" ".join(element.text_content().replace("¶", "").split()) for element in elements], where
    page = lxml_html.fromstring((site / "articles/hostile/index.html").read_bytes())
    assert page.findtext(".//title").startswith(shown)
    assert page.xpath("//meta[@name='description']/@content") == [shown]
