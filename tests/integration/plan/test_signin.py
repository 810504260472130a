"""Attendance from a sign-in sheet: CSV and XLSX, preview then apply, all or nothing with
row-numbered errors, the signed preview bound to its city and user."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import networkx as nx
import openpyxl
import pytest
from networkx.algorithms import bipartite
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Event, Job
from portal.plan import events

URL = "/c/home/plan/events/import"


def _upload(client: Any, data: bytes, name: str = "sheet.csv") -> Any:
    return client.post(URL, data={"sheet": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(page: str) -> str:
    found = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', page)
    assert found, "no apply form on the preview"
    return found.group(1)


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Потписи"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def test_csv_sheet_previews_then_applies_and_is_audited(client, town, login):
    existing = events.save_event(town["city"], None, {"kind": "meeting", "title": "Team meeting",
                                                      "held_on": date(2026, 2, 3)}, actor=None)
    events.set_attendance(town["city"], existing, [town["s"]["Youth centre"].id], actor=None)
    db.session.commit()
    login(town["member"])
    sheet = (b"event,date,stakeholder,kind\n"
             b"Team meeting,2026-02-03,Youth centre,\n"
             b"team  MEETING,03.02.2026,Police station,\n"
             b"Referral training,2026-03-10,school no. 3,training\n"
             b"Referral training,2026-03-10,Social work centre,training\n")
    response = _upload(client, sheet)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was imported" not in page
    assert "1 new event" in page and "3 attendances added" in page
    assert _count() == 1  # the preview changes nothing
    response = client.post(f"{URL}/apply", data={"token": _token(page)})
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Event, existing.id)
    assert sorted(s.name for s in meeting.attendees) == ["Police station", "Youth centre"]
    training = db.session.scalar(select(Event).where(Event.title == "Referral training"))
    assert (training.kind, training.held_on) == ("training", date(2026, 3, 10))
    assert sorted(s.name for s in training.attendees) == ["School no. 3", "Social work centre"]
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == town["member"].id)))
    assert actions.count("plan.event.create") == 1 and actions.count("plan.event.attendance") == 2


def test_xlsx_sheet_in_macedonian_with_date_cells(client, town, login):
    login(town["coordinator"])
    sheet = _xlsx([["Настан", "Датум", "Чинител"],
                   ["Состанок на тимот", datetime(2026, 4, 7), "Youth centre"],
                   ["Состанок на тимот", datetime(2026, 4, 7), "Police station"]])
    page = _upload(client, sheet, "потписи.xlsx").get_data(as_text=True)
    assert "1 new event" in page, page[page.find("<main"):][:3000]
    client.post(f"{URL}/apply", data={"token": _token(page)})
    event = db.session.scalar(select(Event))
    assert (event.title, event.held_on, len(event.attendees)) == (
        "Состанок на тимот", date(2026, 4, 7), 2)


def test_windows_1251_csv_is_read_and_says_so(client, town, login):
    from portal.stakeholders import services

    services.create_stakeholder(town["city"], {"name": "Центар за социјална работа"}, actor=None)
    db.session.commit()
    login(town["coordinator"])
    sheet = "настан;датум;чинител\nОбука;2026-05-05;Центар за социјална работа\n".encode("cp1251")
    page = _upload(client, sheet).get_data(as_text=True)
    assert "WINDOWS-1251" in page.upper() or "CP1251" in page.upper()
    assert "1 new event" in page


@pytest.mark.parametrize(("sheet", "expected"), [
    ("event,date,stakeholder\n,2026-01-01,Youth centre\n", ["2", "the event has no title"]),
    ("event,date,stakeholder\nMeeting,2026-02-30,Youth centre\n",
     ["2", "write the date as YYYY-MM-DD or DD.MM.YYYY, not “2026-02-30”"]),
    ("event,date,stakeholder\nMeeting,2026-01-01,Youth centre\nMeeting,2026-01-01,Nobody\n",
     ["3", "“Nobody” is not on this city&#39;s stakeholder list"]),
    ("event,date,stakeholder,kind\nMeeting,2026-01-01,Youth centre,party\n",
     ["2", "unknown kind of event “party”"]),
    ("event,date\nMeeting,2026-01-01\n", ["the column “stakeholder” is missing"]),
    ("\x00\x01binary", ["this is not a spreadsheet"]),
])
def test_bad_sheet_is_refused_row_by_row_and_nothing_changes(
        client, town, login, sheet, expected):
    login(town["coordinator"])
    page = _upload(client, sheet.encode()).get_data(as_text=True)
    assert "Nothing was imported" in page
    for text in expected:
        assert text in page
    assert 'name="token"' not in page
    assert _count() == 0


def test_no_file_is_a_clear_error(client, town, login):
    login(town["coordinator"])
    page = client.post(URL, data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "choose a file to import" in page


def test_preview_of_another_user_or_a_forged_token_applies_nothing(client, town, login):
    login(town["coordinator"])
    page = _upload(client, b"event,date,stakeholder\nMeeting,2026-01-01,Youth centre\n"
                   ).get_data(as_text=True)
    token = _token(page)
    client.post("/logout")
    login(town["member"])
    for forged in (token, token[:-2] + "xx"):
        response = client.post(f"{URL}/apply", data={"token": forged}, follow_redirects=True)
        assert "This preview has expired or is not yours" in response.get_data(as_text=True)
    assert _count() == 0


def test_stakeholder_archived_or_erased_after_the_preview_applies_nothing(
        client, town, login):
    from portal.models.base import utcnow

    login(town["coordinator"])
    page = _upload(client, b"event,date,stakeholder\nMeeting,2026-01-01,Youth centre\n"
                   b"Meeting,2026-01-01,Police station\n").get_data(as_text=True)
    town["s"]["Police station"].erased_at = utcnow()
    db.session.commit()
    response = client.post(f"{URL}/apply", data={"token": _token(page)})
    assert "nothing was imported" in response.get_data(as_text=True)
    assert _count() == 0


@pytest.mark.parametrize("role", ["regional", "member-elsewhere"])
def test_only_the_team_imports(client, town, login, make_user, make_city, role):
    user = (make_user("regional", region=town["city"].region) if role == "regional"
            else make_user("member", city=make_city(slug="away")))
    login(user)
    expected = 403 if role == "regional" else 404
    assert client.get(URL).status_code == expected
    assert client.post(f"{URL}/apply", data={"token": "x"}).status_code == expected


def test_davis_southern_women_as_a_sign_in_sheet_match_networkx(client, make_city, make_user,
                                                                  login):
    from portal.stakeholders import services

    graph = nx.davis_southern_women_graph()
    city = make_city(slug="home")
    for woman in graph.graph["top"]:
        services.create_stakeholder(city, {"name": woman}, actor=None)
    coordinator = make_user("coordinator", city=city)
    db.session.commit()
    days = {club: date(1936, 1, 1 + i) for i, club in enumerate(graph.graph["bottom"])}
    lines = ["event,date,stakeholder"] + [f"{club},{days[club].isoformat()},{woman}"
                                          for club in graph.graph["bottom"]
                                          for woman in graph[club]]
    login(coordinator)
    page = _upload(client, "\n".join(lines).encode()).get_data(as_text=True)
    assert "14 new events" in page and "89 attendances added" in page
    client.post(f"{URL}/apply", data={"token": _token(page)})
    ids = {s.name: s.id for s in events.attendee_options(city)}
    projected = bipartite.weighted_projected_graph(graph, graph.graph["top"])
    assert events.coattendance(city) == {
        (min(ids[a], ids[b]), max(ids[a], ids[b])): d["weight"]
        for a, b, d in projected.edges(data=True)}


def test_a_large_sheet_is_applied_by_a_job_once_even_if_sent_twice(app, client, town, login):
    app.config["JOBS_IMPORT_ABOVE"] = 2  # this sheet's 3 rows make it "large"
    login(town["member"])
    sheet = (b"event,date,stakeholder,kind\n"
             b"Referral training,2026-03-10,school no. 3,training\n"
             b"Referral training,2026-03-10,Social work centre,training\n"
             b"Referral training,2026-03-10,Youth centre,training\n")
    token = _token(_upload(client, sheet).get_data(as_text=True))
    first = client.post(f"{URL}/apply", data={"token": token})
    assert first.status_code == 302 and "/jobs/" in first.headers["Location"]
    again = client.post(f"{URL}/apply", data={"token": token})
    assert again.headers["Location"] == first.headers["Location"]  # the same job
    assert _count() == 1
    training = db.session.scalar(select(Event).where(Event.title == "Referral training"))
    assert len(training.attendees) == 3
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1 new event, 3 attendances added." in page
    job = db.session.scalar(select(Job))
    assert job.params == {}  # the sheet's rows are not kept once applied
