"""The plan's indicators against values computed by hand on a small fixture, on the plan page
and in its exports."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

import openpyxl
import pytest

from portal.extensions import db
from portal.plan import events, indicators
from portal.plan import services as plan
from portal.stakeholders import ties

AS_OF = date(2026, 6, 30)


@pytest.fixture
def measured(town: dict[str, Any]) -> dict[str, Any]:
    city, s = town["city"], town["s"]
    yc, school, police, social = (s[n] for n in ("Youth centre", "School no. 3",
                                                 "Police station", "Social work centre"))
    first = town["goal"]
    second = plan.save_goal(city, None, {"title": "Youth platform", "position": 2}, actor=None)
    for goal, title, status, ends, pair in (
            (first, "Done in Q1", "done", date(2026, 2, 15), None),
            (first, "Planned in Q1", "planned", date(2026, 3, 20), None),
            (first, "Dropped", "dropped", date(2026, 3, 1), None),
            (second, "Introduce YC to school", "under_way", date(2026, 5, 1), (yc, school)),
            (second, "Introduce police to social", "planned", None, (police, social)),
            (second, "Introduce police to school", "done", date(2026, 4, 10), (police, school))):
        source = f"suggestion:introduction:{pair[0].id}-{pair[1].id}" if pair else ""
        plan.save_activity(city, goal, None, {"title": title, "status": status, "ends_on": ends},
                           [p.id for p in pair or ()], actor=None, source=source)
    ties.add_ties(city, yc, town["round"], [ties.TieEntry(school.id, "referral", "weekly")],
                  actor=None)
    for kind, day, who in (("meeting", date(2026, 1, 10), [yc, school]),
                           ("meeting", date(2026, 2, 10), [yc]),
                           ("training", date(2026, 4, 5), [police]),
                           ("meeting", date(2026, 12, 1), [social])):  # after AS_OF
        event = events.save_event(city, None, {"kind": kind, "title": kind, "held_on": day},
                                  actor=None)
        events.set_attendance(city, event, [p.id for p in who], actor=None)
    yc.is_team_member = school.is_team_member = True
    db.session.commit()
    return town


def test_indicators_match_the_hand_computed_values(measured):
    found = indicators.compute(measured["city"], plan.current_plan(measured["city"]), AS_OF)
    assert found.quarters == ["2026-Q1", "2026-Q2", "—"]
    assert found.goals == [("Community resilience", {"2026-Q1": (1, 2)}),
                           ("Youth platform", {"2026-Q2": (1, 2), "—": (0, 1)})]
    assert found.events == {"2026-Q1": Counter(meeting=2), "2026-Q2": Counter(training=1)}
    assert found.reached == 3  # the December meeting has not happened yet
    assert found.team_rate == pytest.approx(3 / (2 * 3))
    assert (found.introductions, found.acted_on, found.now_tied) == (3, 2, 1)


def test_without_plan_or_team_the_indicators_say_so(town):
    found = indicators.compute(town["city"], None, AS_OF)
    assert (found.goals, found.reached, found.team_rate, found.introductions) == ([], 0, None, 0)


def test_plan_page_and_exports_carry_the_dated_indicators(client, measured, login):
    login(measured["member"])
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert 'id="indicators"' in page and "1 of 2" in page
    assert "2 of 3 suggested introductions in the plan acted on" in page
    csv = client.get("/c/home/plan/indicators.csv").get_data(as_text=True)
    assert "introductions_now_tied" in csv and date.today().isoformat() in csv
    book = openpyxl.load_workbook(io.BytesIO(client.get("/c/home/plan/export.xlsx").data))
    assert book.sheetnames == ["plan", "indicators", "events"]
    rows = list(book["events"].iter_rows(values_only=True))
    assert rows[0][:3] == ("held_on", "kind", "title") and len(rows) == 5
    assert rows[1][:2] == ("2026-01-10", "meeting") and rows[1][6] == 2
