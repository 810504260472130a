"""Read the survey/choices/settings sheets of an .xlsx into plain rows with Excel row numbers."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

XLSFORM_SHEETS = ("survey", "choices", "settings")
MAX_BLANK_RUN = 200  # stop reading after this many consecutive blank rows

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


def _read_rows(worksheet: Any, width: int, headers: list[str]) -> list[tuple[int, Row]]:
    """Return the non-blank rows below the header, stopping at a long blank stretch."""
    rows: list[tuple[int, Row]] = []
    blank_run = 0
    for number, values in enumerate(worksheet.iter_rows(min_row=2, values_only=True), start=2):
        row: Row = {}
        for header, raw in zip(headers, values[:width], strict=False):
            value = cell_value(raw)
            if header and value is not None and header not in row:
                row[header] = value
        if not row:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        rows.append((number, row))
    return rows


def read_sheet(worksheet: Any, name: str) -> Sheet:
    """Read one worksheet into a Sheet."""
    first = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [clean_header(value) for value in first]
    while headers and not headers[-1]:
        headers.pop()
    return Sheet(name, headers, _read_rows(worksheet, len(headers), headers))


def read_workbook(data: bytes) -> Workbook | None:
    """Open an .xlsx (bytes) and read its XLSForm sheets; None when it is not a workbook."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets: dict[str, Sheet] = {}
            ignored: list[str] = []
            for worksheet in book.worksheets:
                key = worksheet.title.strip().lower()
                if key in XLSFORM_SHEETS and key not in sheets:
                    sheets[key] = read_sheet(worksheet, key)
                else:
                    ignored.append(worksheet.title)
            book.close()
    except (OSError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile):
        return None
    return Workbook(sheets, ignored)
