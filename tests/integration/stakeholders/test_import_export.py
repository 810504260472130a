"""Spreadsheet import and export: round trips, the bad-row matrix, atomicity, idempotence."""

from __future__ import annotations

import io
import re
from datetime import date

import networkx as nx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder, Tie
from portal.stakeholders.graphdata import network_data
from portal.stakeholders.spreadsheet import export, workflow

PEOPLE = (
    "name,organisation,sector,level,area,team_member,notes\n"
    "Youth centre,Municipality,youth,local,Centre,yes,\n"
    "Primary school no. 3,,Образование,local,Centre,no,\n"
    "Police station,,POLICE,local,,no,\n"
    "National committee,,national government,national,,no,\n"
)
TIES = (
    "from,to,kind,frequency,reporter,round\n"
    "Youth centre,Primary school no. 3,referral,weekly,Youth centre,Baseline\n"
    "Youth centre,Police station,Размена на информации,monthly,,Baseline\n"
    "Police station,National committee,agreement,yearly,,Follow-up\n"
)


def _counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count()).select_from(Stakeholder)),
            db.session.scalar(select(func.count()).select_from(Tie)),
            db.session.scalar(select(func.count()).select_from(MappingRound)))


def _import(city: City, people: str | bytes | None, ties: str | bytes | None):
    enc = lambda v: v.encode() if isinstance(v, str) else v  # noqa: E731
    result, summary = workflow.run(city, workflow.read_records(enc(people), enc(ties)), "Baseline",
                                   actor=None)
    db.session.commit()
    return result, summary


def _network(city: City) -> set:
    out = set()
    for r in db.session.scalars(select(MappingRound).where(MappingRound.city_id == city.id)):
        people, ties = network_data(city, r)
        names = {p["id"]: (p["name"], p["sector"], p["level"]) for p in people}
        out |= {(r.name, names[t["source"]], names[t["target"]], t["kind"], t["frequency"],
                 names[t["reporter"]] if t["reporter"] else None) for t in ties}
        out |= {("node", v) for v in names.values()}
    return out


def test_import_accepts_labels_in_any_language_and_creates_rounds(app, make_city):
    city = make_city()
    result, summary = _import(city, PEOPLE, TIES)
    assert result.errors == []
    assert summary["stakeholders_created"] == 4 and summary["ties_created"] == 3
    assert summary["rounds_created"] == 2
    school = db.session.scalar(select(Stakeholder).where(Stakeholder.name.like("Primary%")))
    assert school.sector == "education"
    directed = [t for t in network_data(city)[1] if t["reporter"]] or network_data(
        city, db.session.scalar(select(MappingRound).where(MappingRound.name == "Baseline")))[1]
    assert any(t["reporter"] == t["source"] for t in directed if t["reporter"])


def test_reimporting_the_same_files_changes_nothing(app, make_city):
    city = make_city()
    _import(city, PEOPLE, TIES)
    revision, before = db.session.get(City, city.id).network_revision, _counts()
    result, summary = _import(city, PEOPLE, TIES)
    assert result.changes == 0 and _counts() == before
    assert db.session.get(City, city.id).network_revision == revision


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_round_trip_into_an_empty_city(app, make_city, fmt):
    source, target = make_city(), make_city()
    _import(source, PEOPLE, TIES)
    people = export.stakeholder_table(source, include_contact=True)
    links = export.tie_table(source)
    if fmt == "csv":
        _result, summary = _import(target, export.to_csv(people), export.to_csv(links))
    else:
        book = export.to_xlsx({"stakeholders": people, "ties": links})
        _result, summary = _import(target, book, None)
    assert summary is not None
    assert _network(target) == _network(source)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_dates_survive_the_table_round_trip(app, make_city, fmt):
    source, target = make_city(), make_city()
    _import(source, PEOPLE, TIES)
    for held_on, round_ in zip((date(2024, 5, 6), date(2025, 11, 3)), db.session.scalars(
            select(MappingRound).where(MappingRound.city_id == source.id)), strict=False):
        round_.held_on = held_on
    db.session.commit()
    expected = {r.name: r.held_on for r in db.session.scalars(
        select(MappingRound).where(MappingRound.city_id == source.id))}
    links = export.tie_table(source)
    people = export.stakeholder_table(source, include_contact=True)
    if fmt == "csv":
        _result, summary = _import(target, export.to_csv(people), export.to_csv(links))
    else:
        _result, summary = _import(target, export.to_xlsx({"stakeholders": people,
                                                          "ties": links}), None)
    assert summary is not None
    got = {r.name: r.held_on for r in db.session.scalars(
        select(MappingRound).where(MappingRound.city_id == target.id))}
    assert got == expected and date.today() not in got.values()


