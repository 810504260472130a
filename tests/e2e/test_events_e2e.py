"""Meetings and trainings in Chromium: the event page and its attendance checklist in
Macedonian and Arabic (ticked in the browser, found by the roster search); the co-attendance
layer on the map without JavaScript and switched on the interactive map, in English and Arabic."""

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


def test_coattendance_layer_on_the_map_without_javascript(
        live_server: str, new_page: Callable[..., Any], browser_login: Callable[..., Any],
        held: dict[str, Any], screenshot: Callable[..., Path]) -> None:
    page = new_page(java_script_enabled=False)
    browser_login(page, held["member"].email, PASSWORD)
    page.goto(f"{live_server}/c/sobir/map?lang=en")
    page.select_option("select[name=coattendance]", "1")
    page.locator("#map-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "coattendance=1" in page.url
    layer = page.locator("svg.map-svg g.coattendance-layer path")
    assert layer.count() >= 1 and page.locator("svg.map-svg").is_visible()
    screenshot(page, "map-coattendance-nojs")


CO_EDGES = "window.lpnMap.edges('.co')"
VISIBLE_CO = "window.lpnMap.edges('.co').filter(e => e.visible()).length"


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_coattendance_switch_on_the_interactive_map_compares_with_reported_ties(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        held: dict[str, Any], screenshot: Callable[..., Path], lang: str,
        direction: str) -> None:
    page = browser_page
    browser_login(page, held["member"].email, PASSWORD)
    page.goto(f"{live_server}/c/sobir/map?lang={lang}")
    page.wait_for_selector("#map-live[data-ready='1']")
    assert page.get_attribute("html", "dir") == direction
    # The filter's select is replaced by a labelled checkbox, switched with the keyboard.
    assert not page.locator("select[name=coattendance]").is_visible()
    toggle = page.get_by_label({"en": "Show co-attendance on the map",
                                "ar": "اعرض الحضور المشترك على الخريطة"}[lang])
    assert toggle.is_visible() and not toggle.is_checked()
    assert page.evaluate(f"{CO_EDGES}.length") == 0  # nothing loaded before it is asked for
    toggle.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#map-live[data-coattendance-on='1']")
    assert "coattendance=1" in page.url
    # Three pairs met: the two that met twice are drawn thicker, all of them dashed.
    widths = sorted(page.evaluate(f"{CO_EDGES}.map(e => e.data('width'))"))
    assert widths == [1.5, 1.5, 3]
    assert page.evaluate(f"{CO_EDGES}[0].style('line-style')") == "dashed"
    assert page.evaluate(VISIBLE_CO) == 3
    # The list: they met twice but report no working tie.
    items = page.locator("#coatt-list li")
    assert items.count() == 1 and items.locator("bdi").count() == 2
    # The chosen actor's panel compares: met at events (no tie) apart from its reported ties.
    youth = held["people"][2].name
    page.locator("#actor-list button", has_text=youth).click()
    panel = page.locator("#actor-panel")
    assert panel.locator(".panel-ties li").count() == 1  # no reported tie: "None"
    assert panel.locator(".panel-met li.unreported").count() == 2
    screenshot(page, f"map-coattendance-{lang}")
    school = held["people"][0].name
    page.locator("#actor-list button", has_text=school).click()
    assert panel.locator(".panel-ties li").count() == 1  # its tie to the police
    assert panel.locator(".panel-met li.unreported").count() == 2
    toggle.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#map-live[data-coattendance-on='0']")
    assert page.evaluate(VISIBLE_CO) == 0 and "coattendance" not in page.url
    assert page.locator("#coatt-box").is_hidden()
    assert panel.locator(".panel-met").count() == 0


def test_coattendance_switched_on_from_the_address_draws_at_once(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        held: dict[str, Any]) -> None:
    page = browser_page
    browser_login(page, held["member"].email, PASSWORD)
    page.goto(f"{live_server}/c/sobir/map?lang=en&coattendance=1")
    page.wait_for_selector("#map-live[data-coattendance-on='1']")
    assert page.is_checked("#map-coattendance") and page.evaluate(VISIBLE_CO) == 3
    # A filter chosen afterwards keeps the layer on (the hidden select follows the switch).
    page.select_option("select[name=min_frequency]", "weekly")
    page.wait_for_load_state()
    page.wait_for_selector("#map-live[data-coattendance-on='1']")
    assert "coattendance=1" in page.url and "min_frequency=weekly" in page.url
    legend = page.locator(".legend-box .legend-coattendance")
    assert legend.is_visible()
    page.uncheck("#map-coattendance")
    page.wait_for_selector("#map-live[data-coattendance-on='0']")
    assert legend.is_hidden() and page.evaluate(VISIBLE_CO) == 0
