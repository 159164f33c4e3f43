"""A list's CSV as the site serves it, and the one rule that keeps a spreadsheet from running
a cell as a formula.

The served policies/lists/<name>.csv is written by the build (`csv_text`) from the list's
header and rows as its page shows them: UTF-8 with a byte order mark, so that Excel and WPS
open the Chinese intact (the same as the in-page download of list-table.js), and quoted and
ended with CRLF as RFC 4180 says. The source .csv is never copied.

CSV injection (OWASP, https://owasp.org/www-community/attacks/CSV_Injection): a spreadsheet
that opens a CSV reads a cell starting with =, +, - or @ as a formula (OWASP lists a leading
TAB and CR too), and a formula can send the table to another address (=HYPERLINK,
=WEBSERVICE) or, through DDE, start a program. OWASP's remedy is the rule here: a cell that
starts with one of FORMULA_STARTS gets a leading ' and is then text (`neutralise`). It
applies to CSV output only: the served file and the 下载当前结果 download of
docs/assets/javascripts/list-table.js, which restates FORMULA_STARTS (keep the two equal;
tests/test_csv_safety.py compares them). Cells are stripped when read, so a TAB or CR
before a formula is dropped and the formula after it is neutralised. The page's table shows
every cell as written: there it is HTML text, escaped.

The checker warns on each cell the rule changes (`formula_cells`, reported by
fazhi.checks.metadata at the cell's line and column), with one exception: a cell that is
exactly "-", the usual mark for 无 in government tables. It is no formula (nothing follows
the sign) and staff would have nothing to change, so it is not reported; the rule itself
has no exceptions, and the download holds it as '-."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

# OWASP, CSV Injection: "ensure that no cells begin with any of the following characters".
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
QUOTE: Final = "'"
BOM: Final = "\ufeff"
LINE_END: Final = "\r\n"  # RFC 4180, 2.1
NOT_REPORTED: Final = frozenset({"-"})  # 无: neutralised, but not worth a warning
SIGN_NAMES: Final = {"\t": "制表符（Tab）", "\r": "回车符"}


@dataclass(frozen=True)
class Cell:
    """One cell of a CSV file as csv.reader reads it, with where its text starts: the line
    and column (1-based) of its first character that is not white space."""

    value: str
    line: int
    column: int
    record: int  # 0 for the header, then 1, 2 … in the order csv.reader gives the records
    field: int  # 0-based column of the table


def neutralise(cell: str) -> str:
    """The cell as CSV output holds it: with a leading ' when it starts like a formula."""
    return QUOTE + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """The served CSV of a list: byte order mark, header, rows, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def formula_cells(text: str) -> list[Cell]:
    """The cells of a CSV text (decoded, without its byte order mark) that CSV output will
    neutralise, as the list's page holds them (stripped, as fazhi.sources.tables reads
    them), and that are worth telling staff about (not NOT_REPORTED)."""
    return [cell for cell in cells(text)
            if neutralise(cell.value) != cell.value and cell.value not in NOT_REPORTED]


def sign_name(cell: str) -> str:
    """The formula sign a cell starts with, as the checker's message names it."""
    return SIGN_NAMES.get(cell[:1], cell[:1])


def cells(text: str) -> list[Cell]:
    """Every cell of `text` with its value stripped and where it is written. The positions
    come from a scan that follows csv.reader's rules (Excel dialect); where the scan and
    csv.reader read different cells (a broken quote the checker reports anyway), a cell is
    placed at the first line of its record, column 1."""
    scanned = _scan(text)
    try:
        records: list[list[str]] | None = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        records = None  # fazhi.sources.tables reports it
    if [[value for value, _, _ in record] for record in scanned] == records:
        return [Cell(value.strip(), line, column, number, index)
                for number, record in enumerate(scanned) for index, (value, line, column) in enumerate(record)]
    return [Cell(value.strip(), line, 1, number, index)
            for number, (line, record) in enumerate(_record_lines(text)) for index, value in enumerate(record)]


# ---- Helper functions ----

Scanned = tuple[str, int, int]  # value, line and column of its first non-blank character


def _scan(text: str) -> list[list[Scanned]]:
    """The records of `text` as csv.reader (Excel dialect, not strict) reads them, each
    field with the position of its first non-blank character (of its start when blank).
    csv.reader is fed lines split at LF only, as io.StringIO gives them; positions count a
    lone CR as a line break, as editors do."""
    records: list[list[Scanned]] = []
    record: list[Scanned] = []
    chars: list[str] = []
    start: tuple[int, int] = (1, 1)  # where the current field starts
    first: tuple[int, int] | None = None  # its first non-blank character
    state = "record"  # record, field, unquoted, quoted, quote_in_quoted, newline
    line, column, after_cr = 1, 1, False

    def add(char: str) -> None:
        nonlocal first
        chars.append(char)
        if first is None and not char.isspace():
            first = (line, column)

    def save() -> None:
        nonlocal first
        where = first or start
        record.append(("".join(chars), where[0], where[1]))
        chars.clear()
        first = None

    for raw_line in io.StringIO(text):
        for char in raw_line:
            if state == "record":
                state = "newline" if char in "\r\n" else "field"
            if state == "field":
                start = (line, column)
                if char in "\r\n":
                    save()
                    state = "newline"
                elif char == '"':
                    state = "quoted"
                elif char == ",":
                    save()
                else:
                    add(char)
                    state = "unquoted"
            elif state == "unquoted":
                if char in "\r\n":
                    save()
                    state = "newline"
                elif char == ",":
                    save()
                    state = "field"
                else:
                    add(char)
            elif state == "quoted":
                if char == '"':
                    state = "quote_in_quoted"
                else:
                    add(char)
            elif state == "quote_in_quoted":
                if char == '"':
                    add(char)
                    state = "quoted"
                elif char == ",":
                    save()
                    state = "field"
                elif char in "\r\n":
                    save()
                    state = "newline"
                else:
                    add(char)
                    state = "unquoted"
            elif state == "newline" and char not in "\r\n":
                return []  # csv.reader stops here ("new-line character seen in unquoted field")
            # Lines as an editor counts them (and fazhi.sources.tables): CRLF, CR or LF ends one.
            if char == "\r" or (char == "\n" and not after_cr):
                line, column = line + 1, 1
            elif char != "\n":
                column += 1
            after_cr = char == "\r"
        # The end of a line: csv.reader's EOL.
        if state in ("field", "unquoted", "quote_in_quoted"):
            save()
            state = "record"
        elif state == "newline":
            state = "record"
        if state == "record":
            records.append(record)
            record = []
    if state == "quoted" or chars:  # the data ends inside a field
        save()
        records.append(record)
    return records


def _record_lines(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each record as csv.reader reads it."""
    result: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text))
    line = 1
    try:
        for record in reader:
            result.append((line, record))
            line = reader.line_num + 1
    except csv.Error:
        pass  # reported by fazhi.sources.tables
    return result
