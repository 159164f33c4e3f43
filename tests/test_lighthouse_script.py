"""scripts/lighthouse.py without running Lighthouse: which pages it measures, how it reads a
report (what counts as failing, what is Material's own bundle), and when it fails the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fazhi.hosting.lighthouse import MIN_PERFORMANCE, PageResult, Run, failed, is_material_bundle_only, pages, summarize, table

BUNDLE_JS = "https://fazhi.example.test/fazhi/assets/javascripts/bundle.a5f9d56c.min.js"
BUNDLE_CSS = "https://fazhi.example.test/fazhi/assets/stylesheets/main.57a0d79d.min.css"
SITE_CSS = "https://fazhi.example.test/fazhi/assets/stylesheets/site.7d623213.css"


def audit(score: float | None, mode: str = "binary", urls: list[str] | None = None, title: str = "t") -> dict[str, Any]:
    found: dict[str, Any] = {"score": score, "scoreDisplayMode": mode, "title": title}
    if urls is not None:
        found["details"] = {"items": [{"url": url} for url in urls]}
    return found


def report(audits: dict[str, tuple[str, float, str | None, dict[str, Any]]], score: float = 1.0) -> dict[str, Any]:
    """A Lighthouse report holding `audits`: id -> (category, weight, group, audit)."""
    categories: dict[str, Any] = {name: {"score": score, "auditRefs": []} for name in ("performance", "accessibility", "best-practices", "seo")}
    for audit_id, (category, weight, group, _) in audits.items():
        categories[category]["auditRefs"].append({"id": audit_id, "weight": weight, "group": group})
    return {
        "categories": categories,
        "audits": {
            "cumulative-layout-shift": {"numericValue": 0.0},
            "largest-contentful-paint": {"numericValue": 1500.0},
            **{audit_id: found for audit_id, (_, _, _, found) in audits.items()},
        },
    }


def test_known_only_when_every_item_is_materials_bundle() -> None:
    assert is_material_bundle_only(audit(0, urls=[BUNDLE_JS]))
    assert is_material_bundle_only(audit(0, urls=[BUNDLE_JS, BUNDLE_CSS]))
    assert not is_material_bundle_only(audit(0, urls=[BUNDLE_JS, SITE_CSS]))
    assert not is_material_bundle_only(audit(0, urls=[]))
    assert not is_material_bundle_only(audit(0))


def test_failing_audits_are_the_scored_ones() -> None:
    run = summarize(report({
        "aria-prohibited-attr": ("accessibility", 7, "a11y-aria", audit(0)),
        "landmark-one-main": ("accessibility", 0, "hidden", audit(0)),  # not scored
        "robots-txt": ("seo", 0, "seo-crawl", audit(0)),  # not scored
        "unused-css-rules": ("performance", 0, "diagnostics", audit(0.5, "metricSavings", [BUNDLE_CSS])),
        "unsized-images": ("performance", 0, "diagnostics", audit(0.5, "metricSavings", [SITE_CSS])),
        "uses-long-cache-ttl": ("performance", 0, "diagnostics", audit(1, "metricSavings", [])),
        "max-potential-fid": ("performance", 0, "hidden", audit(0.2, "numeric")),  # not shown by Lighthouse
        "dom-size": ("performance", 0, "diagnostics", audit(None, "informative")),
        "layout-shifts": ("performance", 0, "diagnostics", audit(None, "error")),
    }), seconds=1.0)
    found = {(failure.category, failure.audit, failure.known) for failure in run.failures}
    assert found == {
        ("accessibility", "aria-prohibited-attr", False),
        ("performance", "unused-css-rules", True),
        ("performance", "unsized-images", False),
    }
    assert run.not_run == ["layout-shifts"]


def test_a_scored_audit_that_could_not_run_fails() -> None:
    run = summarize(report({"color-contrast": ("accessibility", 7, "a11y-color-contrast", audit(None, "error"))}), seconds=1.0)
    assert [failure.audit for failure in run.failures] == ["color-contrast"]


def test_the_run_fails_on_low_performance_or_a_strict_audit() -> None:
    def page(performance: int, *failing: str) -> PageResult:
        result = PageResult("home", "")
        run = summarize(report({name: ("seo", 1, "seo-content", audit(0)) for name in failing}), seconds=1.0)
        run.scores["performance"] = performance
        result.runs.append(run)
        return result

    assert failed([page(MIN_PERFORMANCE), page(100)]) == []
    assert failed([page(MIN_PERFORMANCE - 1)]) == [f"home: performance {MIN_PERFORMANCE - 1} < {MIN_PERFORMANCE}"]
    assert failed([page(100, "canonical")]) == ["home: canonical (SEO)"]


def test_median_of_runs_in_the_table() -> None:
    result = PageResult("home", "")
    for performance, cls in [(97, 0.0), (99, 0.2), (100, 0.0)]:
        result.runs.append(Run({"performance": performance, "accessibility": 100, "best-practices": 100, "seo": 100}, cls, 1500.0, [], [], 1.0))
    assert "| home (`/fazhi/`) | 99 | 100 | 100 | 100 | 0.000 | 1.5 s |" in table([result])


def test_pages_are_found_in_the_build(site_dir: Path) -> None:
    measured = dict(pages(site_dir))
    assert list(measured) == ["home", "report part", "figures", "article", "list"]
    for path in measured.values():
        assert (site_dir / path / "index.html").is_file(), path
    article = measured["article"]
    assert article.startswith("articles/") and article.split("/")[1] not in {"page", "archive", "category", "tag"}
    assert measured["list"].startswith("policies/lists/")
