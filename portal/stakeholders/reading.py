"""Read an uploaded CSV or XLSX file into tables of rows keyed by canonical column names."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

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


class FileProblem(ValueError):
    """The file cannot be read as a table; str(error) is a reason code."""


@dataclass
class Table:
    """Rows of one table: (spreadsheet row number, {canonical column: text})."""

    columns: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _fold(text: object) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


def _table(kind: str, raw_rows: Sequence[Sequence[object]]) -> Table:
    aliases = {_fold(a): canon for canon, names in COLUMNS[kind].items() for a in names}
    if not raw_rows:
        return Table()
    header = [aliases.get(_fold(h)) for h in raw_rows[0]]
    table = Table(columns={h for h in header if h})
    for number, raw in enumerate(raw_rows[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in raw]
        if not any(cells):
            continue
        row = {}
        for column, value in zip(header, cells, strict=False):
            if column and column not in row:
                row[column] = unescape_cell(value)
        table.rows.append((number, row))
    if len(table.rows) > MAX_ROWS:
        raise FileProblem("too_many_rows")
    return table


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("not_spreadsheet") from exc
    if "\x00" in text:
        raise FileProblem("not_spreadsheet")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem("not_spreadsheet") from exc


def _xlsx_sheets(data: bytes) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem("not_spreadsheet") from exc
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    finally:
        book.close()


def read_file(data: bytes, role: str, max_bytes: int) -> dict[str, Table]:
    """Return the tables in a file: a CSV is one table of `role`; a workbook may hold both."""
    if len(data) > max_bytes:
        raise FileProblem("too_large")
    if data[:4] == b"PK\x03\x04":
        sheets = _xlsx_sheets(data)
        found = {}
        for kind, names in SHEET_NAMES.items():
            for title, rows in sheets.items():
                if _fold(title) in names:
                    found[kind] = _table(kind, rows)
        if role not in found and sheets:
            found[role] = _table(role, next(iter(sheets.values())))
        return found
    if not data.strip():
        raise FileProblem("not_spreadsheet")
    return {role: _table(role, _csv_rows(data))}
