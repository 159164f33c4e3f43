#!/usr/bin/env bash
# Run ruff, mypy and the whole test suite (site build, report fidelity, checker, browser tests
# in Debian's headless Chromium). Run scripts/setup.sh once first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
# Lint and types first: quick, and a failure names the file and line (settings in pyproject.toml).
.venv/bin/ruff check src scripts tests
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
