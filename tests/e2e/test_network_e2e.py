"""The network pages in Chromium: map, panel, filter, list sync, RTL, no-JS, axe-core, access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.extensions import db
from portal.stakeholders import rounds, services, ties

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery"
PEOPLE = [
    ("Primary school no. 3", "education", "local"), ("Youth centre", "youth", "local"),
    ("Police station", "police", "local"), ("Municipal prevention office", "municipality", "local"),
    ("Ministry of Interior", "national_government", "national"),
    ("مركز الشباب <b>bold</b>", "youth", "local"), ("Health centre", "health", "local"),
]
TIES = [(0, 1), (1, 2), (3, 1), (3, 4), (5, 1)]


@pytest.fixture
def city(make_city: Callable[..., Any], make_region: Callable[..., Any]) -> Any:
    region = make_region(slug="valley", name="Valley")
    found = make_city(slug="testgrad", name="Testgrad", region=region)
    baseline = rounds.create_round(found, "Baseline", date(2025, 1, 15), actor=None)
    people = [services.create_stakeholder(found, {"name": n, "sector": s, "level": lv,
                                                  "contact_email": "hidden@example.org"},
                                          actor=None)
              for n, s, lv in PEOPLE]
    for a, b in TIES:
        ties.add_ties(found, people[a], baseline, [ties.TieEntry(people[b].id, "information",
                                                                 "monthly")], actor=None)
    db.session.commit()
    return found


@pytest.fixture
def member(city: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("member", city=city, email="member@e2e.example")


def _open_map(page: Any, base: str, lang: str = "en", query: str = "") -> None:
    page.goto(f"{base}/c/testgrad/map?lang={lang}{query}")
    page.wait_for_selector("#map-live[data-ready='1']")


def test_map_renders_nodes_opens_panel_filters_and_keeps_list_in_sync(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any], member: Any,
    screenshot: Callable[..., Path],
) -> None:
    page = browser_page
    browser_login(page, member.email, PASSWORD)
    _open_map(page, live_server)
    assert page.evaluate("window.lpnMap.nodes().length") == len(PEOPLE)
    assert page.locator("#actor-list button").count() == len(PEOPLE)
    # Click a node on the canvas: its panel opens and the list follows.
    page.locator("#map-canvas").scroll_into_view_if_needed()
    # Cytoscape caches where its canvas is on screen and refreshes that on the scroll event,
    # which may come after this click: have it read its place now, as a user's pause would.
    page.evaluate("window.lpnMap.resize()")
    box = page.locator("#map-canvas").bounding_box()
    pos = page.evaluate("(() => { const n = window.lpnMap.nodes().filter("
                        "n => n.data('name') === 'Youth centre')[0];"
                        " return n.renderedPosition(); })()")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("#actor-panel:not([hidden])")
    assert page.inner_text("#actor-panel-title") == "Youth centre"
    # The rest of its measures come from the actor's own JSON when the panel opens.
    page.wait_for_selector("#actor-panel-body dt:text-is('Core number')")
    assert "Weighted ties" in page.inner_text("#actor-panel-body")
    pressed = page.locator("#actor-list button[aria-pressed='true']")
    assert pressed.inner_text() == "Youth centre"
    # Select in the list: the graph follows; the name with markup is text.
    page.locator("#actor-list button", has_text="bold").click()
    assert page.evaluate("window.lpnMap.$('node:selected').data('name')") == PEOPLE[5][0]
    assert page.inner_text("#actor-panel-title") == PEOPLE[5][0]
    assert page.locator("#actor-panel b").count() == 0
    # Search narrows the list.
    page.fill("#map-search", "police")
    assert page.locator("#actor-list li:not([hidden])").count() == 1
    screenshot(page, "network-map-en")
    # A filter changes what is shown.
    page.select_option("#sector", "police")
    page.wait_for_url("**sector=police**")
    page.wait_for_selector("#map-live[data-ready='1']")
    assert page.evaluate("window.lpnMap.nodes().length") == 2


def test_arabic_map_is_right_to_left(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any], member: Any,
    screenshot: Callable[..., Path],
) -> None:
    page = browser_page
    browser_login(page, member.email, PASSWORD)
    _open_map(page, live_server, "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    canvas, side = page.locator("#map-canvas").bounding_box(), page.locator(
        "#map-side").bounding_box()
    assert side["x"] < canvas["x"]  # the panel switched sides
    screenshot(page, "network-map-ar")
    _open_map(page, live_server, "en")


def test_long_latin_names_on_the_arabic_map_keep_their_start_and_group_colours_show(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any], member: Any,
    city: Any, screenshot: Callable[..., Path],
) -> None:
    long_name = "International Organization for Migration, field office north"
    services.create_stakeholder(city, {"name": long_name, "sector": "international",
                                       "level": "international"}, actor=None)
    db.session.commit()
    page = browser_page
    browser_login(page, member.email, PASSWORD)
    _open_map(page, live_server, "ar", "&colour=group")
    label = page.evaluate("window.lpnMap.nodes().filter(n => n.data('name') === "
                          f"{long_name!r})[0].data('label')")
    # Cut by the page, not by cytoscape, and isolated: the start of the name stays visible.
    assert label.startswith("\u2068International Organization") and label.endswith("…\u2069")
    colours = page.evaluate("window.lpnMap.nodes().map(n => n.data('colour'))")
    assert "#CC6677" in colours and "#DDDDDD" in colours  # one working group, the rest grey
    # The panel links to the stakeholder's page and explains its measures.
    page.locator("#actor-list button", has_text="Youth centre").click()
    link = page.locator("#actor-panel-body a").first
    assert "/c/testgrad/stakeholders/" in link.get_attribute("href")
    assert page.locator("#actor-panel details.explain").count() == 3
    screenshot(page, "network-map-ar-groups")
    link.click()
    page.wait_for_url("**/stakeholders/**")
    assert "Youth centre" in page.inner_text("h1")


def test_without_javascript_the_svg_and_tables_are_there(
    live_server: str, new_page: Callable[..., Any], browser_login: Callable[..., Any],
    member: Any, screenshot: Callable[..., Path],
) -> None:
    page = new_page(java_script_enabled=False)
    browser_login(page, member.email, PASSWORD)
    page.goto(f"{live_server}/c/testgrad/map")
    assert page.locator("svg.map-svg g.node").count() == len(PEOPLE)
    assert page.locator("table.actor-table tbody tr").count() == len(PEOPLE)
    assert page.locator("#gaps-unconnected").is_visible()
    assert not page.locator("#map-live").is_visible()
    screenshot(page, "network-map-nojs")


@pytest.mark.parametrize("path,who", [
    ("/c/testgrad/map", "member"), ("/c/testgrad/heatmap", "member"),
    ("/c/testgrad/report", "member"), ("/regions/valley/", "regional"),
])
def test_axe_reports_no_serious_violation(
    live_server: str, browser: Any, browser_login: Callable[..., Any], member: Any,
    make_user: Callable[..., Any], city: Any, path: str, who: str,
) -> None:
    user = member if who == "member" else make_user("regional", region=city.region,
                                                    email="regional@e2e.example")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        browser_login(page, user.email, PASSWORD)
        page.goto(live_server + path)
        if path.endswith("/map"):
            page.wait_for_selector("#map-live[data-ready='1']")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == []
    finally:
        context.close()


def test_member_of_another_city_gets_404_and_regional_sees_no_contact(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any], city: Any,
    make_city: Callable[..., Any], make_user: Callable[..., Any],
) -> None:
    outsider = make_user("member", city=make_city(), email="outsider@e2e.example")
    browser_login(browser_page, outsider.email, PASSWORD)
    assert browser_page.goto(f"{live_server}/c/testgrad/map").status == 404
    regional = make_user("regional", region=city.region, email="regional2@e2e.example")
    other = browser_page.context.browser.new_context()
    try:
        page = other.new_page()
        browser_login(page, regional.email, PASSWORD)
        for path in ("/c/testgrad/map", "/regions/valley/"):
            page.goto(live_server + path)
            assert "hidden@example.org" not in page.content()
    finally:
        other.close()
