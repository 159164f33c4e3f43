"""Freshness (warnings): columns not updated within the inspection's limits, and no
annual report for last year after 1 April. Limits are in schemas/registry.yml."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.checks import Context
from fazhi.findings import Finding
from fazhi.sources import schema


def check(context: Context) -> list[Finding]:
    rules = schema.registry().get("freshness", {})
    findings = [_column(context, column) for column in rules.get("columns", [])]
    if "annual_report" in rules:
        findings.append(_annual_report(context, rules["annual_report"]))
    return [finding for finding in findings if finding is not None]


def last_updated(context: Context, types: list[str]) -> dt.date | None:
    """The newest publication or update date among published content of these types."""
    newest: dt.date | None = None
    for path, kind in context.typed_files:
        if kind not in types:
            continue
        for record in context.parsed(path).records:
            if not schema.is_published(record.data, context.today):
                continue
            # date, updated, changes[].date: the dates the schema says are not after today
            for _field, when, _spec in schema.dates_not_after_today(kind, record.data):
                if when <= context.today and (newest is None or when > newest):
                    newest = when
    return newest


# ---- Helper functions ----


def _column(context: Context, column: dict[str, Any]) -> Finding | None:
    types = column["type"] if isinstance(column["type"], list) else [column["type"]]
    shown = context.display(context.docs / column["folder"]) + "/"
    newest = last_updated(context, types)
    limit = int(column["max_age_days"])
    if newest is None:
        return Finding(shown, 0, 0, "warning", "freshness-empty",
                       f"栏目“{column['name']}”还没有发布任何内容（检查指标把空白栏目计为问题）。",
                       "发布第一条内容，或在栏目页说明何时发布。")
    age = (context.today - newest).days
    if age > limit:
        return Finding(shown, 0, 0, "warning", "freshness-stale",
                       f"栏目“{column['name']}”最近一次更新是 {newest}，已 {age} 天未更新（检查指标要求 {limit} 天内更新）。",
                       "发布新内容；确有更新时写明更新日期（updated）。")
    return None


def _annual_report(context: Context, rule: dict[str, Any]) -> Finding | None:
    month, day = (int(part) for part in str(rule["deadline"]).split("-"))
    today = context.today
    due_year = today.year - 1 if today > dt.date(today.year, month, day) else today.year - 2
    years = set()
    for path, kind in context.typed_files:
        if kind == rule["type"] and context.is_published(path):
            year = context.parsed(path).data.get("year")
            if isinstance(year, int):
                years.add(year)
    if due_year in years:
        return None
    shown = context.display(context.docs / rule["folder"]) + "/"
    return Finding(shown, 0, 0, "warning", "freshness-annual-report",
                   f"还没有发布 {due_year} 年度法治政府建设工作报告：应在 {due_year + 1} 年 {month} 月 {day} 日前向社会公开"
                   "（《法治政府建设与责任落实督察工作规定》第二十四条）。",
                   f"报告公开后，用 .venv/bin/python scripts/import_report.py 导入为 docs/{rule['folder']}/{due_year}/ 下的页面。")
