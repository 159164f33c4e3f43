"""Generated articles for search benchmarks and tests, written only into temporary copies of
the site. Their sentences are cut from the 2024 report so the frequency of common pairs
(法治, 行政 …) matches real content; each article also gets a line of random common Han
characters, because one report's vocabulary is far smaller than years of articles', and a
large vocabulary is what fills the index shards. They are test data, never content.

The build runs the checker's source rules and stops on an error, so generated text carries
no word of the wording dictionary (src/fazhi/checks/wording.yml): the report keeps its
original 杼困 as an exception recorded for its own page only, and an article gets 纾困."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from fazhi.search.harness import REPO

REPORT = REPO / "docs/reports/2024/2024-annual-report.txt"
FALLBACK_CATEGORY = "普法宣传"
RANDOM_CHARS = 40  # per article: about 40 new character pairs, a long tail like names and places


def report_sentences() -> list[str]:
    text = REPORT.read_text(encoding="utf-8")
    sentences = [s.strip() + "。" for s in re.split(r"[。\n]", corrected(text)) if len(s.strip()) >= 12]
    return [s for s in sentences if not s.startswith(("#", "---"))]


def corrected(text: str) -> str:
    """text with every wrong word of the checker's wording dictionary replaced by the right
    one, so that generated articles pass the build's checks."""
    for wrong, right in _wording().items():
        text = text.replace(wrong, right)
    return text


def article_text(title: str, slug: str, date: str, body: str, *, draft: bool = False,
                 category: str | None = None) -> str:
    """One article file that fits the article schema (src/fazhi/sources/schemas/article.yml)."""
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {date}",
        # Not the report: an article citing it is held to its original word for word
        # (fazhi.checks.quotations), and these mix its sentences with sample numbers.
        "source: 测试生成的样例文章（不是真实内容）",
        f"summary: {json.dumps(title, ensure_ascii=False)}",
        "categories:",
        f"  - {category or _category()}",
        "tags: []",
        f"slug: {slug}",
    ]
    if draft:
        lines.append("draft: true")
    lines += ["---", "", f"# {title}", "", body, ""]
    return "\n".join(lines)


def write_articles(docs_dir: Path, count: int, seed: int = 7) -> list[Path]:
    """Write count generated articles (about 1,000 characters, 4 sections each)."""
    rng = random.Random(seed)
    sentences = report_sentences()
    posts = docs_dir / "articles" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(count):
        picked = rng.sample(sentences, 17)
        title = f"{picked[0][:16].rstrip('，。、,')}（样例{number}）"
        body = "\n\n".join(
            f"## {picked[4 * part + 1][:12].rstrip('，。、,')}\n\n"
            f"{picked[4 * part + 2]}{picked[4 * part + 3]}{picked[4 * part + 4]}"
            for part in range(4)
        )
        tail = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(RANDOM_CHARS))
        body += f"\n\n（样例附注：{corrected(tail)}）"
        slug = f"sample-{number:05d}"
        path = posts / f"{slug}.md"
        path.write_text(article_text(title, slug, f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}", body),
                        encoding="utf-8")
        written.append(path)
    return written


# ---- Helper functions ----


def _wording() -> dict[str, str]:
    try:
        from fazhi.checks import wording

        return {entry["wrong"]: entry["right"] for entry in wording.dictionary()["words"]}
    except Exception:  # no wording dictionary in an old checkout
        return {}


def _category() -> str:
    try:
        from fazhi.sources import schema

        allowed = schema.allowed("categories")
    except Exception:  # the schema module may not exist yet in an old checkout
        return FALLBACK_CATEGORY
    return FALLBACK_CATEGORY if FALLBACK_CATEGORY in allowed else allowed[0]
