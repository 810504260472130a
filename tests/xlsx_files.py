"""Hand-made .xlsx files for the reading-limit tests: bombs and broken files, built in a few lines.

Each is a minimal workbook (one sheet of inline strings) zipped in memory, so the tests hold no
binary fixtures and can make a sheet as wide, long or broken as they need.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
BOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="{{name}}" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>')
BOOK_RELS = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
             'Target="worksheets/sheet1.xml"/></Relationships>')


def row(number: int, *cells: tuple[str, str]) -> str:
    """Return a <row> of inline-string cells given as (column letters, text)."""
    inner = "".join(f'<c r="{col}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                    for col, text in cells)
    return f'<row r="{number}">{inner}</row>'


def table(rows: Iterable[Iterable[str]]) -> list[str]:
    """Return <row>s for rows of text in columns A, B, C…"""
    return [row(n, *zip("ABCDEFGHIJ", values, strict=False))
            for n, values in enumerate(rows, start=1)]


def xlsx(rows: Iterable[str], *, sheet: str = "stakeholders", cut: int = 0,
         extra: dict[str, bytes] | None = None) -> bytes:
    """Return a workbook of one sheet holding these <row>s; `cut` drops the XML's last chars."""
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>' + "".join(rows) + "</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", BOOK.format(name=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", BOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", xml[:-cut] if cut else xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()
