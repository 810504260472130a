"""Read the survey/choices/settings sheets of an .xlsx into plain rows with Excel row numbers."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from portal import workbooks

XLSFORM_SHEETS = ("survey", "choices", "settings")
MAX_BLANK_RUN = 200  # stop reading after this many consecutive blank rows
# A survey form is a few hundred rows of a few dozen columns: anything far larger is refused
# before pyxform (which loads the whole workbook) ever sees it.
LIMITS = workbooks.Limits(uncompressed=16 * 1024 * 1024, rows=20_000, columns=200)

Row = dict[str, Any]


@dataclass
class Sheet:
    """One sheet: cleaned headers and its non-blank rows as (excel_row, {header: value})."""

    name: str
    headers: list[str]
    rows: list[tuple[int, Row]] = field(default_factory=list)


@dataclass
class Workbook:
    """The XLSForm sheets found in a workbook, plus the names of the other sheets."""

    sheets: dict[str, Sheet]
    ignored: list[str]


def clean_header(value: object) -> str:
    """Strip a header cell and lower-case its column part (``label::English`` keeps 'English')."""
    text = " ".join(str(value).split()) if value is not None else ""
    column, sep, language = text.partition("::")
    return column.strip().lower() + (sep + language.strip() if sep else "")


def cell_value(value: object) -> Any:
    """Normalise a cell: whole floats become ints, dates ISO strings, blank strings None."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def as_text(value: object) -> str:
    """Return a cell as stripped text ('' for blank); numbers read as '1', '2.5'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(cell_value(value)).strip()


def _read_rows(rows: Iterator[tuple[int, list[Any]]], headers: list[str]) -> list[tuple[int, Row]]:
    """Return the non-blank rows below the header, stopping at a long blank stretch."""
    found: list[tuple[int, Row]] = []
    blank_run, last = 0, 1
    for number, values in rows:
        blank_run += number - last - 1  # the rows skipped as blank by the stream
        last = number
        if blank_run >= MAX_BLANK_RUN:
            break
        row: Row = {}
        for header, raw in zip(headers, values, strict=False):
            value = cell_value(raw)
            if header and value is not None and header not in row:
                row[header] = value
        if not row:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        found.append((number, row))
    return found


def read_sheet(worksheet: Any, name: str) -> Sheet:
    """Read one worksheet into a Sheet, streamed within LIMITS; raise WorkbookProblem."""
    rows = workbooks.sheet_rows(worksheet, LIMITS)
    first = next(rows, None)
    if first is None:
        return Sheet(name, [])
    number, values = first
    headers = [clean_header(value) for value in values] if number == 1 else []
    while headers and not headers[-1]:
        headers.pop()
    if number != 1:  # no header row: the first non-blank row is data under no header
        rows = itertools.chain([first], rows)
    return Sheet(name, headers, _read_rows(rows, headers))


def read_workbook(data: bytes) -> Workbook | None:
    """Open an .xlsx (bytes) and read its XLSForm sheets; None when it cannot be read.

    Too large (unpacked), too many rows, too wide, or broken (bad zip, truncated XML): None,
    which the importer reports as a workbook it cannot read.
    """
    sheets: dict[str, Sheet] = {}
    ignored: list[str] = []
    try:
        with workbooks.open_workbook(data, LIMITS) as book:
            for worksheet in book.worksheets:
                key = worksheet.title.strip().lower()
                if key in XLSFORM_SHEETS and key not in sheets:
                    sheets[key] = read_sheet(worksheet, key)
                else:
                    ignored.append(worksheet.title)
    except workbooks.WorkbookProblem:
        return None
    return Workbook(sheets, ignored)
