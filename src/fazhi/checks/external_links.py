"""Opt-in check of external addresses over HTTP (scripts/check.py --external), with a
timeout, a cache and GOV.UK-style statuses: ok / caution / broken."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from fazhi.checks import Context, source_links
from fazhi.findings import Finding, Severity

CACHE_SECONDS = 24 * 3600
SLOW_SECONDS = 5.0
MAX_REDIRECTS = 8
USER_AGENT = "fazhi-link-checker/1.0"


def check(context: Context) -> list[Finding]:
    urls = source_links.external_urls(context)
    cache_file = context.cache_file or Path.home() / ".cache" / "fazhi" / "external-links.json"
    cache = _read_cache(cache_file)
    now = time.time()
    stale = [url for url in urls if now - cache.get(url, {}).get("checked_at", 0) > CACHE_SECONDS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for url, result in zip(stale, pool.map(lambda u: status(u, context.timeout), stale), strict=True):
            cache[url] = {**result, "checked_at": now}
    _write_cache(cache_file, cache)
    findings = []
    for url, places in urls.items():
        result = cache[url]
        if result["status"] == "ok":
            continue
        severity: Severity = "error" if result["status"] == "broken" else "warning"
        label = "无法访问" if result["status"] == "broken" else "需要注意"
        for path, line in places:
            findings.append(Finding(context.display(path), line, 1, severity, f"external-{result['status']}",
                                    f"外部链接“{url}”{label}：{result['detail']}。",
                                    "在浏览器中打开确认；已失效的请换成新地址或删除。"))
    return findings


def status(url: str, timeout: float) -> dict[str, str]:
    """{"status": ok|caution|broken, "detail": Chinese reason} for one address."""
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    started = time.monotonic()
    try:
        response = session.head(url, timeout=timeout, allow_redirects=True, headers={"User-Agent": USER_AGENT})
        if response.status_code in (403, 405, 501):  # some servers refuse HEAD but serve GET
            response = session.get(url, timeout=timeout, allow_redirects=True, stream=True,
                                   headers={"User-Agent": USER_AGENT})
            response.close()
    except requests.TooManyRedirects:
        return {"status": "broken", "detail": f"重定向超过 {MAX_REDIRECTS} 次"}
    except requests.Timeout:
        return {"status": "caution", "detail": f"{timeout:g} 秒内没有响应"}
    except requests.RequestException as error:
        return {"status": "broken", "detail": f"无法连接（{type(error).__name__}）"}
    elapsed = time.monotonic() - started
    code = response.status_code
    if code in (404, 410) or code >= 500:
        return {"status": "broken", "detail": f"服务器返回 {code}"}
    if code >= 400:
        return {"status": "caution", "detail": f"服务器返回 {code}（可能需要登录或拒绝了检查程序）"}
    if elapsed > SLOW_SECONDS:
        return {"status": "caution", "detail": f"响应很慢（{elapsed:.1f} 秒）"}
    return {"status": "ok", "detail": f"服务器返回 {code}"}


# ---- Helper functions ----


def _read_cache(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_cache(path: Path, cache: dict[str, dict[str, Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cache, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still gets its findings
