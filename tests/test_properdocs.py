"""The site builds the same with ProperDocs as with MkDocs.

ProperDocs (https://properdocs.org/, pinned in requirements.txt) is the maintained fork of
MkDocs 1.6 by MkDocs' former maintainers. It is its own module, `properdocs`, with its own
command, so it shares the virtual environment with mkdocs 1.6.1 without replacing it; in a
ProperDocs run, imports of `mkdocs.*` (Material's, the fazhi plugin's) are served by the
matching `properdocs.*` modules, and plugins and themes are found through the same
`mkdocs.plugins` and `mkdocs.themes` entry points.

This is the engine to switch to if MkDocs or Material for MkDocs stops being usable (README,
"依赖"). The test builds the real site with both and compares every output file: the same
paths, and the same bytes, except the one element that names the generator,
`<meta name="generator" content="...">`, which says "mkdocs-1.6.1, ..." in one and
"mkdocs-ProperDocs 1.6.7, ..." in the other.
"""

from __future__ import annotations

import difflib
import gzip
import importlib.util
import re
from pathlib import Path

import pytest

from conftest import REPO, build_site

# Exactly the generator element Material writes into <head>, and nothing else.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
GENERATOR_NORMALISED = b'<meta name="generator" content="">'
SHOWN_FILES = 5     # differing files named in a failure
SHOWN_DIFFS = 2     # of them, shown as a unified diff
DIFF_LINES = 40     # lines of each diff shown


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built with `properdocs build --strict` from the same venv."""
    if importlib.util.find_spec("properdocs") is None:
        pytest.fail("properdocs is not installed: .venv/bin/pip install -r requirements.txt")
    site = tmp_path_factory.mktemp("properdocs") / "site"
    build_site(REPO / "mkdocs.yml", site, engine="properdocs")
    return site


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def normalised(relative: str, data: bytes) -> bytes:
    if relative.endswith(".html.gz"):  # the gzip_static copy of a page (fazhi.hosting.precompress)
        return normalised(relative.removesuffix(".gz"), gzip.decompress(data))
    if relative.endswith(".html"):
        return GENERATOR.sub(GENERATOR_NORMALISED, data)
    return data


def short_diff(relative: str, left: bytes, right: bytes) -> str:
    try:
        a, b = left.decode("utf-8").splitlines(), right.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return f"{relative}: binary, {len(left)} bytes (MkDocs) against {len(right)} bytes (ProperDocs)"
    lines = list(difflib.unified_diff(a, b, f"mkdocs/{relative}", f"properdocs/{relative}", n=1, lineterm=""))
    shown = [line if len(line) <= 300 else line[:300] + " …" for line in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        shown.append(f"… {len(lines) - DIFF_LINES} more diff lines")
    return "\n".join(shown)


def test_same_files(site_dir: Path, properdocs_site: Path) -> None:
    mkdocs_files, properdocs_files = files_under(site_dir), files_under(properdocs_site)
    only_mkdocs = sorted(mkdocs_files - properdocs_files)
    only_properdocs = sorted(properdocs_files - mkdocs_files)
    assert not only_mkdocs and not only_properdocs, (
        f"the builds write different files: only MkDocs {only_mkdocs[:SHOWN_FILES]} "
        f"({len(only_mkdocs)}), only ProperDocs {only_properdocs[:SHOWN_FILES]} ({len(only_properdocs)})"
    )


def test_same_bytes_except_generator(site_dir: Path, properdocs_site: Path) -> None:
    common = sorted(files_under(site_dir) & files_under(properdocs_site))
    assert common, "the MkDocs build is empty"
    differing: list[tuple[str, bytes, bytes]] = []
    for relative in common:
        left = normalised(relative, (site_dir / relative).read_bytes())
        right = normalised(relative, (properdocs_site / relative).read_bytes())
        if left != right:
            differing.append((relative, left, right))
    if differing:
        names = ", ".join(relative for relative, _, _ in differing[:SHOWN_FILES])
        diffs = "\n\n".join(short_diff(*item) for item in differing[:SHOWN_DIFFS])
        pytest.fail(
            f"{len(differing)} of {len(common)} files differ between the MkDocs and the ProperDocs "
            f"build beyond the generator <meta>; first: {names}\n\n{diffs}"
        )


def test_properdocs_really_built_it(site_dir: Path, properdocs_site: Path) -> None:
    """The comparison means something only if the second build ran on ProperDocs: its pages
    name it as their generator, the MkDocs pages do not."""

    def generators(root: Path) -> set[bytes]:
        return {
            match.group(0)
            for page in root.rglob("*.html")
            for match in GENERATOR.finditer(page.read_bytes())
        }

    mkdocs_generators, properdocs_generators = generators(site_dir), generators(properdocs_site)
    assert properdocs_generators and all(b"ProperDocs" in g for g in properdocs_generators), properdocs_generators
    assert mkdocs_generators and not any(b"ProperDocs" in g for g in mkdocs_generators), mkdocs_generators
