"""The network pages: access, no-JS content, filters, gaps, exports, languages.

These tests only read the known map: it is built, and its analysis cached, once for the module
(SharedDatabase undoes the users and logins each test adds). Tests that change the map are in
test_map_changes.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import City, Region
from portal.networks.services import get_analysis
from tests.conftest import SharedDatabase

from .conftest import KnownMap, fill_known_map, reload_known_map

PAGES = ("map", "map.json", "map.svg", "map.png", "report", "heatmap", "compare")


@pytest.fixture(scope="module")
def shared_map(shared_app: Flask) -> tuple[SharedDatabase, tuple[int, int, dict[str, int]]]:
    """Build the known map once, with its analysis cached, and mark the shared rows."""
    with shared_app.app_context():
        city = City(slug="known", name="Known city", region=Region(slug="known", name="Known"),
                    default_locale="en", disclosure_threshold=10)
        db.session.add(city)
        db.session.commit()
        known = fill_known_map(city)
        get_analysis(city)  # every page reads this cached analysis
        shared = SharedDatabase()
        shared.mark()
        ids = (city.id, known.round.id, {short: s.id for short, s in known.people.items()})
        db.session.remove()
    return shared, ids


@pytest.fixture
def app(shared_app: Flask, shared_map: tuple[SharedDatabase, Any]) -> Iterator[Flask]:
    """The module's app, in a context of its own per test; what the test added is undone."""
    with shared_app.app_context():
        yield shared_app
        shared_map[0].undo()
        db.session.remove()


@pytest.fixture
def known(app: Flask, shared_map: tuple[SharedDatabase, Any]) -> KnownMap:
    return reload_known_map(*shared_map[1])


@pytest.mark.parametrize("role", ["member", "coordinator", "regional", "admin"])
@pytest.mark.parametrize("page", PAGES)
def test_city_roles_and_region_coordinators_open_every_network_page(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any], role: str,
    page: str,
) -> None:
    user = make_user(role, city=known.city, region=known.city.region)
    response = login(user).get(f"/c/{known.city.slug}/{page}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_member_of_another_city_gets_404(
    known: KnownMap, make_city: Callable[..., Any], make_user: Callable[..., Any],
    login: Callable[..., Any], page: str,
) -> None:
    assert login(make_user("member", city=make_city())).get(
        f"/c/{known.city.slug}/{page}").status_code == 404


def test_anonymous_visitor_is_sent_to_login(known: KnownMap, client: Any) -> None:
    response = client.get(f"/c/{known.city.slug}/map")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def member(known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]) -> Any:
    return login(make_user("member", city=known.city))


def test_map_page_without_js_has_svg_legend_gaps_and_actor_table(
    known: KnownMap, member: Any
) -> None:
    html = member.get(f"/c/{known.city.slug}/map").get_data(as_text=True)
    assert html.count('<g class="node"') == len(known.people)
    assert 'class="actor-table"' in html
    for stakeholder in known.people.values():
        assert stakeholder.name in html
    assert "Health centre" in html.split('id="gaps-unconnected"')[1].split("</section>")[0]
    assert 'src="/static/vendor/cytoscape/cytoscape.min.js"' in html
    assert "<script>" not in html and "style=" not in html


def test_map_json_lists_every_actor_and_tie_without_contact_fields(
    known: KnownMap, member: Any
) -> None:
    data = member.get(f"/c/{known.city.slug}/map.json").get_json()
    assert len(data["nodes"]) == 6 and len(data["edges"]) == 4
    assert data["fields"][:2] == ["id", "name"]
    raw = json.dumps(data)
    assert "example.org" not in raw and "+389" not in raw


def test_sector_filter_narrows_the_map(known: KnownMap, member: Any) -> None:
    everything = member.get(f"/c/{known.city.slug}/map.json").get_json()
    police = member.get(f"/c/{known.city.slug}/map.json?sector=police").get_json()
    assert len(police["nodes"]) < len(everything["nodes"])
    assert {n[1] for n in police["nodes"]} == {"Police station", "Youth centre"}


def test_unknown_filter_values_are_form_errors_with_400_like_the_api(known: KnownMap,
                                                                    member: Any) -> None:
    response = member.get(f"/c/{known.city.slug}/map?sector=<b>&kind=nope")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count("Choose one of the options shown.") == 2
    assert "&lt;b&gt;" not in html and 'class="map-svg"' in html  # the unfiltered map
    for page in ("map.svg", "report", "heatmap"):
        assert member.get(f"/c/{known.city.slug}/{page}?kind=nope").status_code == 400


def test_suggestions_come_with_one_sentence_each(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/report").get_data(as_text=True)
    block = html.split('id="gaps-suggestions"')[1].split("</section>")[0]
    assert block.count("<li>") >= 1
    assert "Introduce" in block


def test_report_shows_date_round_and_map(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/report").get_data(as_text=True)
    assert "Baseline" in html and 'class="map-svg"' in html
    assert "municipality reaches the national level" in html


def test_heatmap_has_svg_and_text_table(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/heatmap").get_data(as_text=True)
    assert 'class="heatmap-svg"' in html and 'class="heatmap-table"' in html
    assert "Education and Police never meet" in html


def test_heatmap_is_mirrored_in_arabic(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/heatmap?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html.split(">", 2)[1] and 'class="heatmap-svg"' in html


def test_compare_with_one_round_explains_what_it_needs(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/compare").get_data(as_text=True)
    assert "at least two mapping rounds" in html


def test_export_links_download_the_stakeholder_room_files(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/map").get_data(as_text=True)
    for what in ("network.graphml", "network.gexf", "network.json", "ties.csv"):
        assert f"/stakeholders/export/{what}" in html
        response = member.get(f"/c/{known.city.slug}/stakeholders/export/{what}")
        assert response.status_code == 200
    svg = member.get(f"/c/{known.city.slug}/map.svg?download=1")
    assert svg.mimetype == "image/svg+xml" and "attachment" in svg.headers["Content-Disposition"]


def test_actor_table_is_paginated_for_large_maps(
    known: KnownMap, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.networks import presenters

    monkeypatch.setattr(presenters, "TABLE_PAGE", 4)
    html = member.get(f"/c/{known.city.slug}/map?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in html


@pytest.mark.parametrize("lang", ["en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom"])
def test_map_page_renders_in_every_language(known: KnownMap, member: Any, lang: str) -> None:
    html = member.get(f"/c/{known.city.slug}/map?lang={lang}").get_data(as_text=True)
    root = html.split(">", 2)[1]
    assert ('dir="rtl"' in root) == (lang == "ar")
    assert 'class="map-svg"' in html


