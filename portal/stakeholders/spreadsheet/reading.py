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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any

from portal import workbooks
from portal.spreadsheets import unescape_cell
from portal.stakeholders.spreadsheet import headers
from portal.stakeholders.spreadsheet.headers import fold as _fold

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
    ignored: list[str] = field(default_factory=list)  # headers of columns not imported
    layout: str = "table"  # "table", "edgelist" (no header) or "matrix"
    file_date: date | None = None  # the file's own date, when it has one
    names: list[tuple[int, str]] = field(default_factory=list)  # a matrix's names, by row
    attributes: list[str] = field(default_factory=list)  # a network file's attribute titles


def _is_edge_list(header: list[Any], aliases: dict[str, str]) -> bool:
    """A ties header naming neither end, two or three cells wide: the first row is data."""
    known = {aliases.get(_fold(h)) for h in header}
    return not known & {"from", "to"} and 2 <= len(header) <= 3 and all(
        str(h or "").strip() for h in header[:2])


def _matrix(rows: list[tuple[int, list[Any]]]) -> Table | None:
    """Read an adjacency matrix (names across and down, a mark where two work together)."""
    if len(rows) < 2:
        return None
    top = [" ".join(str(v or "").split()) for v in rows[0][1]]
    across = top[1:]
    down = [" ".join(str(r[0] if r else "").split()) for _n, r in rows[1:]]
    # A row and column without a name (Gephi's own test matrix has one) name no stakeholder:
    # they are skipped, as Gephi skips them; every other name must be both across and down.
    named = [a for a in across if a]
    if len(named) < 2 or len(set(named)) != len(named) or {_fold(a) for a in named} != {
            _fold(d) for d in down if d}:
        return None
    table = Table(columns={"from", "to", "direction"}, layout="matrix")
    for number, raw in rows[1:]:
        source = " ".join(str(raw[0] if raw else "").split())
        if not source:
            continue
        table.names.append((number, source))
        for target, cell in zip(across, raw[1:], strict=False):
            mark = "" if cell is None else str(cell).strip()
            if (target and mark and mark not in ("0", "0.0", "-")
                    and _fold(source) != _fold(target)):
                table.rows.append((number, {"from": source, "to": target,
                                            "direction": "directed"}))
    return table


def _table(kind: str, rows: Iterable[tuple[int, list[Any]]]) -> Table:
    """Build a table from streamed (row number, values); the first non-blank row is the header."""
    aliases = headers.aliases(kind)
    table = Table()
    header: list[str | None] | None = None
    stream: Iterator[tuple[int, list[Any]]] = iter(rows)
    try:
        for number, raw in stream:
            if header is None:
                if kind == "ties" and _is_edge_list(raw, aliases):
                    names: list[str | None] = ["from", "to", "weight"]
                    header = names[:len(raw)]
                    table.columns, table.layout = {"from", "to"}, "edgelist"
                    table.ignored = ["weight"] if len(raw) == 3 else []
                elif kind == "ties" and not {aliases.get(_fold(h)) for h in raw} & {"from", "to"}:
                    found = _matrix([(number, raw), *stream])
                    if found is not None:
                        return found
                    header = [aliases.get(_fold(h)) for h in raw]
                    table.columns = {h for h in header if h}
                    return table
                else:
                    header = [aliases.get(_fold(h)) for h in raw]
                    table.columns = {h for h in header if h}
                    table.ignored = [str(h) for h, c in zip(raw, header, strict=False)
                                     if c is None and str(h or "").strip()]
                    continue
            break
        else:
            return table
        _read_rows(table, header, chain(((number, raw),), stream))
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(_CODES.get(exc.code, exc.code), exc.row) from exc
    return table


def _text_of(value: Any) -> str:
    """Return a cell as the importer reads it: text, stripped, a guarded formula undone."""
    return unescape_cell("" if value is None else str(value).strip())


def _read_rows(table: Table, header: list[str | None],
               stream: Iterable[tuple[int, list[Any]]]) -> None:
    """Add the data rows to the table: the columns
    the header names, each once (the first of repeated headers), "weight" left out.

    The hot loop of an import: a row of plain text cells (any CSV) is read by one slice and
    one strip per cell; a row with numbers, dates or blanks (a workbook) cell by cell."""
    keep: dict[str, int] = {}
    for index, column in enumerate(header):
        if column and column != "weight":
            keep.setdefault(column, index)
    names, indexes = tuple(keep), tuple(keep.values())
    width = max(indexes, default=-1) + 1
    pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda r: (r[indexes[0]],))
    rows = table.rows
    for number, raw in stream:
        if len(raw) >= width and indexes:
            try:
                texts = [v.strip() for v in pick(raw)]
            except AttributeError:  # a number, a date or a blank cell
                texts = [_text_of(v) for v in pick(raw)]
            if any(t[:1] == "'" for t in texts):
                texts = [unescape_cell(t) for t in texts]
            row = dict(zip(names, texts, strict=True))
        else:  # a short row: only the columns it reaches
            row = {c: _text_of(raw[i]) for c, i in keep.items() if i < len(raw)}
        if not any(row.values()) and not any(_text_of(v) for v in raw):
            continue
        rows.append((number, row))


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
        table = _table(kind, workbooks.bounded(_rows_of(text, kind), LIMITS))
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
                    found[kind] = _table(kind, workbooks.sheet_rows(chosen[-1], LIMITS))
            for ws in sheets:
                if len(found) == 2:
                    break
                first = next(iter(workbooks.sheet_rows(ws, LIMITS)), None)
                guess = _role_of(first[1]) if first else None
                if guess and guess not in found:
                    found[guess] = _table(guess, workbooks.sheet_rows(ws, LIMITS))
            if not found:
                found[role] = _table(role, workbooks.sheet_rows(sheets[0], LIMITS))
            day = _book_date(book)
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(_CODES.get(exc.code, exc.code), exc.row) from exc
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
            return _table(kind, workbooks.sheet_rows(_readable_sheets(book)[0], LIMITS))
    except workbooks.WorkbookProblem as exc:
        raise FileProblem(_CODES.get(exc.code, exc.code), exc.row) from exc
