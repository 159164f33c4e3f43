"""Dates as the site means them: calendar days in Beijing time, written YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today() -> dt.date:
    """Today in Asia/Shanghai. FAZHI_TODAY=YYYY-MM-DD overrides it (tests, previews)."""
    forced = os.environ.get("FAZHI_TODAY", "").strip()
    if forced:
        return dt.date.fromisoformat(forced)
    return dt.datetime.now(SHANGHAI).date()


def parse(value: object) -> dt.date | None:
    """A date from a front-matter value (string YYYY-MM-DD or a date), or None if it is not
    a real calendar date in that exact format."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:  # e.g. 2024-02-30
        return None


def is_iso_date(value: object) -> bool:
    return parse(value) is not None
