"""The published policy documents and lists, read from the records fazhi.sources parsed.

- docs/policies/documents.yml: one record per document;
- docs/policies/lists/<name>.yml (+ optional <name>.csv with the rows): one list each.
A record that is a draft or dated after today is left out. The sources are never published
as they are: each published list's CSV is written again from its rows
(fazhi.policies.csv_output), at the address of its source."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi.sources.tables import Table

DOCUMENTS = "policies/documents.yml"
LISTS_DIR = "policies/lists/"
# A list's file name is its web address (policies/lists/<name>/) and goes into the links of
# the overview: lower-case ASCII words and hyphens, as an article's slug.
LIST_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class PolicyList:
    name: str
    data: dict[str, Any]
    header: list[str]
    rows: list[list[str]]
    csv_src: str | None  # the .csv file's src_uri, when there is one: the served CSV's too

    @property
    def page_src(self) -> str:
        return f"{LISTS_DIR}{self.name}.md"


@dataclass
class Policies:
    documents: list[dict[str, Any]] = field(default_factory=list)
    lists: list[PolicyList] = field(default_factory=list)
    # Every list's .csv among the sources, its list published or not: none is copied as it is.
    row_sources: set[str] = field(default_factory=set)

    @property
    def csv_files(self) -> list[str]:
        """The src_uri of each CSV the build writes: one per published list with a .csv."""
        return [item.csv_src for item in self.lists if item.csv_src is not None]


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
    row_sources = {_csv_src(src_uri) for src_uri in src_uris if _is_list(src_uri)} & src_uris
    return Policies(documents, lists, row_sources)


# ---- Helper functions ----


def _is_list(src_uri: str) -> bool:
    """A list's data file with a valid name (fazhi.checks.metadata reports any other)."""
    return src_uri.startswith(LISTS_DIR) and src_uri.endswith(".yml") and LIST_NAME.fullmatch(src_uri[len(LISTS_DIR):-len(".yml")]) is not None


def _list(docs_dir: Path, src_uri: str, data: dict[str, Any], src_uris: set[str], tables: Callable[[Path], Table]) -> PolicyList:
    name = src_uri[len(LISTS_DIR):-len(".yml")]
    csv_src = _csv_src(src_uri)
    if csv_src not in src_uris:
        return PolicyList(name, data, [], [], None)
    table = tables(docs_dir / csv_src)
    return PolicyList(name, data, table.header, table.rows, csv_src)


def _csv_src(list_src: str) -> str:
    return list_src.removesuffix(".yml") + ".csv"
