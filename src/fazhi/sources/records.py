"""Typed records: validated metadata with every `format: date` field as a datetime.date.

fazhi.sources.frontmatter keeps dates as written, so that the schema can judge them
("2024-02-30" is a finding, not a crash). Once a record has passed, every consumer — the
build's pages, feed and lists, the templates' page.meta — gets this typed copy, so a date
means the same whether the author wrote `date: 2026-11-26` or `date: "2026-11-26"`."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from fazhi.sources import dates, schema


def typed(content_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` (a record that passed `schema.validate`) with its date fields, at any
    depth the schema declares them (e.g. changes[].date), as datetime.date."""
    return cast("dict[str, Any]", _convert(data, schema.load_cached(content_type)))  # a dict converts to a dict


def as_date(value: object) -> dt.date:
    """A date field of a typed record. Raises ValueError if it is not a real date (the
    schema has rejected such a record before anything reads it)."""
    parsed = dates.parse(value)
    if parsed is None:
        raise ValueError(f"not a date: {value!r}")
    return parsed


# ---- Helper functions ----


def _convert(value: Any, spec: dict[str, Any]) -> Any:
    if spec.get("format") == "date":
        return dates.parse(value) or value
    if isinstance(value, dict):
        properties = spec.get("properties", {})
        return {key: _convert(item, properties.get(key, {})) for key, item in value.items()}
    if isinstance(value, list):
        items = spec.get("items", {})
        return [_convert(item, items) for item in value]
    return value
