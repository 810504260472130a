"""A regional user follows a not-yet-connected actor's name to the map, which selects it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.extensions import db
from portal.stakeholders import rounds, services, ties

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture
def regional(make_city: Callable[..., Any], make_region: Callable[..., Any],
             make_user: Callable[..., Any]) -> Any:
    region = make_region(slug="hills", name="Hills")
    city = make_city(slug="focusgrad", name="Focusgrad", region=region)
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    school, police, _clinic = (
        services.create_stakeholder(city, {"name": n, "sector": s}, actor=None)
        for n, s in (("School", "education"), ("Police", "police"), ("Health centre", "health")))
    ties.add_ties(city, school, baseline, [ties.TieEntry(police.id, "referral", "weekly")],
                  actor=None)
    db.session.commit()
    return make_user("regional", region=region, email="regional@e2e.example")


def test_name_on_the_regional_dashboard_opens_the_map_with_the_actor_selected(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any], regional: Any,
    screenshot: Callable[..., Path],
) -> None:
    page = browser_page
    browser_login(page, regional.email, PASSWORD)
    page.goto(f"{live_server}/regions/hills/")
    screenshot(page, "regional-dashboard-names")
    page.locator(".unconnected-cell a", has_text="Health centre").click()
    page.wait_for_selector("#map-live[data-ready='1']")
    label = page.evaluate("window.lpnMap.$('node:selected').data('label')")
    assert label.strip("\u2068\u2069") == "Health centre"  # labels sit in Unicode isolates
    assert page.inner_text("#actor-panel-title") == "Health centre"
    pressed = page.locator("#actor-list button[aria-pressed='true']")
    assert pressed.inner_text() == "Health centre"
    assert "Health centre" in page.inner_text("#map-focus")
    screenshot(page, "map-focus")
