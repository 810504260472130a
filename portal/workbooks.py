"""Read uploaded .xlsx workbooks within bounds: the archive, the sheets' XML, rows and columns.

An .xlsx is a zip of XML files, so a 100 KB upload can unpack to gigabytes, declare a cell at
column XFD in every row, or hold a million rows. Both importers (stakeholders, XLSForm) read
through here: the archive's uncompressed size is checked before any XML is parsed, each sheet is
streamed (openpyxl read-only) one row at a time with only its filled cells kept, and reading
stops at the first row past the row or column limit. Any unreadable part (bad zip, truncated or
hostile XML, missing part, bad text encoding) becomes one `WorkbookProblem`.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

SHEET_MAX_ROWS = 1_048_576  # Excel's own limit: a larger row number is a forged file
MAX_MEMBERS = 1_000
# Everything a malformed or hostile file can raise while openpyxl reads it: ParseError is a
# SyntaxError, defusedxml's refusals are ValueErrors, a missing part is a KeyError.
READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError,
    IndexError, AttributeError, SyntaxError, InvalidFileException, NotImplementedError,
)


class WorkbookProblem(ValueError):
    """The file cannot be read within the limits; `code` says why, `row` where (0: the file)."""

    def __init__(self, code: str, row: int = 0) -> None:
        super().__init__(code)
        self.code, self.row = code, row


@dataclass(frozen=True)
class Limits:
    """How much of an upload is read: unpacked bytes, non-blank rows per sheet, columns."""

    uncompressed: int = 64 * 1024 * 1024
    rows: int = 200_000
    columns: int = 200


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that never scans the whole sheet up front and never pads rows."""

    def _get_size(self) -> None:
        # openpyxl's own version parses the whole sheet when <dimension> is missing. The declared
        # size is no guide anyway: LibreOffice writes A1:AMJ1048576 for a 30-row form.
        return None

    def _get_row(self, row: list[dict[str, Any]], min_col: int = 1,
                 max_col: int | None = None, values_only: bool = False) -> tuple[Any, ...]:
        # Only filled cells count: a blank cell at column XFD must not become 16,384 values.
        filled = [c for c in row if c["value"] is not None and c["value"] != ""]
        if not filled:
            return ()
        values: list[Any] = [None] * max(c["column"] for c in filled)
        for cell in filled:
            values[cell["column"] - 1] = cell["value"]
        return tuple(values)


class _Reader(ExcelReader):
    """openpyxl's reader, building `_Sheet`s for the worksheets and skipping chartsheets."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse a file that is not a zip or unpacks to more than the limit, before parsing it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except READ_ERRORS as exc:
        raise WorkbookProblem("not_xlsx") from exc
    # zipfile stops reading a member at its declared size, so the declared sizes are a bound.
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > limits.uncompressed:
        raise WorkbookProblem("too_large")


@contextmanager
def open_workbook(data: bytes, limits: Limits) -> Iterator[Workbook]:
    """Open an .xlsx read-only after checking its archive; closed on leaving."""
    check_archive(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
            reader = _Reader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read()
    except READ_ERRORS as exc:
        raise WorkbookProblem("not_xlsx") from exc
    book = reader.wb
    try:
        yield book
    finally:
        book.close()


def bounded(rows: Iterable[Sequence[Any]], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, values without trailing blanks) of the non-blank rows, within limits."""
    seen = 0
    for number, raw in enumerate(rows, start=1):
        if number > SHEET_MAX_ROWS:
            raise WorkbookProblem("too_many_rows", number)
        values = list(raw)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if not values:
            continue
        if len(values) > limits.columns:
            raise WorkbookProblem("too_wide", number)
        seen += 1
        if seen > limits.rows:
            raise WorkbookProblem("too_many_rows", number)
        yield number, values


def sheet_rows(worksheet: Any, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Stream a sheet's non-blank rows as `bounded` does; a read error is a WorkbookProblem."""
    try:
        yield from bounded(worksheet.iter_rows(values_only=True), limits)
    except WorkbookProblem:
        raise
    except READ_ERRORS as exc:
        raise WorkbookProblem("not_xlsx") from exc
