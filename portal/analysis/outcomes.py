"""The plan's network outcome indicators, read from an analyse() result of one mapping round.

Nothing is recomputed here that analyse() already reports: actors not yet connected and single
points of failure are its node flags, the sectors tied to the municipality are the
municipality's row of its sector matrix, the reach to the national level is its national path.
Only the density among team members is new: NetworkX's density of the team's subgraph.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import networkx as nx

from portal.analysis.structure import MUNICIPAL_SECTOR

MEASURES: tuple[str, ...] = ("team_density", "municipal_sectors", "not_connected",
                             "single_points", "national_reach")


def team_density(result: dict[str, Any], team: Collection[int]) -> float | None:
    """Return the density of the ties among the team's stakeholders on the map (None: < 2)."""
    members = {n["id"] for n in result["nodes"]} & set(team)
    if len(members) < 2:
        return None
    G = nx.Graph()
    G.add_nodes_from(members)
    G.add_edges_from((e["source"], e["target"]) for e in result["edges"]
                     if e["source"] in members and e["target"] in members)
    return float(nx.density(G))


def municipal_sectors(result: dict[str, Any]) -> list[str] | None:
    """Return the other sectors with at least one tie to a municipality actor, in the matrix's
    order (None: the map has no municipality actor)."""
    matrix = result["summary"]["sector_matrix"]
    names = matrix["sectors"]
    if MUNICIPAL_SECTOR not in names:
        return None
    row = matrix["observed"][names.index(MUNICIPAL_SECTOR)]
    return [s for s, count in zip(names, row, strict=True)
            if s != MUNICIPAL_SECTOR and count > 0]


def network_outcomes(result: dict[str, Any], team: Collection[int]) -> dict[str, Any]:
    """Return the outcome indicators of one round's analysis; `team` are stakeholder ids."""
    flags = [n["flags"] for n in result["nodes"]]
    path = result["summary"]["national_path"]
    sectors = municipal_sectors(result)
    return {
        "team_size": len({n["id"] for n in result["nodes"]} & set(team)),
        "team_density": team_density(result, team),
        "municipal_sectors": None if sectors is None else len(sectors),
        "municipal_sector_names": sectors or [],
        "not_connected": sum(1 for f in flags if f["not_connected"]),
        "single_points": sum(1 for f in flags if f["single_point_of_failure"]),
        "national_reach": path["status"] == "path",
        "national_status": path["status"],
        "national_steps": path["length"],
    }


def outcome_change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float | None]:
    """Return after minus before for each numeric measure (None where either is unknown)."""
    change: dict[str, float | None] = {}
    for key in MEASURES:
        a, b = before[key], after[key]
        if key == "national_reach":
            change[key] = int(b) - int(a)
        else:
            change[key] = None if a is None or b is None else b - a
    return change
