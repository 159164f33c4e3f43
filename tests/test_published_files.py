"""What docs/ may publish (fazhi.checks.published_files, fazhi.checks.output_paths): the
checker and the strict build refuse symlinks, pipes, undeclared file types and unsafe SVG
with the same Chinese file:line messages; what is not published (data files, files only
drafts use) is absent from the built site; the build never writes a generated file over a
source. The single-file hostile inputs run through tests/test_agreement.py
(checker_corpus.PUBLISHED_FILES_FAULTS); these are the ones a dict of file contents cannot
write, the combined "not published" build, and the rules' own pieces."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.structure.files import File, Files, InclusionLevel

from fazhi.checks import Context, output_paths, published_files, run_all, run_sources, svg_images
from fazhi.cli import schema_table
from fazhi.findings import Finding
from fazhi.sources import schema, siteconfig

from checker_corpus import CLEAN_FILES, DRAFT_WITH_AN_IMAGE, PLAIN_SVG, PNG, TODAY, P, article, write_clean_site
from conftest import REPO

ENV = {**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
SECRET = "FAZHI-SECRET-7f3a9c"  # in files outside the project that symlinks point at
ERROR_LINE = re.compile(r"^\S+: 错误 ")


def check(root: Path) -> subprocess.CompletedProcess[str]:
    """scripts/check.py as staff run it; a read of a pipe would hang, so a time limit."""
    return subprocess.run([sys.executable, str(REPO / "scripts/check.py"), "--root", str(root), "--quiet"],
                          capture_output=True, text=True, env=ENV, timeout=60)


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                          capture_output=True, text=True, cwd=root, env=ENV, timeout=120)


def error_lines(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line for line in (result.stdout + result.stderr).splitlines() if ERROR_LINE.match(line)}


def site_text(site: Path) -> str:
    """Every byte the build wrote, as text (nothing at all when it wrote nothing)."""
    if not site.exists():
        return ""
    return "\n".join(path.read_bytes().decode("utf-8", "replace") for path in site.rglob("*") if path.is_file())


# ---- Symlinks, pipes: never read, never published ----


@pytest.fixture
def linked_site(tmp_path: Path) -> Path:
    """The clean corpus site with a symlink to /proc/self/environ, one to a file outside the
    project, a symlinked folder holding a page and an image, a dangling symlink, and pipes
    where a list's rows and a page would be."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "folder/page.md").write_text(f"---\ntitle: 外面\n---\n\n# {SECRET}\n", encoding="utf-8")
    (outside / "folder/photo.png").write_bytes(PNG + SECRET.encode())
    root = write_clean_site(tmp_path / "project")
    docs = root / "docs"
    (docs / "about/env.txt").symlink_to("/proc/self/environ")
    (docs / "about/secret.txt").symlink_to(outside / "secret.txt")
    (docs / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (docs / "assets/gone.png").symlink_to(tmp_path / "nowhere.png")
    (docs / "policies/lists/items.csv").unlink()
    os.mkfifo(docs / "policies/lists/items.csv")
    os.mkfifo(docs / "about/pipe.md")
    return root


LINKED = {
    "docs/about/env.txt": "file-symlink",
    "docs/about/secret.txt": "file-symlink",
    "docs/linked": "file-symlink",
    "docs/assets/gone.png": "file-symlink",
    "docs/policies/lists/items.csv": "file-special",
    "docs/about/pipe.md": "file-special",
}


def test_symlinks_and_pipes_stop_the_checker_and_the_build_with_one_message(linked_site: Path) -> None:
    checked, built = check(linked_site), build(linked_site)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert built.returncode != 0, built.stdout + built.stderr
    for path, code in LINKED.items():
        assert re.search(rf"^{re.escape(path)}: 错误 .*\[{code}\]$", checked.stdout, re.M), f"{path}:\n{checked.stdout}"
    assert "指向“/proc/self/environ”的符号链接" in checked.stdout
    assert "文件夹的符号链接" in next(line for line in checked.stdout.splitlines() if line.startswith("docs/linked:"))
    # The build stops before MkDocs lists docs/ (on_config), with the checker's own lines.
    listed = error_lines(built)
    assert listed and listed <= set(checked.stdout.splitlines()), built.stdout + built.stderr
    assert {line.split(":")[0] for line in listed} == set(LINKED)
    for result in (checked, built):
        assert "Traceback" not in result.stdout + result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert SECRET not in site_text(linked_site / "site")


def test_the_checker_reads_nothing_through_a_symlink_or_from_a_pipe(linked_site: Path) -> None:
    context = Context(root=linked_site, docs=linked_site / "docs", today=TODAY)
    docs = context.docs
    assert set(context.not_regular) == {docs / path.removeprefix("docs/") for path in LINKED}
    assert not any(path.is_relative_to(docs / "linked") or path.is_symlink() for path in context.files)
    assert not context.readable(docs / "about/secret.txt") and context.readable(docs / "index.md")
    assert context.parsed(docs / "linked/page.md").text == ""  # a read through the folder's link: refused
    assert context.table(docs / "policies/lists/items.csv").rows == []  # the pipe: never opened
    findings = run_all(context)  # every rule, in this process: it returns, so nothing waited on a pipe
    assert all(SECRET not in finding.message for finding in findings)
    assert {(f.path, f.code) for f in findings if f.code in ("file-symlink", "file-special")} == set(LINKED.items())


def test_hidden_symlinks_stop_both_before_mkdocs_lists_docs(tmp_path: Path) -> None:
    """Red-team review: `docs/.x -> /` (git carries it) passed the checker, and MkDocs'
    listing of docs/ followed it until the build ran out of memory; `docs/.up -> ..` made
    every build walk the project. Every symlink, hidden or in a hidden folder, file or folder,
    dangling or not, is refused by both, found without following it; hidden regular files
    stay skipped, as MkDocs excludes them."""
    root = write_clean_site(tmp_path / "project")
    docs = root / "docs"
    (docs / ".x").symlink_to("/", target_is_directory=True)
    (docs / ".up").symlink_to("..", target_is_directory=True)
    (docs / ".hidden").mkdir()
    (docs / ".hidden/notes.txt").write_text("隐藏的普通文件\n", encoding="utf-8")
    (docs / ".hidden/env").symlink_to("/proc/self/environ")
    (docs / "about/.gone").symlink_to(tmp_path / "nowhere")
    (docs / ".keep").write_text("", encoding="utf-8")
    expected = {"docs/.x", "docs/.up", "docs/.hidden/env", "docs/about/.gone"}
    context = Context(root=root, docs=docs, today=TODAY)
    assert {context.display(path) for path in context.not_regular} == expected
    assert not any(part.startswith(".") for path in context.files for part in path.relative_to(docs).parts)
    checked, built = check(root), build(root)
    assert checked.returncode == 1 and built.returncode != 0, checked.stdout + built.stdout + built.stderr
    found = {line.split(":")[0] for line in checked.stdout.splitlines() if ERROR_LINE.match(line)}
    assert found == expected, checked.stdout
    assert all("[file-symlink]" in line and "隐藏" in line for line in checked.stdout.splitlines() if ERROR_LINE.match(line))
    listed = error_lines(built)
    assert listed and listed <= set(checked.stdout.splitlines()) and {line.split(":")[0] for line in listed} == expected
    for result in (checked, built):
        assert "Traceback" not in result.stdout + result.stderr
    assert not (root / "site").exists()


# ---- What is not published: one build, none of it in site/ ----


def test_data_files_and_files_only_drafts_use_are_not_in_the_site(tmp_path: Path) -> None:
    root = write_clean_site(tmp_path)
    docs = root / "docs"
    (docs / "assets/draft-only.png").write_bytes(PNG)
    (docs / "assets/shared.pdf").write_bytes(b"%PDF-1.4\n")
    (docs / "assets/plain.svg").write_text(PLAIN_SVG, encoding="utf-8")
    (docs / "about/contacts.csv").write_text("姓名,电话\n甲,1\n", encoding="utf-8")
    (docs / "about/notes.yaml").write_text("a: 1\n", encoding="utf-8")
    (docs / P.removeprefix("docs/") / "later.md").write_text(
        DRAFT_WITH_AN_IMAGE.replace("\n![草稿中的图片]", "\n[附件](../../assets/shared.pdf)\n\n![草稿中的图片]"), encoding="utf-8")
    (docs / "about/index.md").write_text(CLEAN_FILES["docs/about/index.md"] + "\n[附件](../assets/shared.pdf) ![示意图](../assets/plain.svg)\n",
                                         encoding="utf-8")

    findings = run_all(Context(root=root, docs=docs, today=TODAY))
    assert not [f for f in findings if f.severity == "error"], [f.text() for f in findings]
    assert {(f.path, f.severity, f.code) for f in findings} >= {
        ("docs/assets/draft-only.png", "info", "file-draft-only"),
        ("docs/about/contacts.csv", "warning", "file-data-unused"),
        ("docs/about/notes.yaml", "warning", "file-data-unused"),
    }
    draft_only = next(f for f in findings if f.code == "file-draft-only")
    assert "只被草稿" in draft_only.message and "暂不发布" in draft_only.message and P + "later.md" in draft_only.message
    assert not any(f.path == "docs/assets/shared.pdf" for f in findings)  # a published page uses it too

    built = build(root)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "未发布（只被草稿使用）：docs/assets/draft-only.png" in built.stdout + built.stderr
    site = root / "site"
    published = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    assert {"assets/shared.pdf", "assets/plain.svg", "assets/logo.png", "reports/2024/2024-annual-report.txt"} <= published
    never = {"assets/draft-only.png", "about/contacts.csv", "about/notes.yaml", "policies/documents.yml",
             "policies/lists/items.yml", "articles/posts/later/index.html", "articles/later/index.html"}
    assert not never & published
    assert not [name for name in published if name.endswith((".yml", ".yaml"))]


# ---- File types ----


REFUSED_TYPES = ["about/page.htm", "about/x.php", "about/data.json", "about/feed.xml", "assets/site.css", "assets/module.mjs",
                 "assets/font.woff2", "about/run.sh", "about/README", "assets/images/logo.svgz"]
PAGE_LIKE = ["about/a.markdown", "about/b.mdown", "about/c.mkd", "about/d.mkdn", "about/e.MD", "about/f.Md"]
ALLOWED = ["assets/a.png", "assets/b.JPG", "assets/c.jpeg", "assets/d.gif", "assets/e.webp", "about/f.pdf", "about/g.docx",
           "about/h.xlsx", "about/i.pptx", "about/j.wps", "about/k.et", "about/l.ofd", "about/m.txt", "about/n.doc"]


def test_only_declared_types_are_published(tmp_path: Path) -> None:
    root = write_clean_site(tmp_path)
    for name in REFUSED_TYPES + PAGE_LIKE + ALLOWED:
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_bytes(b"x\n")
    found = {(f.path.removeprefix("docs/"), f.code) for f in run_sources(Context(root=root, docs=root / "docs", today=TODAY))
             if f.severity == "error"}
    assert found == {(name, "file-type-not-allowed") for name in REFUSED_TYPES} | {(name, "file-page-extension") for name in PAGE_LIKE}


def test_only_pages_sit_directly_in_docs(tmp_path: Path) -> None:
    """Red-team review: docs/robots.txt (`Disallow: /`) was published at the site's root. A
    file directly in docs/ is refused unless it is a page; a data file there is not
    published, and stays a warning when nothing reads it."""
    root = write_clean_site(tmp_path)
    for name in ("robots.txt", "ads.txt", "logo.png", "google1234.html", "README"):
        (root / "docs" / name).write_bytes(b"x\n")
    (root / "docs/notes.yml").write_text("a: 1\n", encoding="utf-8")
    findings = run_sources(Context(root=root, docs=root / "docs", today=TODAY))
    errors = {(f.path, f.code) for f in findings if f.severity == "error"}
    assert errors == {(f"docs/{name}", "file-docs-root") for name in ("robots.txt", "ads.txt", "logo.png", "google1234.html", "README")}
    assert ("docs/notes.yml", "warning", "file-data-unused") in {(f.path, f.severity, f.code) for f in findings}
    robots = next(f for f in findings if f.path == "docs/robots.txt")
    assert "根目录（/robots.txt）" in robots.message and "docs/assets/images/" in robots.fix


RESERVED_SOURCES = ["articles/page/2.md", "articles/page/3/index.md", "articles/archive/2020.md", "articles/archive/old.png",
                    "articles/category/x.md", "articles/tag/y/index.md", "articles/tag.md", "policies/documents.md",
                    "policies/documents/index.md", "policies/lists/later.md", "policies/lists/items.md", "search/a.pdf"]


def test_the_places_of_generated_pages_are_reserved(tmp_path: Path) -> None:
    """Red-team review: docs/articles/page/2.md passed until the 21st article was published,
    then clashed with the generated page 2 and failed an unrelated pull request. A source in
    a place the plugin generates pages in is refused now, once, whether or not a page is
    generated there today; attachments beside a list's data, and pages elsewhere, are not."""
    root = write_clean_site(tmp_path)
    for name in RESERVED_SOURCES:
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_bytes(PNG if name.endswith(".png") else b"%PDF-1.4\n" if name.endswith(".pdf") else _page(name).encode())
    (root / "docs/policies/lists/items-original.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "docs/articles/pages.md").write_text(_page("文章说明"), encoding="utf-8")
    findings = [f for f in run_sources(Context(root=root, docs=root / "docs", today=TODAY)) if f.severity == "error"]
    assert sorted((f.path, f.code) for f in findings) == sorted((f"docs/{name}", "output-path-clash") for name in RESERVED_SOURCES)
    page_2 = next(f for f in findings if f.path == "docs/articles/page/2.md")
    assert "文章列表的分页（articles/page/）" in page_2.message and page_2.line == 1


def test_every_generated_page_is_in_a_reserved_place(tmp_path: Path) -> None:
    """The reserved places (registry.yml published_files → reserved) cover every page the
    plugin generates, a second page of the article list included; and no article's slug
    may be one of the article folders among them."""
    root = write_clean_site(tmp_path)
    for number in range(21):
        (root / P / f"a{number}.md").write_text(article(f"a{number}"), encoding="utf-8")
    generated = Context(root=root, docs=root / "docs", today=TODAY).generated_outputs
    assert "articles/page/2.md" in generated
    pages = {relative for relative in generated if relative.endswith(".md")}
    assert pages and all(output_paths.reserved(relative) for relative in pages), sorted(r for r in pages if not output_paths.reserved(r))
    folders = {glob.split("/")[1] for glob in schema.registry()["published_files"]["reserved"] if glob.startswith("articles/")}
    assert folders <= set(schema.load("article")["properties"]["slug"]["reserved"])


def _page(title: str) -> str:
    return f"---\ntitle: {title}\n---\n\n# {title}\n"


def test_a_declared_site_asset_may_be_a_script(tmp_path: Path) -> None:
    root = write_clean_site(tmp_path)
    for name in schema.registry()["published_files"]["site_assets"]:
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text("/* 本站 */\n" if not name.endswith(".svg") else PLAIN_SVG, encoding="utf-8")
    (root / "docs/assets/javascripts/extra.js").write_text("alert(1)\n", encoding="utf-8")
    errors = [f for f in run_sources(Context(root=root, docs=root / "docs", today=TODAY)) if f.severity == "error"]
    assert [(f.path, f.code) for f in errors] == [("docs/assets/javascripts/extra.js", "file-type-not-allowed")]
    assert "registry.yml" in errors[0].fix and "site_assets" in errors[0].fix and "PDF" in errors[0].fix


def test_the_registry_declares_exactly_the_assets_the_site_loads() -> None:
    """Every declared asset is in docs/, every .css/.js/.svg in docs/ is declared, and what
    mkdocs.yml and overrides/main.html load from docs/ is among them."""
    declared = set(schema.registry()["published_files"]["site_assets"])
    docs = REPO / "docs"
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.suffix in (".css", ".js", ".svg")}
    assert declared == on_disk
    config = siteconfig.load(REPO / "mkdocs.yml")
    loaded = {*config["extra_css"], *(entry["path"] if isinstance(entry, dict) else entry for entry in config["extra_javascript"]),
              config["theme"]["favicon"], config["theme"]["logo"]}
    loaded |= {name for name in re.findall(r"'(assets/[^']+)' \|(?: asset \|)? url", (REPO / "overrides/main.html").read_text(encoding="utf-8"))
               if (docs / name).exists()}
    assert "assets/javascripts/reader.js" in loaded
    assert loaded <= declared


def test_the_contributor_guide_lists_the_declared_types() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN file-types -->\n(.*?)\n<!-- END file-types -->", guide, re.S)
    assert match, "CONTRIBUTING.md has no file-types markers"
    assert match.group(1) == schema_table.file_types(), (
        "CONTRIBUTING.md 的文件类型列表已过时：运行 .venv/bin/python scripts/schema_table.py --files，把输出粘贴到 BEGIN/END 标记之间。")


# ---- SVG: a plain drawing or nothing ----


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>\n'
UNSAFE_SVG = {
    "script": SVG.format("<script>alert(1)</script>"),
    "event handler": SVG.format('<circle r="1" onmouseover="alert(1)"/>'),
    "foreignObject": SVG.format('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
    "XHTML script": SVG.format('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
    "external use": SVG.format('<use href="https://example.com/a.svg#x"/>'),
    "javascript: link": SVG.format('<a xlink:href="javascript:alert(1)"><rect width="1"/></a>'),
    "image": SVG.format('<image href="data:image/png;base64,AAAA"/>'),
    "animate to javascript:": SVG.format('<animate attributeName="href" to="javascript:alert(1)"/>'),
    "style url()": SVG.format('<rect style="fill:url(https://example.com/x)"/>'),
    "style element import": SVG.format("<style>@import 'https://example.com/x.css';</style>"),
    "presentation url()": SVG.format('<rect fill="url(http://example.com/p.svg#g)"/>'),
    "external entity": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + SVG.format("<text>&x;</text>"),
    "xml-stylesheet": '<?xml-stylesheet href="https://example.com/x.css"?>\n' + SVG.format(""),
    "not SVG": '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>\n',
    "not XML": "<svg><rect></svg>\n",
    # Red-team review: CSS that Chromium fetches from another host, past a list of bad words.
    "style element, escaped @import": SVG.format('<style>@\\69mport "https://example.com/x.css";</style>'),
    "style element, image-set()": SVG.format('<style>rect{mask-image:image-set("https://example.com/a.png" 1x)}</style>'),
    "style element, nothing bad in it": SVG.format("<style>.a{fill:red}</style>"),
    "style escaped url()": SVG.format('<rect style="fill:u\\72l(https://example.com/x#a)"/>'),
    "style image-set()": SVG.format("<rect style='mask-image:image-set(\"https://example.com/a.png\" 1x)'/>"),
    "style image()": SVG.format('<rect style="mask-image:image(a.png)"/>'),
    "style src()": SVG.format('<rect style="mask-image:src(a.png)"/>'),
    "style expression()": SVG.format('<rect style="width:expression(alert(1))"/>'),
    "style at-rule": SVG.format('<rect style="fill:red;@import x"/>'),
    "style comment": SVG.format('<rect style="fill:/**/red"/>'),
    "presentation address": SVG.format('<rect fill="https://example.com/"/>'),
    "presentation image-set()": SVG.format('<rect mask="image-set(a.png 1x)"/>'),
    "presentation escape": SVG.format('<rect filter="u\\rl(https://example.com/f.svg#f)"/>'),
}


@pytest.mark.parametrize("text", UNSAFE_SVG.values(), ids=UNSAFE_SVG.keys())
def test_an_svg_that_is_more_than_a_drawing_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.svg"
    path.write_text(text, encoding="utf-8")
    problems = svg_images.problems(path)
    assert problems and all(what and "passwd" not in what.replace("file:///etc/passwd", "") for _line, what in problems)


def test_a_plain_drawing_with_editor_metadata_passes(tmp_path: Path) -> None:
    path = tmp_path / "x.svg"
    path.write_text(PLAIN_SVG.replace("<defs>", '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'
                                      '<!-- 注释 --><title>示意图</title><defs>'), encoding="utf-8")
    assert svg_images.problems(path) == []


# Saved as drawing programs save them, with inline styles: Inkscape 1.x (Inkscape SVG) and
# Illustrator (CSS 属性: 演示文稿属性 / 样式属性).
INKSCAPE_SVG = """\
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="210mm" height="100mm" viewBox="0 0 210 100" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="示意图.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" bordercolor="#666666" borderopacity="1.0"
     inkscape:pageshadow="2" inkscape:pageopacity="0.0" inkscape:document-units="mm" showgrid="false"
     inkscape:zoom="0.72337262" inkscape:current-layer="layer1" />
  <defs id="defs2">
    <linearGradient inkscape:collect="always" id="linearGradient1">
      <stop style="stop-color:#c00000;stop-opacity:1;" offset="0" id="stop1" />
      <stop style="stop-color:#c00000;stop-opacity:0;" offset="1" id="stop2" />
    </linearGradient>
    <linearGradient inkscape:collect="always" xlink:href="#linearGradient1" id="linearGradient3"
       x1="20" y1="40" x2="120" y2="40" gradientUnits="userSpaceOnUse" gradientTransform="matrix(1.2,0,0,1,-4.5e-2,0)" />
    <marker style="overflow:visible" id="Arrow2" refX="0" refY="0" orient="auto-start-reverse" markerWidth="5" markerHeight="5">
      <path style="fill:context-stroke;fill-rule:evenodd;stroke:none" d="M 0,0 5,-5 -12.5,0 5,5 Z" id="path2" />
    </marker>
  </defs>
  <metadata id="metadata5"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
    <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage" /></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="图层 1" inkscape:groupmode="layer" id="layer1" transform="translate(-2.1, 3)">
    <rect style="fill:url(#linearGradient3);fill-opacity:1;stroke:#000000;stroke-width:0.264583;stroke-dasharray:none"
       id="rect31" width="100" height="40" x="20" y="20" />
    <text xml:space="preserve" style="font-style:normal;font-weight:bold;font-size:10.5833px;line-height:1.25;
font-family:'Noto Sans CJK SC';-inkscape-font-specification:'Noto Sans CJK SC Bold';letter-spacing:0px;fill:#000000;stroke:none"
       x="25" y="80" id="text1"><tspan sodipodi:role="line" id="tspan1" style="stroke-width:0.264583" x="25" y="80">法治宣传</tspan></text>
    <path style="fill:none;stroke:#1a1a1a;stroke-width:0.5;stroke-linecap:round;marker-end:url(#Arrow2)"
       d="m 20,100 c 20,-10 40,-10 60,0" id="path1" sodipodi:nodetypes="cc" />
  </g>
</svg>
"""
ILLUSTRATOR_SVG = """\
<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="图层_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
\t viewBox="0 0 200 100" style="enable-background:new 0 0 200 100;" xml:space="preserve">
<g>
\t<rect x="10" y="10" fill="#C8161D" width="80" height="40"/>
\t<text transform="matrix(1 0 0 1 20 80)" fill="#231815" font-family="'MicrosoftYaHei-Bold', 'Microsoft YaHei'" font-size="12px">法治</text>
\t<linearGradient id="SVGID_1_" gradientUnits="userSpaceOnUse" x1="100" y1="50" x2="190" y2="50">
\t\t<stop  offset="0" style="stop-color:#FFFFFF"/>
\t\t<stop  offset="1" style="stop-color:rgba(0, 0, 0, 0.5)"/>
\t</linearGradient>
\t<rect x="100" y="10" fill="url(#SVGID_1_)" width="90" height="80"/>
\t<path style="fill:none;stroke:#000000;stroke-width:2;stroke-miterlimit:10;" d="M10,90c20-10,40-10,60,0"/>
</g>
</svg>
"""


@pytest.mark.parametrize("text", [INKSCAPE_SVG, ILLUSTRATOR_SVG], ids=["Inkscape", "Illustrator"])
def test_a_drawing_as_editors_save_it_passes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.svg"
    path.write_text(text, encoding="utf-8")
    assert svg_images.problems(path) == []


# ---- One owner per output: the build's own guard ----


def test_the_build_stops_if_a_generated_file_takes_a_source_s_place(tmp_path: Path) -> None:
    docs, site = str(tmp_path / "docs"), str(tmp_path / "site")
    files = Files([File("about/index.md", docs, site, True), File("a.md", docs, site, True),
                   File("policies/lists/items.csv", docs, site, True)])
    owners = output_paths.sources(files)
    assert owners == {"about/index.md", "a.md"}  # a data file owns no output
    for file in files:
        file.inclusion = InclusionLevel.INCLUDED
    assert output_paths.build_clashes(files, owners) == []
    files.remove(files.src_uris["policies/lists/items.csv"])  # the list's CSV is written again: allowed
    with pytest.warns(DeprecationWarning):  # MkDocs lets the generated page replace about/index.md without a word
        for src_uri in ("policies/lists/items.csv", "about/index.md", "a/index.md"):
            generated = File(src_uri, None, site, True, inclusion=InclusionLevel.INCLUDED)
            generated.generated_by = "fazhi"
            files.append(generated)
    clashes = output_paths.build_clashes(files, owners)
    assert sorted((f.path, f.code) for f in clashes) == [("docs/a.md", "output-path-clash"), ("docs/about/index.md", "output-path-clash")]
    assert all(isinstance(f, Finding) and f.severity == "error" and "一个位置只能有一个文件" in f.message for f in clashes)


def test_data_files_are_told_apart_by_type_in_any_case() -> None:
    assert all(published_files.is_data(name) for name in ("a.yml", "b/c.YAML", "d.csv"))
    assert not any(published_files.is_data(name) for name in ("a.md", "b.txt", "c.yml.txt"))


def test_a_file_at_a_theme_file_s_address_is_refused(tmp_path: Path) -> None:
    """MkDocs lets docs/ silently replace the theme's own files (its scripts, its images):
    an image at assets/images/favicon.png, Material's icon, would replace it on every page."""
    root = write_clean_site(tmp_path / "site")
    (root / "docs/assets/images").mkdir(parents=True)
    (root / "docs/assets/images/favicon.png").write_bytes(PNG)
    findings = run_sources(Context(root=root, docs=root / "docs", today=TODAY))
    clash = [f for f in findings if f.code == "output-path-clash"]
    assert [(f.path, f.severity) for f in clash] == [("docs/assets/images/favicon.png", "error")]
    assert "网站主题自带的“assets/images/favicon.png”" in clash[0].message


def test_ci_uploads_only_a_site_the_strict_build_accepted() -> None:
    """Issue 12, item 5: the workflow uploaded site/ even when the check failed. The preview
    artifact now waits for the strict build step's success."""
    import yaml

    steps = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))["jobs"]["site"]["steps"]
    build_step = next(step for step in steps if "mkdocs build --strict" in str(step.get("run", "")))
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    assert steps.index(build_step) < steps.index(upload)
    assert f"steps.{build_step['id']}.outcome == 'success'" in upload["if"]
