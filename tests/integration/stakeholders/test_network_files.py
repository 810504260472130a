"""Network files as other tools read them: NetworkX (GraphML, GEXF) and igraph (GraphML).

Undirected ties must come back undirected with the portal's degrees; the graph must say its
city, round and round date; a round mixing reported and unreported ties must still load.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own export in a test
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest

from portal.extensions import db
from portal.models import City, MappingRound
from portal.stakeholders import demo, rounds, services, ties
from portal.stakeholders.graphdata import network_data

GEXF_NS = {"g": "http://www.gexf.net/1.2draft"}


def _download(client: Any, city: City, what: str, round_: MappingRound) -> bytes:
    response = client.get(f"/c/{city.slug}/stakeholders/export/{what}?round={round_.id}")
    assert response.status_code == 200
    return response.get_data()


def _portal_degrees(city: City, round_: MappingRound) -> dict[str, int]:
    """Return each stakeholder's number of ties in the round, by name (zeros included)."""
    people, links = network_data(city, round_)
    names = {p["id"]: p["name"] for p in people}
    counts = Counter({name: 0 for name in names.values()})
    for tie in links:
        counts[names[tie["source"]]] += 1
        counts[names[tie["target"]]] += 1
    return dict(counts)


def _nx_degrees(G: nx.MultiGraph) -> dict[str, int]:
    return {attrs["name"]: G.degree(node) for node, attrs in G.nodes(data=True)}


def _igraph_read(data: bytes, tmp_path: Path) -> igraph.Graph:
    path = tmp_path / "network.graphml"
    path.write_bytes(data)
    return igraph.Graph.Read_GraphML(str(path))


@pytest.fixture
def demo_city(make_city: Callable[..., City], make_user: Callable[..., Any],
              login: Callable[..., Any]) -> tuple[City, Any]:
    """A demo city (every tie unreported, so undirected) and a logged-in member."""
    city = make_city(name="Zelenovo demo")
    demo.seed_city(city)
    db.session.commit()
    client = login(make_user("member", city=city))
    return city, client


def test_demo_graphml_is_undirected_for_networkx_and_igraph(demo_city: Any,
                                                            tmp_path: Path) -> None:
    city, client = demo_city
    round_ = rounds.current_round(city)
    assert round_ is not None
    data = _download(client, city, "network.graphml", round_)
    expected = _portal_degrees(city, round_)
    assert sum(expected.values()) > 0

    G = nx.read_graphml(io.BytesIO(data), node_type=int, force_multigraph=True)
    assert not G.is_directed()
    assert _nx_degrees(G) == expected
    assert G.graph["city"] == city.name and G.graph["city_slug"] == city.slug
    assert G.graph["round"] == round_.name
    assert G.graph["round_date"] == round_.held_on.isoformat()
    assert G.graph["ties_direction"] == "undirected"

    g = _igraph_read(data, tmp_path)
    assert not g.is_directed()
    assert dict(zip(g.vs["name"], g.degree(), strict=True)) == expected
    assert g["city"] == city.name and g["round"] == round_.name
    assert g["round_date"] == round_.held_on.isoformat()
    # No tied actor looks unreached: every actor with a tie has an edge ending at it.
    assert all(d > 0 for name, d in zip(g.vs["name"], g.degree(), strict=True)
               if expected[name] > 0)


def test_demo_gexf_is_undirected_and_names_city_and_round(demo_city: Any) -> None:
    city, client = demo_city
    round_ = rounds.current_round(city)
    assert round_ is not None
    data = _download(client, city, "network.gexf", round_)
    G = nx.read_gexf(io.BytesIO(data), node_type=int)
    assert not G.is_directed()
    assert _nx_degrees(G) == _portal_degrees(city, round_)
    assert city.name in G.graph["name"] and round_.name in G.graph["name"]
    assert round_.held_on.isoformat() in G.graph["name"]

    root = ET.fromstring(data)  # noqa: S314 - our own export
    graph = root.find("g:graph", GEXF_NS)
    assert graph is not None and graph.get("defaultedgetype") == "undirected"
    assert {e.get("type") for e in root.iter("{http://www.gexf.net/1.2draft}edge")} <= {
        None, "undirected"}
    keywords = root.findtext("g:meta/g:keywords", namespaces=GEXF_NS) or ""
    assert city.slug in keywords and round_.held_on.isoformat() in keywords
    description = root.findtext("g:meta/g:description", namespaces=GEXF_NS) or ""
    assert city.name in description and round_.name in description


