"""Graph building and filtering for the coordination-gap analysis."""

from __future__ import annotations

import networkx as nx

from portal.analysis.graph import (
    FREQUENCY_WEIGHT,
    build_graph,
    filter_sector,
    filter_ties,
    to_records,
)

PEOPLE = [
    {"id": 3, "name": "Youth centre", "sector": "youth", "level": "local"},
    {"id": 1, "name": "School no. 3", "sector": "education", "level": "local"},
    {"id": 2, "name": "Ministry", "sector": "national_government", "level": "national"},
    {"id": 4, "name": "Imam", "sector": "religious", "level": "local"},
]


def tie(a: int, b: int, kind: str = "information", frequency: str = "monthly") -> dict:
    """Return one tie record."""
    return {"source": a, "target": b, "kind": kind, "frequency": frequency, "reporter": a}


def test_ties_of_one_pair_merge_into_one_weighted_edge() -> None:
    G = build_graph(PEOPLE, [tie(1, 3, "information", "weekly"), tie(3, 1, "referral", "yearly")])
    assert G.number_of_edges() == 1
    assert G[1][3]["weight"] == FREQUENCY_WEIGHT["weekly"] + FREQUENCY_WEIGHT["yearly"] == 5
    assert G[1][3]["kinds"] == ["information", "referral"]


def test_unknown_ids_and_self_ties_are_ignored() -> None:
    G = build_graph(PEOPLE, [tie(1, 99), tie(2, 2), tie(1, 2)])
    assert sorted(G.edges()) == [(1, 2)]
    assert 99 not in G


def test_nodes_keep_attributes_in_id_order() -> None:
    G = build_graph(PEOPLE, [])
    assert list(G.nodes) == [1, 2, 3, 4]
    assert G.nodes[2] == {"name": "Ministry", "sector": "national_government", "level": "national"}


def test_filter_ties_by_kind_and_minimum_frequency() -> None:
    ties = [tie(1, 2, "referral", "weekly"), tie(1, 3, "referral", "yearly"), tie(2, 3)]
    assert filter_ties(ties, kind="referral") == ties[:2]
    assert filter_ties(ties, min_frequency="monthly") == [ties[0], ties[2]]
    assert filter_ties(ties, kind="referral", min_frequency="quarterly") == [ties[0]]


def test_filter_sector_keeps_sector_its_ties_and_their_partners() -> None:
    ties = [tie(1, 3), tie(3, 2), tie(2, 4)]
    people, kept = filter_sector(PEOPLE, ties, "youth")
    assert sorted(p["id"] for p in people) == [1, 2, 3]
    assert kept == ties[:2]


def test_filter_sector_keeps_members_without_ties() -> None:
    people, kept = filter_sector(PEOPLE, [tie(1, 2)], "religious")
    assert [p["id"] for p in people] == [4]
    assert kept == []


def test_to_records_round_trips_through_build_graph() -> None:
    stakeholders, ties = to_records(nx.florentine_families_graph())
    G = build_graph(stakeholders, ties)
    assert G.number_of_nodes() == 15
    assert G.number_of_edges() == 20


def test_build_graph_equals_networkx_own_construction_in_order() -> None:
    """The adjacency is filled directly; it must be the graph add_edges_from builds, down to
    the order of neighbours (the igraph mirror, the layout and Louvain follow that order)."""
    ties = [tie(4, 1, "resources", "weekly"), tie(1, 2), tie(2, 1, "joint_activity", None),
            tie(3, 4, "", "yearly"), tie(9, 1), tie(2, 2), tie(1, 3, "information", "weekly")]
    people = [*PEOPLE, {"id": 1, "name": "School, renamed", "sector": "education"}]
    built = build_graph(people, ties)
    expected = nx.Graph()
    for s in sorted(people, key=lambda s: s["id"]):
        expected.add_node(s["id"], name=s["name"], sector=s["sector"],
                          level=s.get("level") or "local")
    expected.add_edges_from([
        (1, 2, {"weight": 3 + 1, "kinds": ["information", "joint_activity"]}),
        (1, 3, {"weight": 4, "kinds": ["information"]}),
        (1, 4, {"weight": 4, "kinds": ["resources"]}),
        (3, 4, {"weight": 1, "kinds": []}),
    ])
    assert list(built.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(built.edges(data=True)) == list(expected.edges(data=True))
    assert {v: list(built.adj[v]) for v in built} == {v: list(expected.adj[v]) for v in expected}
    assert built.edges[1, 2] is built.edges[2, 1]  # one attribute dict per pair, as networkx
