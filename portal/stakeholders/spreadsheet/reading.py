"""Read an uploaded CSV or XLSX file into tables of rows keyed by canonical column names.

Both kinds are read as a stream within `LIMITS` (see portal.workbooks): reading stops at the
first row past the row or column limit. A CSV in a Windows code page or UTF-16 is decoded in
the encoding charset-normalizer finds, and the table says which one was read.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal import workbooks
from portal.spreadsheets import unescape_cell

# Canonical column → accepted headers (folded). Kumu's Label/Type/From/To are aliases.
STAKEHOLDER_COLUMNS = {
    "name": ("name", "label", "stakeholder"),
    "organisation": ("organisation", "organization"),
    "sector": ("sector", "type"),
    "level": ("level",),
    "area": ("area",),
    "team_member": ("team_member", "team member", "team"),
    "notes": ("notes", "description"),
    "contact_person": ("contact_person", "contact person"),
    "contact_email": ("contact_email", "contact email", "email"),
    "contact_phone": ("contact_phone", "contact phone", "phone"),
}
TIE_COLUMNS = {
    "from": ("from", "source"),
    "to": ("to", "target"),
    "kind": ("kind", "type"),
    "frequency": ("frequency",),
    "reporter": ("reporter", "reported by", "reported_by"),
    "round": ("round", "mapping round", "mapping_round"),
    "notes": ("notes", "description"),
}
COLUMNS = {"stakeholders": STAKEHOLDER_COLUMNS, "ties": TIE_COLUMNS}
SHEET_NAMES = {
    "stakeholders": ("stakeholders", "elements", "nodes", "actors"),
    "ties": ("ties", "connections", "edges", "links"),
}
MAX_ROWS = 200_000
MAX_COLUMNS = 200
LIMITS = workbooks.Limits(rows=MAX_ROWS + 1, columns=MAX_COLUMNS)  # + the header row
# The code pages of the portal's languages: Central European (sq), Cyrillic (mk, sr),
# Western, Turkish, Arabic. Detection among these few is reliable on short files.
CODE_PAGES = ("cp1250", "cp1251", "cp1252", "cp1254", "cp1256")
ENCODING_NAMES = {"utf_8": "UTF-8", "utf_16": "UTF-16", "cp1250": "Windows-1250",
                  "cp1251": "Windows-1251", "cp1252": "Windows-1252",
                  "cp1254": "Windows-1254", "cp1256": "Windows-1256"}


class FileProblem(ValueError):
    """The file cannot be read as a table; str(error) is a reason code, `row` where (0: file)."""

    def __init__(self, code: str, row: int = 0) -> None:
        super().__init__(code)
        self.row = row


@dataclass
class Table:
    """Rows of one table: (spreadsheet row number, {canonical column: text})."""

    columns: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = ""  # the text encoding a CSV was read in ("" for a workbook)


def _fold(text: object) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


def _table(kind: str, rows: Iterable[tuple[int, list[Any]]]) -> Table:
    """Build a table from streamed (row number, values); the first non-blank row is the header."""
    aliases = {_fold(a): canon for canon, names in COLUMNS[kind].items() for a in names}
    table = Table()
    header: list[str | None] | None = None
    try:
        for number, raw in rows:
            if header is None:
                header = [aliases.get(_fold(h)) for h in raw]
                table.columns = {h for h in header if h}
                continue
            cells = ["" if v is None else str(v).strip() for v in raw]
            if not any(cells):
                continue
            row = {}
            for column, value in zip(header, cells, strict=False):
                if column and column not in row:
                    row[column] = unescape_cell(value)
            table.rows.append((number, row))
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(_CODES.get(exc.code, exc.code), exc.row) from exc
    return table


_CODES = {"not_xlsx": "not_spreadsheet"}


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


def _csv_table(kind: str, data: bytes) -> Table:
    try:
        text, codec = decode(data)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileProblem("not_spreadsheet") from exc
    if "\x00" in text:
        raise FileProblem("not_spreadsheet")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table(kind, workbooks.bounded(reader, LIMITS))
    except csv.Error as exc:
        raise FileProblem("not_spreadsheet") from exc
    table.encoding = codec
    return table


def _xlsx_tables(data: bytes, role: str) -> dict[str, Table]:
    """Read the workbook's sheets that hold tables: by their names, else the first for `role`."""
    found: dict[str, Table] = {}
    try:
        with workbooks.open_workbook(data, LIMITS) as book:
            sheets = book.worksheets
            if not sheets:
                raise FileProblem("not_spreadsheet")
            for kind, names in SHEET_NAMES.items():
                chosen = [ws for ws in sheets if _fold(ws.title) in names]
                if chosen:  # the last sheet of that name, as before
                    found[kind] = _table(kind, workbooks.sheet_rows(chosen[-1], LIMITS))
            if role not in found and sheets:
                found[role] = _table(role, workbooks.sheet_rows(sheets[0], LIMITS))
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(_CODES.get(exc.code, exc.code), exc.row) from exc
    return found


def read_file(data: bytes, role: str, max_bytes: int) -> dict[str, Table]:
    """Return the tables in a file: a CSV is one table of `role`; a workbook may hold both."""
    if len(data) > max_bytes:
        raise FileProblem("too_large")
    if data[:4] == b"PK\x03\x04":
        return _xlsx_tables(data, role)
    if not data.strip():
        raise FileProblem("not_spreadsheet")
    return {role: _csv_table(role, data)}
