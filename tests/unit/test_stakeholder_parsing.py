"""Row checks of the spreadsheet import and the vocabulary lookup (no database)."""

from __future__ import annotations

import pytest

from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet.reading import FileProblem, read_file, unescape_cell
from portal.stakeholders.spreadsheet.rows import parse


@pytest.mark.parametrize(("vocabulary", "text", "key"), [
    ("sector", "education", "education"), ("sector", "Образование", "education"),
    ("sector", "ARSIMI", "education"), ("sector", "التعليم", "education"),
    ("sector", "civil society", "civil_society"), ("level", "Национално", "national"),
    ("kind", "Joint activity", "joint_activity"), ("frequency", "Aylık", "monthly"),
    ("sector", "astrology", None),
])
def test_vocabulary_accepts_keys_and_labels_in_any_language(app, vocabulary, text, key):
    assert taxonomy.parse(vocabulary, text) == key


def _tables(people: str, ties: str | None = None):
    found = read_file(people.encode(), "stakeholders", 10_000)
    if ties:
        found.update(read_file(ties.encode(), "ties", 10_000))
    return found.get("stakeholders"), found.get("ties")


def test_every_bad_row_is_reported_not_only_the_first(app):
    records = parse(*_tables("name,sector\n,youth\nA,nope\nB,youth\nB,youth\n"))
    assert [(e.row, e.code) for e in records.errors] == [
        (2, "empty_name"), (3, "unknown_sector"), (5, "duplicate")]


def test_semicolon_csv_and_blank_lines_are_read(app):
    records = parse(*_tables("name;sector\n\nA;youth\n"))
    assert records.errors == [] and records.stakeholders[0]["sector"] == "youth"


@pytest.mark.parametrize("data", [b"\x00\x01binary", b"PK\x03\x04not a real zip", b"  "])
def test_non_spreadsheets_are_refused(data):
    with pytest.raises(FileProblem):
        read_file(data, "stakeholders", 10_000)


def test_formula_guard_is_undone():
    assert unescape_cell("'=SUM(A1)") == "=SUM(A1)"
    assert unescape_cell("'quoted") == "'quoted"
