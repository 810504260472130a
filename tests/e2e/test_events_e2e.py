"""Meetings and trainings in Chromium: the event page and its attendance checklist in
Macedonian and Arabic (ticked in the browser, found by the roster search); the co-attendance
layer kept on the map with JavaScript on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.extensions import db
from portal.plan import events
from portal.stakeholders import rounds, services, ties

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture
def held(make_city: Callable[..., Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    city = make_city(slug="sobir", name="Собир")
    member = make_user("member", city=city, email="member@e2e.example")
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    people = [services.create_stakeholder(city, {"name": n, "sector": s}, actor=None)
              for n, s in (("Школа бр. 3", "education"), ("Полициска станица", "police"),
                           ("مركز الشباب", "youth"), ("Центар за социјална работа", "social"),
                           ("Општина — одделение за млади", "municipality"))]
    ties.add_ties(city, people[0], baseline, [ties.TieEntry(people[1].id, "referral", "weekly")],
                  actor=None)
    first = events.save_event(city, None, {
        "kind": "training", "title": "Обука: упатување на ранливи млади",
        "held_on": date(2026, 3, 12), "place": "Младински центар",
        "topics": "Упатувања; заштита на податоци"}, actor=None)
    events.set_attendance(city, first, [people[0].id, people[2].id, people[3].id], actor=None)
    second = events.save_event(city, None, {
        "kind": "meeting", "title": "Месечен состанок", "held_on": date(2026, 4, 10)},
        actor=None)
    events.set_attendance(city, second, [people[2].id, people[3].id], actor=None)
    db.session.commit()
    return {"city": city, "member": member, "event": first, "people": people}


@pytest.mark.parametrize(("lang", "direction"), [("mk", "ltr"), ("ar", "rtl")])
def test_event_page_and_attendance_checklist_in_macedonian_and_arabic(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        held: dict[str, Any], screenshot: Callable[..., Path], lang: str,
        direction: str) -> None:
    page = browser_page
    browser_login(page, held["member"].email, PASSWORD)
    page.goto(f"{live_server}/c/sobir/plan/events/{held['event'].id}?lang={lang}")
    assert page.get_attribute("html", "dir") == direction
    boxes = page.locator("fieldset.roster input[name=partner]")
    assert boxes.count() == 5
    assert page.locator("fieldset.roster input[name=partner]:checked").count() == 3
    # the roster search (JS) narrows the list as on a stakeholder's page
    page.fill("#roster-filter", "полиц")
    assert page.locator("li.roster-row:visible").count() == 4  # the match and the 3 ticked
    page.fill("#roster-filter", "")
    police = held["people"][1].id
    page.check(f"#partner-{police}")
    page.uncheck(f"#partner-{held['people'][0].id}")
    screenshot(page, f"event-{lang}")
    page.locator("fieldset.roster ~ button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("fieldset.roster input[name=partner]:checked").count() == 3
    assert page.locator(f"#partner-{police}").is_checked()
    page.goto(f"{live_server}/c/sobir/plan/events?lang={lang}")
    assert page.locator("ul.met-list li").count() == 1  # مركز الشباب and Центар…: two events
    screenshot(page, f"events-{lang}")


def test_coattendance_layer_stays_on_the_map_with_javascript_on(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        held: dict[str, Any], screenshot: Callable[..., Path]) -> None:
    page = browser_page
    browser_login(page, held["member"].email, PASSWORD)
    page.goto(f"{live_server}/c/sobir/map?lang=en")
    page.select_option("select[name=coattendance]", "1")
    page.locator("#map-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "coattendance=1" in page.url
    layer = page.locator("svg.map-svg g.coattendance-layer path")
    assert layer.count() >= 1 and page.locator("svg.map-svg").is_visible()
    screenshot(page, "map-coattendance")
