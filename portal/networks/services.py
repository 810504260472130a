"""Coordination-gap analysis of a city's map, computed once per network revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.analysis import compare, graph
from portal.analysis.network import analyse
from portal.models import FREQUENCIES, SECTORS, TIE_KINDS, City, MappingRound
from portal.networks import cache
from portal.stakeholders.graphdata import current_round, network_data
from portal.stakeholders.rounds import MapError, requested_round, round_by_id

MAX_SUGGESTIONS = 5
SEED = 42
# The query parameters a network request may carry, and the values each accepts.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "kind": TIE_KINDS, "sector": SECTORS, "min_frequency": FREQUENCIES,
}


class AnalysisRequestError(ValueError):
    """A filter value the city does not have; `field` names it (round, kind, sector...)."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"unknown {field}: {value!r}")
        self.field, self.value = field, value


@dataclass(frozen=True)
class Analysis:
    """One analysis and what it was computed from."""

    payload: dict[str, Any]
    round: MappingRound | None
    filters: dict[str, str]
    filter_key: str
    network_revision: int
    computed_at: datetime | None


def parse_filters(city: City, args: Mapping[str, str]) -> dict[str, Any]:
    """Turn request arguments into get_analysis() keywords; raise AnalysisRequestError."""
    raw_round = args.get("round")
    try:
        chosen = requested_round(city, raw_round)
    except MapError as exc:
        raise AnalysisRequestError("round", raw_round) from exc
    found: dict[str, Any] = {"round_id": chosen.id if chosen is not None else None}
    for name, allowed in VOCABULARY.items():
        value = (args.get(name) or "").strip() or None
        if value is not None and value not in allowed:
            raise AnalysisRequestError(name, value)
        found[name] = value
    return found


def _resolve_round(city: City, round_id: int | None) -> MappingRound | None:
    if round_id is None:
        return current_round(city)
    chosen = round_by_id(city, round_id)
    if chosen is None:
        raise AnalysisRequestError("round", round_id)
    return chosen


def compute(city: City, round_: MappingRound | None, filters: Mapping[str, str]) -> dict:
    """Run the analysis on the city's map (one round, filtered) without the cache."""
    stakeholders, ties = network_data(city, round_)
    if filters.get("kind") or filters.get("min_frequency"):
        ties = graph.filter_ties(ties, filters.get("kind"), filters.get("min_frequency"))
    if filters.get("sector"):
        stakeholders, ties = graph.filter_sector(stakeholders, ties, filters["sector"])
    return analyse(stakeholders, ties, sector_order=SECTORS, max_suggestions=MAX_SUGGESTIONS,
                   seed=SEED)


def analysis_for(
    city: City, *, round_id: int | None = None, kind: str | None = None,
    sector: str | None = None, min_frequency: str | None = None,
) -> Analysis:
    """Return the cached analysis for the city's current network revision, computing it once."""
    filters = {"kind": kind, "sector": sector, "min_frequency": min_frequency}
    for name, value in filters.items():
        if value is not None and value not in VOCABULARY[name]:
            raise AnalysisRequestError(name, value)
    chosen = _resolve_round(city, round_id)
    revision = city.network_revision or 0
    key = cache.filter_key(**filters)
    chosen_id = chosen.id if chosen is not None else None
    row = cache.lookup(city.id, chosen_id, key, revision)
    if row is None:
        set_filters = {k: v for k, v in filters.items() if v}
        row = cache.store(city.id, chosen_id, key, revision, compute(city, chosen, set_filters))
    return Analysis(row.payload, chosen, {k: v for k, v in filters.items() if v}, key,
                    revision, row.computed_at)


def get_analysis(
    city: City, *, round_id: int | None = None, kind: str | None = None,
    sector: str | None = None, min_frequency: str | None = None,
) -> dict[str, Any]:
    """Return the analyse() output for a city's round and filter (cached per revision)."""
    return analysis_for(city, round_id=round_id, kind=kind, sector=sector,
                        min_frequency=min_frequency).payload


def _round_id(round_: MappingRound | int) -> int:
    return round_ if isinstance(round_, int) else round_.id


def compare_rounds(
    city: City, round_a: MappingRound | int, round_b: MappingRound | int, **filters: str | None
) -> dict[str, Any]:
    """Return what changed from round_a to round_b (both analyses come from the cache)."""
    before = get_analysis(city, round_id=_round_id(round_a), **filters)
    after = get_analysis(city, round_id=_round_id(round_b), **filters)
    return compare.compare(before, after)
