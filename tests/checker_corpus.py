"""A small clean site written into a temporary folder for the checker's tests, and the
faults injected into it with their ground truth (file, line, finding code).

Everything is generated here; nothing is committed as content. Today is fixed at
TODAY so freshness and future-date rules are deterministic."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

TODAY = dt.date(2025, 5, 1)

REPO = Path(__file__).resolve().parents[1]

# A real MkDocs project: the site's theme (overrides/ is copied in by write_clean_site) and
# plugin, the repository's `validation:` block, strict. The identifiers are the fazhi
# plugin's options, where the checker's identifiers check reads them.
MKDOCS_YML = """\
site_name: 测试站点
site_url: !ENV [SITE_URL, ""]
strict: true
theme:
  name: material
  custom_dir: overrides
  language: zh-CN
  font: false
plugins:
  - search:
      lang: zh
  - fazhi:
      government:
        organizer: 测试主办单位
        contact: 测试联系方式
        icp: 测试ICP备案号
        police_record: 测试公安备案号
        site_id_code: 测试标识码
        # Keep this comment after site_id_code: tests/test_check.py deletes that line from
        # its fifth character on, and what is left of it joins this comment.
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
  nav:
    omitted_files: ignore
    not_found: warn
    absolute_links: warn
"""


def article(slug: str, date: str = "2025-04-28", body: str = "正文。\n", **fields: str) -> str:
    meta = {
        "title": f"法律援助“半小时服务圈”（{slug}）",  # one title per article: two alike are a warning
        "date": date,
        # Not a report: a corpus article that names one is checked against its original.
        "source": "测试来源",
        "summary": "测试摘要。",
        "categories": "[法律援助]",
        "tags": "[半小时服务圈]",
        "slug": slug,
        **fields,
    }
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\n{lines}---\n\n{body}"


CLEAN_FILES: dict[str, str] = {
    "docs/index.md": textwrap.dedent("""\
        ---
        title: 首页
        ---

        # 测试站点

        [文章](articles/posts/good.md)，[报告](reports/2024/index.md)，[关于](about/index.md)。

        [原样的中文锚点](reports/2024/part-1.md#一聚焦法治思维统筹协调)

        [编码的中文锚点](reports/2024/part-1.md#%E4%B8%80%E8%81%9A%E7%84%A6%E6%B3%95%E6%B2%BB%E6%80%9D%E7%BB%B4%E7%BB%9F%E7%AD%B9%E5%8D%8F%E8%B0%83)

        [本页标题](#测试站点)

        ![汽开区标志](assets/logo.png)

        [来信](mailto:office@example.gov.cn) [电话](tel:0431-00000000) [外部](https://www.gov.cn/)

        [原文下载](reports/2024/2024-annual-report.txt)

        ## 最新文章

        <!-- fazhi:latest-articles -->
        """),
    "docs/articles/index.md": "---\ntitle: 普法文章\n---\n\n# 普法文章\n\n<!-- fazhi:article-list -->\n",
    "docs/policies/index.md": "---\ntitle: 政策文件与清单\n---\n\n# 政策文件与清单\n\n<!-- fazhi:policy-index -->\n",
    "docs/about/index.md": "---\ntitle: 关于本站\n---\n\n# 关于本站\n\n[回到首页](../index.md)\n",
    "docs/reports/2024/index.md": textwrap.dedent("""\
        ---
        title: 测试年度报告
        year: 2024
        issuer: 测试机关
        date: 2025-03-20
        source_file: 2024-annual-report.txt
        ---

        # 测试年度报告

        - [第一部分](part-1.md)
        """),
    "docs/reports/2024/part-1.md": textwrap.dedent("""\
        ---
        title: 一、第一部分
        year: 2024
        issuer: 测试机关
        date: 2025-03-20
        source_file: 2024-annual-report.txt
        ---

        # 一、第一部分

        ## (一)聚焦法治思维、统筹协调

        内容。
        """),
    "docs/reports/2024/2024-annual-report.txt": "测试原文。\n",
    "docs/articles/posts/good.md": article("good", report_ref="reports/2024/part-1.md#一聚焦法治思维统筹协调",
                                           body="# 法律援助“半小时服务圈”（good）\n\n见[报告](../../reports/2024/part-1.md)。\n"),
    "docs/articles/posts/later.md": article("later", date="2025-06-01", draft="true"),
    "docs/policies/documents.yml": textwrap.dedent("""\
        - title: 测试文件甲
          index_no:
          issuer:
          doc_number:
          written_date:
          date: 2025-04-01
          topic:
          validity: 有效
          source: 测试出处
        """),
    "docs/policies/lists/items.yml": textwrap.dedent("""\
        title: 测试清单
        issuer: 测试机关
        date: 2025-04-01
        level: 区本级
        count: 2
        source: 测试出处
        validity:
        """),
    "docs/policies/lists/items.csv": "事项,类型\n甲,许可\n乙,处罚\n",
}


def write_clean_site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name, content in CLEAN_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (root / "docs/assets").mkdir(parents=True, exist_ok=True)
    (root / "docs/assets/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def id_number(first17: str) -> str:
    """An 18-digit 身份证号 with the GB 11643-1999 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def luhn_number(first: str) -> str:
    """`first` plus the Luhn check digit."""
    total = 0
    for index, char in enumerate(reversed(first)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return first + str((10 - total % 10) % 10)


VALID_ID = id_number("22010119900307123")
INVALID_ID = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
CARD = luhn_number("622202020011234567")
NOT_A_CARD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)


# The finding codes that are warnings: a fault with only these passes scripts/check.py (without
# --strict) and the strict build alike; any other expected code is an error that stops both.
WARNING_CODES = frozenset({"file-bom", "file-crlf"})


@dataclass(frozen=True)
class Fault:
    name: str
    files: dict[str, bytes | str]  # written over the clean site
    expected: frozenset[tuple[str, int, str]]  # (path, line, code) of errors/warnings

    @property
    def refused(self) -> bool:
        """scripts/check.py exits 1 and `mkdocs build --strict` stops: an expected error."""
        return any(code not in WARNING_CODES for _path, _line, code in self.expected)


def fault(name: str, files: dict[str, bytes | str], *expected: tuple[str, int, str]) -> Fault:
    return Fault(name, files, frozenset(expected))


P = "docs/articles/posts/"

FAULTS: list[Fault] = [
    fault("malformed YAML", {P + "yaml.md": "---\ntitle: x\nsummary: 说明: 冒号\n---\n"},
          (P + "yaml.md", 3, "yaml-invalid")),
    fault("missing front matter", {P + "nofm.md": "# 只有标题\n"}, (P + "nofm.md", 1, "fm-missing")),
    fault("unclosed front matter", {P + "open.md": "---\ntitle: x\n"}, (P + "open.md", 1, "fm-unclosed")),
    fault("GBK-encoded", {P + "gbk.md": article("gbk").encode("gbk")}, (P + "gbk.md", 2, "file-encoding")),
    fault("BOM", {P + "bom.md": b"\xef\xbb\xbf" + article("bom").encode()}, (P + "bom.md", 1, "file-bom")),
    fault("CRLF", {P + "crlf.md": article("crlf").replace("\n", "\r\n")}, (P + "crlf.md", 1, "file-crlf")),
    fault("empty file", {P + "empty.md": ""}, (P + "empty.md", 1, "file-empty")),
    fault("missing required field", {P + "nodate.md": article("nodate").replace("date: 2025-04-28\n", "")},
          (P + "nodate.md", 2, "meta-required")),
    fault("unknown category", {P + "cat.md": article("cat", categories="[法律援助, 新闻]")},
          (P + "cat.md", 6, "meta-categories")),
    fault("unknown tag", {P + "badtag.md": article("badtag", tags="[热点]")}, (P + "badtag.md", 7, "meta-tags")),
    fault("future date without draft", {P + "future.md": article("future", date="2025-05-02")},
          (P + "future.md", 3, "meta-future-date")),
    fault("template placeholders left", {P + "todo.md": article("todo", summary="在这里写摘要", body="（在这里写正文。）\n")},
          (P + "todo.md", 5, "unfinished-placeholder"), (P + "todo.md", 11, "unfinished-placeholder")),
    fault("invalid calendar date", {P + "feb30.md": article("feb30", date="2024-02-30")},
          (P + "feb30.md", 3, "meta-date")),
    fault("duplicate slug", {P + "copy.md": article("good")},
          (P + "copy.md", 8, "meta-slug-file-name"), (P + "copy.md", 8, "meta-duplicate-slug"),
          (P + "good.md", 8, "meta-duplicate-slug"),
          (P + "copy.md", 2, "article-duplicate-title"), (P + "good.md", 2, "article-duplicate-title")),
    fault("repealed without notice", {"docs/policies/documents.yml": CLEAN_FILES["docs/policies/documents.yml"].replace("有效", "废止")},
          ("docs/policies/documents.yml", 8, "meta-required")),
    fault("csv with a short row", {"docs/policies/lists/items.csv": "事项,类型\n甲,许可\n乙\n"},
          ("docs/policies/lists/items.csv", 3, "csv-columns")),
    fault("root-absolute link", {P + "abs.md": article("abs", body="正文。\n\n[报告](/reports/2024/index.md)\n")},
          (P + "abs.md", 13, "link-root-absolute")),
    fault("missing page", {P + "nopage.md": article("nopage", body="[没有](../../nothing.md)\n")},
          (P + "nopage.md", 11, "link-missing")),
    fault("link to a draft", {P + "todraft.md": article("todraft", body="[草稿](later.md)\n")},
          (P + "todraft.md", 11, "link-missing")),
    fault("missing anchor, raw Chinese", {P + "raw.md": article("raw", body="[x](../../reports/2024/part-1.md#不存在的标题)\n")},
          (P + "raw.md", 11, "link-anchor-missing")),
    fault("missing anchor, percent-encoded",
          {P + "enc.md": article("enc", body="[x](../../reports/2024/part-1.md#%E4%B8%8D%E5%AD%98%E5%9C%A8)\n")},
          (P + "enc.md", 11, "link-anchor-missing")),
    fault("missing anchor on the same page", {P + "self.md": article("self", body="# 法律援助“半小时服务圈”（self）\n\n[x](#别的标题)\n")},
          (P + "self.md", 13, "link-anchor-missing")),
    fault("missing image", {P + "img.md": article("img", body="![图片说明](../../assets/none.png)\n")},
          (P + "img.md", 11, "link-missing")),
    fault("malformed external address", {P + "ext.md": article("ext", body="[外部](https://)\n")},
          (P + "ext.md", 11, "link-invalid")),
    fault("raw <script>", {P + "script.md": article("script", body="正文。\n\n<script>alert(1)</script>\n")},
          (P + "script.md", 13, "unsafe-script")),
    fault("raw <iframe>", {P + "iframe.md": article("iframe", body='<iframe src="https://example.com/"></iframe>\n')},
          (P + "iframe.md", 11, "unsafe-iframe")),
    fault("on*= handler", {P + "onclick.md": article("onclick", body='<p onclick="steal()">点我</p>\n')},
          (P + "onclick.md", 11, "unsafe-event-handler")),
    fault("javascript: URL", {P + "jsurl.md": article("jsurl", body="正文。\n\n[点我](javascript:alert(1))\n")},
          (P + "jsurl.md", 13, "unsafe-javascript-url")),
    fault("身份证号 with a valid check digit", {P + "idno.md": article("idno", body=f"号码 {VALID_ID}，另一个 {INVALID_ID}。\n")},
          (P + "idno.md", 11, "privacy-id-number")),
    fault("mobile number", {P + "mobile.md": article("mobile", body="联系 13800138000。\n")},
          (P + "mobile.md", 11, "privacy-mobile")),
    fault("Luhn-valid bank card", {P + "card.md": article("card", body=f"卡号 {CARD}，编号 {NOT_A_CARD}。\n")},
          (P + "card.md", 11, "privacy-bank-card")),
    fault("image without alt", {P + "alt.md": article("alt", body="![](../../assets/logo.png)\n")},
          (P + "alt.md", 11, "image-alt-missing")),
    fault("report_ref to a missing section",
          {P + "ref.md": article("ref", report_ref="reports/2024/part-1.md#不存在的章节")},
          (P + "ref.md", 9, "meta-anchor-missing")),
    fault("wrong word", {P + "word.md": article("word", body="着力为企业杼困解难。\n")},
          (P + "word.md", 11, "wording")),
]

# Faults that live in the site's configuration or age, not in one file.
FRESHNESS_TODAY = dt.date(2025, 7, 1)  # articles 64 days old, policies 91 days
NO_REPORT_TODAY = dt.date(2026, 4, 2)  # the 2025 report is due by 2026-04-01


# ---- The checker and the build agree (tests/test_agreement.py) ----


@dataclass(frozen=True)
class AgreementFault:
    """A case for the agreement test: scripts/check.py exits 1 exactly when the strict build
    stops. Besides every fault of FAULTS, the cases below, each with the verdict both must
    give and, where it is settled, the checker's findings (errors and warnings)."""

    name: str
    files: dict[str, bytes | str]  # written over the clean site
    refused: bool  # True: both stop; False: both accept
    expected: frozenset[tuple[str, int, str]] | None = None  # (path, line, code); None: not pinned
    # registry.yml text -> the text to run with: for a row that needs the registry changed.
    # src/fazhi/sources/schemas/ is copied and the copy used in both processes; the
    # package's own file is never touched.
    registry: Callable[[str], str] | None = None
    # (file under the built site, regular expression its text must match with tags removed)
    shows: tuple[str, str] | None = None


def agreement_fault(name: str, files: dict[str, bytes | str], refused: bool, *expected: tuple[str, int, str], pinned: bool = True,
                    registry: Callable[[str], str] | None = None, shows: tuple[str, str] | None = None) -> AgreementFault:
    return AgreementFault(name, files, refused, frozenset(expected) if pinned else None, registry=registry, shows=shows)


def _with_homophone_tag(registry_text: str) -> str:
    """A second allowed tag whose pinyin web name equals 权责清单's (quan-ze-qing-dan)."""
    assert "    - 权责清单\n" in registry_text, "registry.yml no longer lists the tag 权责清单"
    return registry_text.replace("    - 权责清单\n", "    - 权责清单\n    - 全责清单\n", 1)


FIGURES_WITH_A_WRONG_ANCHOR: dict[str, bytes | str] = {
    "docs/reports/2024/2024-annual-report.txt": "测试原文。全年办理案件12件。\n",
    "docs/reports/2024/figures.md": "---\ntitle: 数据一览\n---\n\n# 数据一览\n\n<!-- fazhi:figures -->\n",
    "docs/reports/2024/figures.yml": (
        "source_file: 2024-annual-report.txt\n"
        "figures:\n"
        "  - group: 案件\n"
        "    value: 12\n"
        "    unit: 件\n"
        "    label: 全年办理案件\n"
        "    sentence: 全年办理案件12件。\n"
        "    page: part-1.md\n"
        "    anchor: 不存在的小节\n"
    ),
}
REAL_ANCHOR = "一聚焦法治思维统筹协调"  # the heading 「(一)聚焦法治思维、统筹协调」 of reports/2024/part-1.md
NAV_WITH_A_MISSING_PAGE = MKDOCS_YML + "nav:\n  - 首页: index.md\n  - 没有这一页: nothing.md\n"
A = "docs/about/index.md"


def _about(*lines: str) -> str:
    """docs/about/index.md with `lines` added to its front matter (from line 3 on)."""
    return CLEAN_FILES[A].replace("title: 关于本站\n", "title: 关于本站\n" + "".join(f"{line}\n" for line in lines), 1)


AGREEMENT_FAULTS: list[AgreementFault] = [
    agreement_fault("percent-encoded anchor of a real heading",
                    {P + "encoded.md": article("encoded", body=f"[x](../../reports/2024/part-1.md#{quote(REAL_ANCHOR)})\n")},
                    False),
    agreement_fault("updated date in the future", {P + "updated.md": article("updated", updated="2099-01-01")},
                    True, (P + "updated.md", 9, "meta-future-date")),
    agreement_fault("<svg onload=…>", {P + "svg.md": article("svg", body='<svg onload="alert(1)"></svg>\n')},
                    True, (P + "svg.md", 11, "unsafe-event-handler")),
    # Issue 12: raw HTML outside the sanitizer's allowlist. Active markup stops both; the
    # rest is removed with a warning, and the page is published without it.
    agreement_fault("<meta http-equiv=refresh>", {P + "refresh.md": article("refresh", body='正文。\n\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n')},
                    True, (P + "refresh.md", 13, "unsafe-meta")),
    agreement_fault("image from another host", {P + "remote.md": article("remote", body="正文。\n\n![外部图片](https://evil.example/a.png)\n")},
                    True, (P + "remote.md", 13, "unsafe-external-resource")),
    agreement_fault("style= and <font> are removed", {P + "font.md": article("font", body='<p style="position:fixed;inset:0">覆盖</p>\n\n<font color="red">红字</font>\n')},
                    False, (P + "font.md", 11, "html-removed"), (P + "font.md", 13, "html-removed"),
                    shows=("articles/font/index.html", "覆盖.*红字")),
    agreement_fault("two tags with one pinyin web name", {}, True, pinned=False, registry=_with_homophone_tag),
    agreement_fault("icon the theme does not have", {A: _about("icon: no-such-icon")},
                    True, (A, 3, "meta-theme-icon")),
    agreement_fault("template the theme does not have", {A: _about("template: no-such.html")},
                    True, (A, 3, "meta-enum")),
    # Issue 12: Material's redirect.html publishes a meta refresh and a script to `location`.
    agreement_fault("template: redirect.html", {A: _about("template: redirect.html", "location: javascript:alert(1)")},
                    True, (A, 3, "meta-enum"), (A, 4, "meta-unknown-field")),
    agreement_fault("template: a partial", {A: _about("template: partials/toc-item.html")},
                    True, (A, 3, "meta-enum")),
    # A list's file name is written into the overview's links: Markdown in it would be live.
    agreement_fault("list file name with Markdown in it",
                    {"docs/policies/lists/x)**紧急**[热线](tel:+8612345678)(x.yml": CLEAN_FILES["docs/policies/lists/items.yml"]},
                    True, ("docs/policies/lists/x)**紧急**[热线](tel:+8612345678)(x.yml", 0, "list-file-name")),
    # report_ref becomes a Markdown link under the title: a path and an anchor only.
    agreement_fault("report_ref with Markdown in it",
                    {P + "ref.md": article("ref", report_ref='"reports/2024/part-1.md?x) **紧急**[点此](https://evil.example/) ("')},
                    True, (P + "ref.md", 9, "meta-pattern")),
    agreement_fault("hide that is not a list", {A: _about("hide: 5")},
                    True, (A, 3, "meta-type")),
    agreement_fault("quoted date", {P + "quoted.md": article("quoted", date='"2025-04-20"')},
                    False, shows=("articles/quoted/index.html", r"发布日期[：:\s]*2025-04-20")),
    agreement_fault("nav entry of a missing page", {"mkdocs.yml": NAV_WITH_A_MISSING_PAGE},
                    True, ("mkdocs.yml", NAV_WITH_A_MISSING_PAGE.count("\n"), "nav-missing")),
    agreement_fault("home page without its marker line",
                    {"docs/index.md": CLEAN_FILES["docs/index.md"].replace("<!-- fazhi:latest-articles -->\n", "")},
                    True, ("docs/index.md", 4, "marker-missing")),
    # MkDocs leaves a link to a folder as it is ("unrecognized relative link"): the clean site
    # links to about/index.md, as staff are told to.
    agreement_fault("link to a folder, not to its index.md",
                    {"docs/index.md": CLEAN_FILES["docs/index.md"].replace("(about/index.md)", "(about/)")},
                    True, ("docs/index.md", 7, "link-directory")),
    # Generated pages (category lists here) have headings too: an anchor on one is checked.
    agreement_fault("real anchor on a generated category page",
                    {P + "catlink.md": article("catlink", body="[x](../category/fa-lv-yuan-zhu.md#分类法律援助)\n")}, False),
    agreement_fault("missing anchor on a generated category page",
                    {P + "catnope.md": article("catnope", body="[x](../category/fa-lv-yuan-zhu.md#nope)\n")},
                    True, (P + "catnope.md", 11, "link-anchor-missing")),
    agreement_fault("figure card linking a missing section", FIGURES_WITH_A_WRONG_ANCHOR,
                    True, ("docs/reports/2024/figures.yml", 9, "figures-invalid")),
    agreement_fault("mistyped plugin setting", {"mkdocs.yml": MKDOCS_YML.replace("  - fazhi:\n", "  - fazhi:\n      home_lates: 3\n", 1)},
                    True, ("mkdocs.yml", MKDOCS_YML.split("\n").index("  - fazhi:") + 2, "config-plugin-option")),
]


# ---- What docs/ may publish (fazhi.checks.published_files, fazhi.checks.output_paths) ----

def _page(title: str) -> str:
    return f"---\ntitle: {title}\n---\n\n# {title}\n"


HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
    "<script>alert(document.cookie)</script>\n"
    '<rect width="10" height="10" onclick="steal()"/>\n'
    '<use xlink:href="https://example.com/sprite.svg#icon"/>\n'
    "</svg>\n"
)
# A drawing as editors save it: a gradient used through url(#id), a same-document <use>.
PLAIN_SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient></defs>\n'
    '<rect id="r" width="10" height="10" fill="url(#g)" style="stroke:url(#g)"/>\n'
    '<use href="#r" x="1"/>\n'
    "</svg>\n"
)
# CSS escapes and image-set(), which a list of bad words (url(, @import) missed.
CSS_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
    '<style>@\\69mport "https://example.com/x.css";</style>\n'
    '<rect width="10" height="10" style="fill:u\\72l(https://example.com/p.svg#a)"/>\n'
    "</svg>\n"
)
DRAFT_WITH_AN_IMAGE = article("later", date="2025-06-01", draft="true", body="![草稿中的图片](../../assets/draft-only.png)\n")
PNG = b"\x89PNG\r\n\x1a\n"

PUBLISHED_FILES_FAULTS: list[AgreementFault] = [
    # MkDocs builds a .markdown file as a page, outside the site's rules: this draft would be published.
    agreement_fault(".markdown page (a draft with <script>)",
                    {"docs/about/x.markdown": "---\ntitle: x\ndraft: true\n---\n\n<script>alert(1)</script>\n"},
                    True, ("docs/about/x.markdown", 0, "file-page-extension")),
    agreement_fault(".MD page (copied as it is)", {"docs/about/notes.MD": "# 笔记\n\n<script>alert(1)</script>\n"},
                    True, ("docs/about/notes.MD", 0, "file-page-extension")),
    agreement_fault("undeclared script", {"docs/assets/javascripts/x.js": "alert(1);\n"},
                    True, ("docs/assets/javascripts/x.js", 0, "file-type-not-allowed")),
    agreement_fault("HTML file", {"docs/about/page.html": "<script>alert(1)</script>\n"},
                    True, ("docs/about/page.html", 0, "file-type-not-allowed")),
    agreement_fault("SVG with a script, a handler and an external link", {"docs/assets/evil.svg": HOSTILE_SVG},
                    True, ("docs/assets/evil.svg", 2, "svg-unsafe"), ("docs/assets/evil.svg", 3, "svg-unsafe"),
                    ("docs/assets/evil.svg", 4, "svg-unsafe")),
    agreement_fault("plain SVG drawing",
                    {"docs/assets/plain.svg": PLAIN_SVG,
                     "docs/about/index.md": CLEAN_FILES[A] + "\n![示意图](../assets/plain.svg)\n"}, False),
    agreement_fault("source at the feed's address", {"docs/feed.xml": "<feed/>\n"},
                    True, ("docs/feed.xml", 0, "file-docs-root"), ("docs/feed.xml", 0, "output-path-clash")),
    agreement_fault("page at an article's address", {"docs/articles/good/index.md": _page("同名页面")},
                    True, ("docs/articles/good/index.md", 1, "output-path-clash"), (P + "good.md", 1, "output-path-clash")),
    agreement_fault("x.md and x/index.md", {"docs/about/x.md": _page("甲"), "docs/about/x/index.md": _page("乙")},
                    True, ("docs/about/x.md", 1, "output-path-clash"), ("docs/about/x/index.md", 1, "output-path-clash")),
    agreement_fault("page at a list's generated page", {"docs/policies/lists/items.md": _page("同名清单")},
                    True, ("docs/policies/lists/items.md", 1, "output-path-clash")),
    agreement_fault("page at a generated tag page", {"docs/articles/tag/ban-xiao-shi-fu-wu-quan.md": _page("标签")},
                    True, ("docs/articles/tag/ban-xiao-shi-fu-wu-quan.md", 1, "output-path-clash")),
    agreement_fault("page in the search index folder", {"docs/search/index.md": _page("搜索")},
                    True, ("docs/search/index.md", 1, "output-path-clash")),
    agreement_fault("404.md", {"docs/404.md": _page("找不到页面")}, True, ("docs/404.md", 1, "output-path-clash")),
    agreement_fault("data file nothing reads", {"docs/about/contacts.csv": "姓名,电话\n甲,1\n"},
                    False, ("docs/about/contacts.csv", 0, "file-data-unused")),
    agreement_fault("image only a draft uses", {"docs/assets/draft-only.png": PNG, P + "later.md": DRAFT_WITH_AN_IMAGE}, False),
    # Red-team review (issue 12): a file at the site's root speaks for the whole domain; the
    # article list's page 2 does not exist until the 21st article, and would then clash.
    agreement_fault("robots.txt at the docs root", {"docs/robots.txt": "User-agent: *\nDisallow: /\n"},
                    True, ("docs/robots.txt", 0, "file-docs-root")),
    agreement_fault("page where the article list's page 2 will be", {"docs/articles/page/2.md": _page("第二页")},
                    True, ("docs/articles/page/2.md", 1, "output-path-clash")),
    agreement_fault("SVG with CSS that loads from another host", {"docs/assets/css.svg": CSS_SVG},
                    True, ("docs/assets/css.svg", 2, "svg-unsafe"), ("docs/assets/css.svg", 3, "svg-unsafe")),
]
AGREEMENT_FAULTS += PUBLISHED_FILES_FAULTS

# ---- Issue 13: the slips staff make, each at its own line, in both front ends ----

# The corpus report's original (clean site): one sentence with a figure to misquote.
QUOTED_REPORT: dict[str, bytes | str] = {"docs/reports/2024/2024-annual-report.txt": "测试原文。全年办理案件15个,受益群众2万余人次。\n"}


def _cited(slug: str, body: str, **fields: str) -> str:
    """An article that cites the corpus report by report_ref: its quotations are checked."""
    return article(slug, body=body, report_ref="reports/2024/part-1.md", **fields)


STAFF_SLIPS: list[AgreementFault] = [
    agreement_fault("full-width colon after a key", {P + "colon.md": article("colon").replace("summary: ", "summary：")},
                    True, (P + "colon.md", 5, "yaml-fullwidth-colon")),
    agreement_fault("non-breaking space after summary:", {P + "nbsp.md": article("nbsp").replace("summary: ", "summary:\u00a0")},
                    True, (P + "nbsp.md", 5, "yaml-invisible-space")),
    agreement_fault("non-breaking space after a heading's #", {P + "nbsph.md": article("nbsph", body="#\u00a0标题\n\n正文。\n")},
                    True, (P + "nbsph.md", 11, "body-marker-space")),
    agreement_fault("zero-width space in the text is a warning", {P + "zwsp.md": article("zwsp", body="集群\u200b注册。\n")},
                    False, (P + "zwsp.md", 11, "body-invisible-space")),
    agreement_fault("value in Chinese quotation marks with a colon", {P + "curly.md": article("curly", title="“说明: 冒号”")},
                    True, (P + "curly.md", 2, "yaml-curly-quotes")),
    agreement_fault("empty list with items under it",
                    {P + "emptylist.md": article("emptylist", categories="[]\n  - 法律援助")},
                    True, (P + "emptylist.md", 6, "yaml-empty-list-with-items")),
    agreement_fault("a quotation that changes the report's figure",
                    {**QUOTED_REPORT, P + "misquote.md": _cited("misquote", "> 全年办理案件16个,受益群众2万余人次。\n")},
                    True, (P + "misquote.md", 12, "quote-not-in-report")),
    agreement_fault("a faithful quotation, wrapped and emphasised",
                    {**QUOTED_REPORT, P + "quote.md": _cited("quote", "> 全年办理**案件15个**,\n> 受益群众2万余人次。\n")},
                    False),
    agreement_fault("a figure the report does not have", {**QUOTED_REPORT, P + "figure.md": _cited("figure", "全年办理案件17个。\n")},
                    True, (P + "figure.md", 12, "number-not-in-report")),
]
STAFF_SLIPS += [
    agreement_fault("an image over the size limit", {"docs/assets/photo.jpg": b"\xff\xd8\xff" + b"\0" * (1024 * 1024)},
                    True, ("docs/assets/photo.jpg", 0, "file-too-large")),
    agreement_fault("an image at the size limit", {"docs/assets/photo.jpg": b"\xff\xd8\xff" + b"\0" * (1024 * 1024 - 3)}, False),
]
AGREEMENT_FAULTS += STAFF_SLIPS


# ---- Link and image messages (tests/test_link_messages.py): the slips, in both front ends ----

LINK_IMAGE: dict[str, bytes | str] = {"docs/assets/images/a.png": PNG}


def _linking(slug: str, body: str = "正文。\n", **fields: str) -> str:
    """An article with a title of its own (two articles of one title are a finding)."""
    return article(slug, title=f"链接写法{slug}", body=body, **fields)


LINK_MESSAGES_FAULTS: list[AgreementFault] = [
    agreement_fault("image path written from docs/, not from the article",
                    {**LINK_IMAGE, P + "imgpath.md": _linking("imgpath", "正文。\n\n![示意图](assets/images/a.png)\n")},
                    True, (P + "imgpath.md", 13, "link-missing")),
    agreement_fault("image path with Windows backslashes",
                    {**LINK_IMAGE, P + "backslash.md": _linking("backslash", "正文。\n\n第二段。\n\n![示意图](..\\..\\assets\\images\\a.png)\n")},
                    True, (P + "backslash.md", 15, "link-backslash")),
    agreement_fault("root-absolute link to a page's address",
                    {P + "address.md": _linking("address", "[原文](/reports/2024/part-1/)\n")},
                    True, (P + "address.md", 11, "link-root-absolute")),
    agreement_fault("report_ref copied from the browser",
                    {P + "browser.md": _linking("browser", report_ref=f'"http://127.0.0.1:8000/reports/2024/part-1/#{quote(REAL_ANCHOR)}"')},
                    True, (P + "browser.md", 9, "meta-link-missing")),
    agreement_fault("image typed with a Chinese keyboard",
                    {**LINK_IMAGE, P + "fwimage.md": _linking("fwimage", "正文。\n\n！[示意图]（../../assets/images/a.png）\n\n![示意图](../../assets/images/a.png)\n")},
                    True, (P + "fwimage.md", 13, "image-fullwidth-syntax")),
    agreement_fault("link typed with Chinese parentheses is a warning",
                    {P + "fwlink.md": _linking("fwlink", "见[报告]（../../reports/2024/part-1.md）。\n")},
                    False, (P + "fwlink.md", 11, "link-fullwidth-syntax")),
]
AGREEMENT_FAULTS += LINK_MESSAGES_FAULTS
