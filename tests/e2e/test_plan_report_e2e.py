"""The printable plan progress report on the demo, in Chromium: Macedonian and Arabic, printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portal.auth.scoping import city_by_slug
from portal.extensions import db
from portal.plan import report, services
from portal.plan.demo import GOALS

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(runner: Any) -> dict[str, Any]:
    """Seed the whole demo; return what Zelenovo's report must show."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    city = city_by_slug("zelenovo")
    assert city is not None
    partners = report.partners_of(services.current_plan(city))
    db.session.commit()
    return {"partners": partners}


@pytest.mark.parametrize(("lang", "direction"), [("mk", "ltr"), ("ar", "rtl")])
def test_the_demo_progress_report_prints_goals_outcomes_and_the_partners_map(
        live_server: str, browser_page: Any, browser_login: Callable[..., Any],
        demo: dict[str, Any], screenshot: Callable[..., Path], lang: str,
        direction: str) -> None:
    page = browser_page
    browser_login(page, "coordinator@demo.lpn.example", "demo-coordinator-pass")
    page.goto(f"{live_server}/c/zelenovo/plan/report/{lang}")
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == direction
    # The three strategic goals of the demo plan, in order.
    goals = page.locator("section.report-goal h2").all_inner_texts()
    assert [g.split(". ", 1)[1] for g in goals] == [title for title, _ in GOALS["mk"][1]]
    assert page.locator("section.report-goal table.activity-table tbody tr").count() == 12
    # Outcomes: both rounds of the map compared, and the closed survey wave's six indices.
    outcomes = page.locator("#outcomes")
    tables = outcomes.locator("table.outcome-table")
    assert tables.count() == 2
    assert "Почетна состојба / Baseline" in tables.nth(0).inner_text()
    survey_rows = tables.nth(1).locator("tbody tr")
    assert survey_rows.count() == 6
    assert "Baseline (demo)" in tables.nth(1).inner_text()
    assert all(any(ch.isdigit() for ch in survey_rows.nth(i).locator("td").nth(1).inner_text())
               for i in range(6))
    # The map: the plan's partners ringed, the others faded.
    marked = page.locator("svg#report-map g.node.highlighted")
    ids = {int(marked.nth(i).get_attribute("data-id")) for i in range(marked.count())}
    nodes = page.locator("svg#report-map g.node")
    every = {int(nodes.nth(i).get_attribute("data-id")) for i in range(nodes.count())}
    assert ids and ids == demo["partners"] & every
    assert page.locator("svg#report-map g.node[opacity]").count() == len(every - ids)
    page.emulate_media(media="print")
    assert not page.locator(".report-tools").is_visible()
    assert page.locator("svg#report-map").is_visible()
    screenshot(page, f"plan-report-{lang}-print")
