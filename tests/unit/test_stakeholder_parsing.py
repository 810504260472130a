"""Row checks of the spreadsheet import and the vocabulary lookup (no database)."""

from __future__ import annotations

import pytest

from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet import mapping
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
    assert [(e.row, e.code) for e in records.errors] == [(2, "empty_name"), (5, "duplicate")]
    assert mapping.resolve(records, {}).unmapped == {"sector": {"nope": [3]}}


def test_missing_columns_and_bad_rows_are_reported_together(app):
    records = parse(*_tables("label_x,sector\nA,youth\n",
                             "source,kind\nA,referral\nB,referral\n,referral\n"))
    assert [(e.table, e.row, e.code, e.value) for e in records.errors] == [
        ("stakeholders", 1, "missing_column", "name"), ("ties", 1, "missing_column", "to"),
        ("ties", 2, "empty_end", ""), ("ties", 3, "empty_end", ""), ("ties", 4, "empty_end", "")]


def test_a_gephi_type_column_of_directions_is_the_direction_not_the_kind(app):
    people, links = _tables("Id,Label\n1,Youth centre\n2,School\n3,Police\n",
                            "Source,Target,Type,Id,Label,timeset,Weight\n"
                            "1,2,Directed,0,,,1\n2,3,Undirected,1,,,2\n")
    records = parse(people, links)
    assert records.errors == [] and records.ignored == {"ties": ["Id", "Label", "timeset",
                                                                 "Weight"]}
    resolved = mapping.resolve(records, {("kind", ""): "information",
                                         ("frequency", ""): "monthly"})
    assert resolved.unmapped == {}
    assert [(t["from"], t["to"], t["reporter"]) for t in resolved.records.ties] == [
        ("Youth centre", "School", "Youth centre"), ("School", "Police", "")]


def test_a_to_b_and_b_to_a_become_one_tie_reported_by_both(app):
    records = parse(*_tables("name\nA\nB\nC\n", "from,to,kind,frequency,direction\n"
                             "A,B,referral,monthly,directed\nB,A,referral,weekly,directed\n"
                             "A,C,referral,monthly,\nA,C,referral,monthly,\n"))
    resolved = mapping.resolve(records, {})
    assert resolved.merged == 1
    first = resolved.records.ties[0]
    assert (first["reporter"], first["frequency"], first["merged_rows"]) == ("", "weekly", [3])
    assert [(e.row, e.code) for e in resolved.records.errors] == [(5, "duplicate")]


def test_homonyms_with_different_ids_stay_two_stakeholders(app):
    records = parse(*_tables("Id,Label\nn1,Youth centre\nn2,Youth centre\n",
                             "Source,Target\nn1,n2\n"))
    assert records.errors == []
    assert [r["name"] for r in records.stakeholders] == ["Youth centre", "Youth centre (n2)"]
    assert records.renamed == [[3, "Youth centre", "Youth centre (n2)"]]
    assert (records.ties[0]["from"], records.ties[0]["to"]) == ("Youth centre",
                                                                "Youth centre (n2)")


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


def test_kumu_several_targets_in_one_cell_are_several_ties(app):
    records = parse(*_tables("Label\nA\nB\nC\n", "From,To\nA,B | C\n"))
    assert [(t["row"], t["from"], t["to"]) for t in records.ties] == [(2, "A", "B"), (2, "A", "C")]


def test_rows_keep_the_first_of_repeated_headers_and_only_the_cells_they_reach(app):
    people, _ties = _tables("name,sector,name,notes\n"
                            " A ,youth,ignored,'=1+1\n"
                            "B\n"
                            ",,,  \n"
                            ",,Only in a repeated column\n")
    assert people is not None
    assert people.rows == [
        (2, {"name": "A", "sector": "youth", "notes": "=1+1"}),
        (3, {"name": "B"}),  # a short row: no empty sector or notes made up
        (5, {"name": "", "sector": ""}),  # a filled cell: a row, its name empty
    ]
    assert [(e.row, e.code) for e in parse(people, None).errors] == [(5, "empty_name")]


def test_workbook_cells_of_any_type_are_read_as_text(app):
    from datetime import datetime
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Stakeholders"
    sheet.append(["name", "sector", "notes", "team_member"])
    sheet.append(["School 3", "education", 42, True])
    sheet.append(["Clinic", None, datetime(2026, 3, 1, 9, 30), None])
    sheet.append([1234, "health", "'+380", "yes"])
    data = BytesIO()
    book.save(data)
    table = read_file(data.getvalue(), "stakeholders", 1 << 20)["stakeholders"]
    assert table.rows == [
        (2, {"name": "School 3", "sector": "education", "notes": "42",
             "team_member": "True"}),
        (3, {"name": "Clinic", "sector": "", "notes": "2026-03-01 09:30:00"}),
        (4, {"name": "1234", "sector": "health", "notes": "+380", "team_member": "yes"}),
    ]