def test_a_bad_round_date_is_a_row_error_and_nothing_is_imported(app, make_city):
    city = make_city()
    ties = TIES.strip().splitlines()
    header = ties[0].rstrip(",") + ",round_date"
    rows = [header] + [line + ",2025-13-40" for line in ties[1:]]
    result, summary = _import(city, PEOPLE, "\n".join(rows))
    assert summary is None
    assert {e.code for e in result.errors} == {"bad_round_date"}
    assert {e.row for e in result.errors} == set(range(2, len(rows) + 1))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_network_files_read_back_with_every_attribute(app, make_city, fmt):
    city = make_city()
    _import(city, PEOPLE, TIES)
    baseline = db.session.scalar(select(MappingRound).where(MappingRound.name == "Baseline"))
    G = export.graph(city, baseline)
    data = export.FORMATS[fmt][1](G)
    if fmt == "graphml":
        back = nx.read_graphml(io.BytesIO(data), node_type=int)
    elif fmt == "gexf":
        back = nx.read_gexf(io.BytesIO(data), node_type=int)
    else:
        import json
        back = nx.node_link_graph(json.loads(data), edges="links")
    assert back.number_of_nodes() == 4 and back.number_of_edges() == 2
    for node, attrs in G.nodes(data=True):
        for key in ("name", "sector", "level", "area", "team_member"):
            assert back.nodes[node][key] == attrs[key]
    for _u, _v, attrs in back.edges(data=True):
        assert {"kind", "frequency", "reporter", "round", "weight"} <= set(attrs)


BAD = [
    ("empty name", "name,sector\n,youth\n", None, "empty_name", 2),
    ("duplicate name", "name\nA\na\n", None, "duplicate", 3),
    ("unknown end", "name\nA\n", "from,to,kind,frequency\nA,Nobody,referral,weekly\n",
     "unknown_stakeholder", 2),
    ("self tie", "name\nA\n", "from,to,kind,frequency\nA,A,referral,weekly\n", "self_tie", 2),
    ("duplicate tie", "name\nA\nB\n",
     "from,to,kind,frequency\nA,B,referral,weekly\nA,B,referral,monthly\n", "duplicate", 3),
    ("duplicate id", "id,name\n7,A\n7,B\n", None, "duplicate_id", 3),
    ("broken xml", b"<?xml version='1.0'?><gexf><graph><nodes>", None, "not_network", 0),
    ("other xml", b"<?xml version='1.0'?><html><body/></html>", None, "not_network", 0),
    ("xml entity bomb", b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]>'
     b"<graphml><graph><node id='&a;'/></graph></graphml>", None, "not_network", 0),
    ("not a spreadsheet", b"\x89PNG\r\n\x1a\n\x00\x00", None, "not_spreadsheet", 0),
    ("missing column", "label_x\nA\n", None, "missing_column", 1),
]


@pytest.mark.parametrize(("label", "people", "ties", "code", "row"), BAD, ids=[b[0] for b in BAD])
def test_bad_rows_are_reported_with_row_numbers_and_change_nothing(app, make_city, label,
                                                                    people, ties, code, row):
    city = make_city()
    before = _counts()
    result, summary = _import(city, people, ties)
    assert summary is None
    assert (code, row) in [(e.code, e.row) for e in result.errors]
    assert _counts() == before


@pytest.mark.parametrize(("people", "ties", "vocabulary", "value", "rows"), [
    ("name,sector\nA,astrology\n", None, "sector", "astrology", [2]),
    ("name\nA\nB\n", "from,to,kind,frequency\nA,B,referral,hourly\n", "frequency", "hourly",
     [2]),
    ("name\nA\nB\n", "from,to\nA,B\n", "kind", "", [2]),
])
def test_foreign_values_wait_for_the_mapping_step_and_change_nothing(app, make_city, people,
                                                                       ties, vocabulary, value,
                                                                       rows):
    city = make_city()
    before = _counts()
    result, summary = _import(city, people, ties)
    assert summary is None and result.errors == []
    assert result.unmapped[vocabulary] == {value: rows}
    assert _counts() == before


