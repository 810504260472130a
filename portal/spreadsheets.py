"""Cells the portal writes into CSV and XLSX files: safe to open in a spreadsheet, always valid.

Pure (no Flask, no database). Every CSV or XLSX the portal produces goes through `csv_row` or
`xlsx_row`, so that:
- text a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1`, `-1+2`, `@SUM(…)`, or a
  leading tab or carriage return, OWASP's list) is written with a leading apostrophe, which
  Excel, LibreOffice and Google Sheets show as text; the importers undo it (`unescape_cell`);
- characters an .xlsx cannot hold (XML 1.0 forbids C0 controls other than tab, newline and
  carriage return, lone surrogates, U+FFFE and U+FFFF) are left out of the XLSX cell, so one
  odd answer can never make a whole export fail. What is stored is never changed.

Numbers stay numbers: only text is guarded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def guard(value: Any) -> Any:
    """Return text that starts like a formula with a leading apostrophe; anything else as is."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """Undo `guard` ('=… → =…) when a file the portal wrote is read back."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def xml_text(value: Any) -> Any:
    """Leave out of text the characters an .xlsx (XML 1.0) cannot carry."""
    return NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def csv_row(row: Iterable[Any]) -> list[Any]:
    """Return a row ready for `csv.writer`: formula-like text guarded."""
    return [guard(value) for value in row]


def xlsx_row(row: Iterable[Any]) -> list[Any]:
    """Return a row ready for an openpyxl sheet: guarded, and only characters XML can hold."""
    return [guard(xml_text(value)) for value in row]
