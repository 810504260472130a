"""The network pages: access, no-JS content, filters, gaps, XSS, exports, languages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.stakeholders import rounds, services

from .conftest import KnownMap, add_tie

PAGES = ("map", "map.json", "map.svg", "report", "heatmap", "compare")
EVIL = '<img src=x onerror="alert(1)">&"'


@pytest.fixture
def known(build_map: Callable[..., KnownMap]) -> KnownMap:
    return build_map()


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


def test_compare_lists_added_ties_and_closed_gaps(known: KnownMap, member: Any) -> None:
    later = rounds.create_round(known.city, "Follow-up", date(2025, 9, 1), actor=None)
    add_tie(known, "health", "school", "referral", "monthly", later)
    db.session.commit()
    html = member.get(f"/c/{known.city.slug}/compare").get_data(as_text=True)
    added = html.split("Ties added")[1].split("</section>")[0]
    assert "Health centre" in added
    assert 'id="map-before"' in html and 'id="map-after"' in html


def test_compare_with_one_round_explains_what_it_needs(known: KnownMap, member: Any) -> None:
    html = member.get(f"/c/{known.city.slug}/compare").get_data(as_text=True)
    assert "at least two mapping rounds" in html


@pytest.mark.parametrize("page", ["map", "map.json", "map.svg", "report", "heatmap"])
def test_names_with_markup_are_shown_as_text(known: KnownMap, member: Any, page: str) -> None:
    services.create_stakeholder(known.city, {"name": EVIL, "sector": "media", "level": "local"},
                                actor=None)
    db.session.commit()
    body = member.get(f"/c/{known.city.slug}/{page}?lang=en").get_data(as_text=True)
    assert "<img src=x" not in body
    if page == "map.json":
        assert json.loads(body)["nodes"][-1][1] == EVIL
    elif page != "heatmap":
        assert "&lt;img src=x" in body


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
    monkeypatch.setattr(presenters.actor_rows, "__defaults__", (1, 4))
    html = member.get(f"/c/{known.city.slug}/map?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in html


@pytest.mark.parametrize("lang", ["en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom"])
def test_map_page_renders_in_every_language(known: KnownMap, member: Any, lang: str) -> None:
    html = member.get(f"/c/{known.city.slug}/map?lang={lang}").get_data(as_text=True)
    root = html.split(">", 2)[1]
    assert ('dir="rtl"' in root) == (lang == "ar")
    assert 'class="map-svg"' in html


def test_map_page_queries_do_not_grow_with_the_map(
    known: KnownMap, member: Any, count_queries: Callable[[], Any]
) -> None:
    member.get(f"/c/{known.city.slug}/map")  # fill the analysis cache
    with count_queries() as small:
        member.get(f"/c/{known.city.slug}/map")
    for i in range(20):
        services.create_stakeholder(known.city, {"name": f"Extra {i}", "sector": "other"},
                                    actor=None)
    db.session.commit()
    member.get(f"/c/{known.city.slug}/map")
    with count_queries() as large:
        member.get(f"/c/{known.city.slug}/map")
    assert len(large) == len(small)


def test_renamed_city_shows_its_new_name_on_the_map(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any],
) -> None:
    """The memo of map views is keyed on the name it shows: a rename never serves the old one."""
    admin = login(make_user("admin"))
    assert "Knowngrad" not in admin.get(f"/c/{known.city.slug}/map").get_data(as_text=True)
    saved = admin.post(f"/admin/cities/{known.city.id}", data={
        "name": "Knowngrad", "region": known.city.region_id, "default_locale": "en",
        "disclosure_threshold": 10})
    assert saved.status_code == 302
    for page in ("map", "map.svg"):
        assert "Knowngrad" in admin.get(f"/c/{known.city.slug}/{page}").get_data(as_text=True)


def test_each_app_keeps_its_own_map_memo(app: Any) -> None:
    from portal import create_app
    from portal.networks.mapdata import memo_for

    other = create_app({**app.config, "TESTING": True})
    assert memo_for(app) is memo_for(app)
    assert memo_for(app) is not memo_for(other)
