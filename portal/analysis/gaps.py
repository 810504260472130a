"""Coordination gaps: what the network lacks, derived from metrics and summary only."""

from __future__ import annotations

from typing import Any

GAP_TYPES: tuple[str, ...] = (
    "not_connected",
    "connected_once",
    "within_sector_only",
    "single_point_of_failure_actor",
    "single_point_of_failure_tie",
    "fragmented",
    "sector_pair_never_meets",
    "no_national_path",
)

# The fields that say *which* gap it is; the others (counts, expectations) only measure it.
_IDENTITY: tuple[str, ...] = ("type", "stakeholder", "source", "target", "sectors")


def gap_key(gap: dict[str, Any]) -> str:
    """Return a stable identity for a gap, so two mapping rounds can be compared."""
    return "|".join(f"{k}={gap[k]}" for k in _IDENTITY if k in gap)


def stakeholder_gaps(node: dict[str, Any], cut_off: int | None, partner: int | None) -> list[dict]:
    """Return the gaps of one stakeholder from its flags."""
    flags, sid = node["flags"], node["id"]
    gaps: list[dict[str, Any]] = []
    if flags["not_connected"]:
        gaps.append({"type": "not_connected", "stakeholder": sid})
    if flags["connected_once"]:
        gaps.append({"type": "connected_once", "stakeholder": sid, "partner": partner})
    if flags["within_sector_only"]:
        gaps.append({"type": "within_sector_only", "stakeholder": sid, "sector": node["sector"]})
    if flags["single_point_of_failure"]:
        gaps.append(
            {"type": "single_point_of_failure_actor", "stakeholder": sid, "cut_off": cut_off}
        )
    return gaps


def network_gaps(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the network-level gaps from the summary."""
    gaps: list[dict[str, Any]] = [
        {"type": "single_point_of_failure_tie", "source": a, "target": b}
        for a, b in summary["bridges"]
    ]
    # Actors with no tie are reported one by one; fragmentation is about groups that work
    # among themselves but not with each other.
    groups = [c["size"] for c in summary["components"] if c["size"] > 1]
    if len(groups) > 1:
        gaps.append({"type": "fragmented", "components": len(groups), "sizes": groups})
    gaps.extend(
        {"type": "sector_pair_never_meets", "sectors": [p["a"], p["b"]], "expected": p["expected"]}
        for p in summary["missing_sector_pairs"]
    )
    path = summary["national_path"]
    if path["status"] != "path":
        gaps.append({"type": "no_national_path", "status": path["status"]})
    return gaps
