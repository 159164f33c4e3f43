"""The published policy documents and lists, read from the records fazhi.sources parsed.

- docs/policies/documents.yml: one record per document;
- docs/policies/lists/<name>.yml (+ optional <name>.csv with the rows): one list each.
A record that is a draft or dated after today is left out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

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


def read(files: Files, docs_dir: Path, records: dict[str, list[dict[str, Any]]]) -> Policies:
    """The published documents and lists. `records` maps a data file's src_uri to its
    published typed records (fazhi.plugin keeps them); CSV rows are read here."""
    documents = records.get(DOCUMENTS, []) if files.get_file_from_path(DOCUMENTS) else []
    lists = []
    for src_uri in sorted(f.src_uri for f in files if _is_list(f.src_uri)):
        published = records.get(src_uri, [])
        if published:
            lists.append(_list(docs_dir, src_uri, published[0], files))
    return Policies(documents, lists)


# ---- Helper functions ----


def _is_list(src_uri: str) -> bool:
    return src_uri.startswith(LISTS_DIR) and src_uri.endswith(".yml") and "/" not in src_uri[len(LISTS_DIR):]


def _list(docs_dir: Path, src_uri: str, data: dict[str, Any], files: Files) -> PolicyList:
    name = src_uri[len(LISTS_DIR):-len(".yml")]
    csv_src = f"{LISTS_DIR}{name}.csv"
    if not files.get_file_from_path(csv_src):
        return PolicyList(name, data, [], [], None)
    header, rows = _read_csv(docs_dir / csv_src)
    return PolicyList(name, data, header, rows, csv_src)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows. Encoding, header and column counts are checked by
    fazhi.checks.metadata, whose errors stop the build before this runs."""
    table = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    header = [cell.strip() for cell in table[0]]
    rows = [[cell.strip() for cell in row] for row in table[1:] if any(cell.strip() for cell in row)]
    return header, rows