def test_a_to_b_and_b_to_a_import_as_one_tie_reported_by_both(app, make_city):
    city = make_city()
    result, summary = _import(city, "name\nA\nB\n", "from,to,kind,frequency,reporter\n"
                              "A,B,referral,weekly,A\nB,A,referral,monthly,B\n")
    assert result.errors == [] and result.merged == 1 and summary["ties_created"] == 1
    tie = db.session.scalar(select(Tie))
    assert (tie.reporter_id, tie.frequency) == (None, "weekly")


def test_too_large_file_is_refused(app, make_city):
    records = workflow.read_records(b"name\n" + b"A\n" * 100, None, max_bytes=50)
    assert [e.code for e in records.errors] == ["too_large"]


def test_a_bad_last_row_leaves_the_database_unchanged(app, make_city):
    city = make_city()
    rows = "name,sector\n" + "".join(f"S{i},youth\n" for i in range(200)) + ",youth\n"
    before = _counts()
    result, _summary = _import(city, rows, None)
    assert [e.row for e in result.errors] == [202]
    assert _counts() == before


def test_kumu_column_names_are_accepted(app, make_city):
    city = make_city()
    result, summary = _import(city, "Label,Type\nA,Youth work\nB,Media\n",
                              "From,To,Type,Frequency\nA,B,Referral,Weekly\n")
    assert result.errors == [] and summary["ties_created"] == 1


def test_formula_like_names_survive_csv_and_xlsx(app, make_city):
    city, copy = make_city(), make_city()
    _import(city, "name\n'=HYPERLINK(1)\n+1 centre\n", None)
    names = set(db.session.scalars(select(Stakeholder.name).where(Stakeholder.city_id == city.id)))
    assert names == {"=HYPERLINK(1)", "+1 centre"}
    book = export.to_xlsx({"stakeholders": export.stakeholder_table(city, False)})
    _import(copy, book, None)
    assert set(db.session.scalars(select(Stakeholder.name).where(
        Stakeholder.city_id == copy.id))) == names


def test_import_page_previews_then_applies(client, team_city):
    data = {"stakeholders_file": (io.BytesIO(PEOPLE.encode()), "people.csv"),
            "ties_file": (io.BytesIO(TIES.encode()), "ties.csv")}
    page = client.post(f"/c/{team_city.slug}/stakeholders/import", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "4 new stakeholders" in page
    assert _counts() == (0, 0, 0)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/c/{team_city.slug}/stakeholders/import/apply",
                       data={"token": token}).status_code == 302
    assert _counts()[:2] == (4, 3)
    again = client.post(f"/c/{team_city.slug}/stakeholders/import/apply", data={"token": token})
    assert again.status_code == 302 and _counts()[:2] == (4, 3)


def test_import_page_lists_translated_reasons(client, team_city):
    data = {"stakeholders_file": (io.BytesIO(b"name,sector\nA,youth\nA,youth\n"), "p.csv")}
    page = client.post(f"/c/{team_city.slug}/stakeholders/import?lang=sq", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "duplicate of an earlier row" not in page and "rreshti të mëparshëm: „A“" in page


def test_preview_token_of_another_user_does_not_apply(client, team_city, make_user, login):
    data = {"stakeholders_file": (io.BytesIO(PEOPLE.encode()), "people.csv")}
    page = client.post(f"/c/{team_city.slug}/stakeholders/import", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/logout")
    login(make_user("member", city=team_city))
    client.post(f"/c/{team_city.slug}/stakeholders/import/apply", data={"token": token})
    assert _counts()[0] == 0


def test_xlsx_with_both_sheets_imports(app, make_city):
    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    sheet.append(["Label", "Type"])
    sheet.append(["A", "police"])
    sheet.append(["B", "health"])
    links = book.create_sheet("Connections")
    links.append(["From", "To", "Type", "frequency"])
    links.append(["A", "B", "funding", "quarterly"])
    out = io.BytesIO()
    book.save(out)
    result, summary = _import(make_city(), out.getvalue(), None)
    assert result.errors == [] and summary["ties_created"] == 1
