"""The network JSON API: shape and values on a known map, filters, access, bad parameters."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.analysis.network import analyse
from portal.extensions import db
from portal.models.network import SECTORS
from portal.stakeholders import rounds
from portal.stakeholders import services as stakeholder_services
from portal.stakeholders.graphdata import network_data

from .conftest import KnownMap, add_tie


def get_json(client: FlaskClient, url: str, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.get(url, query_string=params)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def known(build_map: Callable[..., KnownMap], make_user: Callable[..., Any],
          login: Callable[..., Any]) -> KnownMap:
    """The known map, with one of its members logged in."""
    found = build_map(slug="testgrad")
    login(make_user("member", city=found.city))
    return found


def nodes_by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in data["nodes"]}


def test_network_returns_the_engine_output_for_the_current_round(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network")
    stakeholders, ties = network_data(known.city)
    expected = analyse(stakeholders, ties, sector_order=SECTORS)
    for key in ("nodes", "edges", "summary", "gaps", "suggestions"):
        assert data[key] == expected[key]
    assert data["city"] == "testgrad"
    assert data["round"] == {"id": known.round.id, "name": "Baseline", "held_on": "2025-01-15"}
    assert data["filters"] == {}
    assert data["network_revision"] == known.city.network_revision > 0
    assert data["computed_at"]


def test_network_nodes_carry_metrics_flags_and_positions(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network")
    nodes = nodes_by_name(data)
    assert len(nodes) == 6
    youth = nodes["Youth centre"]
    assert set(youth) == {"id", "name", "sector", "level", "metrics", "flags", "x", "y"}
    assert youth["sector"] == "youth" and youth["metrics"]["degree"] == 3
    assert youth["flags"]["single_point_of_failure"] is True
    assert nodes["Health centre"]["flags"]["not_connected"] is True
    assert nodes["Ministry of Interior"]["level"] == "national"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes.values())


def test_network_summary_gaps_and_suggestions_describe_the_known_map(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network")
    summary = data["summary"]
    assert (summary["size"], summary["ties"]) == (6, 4)
    assert summary["national_path"]["status"] == "path"
    assert [c["size"] for c in summary["components"]] == [5, 1]
    not_connected = [g for g in data["gaps"] if g["type"] == "not_connected"]
    assert not_connected == [{"type": "not_connected", "stakeholder": known.id("health")}]
    assert data["suggestions"], "a map with an actor not yet connected gets suggestions"
    weights = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    school, youth = sorted((known.id("school"), known.id("youth")))
    assert weights[school, youth] == 4  # weekly


def test_network_json_is_compact_and_never_cached_by_proxies(client, known):
    response = client.get("/api/v1/cities/testgrad/network")
    body = response.get_data(as_text=True)
    assert "\n" not in body and '": ' not in body and '", "' not in body
    # Private: no shared cache keeps it; no-cache: the browser revalidates with its ETag.
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"].startswith('W/"')


@pytest.mark.parametrize("endpoint", ["network", "gaps"])
def test_api_never_includes_contact_fields(client, known, endpoint):
    body = client.get(f"/api/v1/cities/testgrad/{endpoint}").get_data(as_text=True)
    for word in ("@example.org", "+389", "Contact of", "contact"):
        assert word not in body


@pytest.mark.parametrize(
    ("params", "names", "edge_count"),
    [
        ({"kind": "referral"}, 6, 1),
        ({"min_frequency": "monthly"}, 6, 2),
        ({"min_frequency": "yearly"}, 6, 4),
        ({"sector": "education"}, 2, 1),
        ({"sector": "municipality", "kind": "funding"}, 2, 1),
        ({"sector": "health"}, 1, 0),
    ],
)
def test_network_filters_narrow_the_map(client, known, params, names, edge_count):
    data = get_json(client, "/api/v1/cities/testgrad/network", **params)
    assert len(data["nodes"]) == names
    assert len(data["edges"]) == edge_count
    assert data["filters"] == params


def test_sector_filter_keeps_the_sector_and_its_partners(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network", sector="education")
    assert set(nodes_by_name(data)) == {"Primary school no. 3", "Youth centre"}


def test_network_of_an_earlier_round_by_id(client, known):
    follow_up = rounds.create_round(known.city, "Follow-up", date(2025, 9, 1),
                                    copy_from=known.round, actor=None)
    db.session.commit()
    add_tie(known, "health", "school", "referral", "monthly", follow_up)
    db.session.commit()
    current = get_json(client, "/api/v1/cities/testgrad/network")
    baseline = get_json(client, "/api/v1/cities/testgrad/network", round=known.round.id)
    assert current["round"]["name"] == "Follow-up" and current["summary"]["ties"] == 5
    assert baseline["round"]["name"] == "Baseline" and baseline["summary"]["ties"] == 4


def test_gaps_returns_gaps_named_stakeholders_and_summary_essentials(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/gaps")
    full = get_json(client, "/api/v1/cities/testgrad/network")
    assert data["gaps"] == full["gaps"]
    assert data["summary"] == {
        "size": 6, "ties": 4, "density": full["summary"]["density"],
        "centralisation": full["summary"]["centralisation"],
        "national_path": full["summary"]["national_path"], "components": 2,
    }
    assert "nodes" not in data and "suggestions" not in data
    named = {s["name"] for s in data["stakeholders"]}
    assert "Health centre" in named and "Youth centre" in named
    assert set(data["stakeholders"][0]) == {"id", "name", "sector"}


@pytest.mark.parametrize("role", ["member", "coordinator", "regional", "admin"])
@pytest.mark.parametrize("endpoint", ["network", "gaps"])
def test_team_regional_and_admin_read_the_api(client, build_map, make_user, login, role,
                                              endpoint):
    known = build_map(slug="testgrad")
    login(make_user(role, city=known.city, region=known.city.region))
    get_json(client, f"/api/v1/cities/testgrad/{endpoint}")


@pytest.mark.parametrize("endpoint", ["network", "gaps"])
def test_member_of_other_city_gets_404_json(client, build_map, make_city, make_user, login,
                                            endpoint):
    build_map(slug="testgrad")
    login(make_user("member", city=make_city()))
    data = get_json(client, f"/api/v1/cities/testgrad/{endpoint}", status=404)
    assert data["error"] == "not_found"


def test_regional_of_other_region_gets_404_json(client, build_map, make_region, make_user,
                                                login):
    build_map(slug="testgrad")
    login(make_user("regional", region=make_region()))
    get_json(client, "/api/v1/cities/testgrad/network", status=404)


def test_unknown_city_gets_404_json(client, known):
    assert get_json(client, "/api/v1/cities/nowhere/gaps", status=404)["error"] == "not_found"


@pytest.mark.parametrize("endpoint", ["network", "gaps"])
def test_anonymous_gets_401_json_not_a_redirect(client, build_map, endpoint):
    build_map(slug="testgrad")
    data = get_json(client, f"/api/v1/cities/testgrad/{endpoint}", status=401)
    assert data["error"] == "login_required" and data["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"round": "abc"}, "round"),
        ({"round": "-1"}, "round"),
        ({"round": "999999"}, "round"),
        ({"kind": "friendship"}, "kind"),
        ({"kind": "Referral"}, "kind"),
        ({"sector": "religion"}, "sector"),
        ({"min_frequency": "daily"}, "min_frequency"),
        ({"sector": "education", "min_frequency": "hourly"}, "min_frequency"),
    ],
)
@pytest.mark.parametrize("endpoint", ["network", "gaps"])
def test_bad_parameters_get_400_json_with_a_message(client, known, params, field, endpoint):
    data = get_json(client, f"/api/v1/cities/testgrad/{endpoint}", status=400, **params)
    assert data["error"] == field
    assert data["message"] and "%(" not in data["message"]


def test_round_of_another_city_is_a_bad_parameter(client, known, build_map):
    other = build_map(slug="othergrad")
    data = get_json(client, "/api/v1/cities/testgrad/network", status=400, round=other.round.id)
    assert data["error"] == "round"


def test_bad_kind_message_lists_the_kinds(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network", status=400, kind="x")
    assert "referral" in data["message"] and "joint_activity" in data["message"]


@pytest.mark.parametrize("lang", ["mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom"])
def test_error_messages_are_translated(client, known, lang):
    # One request per test: the test app context keeps the first request's locale.
    message = get_json(client, "/api/v1/cities/testgrad/network", status=400, lang=lang,
                       sector="x")["message"]
    assert not message.startswith("Unknown sector") and "community_leader" in message


def test_empty_filter_values_mean_no_filter(client, known):
    data = get_json(client, "/api/v1/cities/testgrad/network", kind="", sector="", round="")
    assert data["filters"] == {} and len(data["nodes"]) == 6


def test_city_without_rounds_returns_its_stakeholders_without_ties(client, make_city, make_user,
                                                                   login):
    city = make_city(slug="newgrad")
    stakeholder_services.create_stakeholder(city, {"name": "Library", "sector": "education"},
                                            actor=None)
    db.session.commit()
    login(make_user("member", city=city))
    data = get_json(client, "/api/v1/cities/newgrad/network")
    assert data["round"] is None and len(data["nodes"]) == 1 and data["edges"] == []
    assert json.dumps(data)  # plain JSON all through
