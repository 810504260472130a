"""The plan as CSV and XLSX: a row per activity, formula-like text guarded, scoped like the page."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from portal.extensions import db
from portal.plan import services as plan


def _two_activities(town):
    s = town["s"]
    plan.save_activity(town["city"], town["goal"], None, {
        "title": "=HYPERLINK(\"http://x\")", "status": "planned",
        "ends_on": date.today() - timedelta(days=3), "owner_id": town["member"].id},
        [s["Youth centre"].id, s["Police station"].id], actor=None)
    plan.save_activity(town["city"], town["goal"], None, {"title": "Forum", "status": "done"},
                       [], actor=None)
    db.session.commit()


def test_csv_has_one_row_per_activity_and_guards_formulas(client, town, login, make_user):
    _two_activities(town)
    login(make_user("regional", region=town["city"].region))
    response = client.get("/c/home/plan/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'-plan-{town["plan"].id}.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:5] == ["plan", "goal_order", "goal", "activity", "status"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["activity"] == "'=HYPERLINK(\"http://x\")"
    assert (first["overdue"], first["owner"]) == ("yes", "Besa Member")
    assert first["partners"] == "Police station; Youth centre"


def test_xlsx_opens_with_the_same_rows(client, town, login):
    _two_activities(town)
    login(town["member"])
    response = client.get("/c/home/plan/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True)["plan"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 3 and rows[2][3] == "Forum" and rows[2][4] == "done"


def test_export_of_another_city_or_of_no_plan_is_404(client, town, login, make_user, make_city):
    login(make_user("coordinator", city=make_city(slug="away")))
    assert client.get("/c/home/plan/export.csv").status_code == 404
    assert client.get("/c/away/plan/export.csv").status_code == 404
    assert client.get("/c/away/plan/export.pdf").status_code == 404
    assert client.get("/c/home/plan/events.csv").status_code == 404
    assert client.get("/c/home/plan/events.xlsx").status_code == 404
    assert client.get("/c/away/plan/events.pdf").status_code == 404


def test_events_file_lists_each_event_with_its_attendees(client, town, login, make_user):
    from portal.plan import events

    s = town["s"]
    meeting = events.save_event(town["city"], None, {
        "title": "=cmd|' /C calc'!A0", "kind": "meeting", "held_on": date(2026, 3, 2),
        "place": "City hall", "topics": ""}, actor=None)
    events.set_attendance(town["city"], meeting, [s["Youth centre"].id, s["Police station"].id],
                          actor=None)
    events.save_event(town["city"], None, {"title": "Training", "kind": "training",
                                           "held_on": date(2026, 1, 20), "place": "",
                                           "topics": ""}, actor=None)
    db.session.commit()
    login(make_user("regional", region=town["city"].region))
    response = client.get("/c/home/plan/events.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('home-events.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["held_on", "kind", "title", "place", "activity", "topics", "attendance",
                       "attendees"]
    assert [r[0] for r in rows[1:]] == ["2026-01-20", "2026-03-02"]  # oldest first
    march = dict(zip(rows[0], rows[2], strict=True))
    assert march["title"].startswith("'=")  # formula guarded
    assert (march["attendance"], march["attendees"]) == ("2", "Police station; Youth centre")
    book = load_workbook(io.BytesIO(client.get("/c/home/plan/events.xlsx").get_data()))
    assert book.sheetnames == ["events"]
    assert book["events"].max_row == 3
