"""Government-site identifiers (主办单位, 网站标识码, ICP备案号 …) configured in mkdocs.yml
under the fazhi plugin (`plugins: - fazhi: government:`). Missing ones are warnings: the
footer cannot show them."""

from __future__ import annotations

from fazhi.checks import Context
from fazhi.findings import Finding
from fazhi.sources import schema, siteconfig


def check(context: Context) -> list[Finding]:
    config_path = context.root / "mkdocs.yml"
    shown = context.display(config_path)
    try:
        config = siteconfig.load(config_path)
    except Exception as error:  # noqa: BLE001 - a broken config is a finding, not a crash
        mark = getattr(error, "problem_mark", None)
        return [Finding(shown, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "error",
                        "config-invalid", f"mkdocs.yml 无法解析（{error}）。", "检查这一行的缩进和冒号。")]
    findings = []
    for identifier in schema.registry().get("site_identifiers", []):
        value = siteconfig.lookup(siteconfig.plugin_options(config, "fazhi"), identifier["key"])
        if value in (None, "") or (isinstance(value, (list, dict)) and not value):
            findings.append(Finding(shown, 0, 0, "warning", "site-identifier-missing",
                                    f"没有配置{identifier['label']}（mkdocs.yml 中 plugins → fazhi → {identifier['key']}），页脚不会显示它。",
                                    f"取得正式的{identifier['label']}后，在 mkdocs.yml 的 plugins → fazhi → {identifier['key']} 中填写；不要填写虚构的值。"))
    return findings
