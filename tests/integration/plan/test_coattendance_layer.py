"""Co-attendance as a layer of the interactive map, on the PNG and in the API: which pairs,
compared with the reported ties, filtered like the map, and an ETag that follows attendance."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date
from typing import Any

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import Event
from portal.plan import events
from portal.stakeholders import ties
from tests.integration.api.conftest import bearer, make_token  # noqa: F401

LAYER = "/c/home/map/coattendance.json"
API = "/api/v1/cities/home/coattendance"


def _event(town: dict[str, Any], title: str, day: int, *names: str) -> Event:
    event = events.save_event(town["city"], None, {"kind": "meeting", "title": title,
                                                   "held_on": date(2026, 2, day)}, actor=None)
    events.set_attendance(town["city"], event, [town["s"][n].id for n in names], actor=None)
    db.session.commit()
    return event


@pytest.fixture
def met(town: dict[str, Any]) -> dict[str, Any]:
    """Youth centre and School met 3 times with no tie; Youth centre and Police twice, tied."""
    s = town["s"]
    _event(town, "January", 3, "Youth centre", "School no. 3", "Police station")
    _event(town, "February", 10, "Youth centre", "School no. 3", "Police station")
    march = _event(town, "March", 17, "Youth centre", "School no. 3")
    ties.add_ties(town["city"], s["Police station"], town["round"],
                  [ties.TieEntry(s["Youth centre"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    return {**town, "march": march}


def _named(client: Any, layer: dict[str, Any]) -> dict[frozenset[str], tuple[int, int]]:
    nodes = client.get("/c/home/map.json").get_json()["nodes"]
    return {frozenset((nodes[a][1], nodes[b][1])): (w, r) for a, b, w, r in layer["ties"]}


def test_layer_gives_each_pair_its_shared_events_and_whether_it_reports_a_tie(
        client, met, login):
    login(met["member"])
    response = client.get(LAYER + "?lang=en")
    assert response.status_code == 200 and response.headers["ETag"].startswith('W/"')
    layer = response.get_json()
    assert _named(client, layer) == {
        frozenset(("Youth centre", "School no. 3")): (3, 0),
        frozenset(("Youth centre", "Police station")): (2, 1),  # reported, the other way round
        frozenset(("School no. 3", "Police station")): (2, 0),
    }
    assert layer["ties"][0][2] == 3  # most shared events first
    assert [t[2] for t in layer["unreported"]] == [3, 2]  # unreported, met at 2 or more
    assert layer["no"]["3"] == "%(a)s and %(b)s met at 3 events but report no working tie."
    assert layer["yes"]["2"] == "%(a)s and %(b)s met at 2 events and report a working tie."
    assert layer["left_out"] is None and layer["title"] == "Met at meetings and trainings"
    words = client.get(LAYER + "?lang=mk").get_json()
    assert words["no"]["3"].startswith("%(a)s и %(b)s") and "3" in words["no"]["3"]


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("coordinator", 200), ("member", 200), ("regional", 200),
    ("regional-elsewhere", 404), ("member-elsewhere", 404)])
def test_layer_and_api_are_read_by_whoever_reads_the_map(
        client, met, login, make_user, make_city, make_region, role, status):
    users = {
        "admin": lambda: make_user("admin"),
        "coordinator": lambda: met["coordinator"],
        "member": lambda: met["member"],
        "regional": lambda: make_user("regional", region=met["city"].region),
        "regional-elsewhere": lambda: make_user("regional", region=make_region()),
        "member-elsewhere": lambda: make_user("member", city=make_city(slug="away")),
    }
    login(users[role]())
    assert client.get("/c/home/map").status_code == status
    assert client.get(LAYER).status_code == status
    assert client.get(API).status_code == status
    assert client.get("/c/home/map.png?coattendance=1").status_code == status


def test_layer_is_filtered_like_the_map_and_refuses_unknown_filters(client, met, login):
    login(met["coordinator"])
    # The police sector and the partners it reaches: School no. 3 is not on that map.
    layer = client.get(LAYER + "?sector=police").get_json()
    nodes = client.get("/c/home/map.json?sector=police").get_json()["nodes"]
    assert {n[1] for n in nodes} == {"Police station", "Youth centre"}
    assert [({nodes[a][1], nodes[b][1]}, w, r) for a, b, w, r in layer["ties"]] == [
        ({"Police station", "Youth centre"}, 2, 1)]
    bad = client.get(LAYER + "?sector=astrology")
    assert bad.status_code == 400 and bad.get_json()["error"] == "sector"
    assert client.get(LAYER + "?round=999999").status_code == 400


def test_layer_etag_answers_304_until_the_attendance_changes(client, met, login):
    login(met["member"])
    first = client.get(LAYER)
    etag = first.headers["ETag"]
    again = client.get(LAYER, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    map_tag = client.get("/c/home/map.json").headers["ETag"]
    # Police station now came in March too: no tie changes, the network revision stays.
    events.set_attendance(met["city"], met["march"], [
        met["s"][n].id for n in ("Youth centre", "School no. 3", "Police station")], actor=None)
    db.session.commit()
    changed = client.get(LAYER, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert frozenset(("School no. 3", "Police station")) in _named(client, changed.get_json())
    assert _named(client, changed.get_json())[
        frozenset(("School no. 3", "Police station"))] == (3, 0)
    assert client.get("/c/home/map.json").headers["ETag"] == map_tag  # shows no attendance
    # A tie recorded for a pair that met: the network revision, so the tag, changes too.
    tag = changed.headers["ETag"]
    ties.add_ties(met["city"], met["s"]["School no. 3"], met["round"],
                  [ties.TieEntry(met["s"]["Youth centre"].id, "information", "monthly")],
                  actor=None)
    db.session.commit()
    now = client.get(LAYER, headers={"If-None-Match": tag})
    assert now.status_code == 200
    assert _named(client, now.get_json())[frozenset(("Youth centre", "School no. 3"))] == (3, 1)


def test_layer_is_compressed_and_keeps_its_tag(client, met, login):
    from portal.stakeholders import services

    people = [services.create_stakeholder(met["city"], {"name": f"NGO {i}"}, actor=None)
              for i in range(10)]
    forum = events.save_event(met["city"], None, {"kind": "workshop", "title": "Forum",
                                                  "held_on": date(2026, 5, 5)}, actor=None)
    events.set_attendance(met["city"], forum, [p.id for p in people], actor=None)
    db.session.commit()  # 45 more pairs: a body above Flask-Compress's minimum size
    login(met["member"])
    plain = client.get(LAYER, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and len(plain.get_json()["ties"]) == 48
    packed = client.get(LAYER, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    assert packed.headers["ETag"] == plain.headers["ETag"]
    assert client.get(LAYER, headers={"Accept-Encoding": "gzip", "If-None-Match":
                                      packed.headers["ETag"]}).status_code == 304


def test_map_page_with_javascript_offers_the_switch_and_keeps_it_on_from_the_address(
        client, met, login):
    login(met["member"])
    plain = client.get("/c/home/map").get_data(as_text=True)
    assert 'id="map-coattendance"' in plain and 'aria-controls="coatt-box" checked' not in plain
    round_id = met["round"].id
    assert f'data-coattendance="/c/home/map/coattendance.json?round={round_id}"' in plain
    page = client.get("/c/home/map?coattendance=1&sector=youth").get_data(as_text=True)
    assert 'id="map-live"' in page and 'aria-controls="coatt-box" checked' in page
    assert (f'data-coattendance="/c/home/map/coattendance.json?round={round_id}'
            '&amp;sector=youth"') in page


def _blue(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for pixel in image.get_flattened_data() if pixel == (0x00, 0x72, 0xB2))


def test_png_draws_the_layer_when_asked_and_follows_the_attendance(client, met, login):
    login(met["member"])
    plain = client.get("/c/home/map.png")
    layered = client.get("/c/home/map.png?coattendance=1")
    assert plain.status_code == layered.status_code == 200
    assert layered.mimetype == "image/png"
    # The layer's blue is also a sector colour: count what the layer adds.
    base, before = _blue(plain.data), _blue(layered.data)
    assert before > base + 200
    events.set_attendance(met["city"], met["march"], [
        met["s"][n].id for n in ("Social work centre", "Police station")], actor=None)
    db.session.commit()
    # A pair that never met before is drawn now (a stale memo would not draw it).
    assert _blue(client.get("/c/home/map.png?coattendance=1").data) > before


def test_api_answers_json_and_csv_for_a_token_and_the_regional_coordinator(
        client, met, login, make_user, make_token):  # noqa: F811
    secret = make_token(met["member"], [met["city"]])
    found = client.get(API, headers=bearer(secret))
    assert found.status_code == 200
    body = found.get_json()
    names = {s["id"]: s["name"] for s in body["stakeholders"]}
    got = {frozenset((names[t["source"]], names[t["target"]])): (t["events"], t["reported_tie"])
           for t in body["ties"]}
    assert got[frozenset(("Youth centre", "School no. 3"))] == (3, False)
    assert got[frozenset(("Youth centre", "Police station"))] == (2, True)
    assert body["met_at_least"] == events.MET_AT_LEAST and body["round"]["name"] == "Baseline"
    assert "contact" not in found.get_data(as_text=True)
    table = client.get(API + "?format=csv", headers=bearer(secret))
    assert table.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(table.get_data(as_text=True))))
    assert rows[0] == {"source": str(met["s"]["Youth centre"].id),
                       "target": str(met["s"]["School no. 3"].id),
                       "source_name": "Youth centre", "target_name": "School no. 3",
                       "events": "3", "reported_tie": "false"}
    again = client.get(API + "?format=csv", headers={
        **bearer(secret), "If-None-Match": table.headers["ETag"]})
    assert again.status_code == 304 and table.headers["ETag"] != found.headers["ETag"]
    login(make_user("regional", region=met["city"].region))
    assert client.get(API).status_code == 200


@pytest.mark.parametrize(("query", "code"), [("format=xml", "format"), ("kind=gossip", "kind"),
                                             ("round=abc", "round")])
def test_api_refuses_bad_input_with_a_translated_message(client, met, login, query, code):
    login(met["member"])
    response = client.get(f"{API}?{query}&lang=mk")
    assert response.status_code == 400
    assert response.get_json()["error"] == code and response.get_json()["message"]
