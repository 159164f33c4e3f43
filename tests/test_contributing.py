"""CONTRIBUTING.md stays true: its field tables are the ones generated from the schema,
its worked example is a committed article that passes the schema, and the files and
commands it sends staff to exist."""

from __future__ import annotations

import re

import pytest

from fazhi.cli import schema_table
from fazhi.sources import frontmatter, schema

from conftest import REPO

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("content_type", ["article", "policy", "list"])
def test_field_table_equals_the_generated_one(content_type: str) -> None:
    match = re.search(rf"<!-- BEGIN schema-table {content_type} -->\n(.*?)\n<!-- END schema-table {content_type} -->",
                      GUIDE, re.S)
    assert match, f"CONTRIBUTING.md has no markers for the {content_type} table"
    assert match.group(1) == schema_table.table(content_type), (
        f"CONTRIBUTING.md 的 {content_type} 字段表已过时：运行 .venv/bin/python scripts/schema_table.py {content_type}，"
        "把输出粘贴到对应的 BEGIN/END 标记之间。")


def test_worked_example_is_the_committed_article() -> None:
    example = re.search(r"文件 `(docs/articles/posts/[a-z0-9-]+\.md)`.*?```markdown\n(.*?)```", GUIDE, re.S)
    assert example
    path, text = REPO / example.group(1), example.group(2)
    assert path.read_text(encoding="utf-8") == text
    assert not schema.validate("article", frontmatter.read(path).data)


def test_files_and_commands_it_names_exist() -> None:
    for name in ("templates/article.md", "scripts/new_article.py", "scripts/check.py", "scripts/schema_table.py",
                 ".github/pull_request_template.md", ".pre-commit-config.yaml", "docs/articles/posts",
                 "docs/policies/documents.yml", "docs/policies/lists"):
        assert name in GUIDE and (REPO / name).exists(), name


def test_template_fails_the_checker_until_filled_in() -> None:
    """A copied but unfilled template must not pass: date, categories and slug are placeholders."""
    data = frontmatter.read(REPO / "templates/article.md").data
    fields = {problem.field.split(".")[0] for problem in schema.validate("article", data)}
    assert {"date", "categories", "slug"} <= fields