@pytest.fixture
def reported_city(make_city: Callable[..., City], make_user: Callable[..., Any],
                  login: Callable[..., Any]) -> tuple[City, Any, MappingRound, MappingRound]:
    """A city with a mixed round (one reported tie, two not) and a fully reported round."""
    city = make_city(name="Reportville")
    mixed = rounds.create_round(city, "Mixed", date(2025, 3, 1), actor=None)
    people = {n: services.create_stakeholder(city, {"name": n, "sector": s}, actor=None)
              for n, s in (("School", "education"), ("Police", "police"),
                           ("Youth club", "youth"), ("Clinic", "health"))}
    ties.add_ties(city, people["School"], mixed,
                  [ties.TieEntry(people["Police"].id, "referral", "weekly")], reported=True,
                  actor=None)
    ties.add_ties(city, people["Police"], mixed,
                  [ties.TieEntry(people["Youth club"].id, "information", "monthly"),
                   ties.TieEntry(people["Clinic"].id, "information", "yearly")], actor=None)
    reported = rounds.create_round(city, "Survey", date(2025, 6, 1), actor=None)
    for a, b in (("Clinic", "School"), ("Youth club", "School")):
        ties.add_ties(city, people[a], reported,
                      [ties.TieEntry(people[b].id, "joint_activity", "monthly")], reported=True,
                      actor=None)
    db.session.commit()
    return city, login(make_user("member", city=city)), mixed, reported


def test_mixed_round_loads_in_networkx_and_igraph_with_directions_kept(
    reported_city: Any, tmp_path: Path
) -> None:
    city, client, mixed, _reported = reported_city
    expected = _portal_degrees(city, mixed)
    data = _download(client, city, "network.graphml", mixed)

    G = nx.read_graphml(io.BytesIO(data), node_type=int, force_multigraph=True)
    assert not G.is_directed() and G.graph["ties_direction"] == "mixed"
    assert _nx_degrees(G) == expected
    marked = {(a["reporter"], a["directed"]) for _u, _v, a in G.edges(data=True)}
    assert marked == {("School", True), ("", False)}

    g = _igraph_read(data, tmp_path)
    assert not g.is_directed()
    assert dict(zip(g.vs["name"], g.degree(), strict=True)) == expected
    assert sorted(g.es["directed"]) == [False, False, True]

    gexf = nx.read_gexf(io.BytesIO(_download(client, city, "network.gexf", mixed)),
                        node_type=int)
    assert not gexf.is_directed() and _nx_degrees(gexf) == expected


def test_fully_reported_round_is_directed_from_the_reporter(reported_city: Any,
                                                            tmp_path: Path) -> None:
    city, client, _mixed, reported = reported_city
    data = _download(client, city, "network.graphml", reported)
    G = nx.read_graphml(io.BytesIO(data), node_type=int, force_multigraph=True)
    assert G.is_directed() and G.graph["ties_direction"] == "directed"
    names = nx.get_node_attributes(G, "name")
    assert sorted((names[u], names[v]) for u, v in G.edges()) == [
        ("Clinic", "School"), ("Youth club", "School")]
    assert _nx_degrees(G) == _portal_degrees(city, reported)

    g = _igraph_read(data, tmp_path)
    assert g.is_directed()
    assert dict(zip(g.vs["name"], g.indegree(), strict=True))["School"] == 2

    gexf = nx.read_gexf(io.BytesIO(_download(client, city, "network.gexf", reported)),
                        node_type=int)
    assert gexf.is_directed() and gexf.in_degree(next(
        n for n, a in gexf.nodes(data=True) if a["name"] == "School")) == 2


def test_ties_table_carries_the_round_date(reported_city: Any) -> None:
    city, client, mixed, reported = reported_city
    text = client.get(f"/c/{city.slug}/stakeholders/export/ties.csv").get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:7] == ["from", "to", "kind", "frequency", "reporter", "round",
                                       "round_date"]
    dates = {(line.split(",")[5], line.split(",")[6]) for line in lines[1:]}
    assert dates == {("Mixed", "2025-03-01"), ("Survey", "2025-06-01")}
