"""Lighter network payloads: ETag / 304 on the network revision, compressed responses that
decode to the same data, the actor detail endpoint, and the sampled-centrality notice."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import brotli
import pytest

from portal.analysis import sampling

from .conftest import KnownMap, add_tie

MAP_JSON = "/c/testgrad/map.json"
API = "/api/v1/cities/testgrad/network"


@pytest.fixture
def known(build_map: Callable[..., KnownMap]) -> KnownMap:
    return build_map(slug="testgrad")


@pytest.fixture
def member(client: Any, known: KnownMap, make_user: Callable[..., Any],
           login: Callable[..., Any]) -> Any:
    login(make_user("member", city=known.city))
    return client


@pytest.mark.parametrize("url", [MAP_JSON, API])
def test_etag_answers_304_until_the_network_changes(member, known, url):
    first = member.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = member.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    add_tie(known, "health", "school", "referral", "monthly")  # bumps the network revision
    from portal.extensions import db
    db.session.commit()
    changed = member.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.get_json()["edges"]) == len(first.get_json()["edges"]) + 1


def test_etag_differs_by_filter_language_and_format(member, known):
    tags = {member.get(url).headers["ETag"] for url in (
        MAP_JSON, MAP_JSON + "?kind=referral", MAP_JSON + "?lang=mk", API, API + "?format=csv")}
    assert len(tags) == 5


@pytest.mark.parametrize("url", [MAP_JSON, API])
@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress),
                                              ("gzip", gzip.decompress)])
def test_compressed_json_decodes_to_the_same_data(member, known, url, encoding, decode):
    plain = member.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    packed = member.get(url, headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data)
    assert json.loads(decode(packed.data)) == plain.get_json()
    # The compressed answer carries the same tag, and the tag still gets a 304.
    again = member.get(url, headers={"Accept-Encoding": encoding,
                                     "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_brotli_is_preferred_and_html_pages_are_compressed(member, known):
    page = member.get("/c/testgrad/map", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "br"
    assert b"<html" in brotli.decompress(page.data)
    gz = member.get("/c/testgrad/map", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(gz.data)


@pytest.mark.parametrize("what", ["stakeholders.csv", "network.graphml"])
def test_exports_are_sent_as_they_are(member, known, what):
    url = f"/c/testgrad/stakeholders/export/{what}"
    plain = member.get(url)
    asked = member.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert plain.status_code == asked.status_code == 200
    assert "Content-Encoding" not in asked.headers and asked.data == plain.data


def test_map_json_sends_what_the_map_draws(member, known):
    data = member.get(MAP_JSON).get_json()
    assert data["fields"] == ["id", "name", "sector", "level", "x", "y", "radius", "flags",
                              "degree", "betweenness", "closeness", "group"]
    assert all(len(n) == len(data["fields"]) for n in data["nodes"])
    assert data["centrality"] is None  # exact: nothing to state


def test_actor_detail_gives_the_rest_of_the_measures(member, known):
    sid = known.id("youth")
    response = member.get(f"/c/testgrad/map/actors/{sid}.json")
    assert response.status_code == 200 and response.headers["ETag"].startswith('W/"')
    found = response.get_json()
    assert found["id"] == sid and found["name"] == "Youth centre"
    assert found["metrics"]["degree"] == 3 and found["metrics"]["articulation_point"] is True
    assert {"weighted_degree", "core_number", "constraint", "effective_size"} <= set(
        found["metrics"])
    assert "contact_email" not in response.get_data(as_text=True)
    again = member.get(f"/c/testgrad/map/actors/{sid}.json",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_actor_detail_is_404_for_an_actor_not_on_this_map(member, known, build_map,
                                                          make_region):
    other = build_map(slug="othergrad")
    assert member.get(f"/c/testgrad/map/actors/{other.id('youth')}.json").status_code == 404
    assert member.get("/c/testgrad/map/actors/987654.json").status_code == 404
    assert member.get(f"/c/othergrad/map/actors/{other.id('youth')}.json").status_code == 404
    # Filtered out of the map (another sector): not on this map either.
    url = f"/c/testgrad/map/actors/{known.id('police')}.json?sector=education"
    assert member.get(url).status_code == 404


def test_sampled_centrality_is_stated_on_the_page_and_in_the_api(member, known, app,
                                                                  monkeypatch):
    monkeypatch.setattr(sampling, "SMALL_COMPONENT", 2)  # the five tied actors get sampled
    app.config["ANALYSIS_EXACT_UP_TO"] = 5  # the map has six
    api = member.get(API).get_json()
    assert api["centrality"]["method"] == "sampled" and api["centrality"]["actors"] == 6
    assert api["centrality"]["pivots"] == 5 and api["centrality"]["standard_error"] == 0.0
    assert api["summary"]["centrality"] == api["centrality"]
    page = member.get("/c/testgrad/map").get_data(as_text=True)
    assert 'id="centrality-note"' in page and "estimated from 5 of 6 actors" in page
    assert "estimated from 5 of 6" in member.get(MAP_JSON).get_json()["centrality"]


def test_below_the_limit_the_api_says_exact(member, known):
    assert member.get(API).get_json()["centrality"] == {
        "method": "exact", "pivots": None, "actors": 6, "standard_error": 0.0}
    assert 'id="centrality-note"' not in member.get("/c/testgrad/map").get_data(as_text=True)
