"""The command-line tools (console scripts in pyproject.toml, thin wrappers in scripts/):
fazhi-check, fazhi-new-article, fazhi-import-report, fazhi-schema-table."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder at or above `start` (default: the current
    folder) that holds mkdocs.yml; `start` itself when none does."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "mkdocs.yml").is_file()), here)
