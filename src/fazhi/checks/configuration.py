"""What the site's structure needs from the sources: every `nav` entry of mkdocs.yml names
a published page, and every page the plugin fills in (registry.yml `markers`) exists and
keeps its marker line, so the build never stops on something the checker did not report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fazhi.checks import Context
from fazhi.checks.links import classify
from fazhi.config import settings_problems
from fazhi.findings import Finding
from fazhi.sources import schema, siteconfig

# The plugins the site needs: Material's search for the search box, ours for everything else.
REQUIRED_PLUGINS = {"search": "页眉的搜索框", "fazhi": "本站的全部功能：检查、草稿不发布、文章列表、订阅、政策清单、站内搜索"}


def check(context: Context) -> list[Finding]:
    return _plugins(context) + _settings(context) + _nav(context) + _markers(context)


# ---- Helper functions ----


def _plugins(context: Context) -> list[Finding]:
    if not context.config:
        return []  # a missing or unreadable mkdocs.yml is reported by checks.identifiers
    names = {next(iter(entry)) if isinstance(entry, dict) and entry else entry for entry in context.config.get("plugins") or []}
    return [
        Finding(context.display(context.root / "mkdocs.yml"), 0, 0, "error", "config-plugin-missing",
                f"mkdocs.yml 的 plugins 中缺少 {name}（{purpose}）。", f"在 plugins: 下加回一行“- {name}”。")
        for name, purpose in REQUIRED_PLUGINS.items()
        if name not in names
    ]


def _settings(context: Context) -> list[Finding]:
    """The fazhi plugin's options, judged by the plugin's own config classes."""
    config_path = context.root / "mkdocs.yml"
    options = siteconfig.plugin_options(context.config, "fazhi")
    if not options:
        return []
    try:
        lines = config_path.read_text(encoding="utf-8-sig").split("\n")
    except OSError:
        lines = []
    findings = []
    for key, message in settings_problems(options):
        line = next((number for number, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:")), 0)
        findings.append(Finding(context.display(config_path), line, 1 if line else 0, "error", "config-plugin-option",
                                f"mkdocs.yml 中 fazhi 插件的设置“{key}”不对：{message}。",
                                "对照 README 的插件设置表和 mkdocs.yml 中的注释修改。"))
    return findings


def _nav(context: Context) -> list[Finding]:
    config_path = context.root / "mkdocs.yml"
    shown = context.display(config_path)
    try:
        lines = config_path.read_text(encoding="utf-8-sig").split("\n")
    except OSError:
        return []
    findings = []
    for target in _nav_paths(context.config.get("nav")):
        path = context.docs / target
        line = next((number for number, text in enumerate(lines, 1) if target in text and not text.lstrip().startswith("#")), 0)
        if not path.is_file():
            findings.append(Finding(shown, line, 1 if line else 0, "error", "nav-missing",
                                    f"导航（nav）中的页面“{target}”在 docs/ 中不存在。",
                                    "改正路径（相对于 docs/），或从 nav 中删除这一行。"))
        elif not context.is_published(path):
            findings.append(Finding(shown, line, 1 if line else 0, "error", "nav-missing",
                                    f"导航（nav）中的页面“{target}”是草稿或发布日期在今天之后，不会发布。",
                                    "发布这个页面，或从 nav 中删除这一行。"))
    return findings


def _nav_paths(items: Any) -> Iterator[str]:
    """The docs-relative page paths a nav names (external addresses left out)."""
    if isinstance(items, str):
        if classify(items).kind == "internal":
            yield items
    elif isinstance(items, list):
        for item in items:
            yield from _nav_paths(item)
    elif isinstance(items, dict):
        for value in items.values():
            yield from _nav_paths(value)


def _markers(context: Context) -> list[Finding]:
    findings = []
    for src_uri, marker in (schema.registry().get("markers") or {}).items():
        path = context.docs / src_uri
        shown = context.display(path)
        if not path.is_file():
            findings.append(Finding(shown, 0, 0, "error", "marker-missing",
                                    f"缺少页面 docs/{src_uri}：网站在这一页放自动生成的列表。",
                                    f"恢复这个页面，页面中要有一行 {marker}。"))
        elif marker not in context.parsed(path).body:
            findings.append(Finding(shown, context.parsed(path).body_line, 1, "error", "marker-missing",
                                    f"页面中缺少标记 {marker}，网站不知道把自动生成的列表放在哪里。",
                                    f"在页面正文中单独写一行 {marker}。"))
    return findings
