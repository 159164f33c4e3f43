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

from checker_corpus import CLEAN_FILES, DRAFT_WITH_AN_IMAGE, PLAIN_SVG, PNG, TODAY, P, write_clean_site
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
    loaded |= {name for name in re.findall(r"'(assets/[^']+)' \| url", (REPO / "overrides/main.html").read_text(encoding="utf-8"))
               if (docs / name).exists()}
    assert "assets/javascripts/reader.js" in loaded
    assert loaded <= declared


def test_the_contributor_guide_lists_the_declared_types() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN file-types -->\n(.*?)\n<!-- END file-types -->", guide, re.S)
    assert match, "CONTRIBUTING.md has no file-types markers"
    assert match.group(1) == schema_table.file_types(), (
        "CONTRIBUTING.md 的文件类型列表已过时：运行 python scripts/schema_table.py --files，把输出粘贴到 BEGIN/END 标记之间。")


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
