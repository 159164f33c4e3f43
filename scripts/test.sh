#!/usr/bin/env bash
# Run the whole test suite (site build, report fidelity, checker, browser tests in Debian's
# headless Chromium). Run scripts/setup.sh once first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest "$@"
