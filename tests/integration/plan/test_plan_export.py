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
