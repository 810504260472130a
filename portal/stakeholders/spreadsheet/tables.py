"""Build a table from a sheet's rows: header matching, edge lists, adjacency matrices.

The rows come streamed (row number, cell values) from a CSV or a workbook
(portal.stakeholders.spreadsheet.reading); a table holds them by canonical column.
"""

from __future__ import annotations

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

WORKBOOK_CODES = {"not_xlsx": "not_spreadsheet"}  # a workbook's problem, in the importer's words


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


def table_of(kind: str, rows: Iterable[tuple[int, list[Any]]]) -> Table:
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
        raise FileProblem(WORKBOOK_CODES.get(exc.code, exc.code), exc.row) from exc
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
