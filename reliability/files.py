"""Generated upload files for R3: XLSForms, XLSX bombs, truncated sheets, Windows-encoded CSV."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

REGEX = r"^([a-zA-Z]+\s?)*$"  # backtracks catastrophically in Python's re (issue #14, finding 2)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>')
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '{rels}</Relationships>')
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>')
_SHEET_CLOSE = "</sheetData></worksheet>"


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row_xml(number: int, cells: Sequence[str | None], start_column: int = 0) -> str:
    """Return one <row> of inline strings (None: an empty cell, left out)."""
    parts = [f'<c r="{_column(start_column + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t>'
             f"</is></c>" for i, v in enumerate(cells) if v is not None]
    return f'<row r="{number}">{"".join(parts)}</row>'


def xlsx(sheets: dict[str, str], truncate_sheet: int | None = None) -> bytes:
    """Return an .xlsx holding each sheet's rows XML (optionally one sheet's XML cut short)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        names = list(sheets)
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=i + 1) for i in range(len(names)))))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, n in enumerate(names))))
        archive.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels="".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(names)))))
        for i, name in enumerate(names):
            xml = _SHEET_OPEN + sheets[name] + _SHEET_CLOSE
            if truncate_sheet == i:
                xml = xml[: len(xml) * 2 // 3]
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
    return out.getvalue()


def table(rows: Sequence[Sequence[str | None]]) -> str:
    return "".join(row_xml(n + 1, cells) for n, cells in enumerate(rows))


def regex_xlsform() -> bytes:
    """An XLSForm with a catastrophic regex constraint and strict number and date questions."""
    survey = [["type", "name", "label", "constraint", "required"],
              ["text", "words", "A few words", f"regex(., '{REGEX}')", "no"],
              ["integer", "count", "How many?", ". < 1000", "no"],
              ["decimal", "amount", "How much?", "", "no"],
              ["date", "when", "When?", "", "no"],
              ["select_one yn", "pick", "Yes or no?", "", "no"],
              ["text", "note_text", "Anything else?", "", "no"]]
    choices = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]
    settings = [["form_title", "form_id", "default_language"],
                ["Hostile input check", "hostile_check", "English (en)"]]
    return xlsx({"survey": table(survey), "choices": table(choices),
                 "settings": table(settings)})


def stakeholder_rows(count: int) -> list[list[str]]:
    return [["name", "sector", "level"]] + [[f"Bomb actor {i}", "education", "local"]
                                            for i in range(count)]


def wide_bomb(rows: int) -> bytes:
    """Stakeholder sheet whose every row holds one cell at column XFD (the last column)."""
    body = row_xml(1, ["name", "sector", "level"]) + "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, rows + 2))
    return xlsx({"stakeholders": body, "ties": row_xml(1, ["from", "to", "kind", "frequency"])})


def tall_bomb(rows: int) -> bytes:
    """Stakeholder sheet with ``rows`` one-cell rows (beyond the importer's row limit)."""
    body = row_xml(1, ["name", "sector", "level"]) + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a{n}</t></is></c></row>'
        for n in range(2, rows + 2))
    return xlsx({"stakeholders": body, "ties": row_xml(1, ["from", "to", "kind", "frequency"])})


def truncated_sheet() -> bytes:
    """A valid zip whose stakeholders sheet XML stops mid-element."""
    return xlsx({"stakeholders": table(stakeholder_rows(50)),
                 "ties": row_xml(1, ["from", "to", "kind", "frequency"])}, truncate_sheet=0)


def truncated_zip() -> bytes:
    whole = xlsx({"stakeholders": table(stakeholder_rows(50))})
    return whole[: len(whole) // 2]


def windows_csvs() -> dict[str, bytes]:
    """Stakeholder CSVs in cp1251, cp1256 and UTF-16 (with BOM)."""
    cyrillic = "name,sector,level\nОсновно училиште Зеленово,education,local\n"
    arabic = "name,sector,level\nمركز الشباب في وادي النور,youth,local\n"
    return {"cp1251.csv": cyrillic.encode("cp1251"), "cp1256.csv": arabic.encode("cp1256"),
            "utf16.csv": cyrillic.encode("utf-16")}
