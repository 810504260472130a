"""Build the undirected analysis graph from plain stakeholder and tie records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any, TypeVar

import networkx as nx

# The one place that turns a tie's frequency into an edge weight.
FREQUENCY_WEIGHT: dict[str, int] = {"weekly": 4, "monthly": 3, "quarterly": 2, "yearly": 1}

Record = Mapping[str, Any]
RecordT = TypeVar("RecordT", bound=Record)  # the filters return the records they are given


def build_graph(stakeholders: Iterable[Record], ties: Iterable[Record]) -> nx.Graph:
    """Return the simple undirected graph: one edge per pair, weight summed over its ties."""
    G = nx.Graph()
    people = sorted(((int(s["id"]), s) for s in stakeholders), key=itemgetter(0))
    G.add_nodes_from((sid, {"name": s.get("name", ""), "sector": s.get("sector"),
                            "level": s.get("level") or "local"}) for sid, s in people)
    known = G._node  # id -> attributes: a plain dict, faster to test than the graph itself
    weight_of = FREQUENCY_WEIGHT.get
    weights: dict[tuple[int, int], int] = {}
    kinds: dict[tuple[int, int], set[str]] = {}
    for t in ties:
        a, b = int(t["source"]), int(t["target"])
        if a == b or a not in known or b not in known:
            continue  # self-ties and ties to unknown stakeholders carry no coordination
        key = (a, b) if a < b else (b, a)
        # A tie without a known frequency counts as the rarest, yearly.
        weights[key] = weights.get(key, 0) + weight_of(t.get("frequency") or "", 1)
        found = kinds.get(key)
        if found is None:
            found = kinds[key] = set()
        kind = t.get("kind")
        if kind:
            found.add(kind)
    # The edges go straight into the adjacency, in the order add_edges_from would insert
    # them (pairs sorted, one shared attribute dict per pair): the same graph in a third of
    # the time. The graph is new, so no cached view of it needs clearing.
    adj = G._adj
    for key in sorted(weights):
        a, b = key
        data = {"weight": weights[key], "kinds": sorted(kinds[key])}
        adj[a][b] = data
        adj[b][a] = data
    return G


def filter_ties(
    ties: Iterable[RecordT], kind: str | None = None, min_frequency: str | None = None
) -> list[RecordT]:
    """Keep the ties of one kind and at least a given frequency (weekly > monthly > ...)."""
    floor = FREQUENCY_WEIGHT[min_frequency] if min_frequency is not None else 0
    return [
        t
        for t in ties
        if (kind is None or t.get("kind") == kind)
        and FREQUENCY_WEIGHT.get(t.get("frequency") or "", 1) >= floor
    ]


def filter_sector(
    stakeholders: Iterable[RecordT], ties: Iterable[RecordT], sector: str
) -> tuple[list[RecordT], list[RecordT]]:
    """Keep a sector's stakeholders, every tie touching them, and the partners those ties reach.

    Ties between two partners outside the sector are dropped, so the view shows how the
    sector is connected to the rest without the rest's internal ties.
    """
    people = list(stakeholders)
    in_sector = {int(s["id"]) for s in people if s.get("sector") == sector}
    kept_ties = [
        t for t in ties if int(t["source"]) in in_sector or int(t["target"]) in in_sector
    ]
    touched = in_sector | {int(t["source"]) for t in kept_ties} | {
        int(t["target"]) for t in kept_ties
    }
    return [s for s in people if int(s["id"]) in touched], kept_ties


def to_records(
    G: nx.Graph, sector: str | None = "other", kind: str = "information",
    frequency: str = "monthly",
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn any NetworkX graph into stakeholder and tie records (ids 1..n in sorted-name order).

    Node attributes sector and level are kept when present; handy in notebooks and tests.
    """
    order = sorted(G.nodes, key=str)
    ids = {v: i + 1 for i, v in enumerate(order)}
    stakeholders = [
        {"id": ids[v], "name": str(v), "sector": G.nodes[v].get("sector", sector),
         "level": G.nodes[v].get("level", "local")}
        for v in order
    ]
    ties = [
        {"source": ids[u], "target": ids[v], "kind": kind, "frequency": frequency,
         "reporter": None}
        for u, v in G.edges()
        if u != v
    ]
    return stakeholders, ties
