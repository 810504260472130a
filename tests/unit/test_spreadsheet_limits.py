"""Spreadsheet bombs and broken files: refused quickly, in bounded memory, with a clear reason."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from portal.stakeholders.spreadsheet import reading
from portal.stakeholders.spreadsheet.reading import FileProblem, read_file
from portal.surveys.xlsform import codes
from portal.surveys.xlsform.importing import import_xlsform
from tests.xlsx_files import row, table, xlsx

MAX_BYTES = 8 * 1024 * 1024
HEADER = row(1, ("A", "name"), ("B", "sector"))
FORM = table([["type", "name", "label"], ["text", "q1", "Your name?"]])


def _problem(data: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        read_file(data, "stakeholders", MAX_BYTES)
    return caught.value


def test_a_cell_at_column_xfd_is_refused_at_its_row_in_little_memory():
    bomb = xlsx([HEADER, *(row(n, ("XFD", "x")) for n in range(2, 2_002))])
    tracemalloc.start()
    try:
        problem = _problem(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (str(problem), problem.row) == ("too_wide", 2)
    assert peak < 20 * 1024 * 1024


def test_blank_cells_far_to_the_right_are_ignored():
    styled = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>S{n}</t></is></c>'
                     f'<c r="XFD{n}" s="1"/></row>' for n in range(2, 2_002))
    started = time.perf_counter()
    found = read_file(xlsx([HEADER, styled]), "stakeholders", MAX_BYTES)
    assert len(found["stakeholders"].rows) == 2_000
    assert time.perf_counter() - started < 10


def test_reading_stops_at_the_row_limit_without_reading_the_rest(monkeypatch):
    monkeypatch.setattr(reading, "LIMITS", reading.workbooks.Limits(rows=101, columns=200))
    # The sheet's XML is cut after the limit: a reader that goes on reads into a broken end.
    data = xlsx([HEADER, *(row(n, ("A", f"S{n}")) for n in range(2, 1_000))], cut=40)
    problem = _problem(data)
    assert (str(problem), problem.row) == ("too_many_rows", 102)


def test_csv_rows_are_limited_while_streaming(monkeypatch):
    monkeypatch.setattr(reading, "LIMITS", reading.workbooks.Limits(rows=11, columns=200))
    problem = _problem(b"name\n" + b"".join(b"S%d\n" % n for n in range(50)))
    assert (str(problem), problem.row) == ("too_many_rows", 12)


def test_a_csv_row_wider_than_the_limit_is_refused_at_its_row():
    problem = _problem(b"name,sector\nA,youth\nB" + b",x" * 300 + b"\n")
    assert (str(problem), problem.row) == ("too_wide", 3)


def test_trailing_empty_csv_columns_are_ignored():
    found = read_file(b"name,sector" + b"," * 500 + b"\nA,youth" + b"," * 500 + b"\n",
                      "stakeholders", MAX_BYTES)
    assert found["stakeholders"].rows == [(2, {"name": "A", "sector": "youth"})]


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing():
    padding = {"xl/media/padding.bin": b"\0" * (65 * 1024 * 1024)}
    data = xlsx(table([["name"], ["A"]]), extra=padding)
    assert len(data) < 200_000
    assert str(_problem(data)) == "too_large"


def _corrupt_member(data: bytes) -> bytes:
    """Flip bytes inside the deflated sheet, keeping the zip's directory intact."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    return data[:start] + bytes(b ^ 0xFF for b in data[start:start + 20]) + data[start + 20:]


def _without(data: bytes, name: str) -> bytes:
    """Return the workbook with one of its parts left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
    return out.getvalue()


BROKEN = {
    "truncated sheet XML": xlsx([HEADER, row(2, ("A", "Youth centre"))], cut=30),
    "corrupt deflate data": _corrupt_member(xlsx(table([["name"], *[["A"]] * 50]))),
    "undefined entity": xlsx(['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c>'
                              "</row>"]),
    "missing sheet part": _without(xlsx([HEADER]), "xl/worksheets/sheet1.xml"),
    "not a zip": b"PK\x03\x04" + b"\0" * 100,
}


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
def test_broken_workbooks_are_refused_as_not_a_spreadsheet(data):
    problem = _problem(data)
    assert (str(problem), problem.row) == ("not_spreadsheet", 0)


def test_a_row_number_past_excels_last_row_is_refused():
    problem = _problem(xlsx([HEADER, row(2_000_000_000_000, ("A", "x"))]))
    assert (str(problem), problem.row) == ("too_many_rows", 1_048_577)


@pytest.mark.parametrize("data", [
    xlsx(FORM, sheet="survey", cut=30),
    xlsx([*FORM, row(3, ("XFD", "x"))], sheet="survey"),
    xlsx(FORM, sheet="survey", extra={"xl/media/pad.bin": b"\0" * (17 * 1024 * 1024)}),
    _corrupt_member(xlsx(FORM * 40, sheet="survey")),
], ids=["truncated", "too wide", "too large unpacked", "corrupt deflate"])
def test_xlsform_reading_refuses_broken_and_oversized_workbooks(data):
    assert [e["code"] for e in import_xlsform(data).errors] == [codes.NOT_XLSX]


def test_xlsform_reading_still_reads_a_small_form():
    result = import_xlsform(xlsx(FORM, sheet="survey"))
    assert result.errors == [] and result.spec is not None
