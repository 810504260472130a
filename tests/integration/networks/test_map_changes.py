"""Changes to the map seen on its pages: new ties, rounds, names, a renamed city (one map per
test: these tests change it; tests/integration/networks/test_views.py shares one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.stakeholders import rounds, services

from .conftest import KnownMap, add_tie

EVIL = '<img src=x onerror="alert(1)">&"'


@pytest.fixture
def known(build_map: Callable[..., KnownMap]) -> KnownMap:
    return build_map()


@pytest.fixture
def member(known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]) -> Any:
    return login(make_user("member", city=known.city))


def test_compare_lists_added_ties_and_closed_gaps(known: KnownMap, member: Any) -> None:
    later = rounds.create_round(known.city, "Follow-up", date(2025, 9, 1), actor=None)
    add_tie(known, "health", "school", "referral", "monthly", later)
    db.session.commit()
    html = member.get(f"/c/{known.city.slug}/compare").get_data(as_text=True)
    added = html.split("Ties added")[1].split("</section>")[0]
    assert "Health centre" in added
    assert 'id="map-before"' in html and 'id="map-after"' in html


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
