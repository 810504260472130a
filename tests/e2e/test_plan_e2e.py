"""The plan in Chromium: its timeline in Macedonian and Arabic; "Add to the plan" from the map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from portal.extensions import db
from portal.models import PlanActivity
from portal.plan import services as plan
from portal.stakeholders import rounds, services, ties

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture
def planned(make_city: Callable[..., Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    city = make_city(slug="plangrad", name="Plangrad")
    coordinator = make_user("coordinator", city=city, email="coordinator@e2e.example")
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    people = [services.create_stakeholder(city, {"name": n, "sector": s}, actor=None)
              for n, s in (("Школа бр. 3", "education"), ("Полиција", "police"),
                           ("مركز الشباب", "youth"), ("Social work centre", "social"))]
    ties.add_ties(city, people[0], baseline, [ties.TieEntry(people[1].id, "referral", "weekly")],
                  actor=None)
    ties.add_ties(city, people[2], baseline, [ties.TieEntry(people[3].id, "referral", "weekly")],
                  actor=None)
    plan.start_plan(city, "План 2026", actor=None)
    goal = plan.save_goal(city, None, {"title": "Отпорност на заедницата"}, actor=None)
    today = date.today()
    for title, status, start, days in (("Дијалог", "done", -90, 30),
                                      ("Кампања", "planned", -60, 30),
                                      ("Фестивал", "under_way", -10, 60)):
        plan.save_activity(city, goal, None, {
            "title": title, "status": status, "starts_on": today + timedelta(days=start),
            "ends_on": today + timedelta(days=start + days)}, [people[0].id], actor=None)
    db.session.commit()
    return {"city": city, "coordinator": coordinator, "goal": goal}


@pytest.mark.parametrize(("lang", "direction"), [("mk", "ltr"), ("ar", "rtl")])
def test_plan_page_and_timeline_in_macedonian_and_arabic(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        planned: dict[str, Any], screenshot: Callable[..., Path], lang: str,
        direction: str) -> None:
    page = browser_page
    browser_login(page, planned["coordinator"].email, PASSWORD)
    page.goto(f"{live_server}/c/plangrad/plan?lang={lang}")
    assert page.get_attribute("html", "dir") == direction
    svg = page.locator("svg.plan-timeline")
    assert svg.count() == 1
    bars = page.locator("svg.plan-timeline rect.bar")
    assert bars.count() == 3
    assert page.locator("svg.plan-timeline rect.overdue").count() == 1
    done = bars.nth(0).bounding_box()
    later = bars.nth(2).bounding_box()
    # Time runs with the reading direction: right to left in Arabic.
    assert (later["x"] > done["x"]) == (direction == "ltr")
    label = page.locator("svg.plan-timeline text", has_text="Дијалог").bounding_box()
    box = svg.bounding_box()
    assert (label["x"] < box["x"] + box["width"] / 2) == (direction == "ltr")
    screenshot(page, f"plan-{lang}")


def test_add_to_the_plan_from_the_map(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        planned: dict[str, Any], screenshot: Callable[..., Path]) -> None:
    page = browser_page
    browser_login(page, planned["coordinator"].email, PASSWORD)
    page.goto(f"{live_server}/c/plangrad/map?lang=en")
    suggestion = page.locator(".first-actions li", has=page.locator("form.add-to-plan")).first
    form = suggestion.locator("form.add-to-plan")
    pair = {int(form.locator("input[name=a]").input_value()),
            int(form.locator("input[name=b]").input_value())}
    form.locator("select[name=goal_id]").select_option(str(planned["goal"].id))
    screenshot(page, "plan-map-add")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "/plan/activities/" in page.url and page.url.endswith("/edit")
    assert "Added to the plan" in page.inner_text("body")
    title = page.input_value("input[name=title]")
    assert title.startswith("Introduce ")
    # The activity exists under the chosen goal, with the pair as partners, linked to the gap.
    activity_id = int(page.url.split("/plan/activities/")[1].split("/")[0])
    db.session.expire_all()
    activity = db.session.get(PlanActivity, activity_id)
    assert activity is not None and activity.goal_id == planned["goal"].id
    assert {p.id for p in activity.partners} == pair
    assert activity.source.startswith("suggestion:")
    page.goto(f"{live_server}/c/plangrad/plan/activities/{activity_id}?lang=en")
    assert "a suggested introduction on the coordination map" in page.inner_text("body")
    page.goto(f"{live_server}/c/plangrad/plan?lang=en")
    assert title in page.inner_text("body")
