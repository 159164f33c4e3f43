"""The `generated_content` marker (pyproject.toml) lets scripts/journey_staff.py skip, on its
copy with two new articles, the modules whose result cannot depend on docs/. Such a module
must build and check only what it generates: it names none of the fixtures of the real site
and no path into the real docs/, and neither does tests/checker_corpus.py, which it builds
its sites from."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REAL_SITE_FIXTURES = {"site_dir", "serve_root", "base_url", "deployed_site", "deployed_url", "copy_site"}
# A path into the project other than its code (scripts/, src/, overrides/, the configuration).
REAL_DOCS = re.compile(r"""(REPO|parents\[1\])\s*/(?!\s*["'](scripts|src|overrides|mkdocs\.yml|pyproject\.toml)\b)|["']docs["']\s*\)""")


def marked_modules() -> list[Path]:
    return [path for path in sorted(TESTS.glob("test_*.py"))
            if re.search(r"^pytestmark = pytest\.mark\.generated_content\b", path.read_text(encoding="utf-8"), re.M)]


def names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)} | {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def test_modules_marked_generated_content_never_touch_the_real_site() -> None:
    modules = marked_modules()
    assert modules, "no module carries the marker: the journey's filter selects nothing"
    for path in [*modules, TESTS / "checker_corpus.py"]:
        assert not names_used(path) & REAL_SITE_FIXTURES, f"{path.name} uses a fixture of the real site: remove its generated_content marker"
        assert not REAL_DOCS.search(path.read_text(encoding="utf-8")), f"{path.name} reads the real docs/: remove its generated_content marker"
