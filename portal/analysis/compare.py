"""Change between two mapping rounds, from two analyse() results."""

from __future__ import annotations

from typing import Any

from portal.analysis.gaps import gap_key

_MEASURES: tuple[str, ...] = ("size", "ties", "density", "centralisation")


def _delta(before: float, after: float) -> dict[str, float]:
    """Return before, after and the change."""
    return {"before": before, "after": after, "change": after - before}


def _pairs(result: dict[str, Any]) -> set[tuple[int, int]]:
    """Return the tied pairs of one result."""
    return {(e["source"], e["target"]) for e in result["edges"]}


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return what changed between two analyse() results (e.g. baseline and follow-up)."""
    ids_before = {n["id"] for n in before["nodes"]}
    ids_after = {n["id"] for n in after["nodes"]}
    ties_before, ties_after = _pairs(before), _pairs(after)
    gaps_before = {gap_key(g): g for g in before["gaps"]}
    gaps_after = {gap_key(g): g for g in after["gaps"]}
    measures = {k: _delta(before["summary"][k], after["summary"][k]) for k in _MEASURES}
    measures["components"] = _delta(
        len(before["summary"]["components"]), len(after["summary"]["components"])
    )
    return {
        "stakeholders_added": sorted(ids_after - ids_before),
        "stakeholders_removed": sorted(ids_before - ids_after),
        "ties_added": [list(p) for p in sorted(ties_after - ties_before)],
        "ties_removed": [list(p) for p in sorted(ties_before - ties_after)],
        "metrics": measures,
        "gaps_opened": [gaps_after[k] for k in sorted(gaps_after.keys() - gaps_before.keys())],
        "gaps_closed": [gaps_before[k] for k in sorted(gaps_before.keys() - gaps_after.keys())],
    }
