"""A round of another city (or no round at all) is refused, never swapped for the current one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import MappingRound

from .conftest import KnownMap

BAD_ROUNDS = ["other", "abc", "²", "99999", "99999999999999999999", "-1"]
FEW_BAD_ROUNDS = ["other", "²", "99999999999999999999"]


@pytest.fixture
def two_cities(build_map: Callable[..., KnownMap], make_user: Callable[..., Any],
               login: Callable[..., Any]) -> tuple[KnownMap, KnownMap, Any]:
    mine, theirs = build_map(slug="testgrad"), build_map(slug="othergrad", name="Othergrad")
    client = login(make_user("coordinator", city=mine.city))
    return mine, theirs, client


def _round(value: str, theirs: KnownMap) -> str:
    return str(theirs.round.id) if value == "other" else value


@pytest.mark.parametrize("value", BAD_ROUNDS)
def test_map_json_answers_400_like_the_api_for_a_round_not_of_this_city(two_cities, value):
    mine, theirs, client = two_cities
    query = {"round": _round(value, theirs)}
    page = client.get(f"/c/{mine.city.slug}/map.json", query_string=query)
    api = client.get(f"/api/v1/cities/{mine.city.slug}/network", query_string=query)
    assert page.status_code == api.status_code == 400
    assert page.get_json() == api.get_json()
    assert page.get_json()["error"] == "round"


@pytest.mark.parametrize("page", ["map", "map.svg", "report", "heatmap",
                                  "stakeholders/export/network.json"])
@pytest.mark.parametrize("value", FEW_BAD_ROUNDS)
def test_map_pages_and_exports_answer_404_for_a_round_not_of_this_city(two_cities, page, value):
    mine, theirs, client = two_cities
    response = client.get(f"/c/{mine.city.slug}/{page}",
                          query_string={"round": _round(value, theirs)})
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["map", "map.json", "map.svg", "report", "heatmap"])
def test_map_pages_of_the_citys_own_round_still_open(two_cities, page):
    mine, _theirs, client = two_cities
    response = client.get(f"/c/{mine.city.slug}/{page}", query_string={"round": mine.round.id})
    assert response.status_code == 200


@pytest.mark.parametrize("value", FEW_BAD_ROUNDS)
def test_copying_a_round_not_of_this_city_is_a_form_error_and_creates_nothing(two_cities,
                                                                               value):
    mine, theirs, client = two_cities
    before = db.session.scalar(select(func.count()).select_from(MappingRound))
    response = client.post(f"/c/{mine.city.slug}/stakeholders/rounds", data={
        "name": "Follow-up", "held_on": "2025-06-01", "copy_from": _round(value, theirs),
        "make_current": "y"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Not an id at all: the id field's own error; an id of another city's round: the round's.
    assert "Choose a round from the list." in html or "Choose one of the options shown." in html
    assert db.session.scalar(select(func.count()).select_from(MappingRound)) == before


def test_copying_an_empty_map_still_creates_an_empty_round(two_cities):
    mine, _theirs, client = two_cities
    response = client.post(f"/c/{mine.city.slug}/stakeholders/rounds", data={
        "name": "Follow-up", "held_on": "2025-06-01", "copy_from": "", "make_current": "y"})
    assert response.status_code == 302
