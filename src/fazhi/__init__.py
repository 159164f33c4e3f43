"""Shared code of the site's tools: the metadata schema and what reads it (checker, scaffold,
build hooks). Installed in editable mode by scripts/setup.sh so MkDocs hooks can import it."""
