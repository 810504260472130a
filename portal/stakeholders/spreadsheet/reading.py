"""Read an uploaded CSV, XLSX, GraphML or GEXF file into tables keyed by canonical columns.

Spreadsheets are read as a stream within `LIMITS` (see portal.workbooks): reading stops at the
first row past the row or column limit. A CSV in a Windows code page or UTF-16 is decoded in
the encoding charset-normalizer finds, and the table says which one was read; its delimiter is
the one of `,` `;` tab `|` the header uses most (whitespace for a two-column edge list). Headers
and sheet names are matched in every UI language and in Kumu's, Gephi's and Polinode's words
(`headers`); a workbook's sheets are recognised by name, else by their header row. A ties table
may also be a plain edge list (two or three columns, no header) or an adjacency matrix.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from portal import workbooks
from portal.spreadsheets import unescape_cell
from portal.stakeholders.spreadsheet import headers
from portal.stakeholders.spreadsheet.headers import fold as _fold
from portal.stakeholders.spreadsheet.tables import WORKBOOK_CODES, FileProblem, Table, table_of

__all__ = ["LIMITS", "MAX_COLUMNS", "MAX_ROWS", "FileProblem", "Table", "decode",
           "encoding_name", "read_file", "read_table", "unescape_cell"]

MAX_ROWS = 200_000
MAX_COLUMNS = 200
LIMITS = workbooks.Limits(rows=MAX_ROWS + 1, columns=MAX_COLUMNS)  # + the header row
# The code pages of the portal's languages: Central European (sq), Cyrillic (mk, sr),
# Western, Turkish, Arabic. Detection among these few is reliable on short files.
CODE_PAGES = ("cp1250", "cp1251", "cp1252", "cp1254", "cp1256")
ENCODING_NAMES = {"utf_8": "UTF-8", "utf_16": "UTF-16", "cp1250": "Windows-1250",
                  "cp1251": "Windows-1251", "cp1252": "Windows-1252",
                  "cp1254": "Windows-1254", "cp1256": "Windows-1256"}
DELIMITERS = (",", ";", "\t", "|")




def decode(data: bytes) -> tuple[str, str]:
    """Return the text of a CSV and the codec read: BOM, else UTF-8, else the detected one."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf_8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf_16"
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CODE_PAGES)).best()
    if best is None or best.encoding not in CODE_PAGES:
        raise FileProblem("not_spreadsheet")
    return data.decode(best.encoding), best.encoding


def encoding_name(codec: str) -> str:
    """Return the usual name of a codec charset-normalizer or `decode` reports."""
    return ENCODING_NAMES.get(codec, codec.replace("_", "-").upper())


def _rows_of(text: str, kind: str) -> Iterable[list[str]]:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=counts.__getitem__)
    if not counts[delimiter] and kind == "ties" and len(first.split()) in (2, 3):
        # NetworkX's and igraph's edge lists: "a b" or "a b 3", whitespace separated.
        return (line.split() for line in io.StringIO(text, newline=""))
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _csv_table(kind: str, data: bytes) -> Table:
    try:
        text, codec = decode(data)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileProblem("not_spreadsheet") from exc
    if "\x00" in text:
        raise FileProblem("not_spreadsheet")
    try:
        table = table_of(kind, workbooks.bounded(_rows_of(text, kind), LIMITS))
    except csv.Error as exc:
        raise FileProblem("not_spreadsheet") from exc
    table.encoding = codec
    return table


def _role_of(header: list[Any]) -> str | None:
    """Guess a sheet's table from its header row: ends → ties, a name or id → stakeholders."""
    ties = {headers.aliases("ties").get(_fold(h)) for h in header}
    if {"from", "to"} <= ties:
        return "ties"
    people = {headers.aliases("stakeholders").get(_fold(h)) for h in header}
    if people & {"name", "id"}:
        return "stakeholders"
    return None


def _book_date(book: Any) -> date | None:
    props = getattr(book, "properties", None)
    stamp = getattr(props, "modified", None) or getattr(props, "created", None)
    return stamp.date() if stamp is not None else None


def _check_upload(data: bytes, max_bytes: int) -> None:
    """Refuse an upload over the size limit, or one with nothing in it."""
    if len(data) > max_bytes:
        raise FileProblem("too_large")
    if not data.strip():
        raise FileProblem("not_spreadsheet")


def _readable_sheets(book: Any) -> list[Any]:
    """Return the workbook's sheets but those named "(ignore)" (Kumu's convention); refuse a
    workbook left with none."""
    sheets = [ws for ws in book.worksheets if "(ignore)" not in ws.title.casefold()]
    if not sheets:
        raise FileProblem("not_spreadsheet")
    return sheets


def _xlsx_tables(data: bytes, role: str) -> dict[str, Table]:
    """Read the workbook's tables: sheets by name in any language, else by their header row."""
    found: dict[str, Table] = {}
    try:
        with workbooks.open_workbook(data, LIMITS) as book:
            sheets = _readable_sheets(book)
            for kind in ("stakeholders", "ties"):
                chosen = [ws for ws in sheets if _fold(ws.title) in headers.sheet_names(kind)]
                if chosen:  # the last sheet of that name, as before
                    found[kind] = table_of(kind, workbooks.sheet_rows(chosen[-1], LIMITS))
            for ws in sheets:
                if len(found) == 2:
                    break
                first = next(iter(workbooks.sheet_rows(ws, LIMITS)), None)
                guess = _role_of(first[1]) if first else None
                if guess and guess not in found:
                    found[guess] = table_of(guess, workbooks.sheet_rows(ws, LIMITS))
            if not found:
                found[role] = table_of(role, workbooks.sheet_rows(sheets[0], LIMITS))
            day = _book_date(book)
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(WORKBOOK_CODES.get(exc.code, exc.code), exc.row) from exc
    for table in found.values():
        table.file_date = day
    return found


def read_file(data: bytes, role: str, max_bytes: int) -> dict[str, Table]:
    """Return the tables in a file: a CSV is one table of `role`; a workbook or a network
    file (GraphML, GEXF) may hold both."""
    _check_upload(data, max_bytes)
    if data[:4] == b"PK\x03\x04":
        return _with_matrix_names(_xlsx_tables(data, role))
    from portal.stakeholders.spreadsheet import networkfiles

    if networkfiles.looks_like_xml(data):
        return networkfiles.read_network(data)
    return _with_matrix_names({role: _csv_table(role, data)})


def _with_matrix_names(tables: dict[str, Table]) -> dict[str, Table]:
    """A matrix lists its stakeholders down its first column, a name with no mark too: they
    become a table of names (used when no stakeholder table comes with it), so a stakeholder
    not yet connected is not lost."""
    ties = tables.get("ties")
    if ties is not None and ties.layout == "matrix" and "stakeholders" not in tables:
        tables["stakeholders"] = Table(columns={"name"},
                                       rows=[(n, {"name": name}) for n, name in ties.names])
    return tables


def read_table(data: bytes, kind: str, max_bytes: int) -> Table:
    """Return one table of `kind` from a CSV or from the first sheet of a workbook (not one
    named "(ignore)"): a sign-in sheet, read with the same limits, encodings and headers."""
    _check_upload(data, max_bytes)
    if data[:4] != b"PK\x03\x04":
        return _csv_table(kind, data)
    try:
        with workbooks.open_workbook(data, LIMITS) as book:
            return table_of(kind, workbooks.sheet_rows(_readable_sheets(book)[0], LIMITS))
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(WORKBOOK_CODES.get(exc.code, exc.code), exc.row) from exc
