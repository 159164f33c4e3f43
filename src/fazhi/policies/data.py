"""The published policy documents and lists, read from the records fazhi.sources parsed.

- docs/policies/documents.yml: one record per document;
- docs/policies/lists/<name>.yml (+ optional <name>.csv with the rows): one list each.
A record that is a draft or dated after today is left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi.sources.tables import Table

DOCUMENTS = "policies/documents.yml"
LISTS_DIR = "policies/lists/"


@dataclass
class PolicyList:
    name: str
    data: dict[str, Any]
    header: list[str]
    rows: list[list[str]]
    csv_src: str | None  # the .csv file's src_uri, when there is one

    @property
    def page_src(self) -> str:
        return f"{LISTS_DIR}{self.name}.md"


@dataclass
class Policies:
    documents: list[dict[str, Any]] = field(default_factory=list)
    lists: list[PolicyList] = field(default_factory=list)


def read(src_uris: set[str], docs_dir: Path, records: dict[str, list[dict[str, Any]]],
         tables: Callable[[Path], Table]) -> Policies:
    """The published documents and lists among the docs-relative `src_uris`. `records` maps
    a data file to its published typed records, `tables` gives a .csv file's rows (both read
    and checked once, by fazhi.checks.Context)."""
    documents = records.get(DOCUMENTS, []) if DOCUMENTS in src_uris else []
    lists = []
    for src_uri in sorted(filter(_is_list, src_uris)):
        published = records.get(src_uri, [])
        if published:
            lists.append(_list(docs_dir, src_uri, published[0], src_uris, tables))
    return Policies(documents, lists)


# ---- Helper functions ----


def _is_list(src_uri: str) -> bool:
    return src_uri.startswith(LISTS_DIR) and src_uri.endswith(".yml") and "/" not in src_uri[len(LISTS_DIR):]


def _list(docs_dir: Path, src_uri: str, data: dict[str, Any], src_uris: set[str], tables: Callable[[Path], Table]) -> PolicyList:
    name = src_uri[len(LISTS_DIR):-len(".yml")]
    csv_src = f"{LISTS_DIR}{name}.csv"
    if csv_src not in src_uris:
        return PolicyList(name, data, [], [], None)
    table = tables(docs_dir / csv_src)
    return PolicyList(name, data, table.header, table.rows, csv_src)
