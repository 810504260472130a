"""Per-stakeholder metrics and flags, and the network summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from portal.analysis import fast
from portal.analysis.fast import Net
from portal.analysis.sampling import Estimate
from portal.analysis.sectors import missing_sector_pairs, sector_matrix
from portal.analysis.structure import CutStructure, national_path


def sector_neighbours(adj: list[list[int]], sectors: list[str | None]) -> list[tuple[int, bool]]:
    """Return per vertex (neighbours in another known sector, all neighbours in its own)."""
    out = []
    for v, nbrs in enumerate(adj):
        own = sectors[v]
        if not own:
            out.append((0, False))  # an actor without a sector cannot be judged either way
            continue
        around = [sectors[w] for w in nbrs]
        same = around.count(own)
        unknown = around.count(None) + around.count("")  # sectors are names or nothing
        out.append((len(around) - same - unknown, bool(nbrs) and same == len(nbrs)))
    return out


def node_metrics(
    net: Net, mix: list[tuple[int, bool]], cuts: CutStructure, seed: int,
    sampled: Estimate | None = None,
) -> list[dict[str, Any]]:
    """Return the metrics dict of every vertex, in vertex order.

    With `sampled`, betweenness and closeness are its estimates instead of exact values.
    """
    g = net.g
    columns = zip(
        g.degree(),
        g.strength(weights="weight") if g.ecount() else [0] * g.vcount(),
        sampled.betweenness if sampled else fast.betweenness(g),
        sampled.closeness if sampled else fast.closeness(g),
        g.coreness(),
        fast.communities(g, net.ids, seed),
        fast.constraint(g),
        fast.effective_size(g),
        (cross for cross, _ in mix),
        strict=True,
    )
    return [
        {
            "degree": d,
            "weighted_degree": int(round(wd)),
            "betweenness": b,
            "closeness": c,
            "core_number": k,
            "community": comm,
            "constraint": con,
            "effective_size": es,
            "articulation_point": v in cuts.cut_off,
            "cross_sector_ties": cross,
        }
        for v, (d, wd, b, c, k, comm, con, es, cross) in enumerate(columns)
    ]


def node_flags(metrics: dict[str, Any], within_sector_only: bool) -> dict[str, bool]:
    """Return the gap flags of one stakeholder from its metrics."""
    return {
        "not_connected": metrics["degree"] == 0,
        "connected_once": metrics["degree"] == 1,
        "within_sector_only": within_sector_only,
        "single_point_of_failure": metrics["articulation_point"],
    }


def centralisation(degrees: list[int]) -> float:
    """Return Freeman's degree centralisation (0 for fewer than three actors)."""
    n = len(degrees)
    if n < 3:
        return 0.0
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def components(net: Net) -> list[dict[str, Any]]:
    """Return the connected components as {size, members}, largest first."""
    groups = [sorted(net.ids[v] for v in c) for c in net.g.connected_components()]
    groups.sort(key=lambda m: (-len(m), m[0]))
    return [{"size": len(m), "members": m} for m in groups]


def summarise(G: nx.Graph, net: Net, adj: list[list[int]], cuts: CutStructure,
              sector_order: Sequence[str] = ()) -> dict:
    """Return the network-level summary; the sector matrix lists sectors in `sector_order`."""
    matrix = sector_matrix(net.g.get_edgelist(), net.sectors, sector_order)
    status, path = national_path(adj, net.sectors, net.levels)
    n, m = net.g.vcount(), net.g.ecount()  # G's counts (its mirror), without walking G
    return {
        "size": n,
        "ties": m,
        "density": (m / (n * (n - 1)) * 2 if m else 0) if n > 1 else 0.0,  # nx.density
        "components": components(net),
        "centralisation": centralisation(net.g.degree()),
        "bridges": sorted(sorted((net.ids[u], net.ids[v])) for u, v in cuts.bridges),
        "sector_matrix": matrix,
        "missing_sector_pairs": missing_sector_pairs(matrix),
        "national_path": {
            "status": status,
            "path": [net.ids[v] for v in path],
            "length": len(path) - 1 if path else None,
        },
    }
