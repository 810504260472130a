"""Coordination-gap analysis of a city's map, computed once per network revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from portal.analysis import compare, graph
from portal.analysis.network import analyse
from portal.models import FREQUENCIES, SECTORS, TIE_KINDS, City, MappingRound
from portal.networks import cache, pending
from portal.networks.filters import Filters
from portal.stakeholders.graphdata import current_round, network_data
from portal.stakeholders.rounds import (
    MapError,
    previous_round,
    requested_round,
    round_by_id,
)

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
    """One analysis, what it was computed from, and the key that names it."""

    payload: dict[str, Any]
    round: MappingRound | None
    filters: dict[str, str]
    filter_key: str
    network_revision: int
    computed_at: datetime | None
    key: tuple[int, int | None, str, int]


def _checked(name: str, value: str | None) -> str | None:
    if value is not None and value not in VOCABULARY[name]:
        raise AnalysisRequestError(name, value)
    return value


def filters_for(
    city: City, *, round_id: int | None = None, kind: str | None = None,
    sector: str | None = None, min_frequency: str | None = None,
) -> Filters:
    """Return checked filters, the round resolved (None: current); raise AnalysisRequestError."""
    if round_id is None:
        chosen = current_round(city)
    elif (chosen := round_by_id(city, round_id)) is None:
        raise AnalysisRequestError("round", round_id)
    return Filters(chosen, _checked("kind", kind), _checked("sector", sector),
                   _checked("min_frequency", min_frequency))


def parse_filters(city: City, args: Mapping[str, str]) -> Filters:
    """Turn request arguments into filters, the round resolved; raise AnalysisRequestError."""
    raw_round = args.get("round")
    try:
        chosen = requested_round(city, raw_round) or current_round(city)
    except MapError as exc:
        raise AnalysisRequestError("round", raw_round) from exc
    values = {name: _checked(name, (args.get(name) or "").strip() or None)
              for name in VOCABULARY}
    return Filters(chosen, **values)


def analysis_key(city: City, filters: Filters) -> tuple[int, int | None, str, int]:
    """Return the key of the cached analysis these filters name, without loading it.

    The cache keeps one result per network revision, which every change to the map bumps,
    so views derived from one analysis may be memoised under this key.
    """
    return (city.id, filters.round_id, cache.filter_key(**filters.chosen),
            city.network_revision or 0)


def _previous_layout(city: City, round_: MappingRound | None, filters: Mapping[str, str]
                     ) -> tuple[dict[int, tuple[float, float]] | None, set[int]]:
    """Return id → (x, y) of the previous round's map (same filters, from the cache) and the
    ids that were not yet connected in it."""
    before = previous_round(city, round_)
    if before is None:
        return None, set()
    payload = analysis_for(city, Filters(before, **filters)).payload
    return ({n["id"]: (n["x"], n["y"]) for n in payload["nodes"]},
            {n["id"] for n in payload["nodes"] if n["flags"]["not_connected"]})


def compute(city: City, round_: MappingRound | None, filters: Mapping[str, str]) -> dict:
    """Run the analysis on the city's map (one round, filtered) without the cache.

    The layout starts from the previous round's (computed, and cached, first if need be), so
    an actor stays where it was from one round to the next.
    """
    stakeholders, ties = network_data(city, round_)
    if filters.get("kind") or filters.get("min_frequency"):
        ties = graph.filter_ties(ties, filters.get("kind"), filters.get("min_frequency"))
    if filters.get("sector"):
        stakeholders, ties = graph.filter_sector(stakeholders, ties, filters["sector"])
    positions, unconnected = _previous_layout(city, round_, filters)
    config = current_app.config
    return analyse(stakeholders, ties, sector_order=SECTORS, max_suggestions=MAX_SUGGESTIONS,
                   seed=SEED, previous_positions=positions, unconnected_before=unconnected,
                   exact_up_to=config["ANALYSIS_EXACT_UP_TO"], pivots=config["ANALYSIS_PIVOTS"])


def analysis_for(city: City, filters: Filters) -> Analysis:
    """Return the cached analysis for the city's current network revision, computing it once.

    Above ANALYSIS_INLINE_UP_TO actors it is computed by a job, never in a request: raise
    `pending.AnalysisPending` (answered by `pending.answer`) until the job has stored it.
    """
    key = analysis_key(city, filters)
    _city_id, round_id, filter_key, revision = key
    row = cache.lookup(city.id, round_id, filter_key, revision)
    if row is None:
        if not pending.inline_allowed(city):  # a large map: a job computes it (pending.py)
            raise pending.AnalysisPending(city, pending.start(city, filters, key),
                                          pending.last_computed(city, round_id, filter_key))
        payload = compute(city, filters.round, filters.chosen)
        row = cache.store(city.id, round_id, filter_key, revision, payload)
    return Analysis(row.payload, filters.round, filters.chosen, filter_key, revision,
                    row.computed_at, key)


def get_analysis(
    city: City, *, round_id: int | None = None, kind: str | None = None,
    sector: str | None = None, min_frequency: str | None = None,
) -> dict[str, Any]:
    """Return the analyse() output for a city's round and filter (cached per revision)."""
    return analysis_for(city, filters_for(city, round_id=round_id, kind=kind, sector=sector,
                                          min_frequency=min_frequency)).payload


def _round_id(round_: MappingRound | int) -> int:
    return round_ if isinstance(round_, int) else round_.id


def comparison(
    city: City, round_a: MappingRound | int, round_b: MappingRound | int, **filters: str | None
) -> dict[str, Any]:
    """Return both analyses (from the cache) and what changed from round_a to round_b."""
    before = get_analysis(city, round_id=_round_id(round_a), **filters)
    after = get_analysis(city, round_id=_round_id(round_b), **filters)
    return {"before": before, "after": after, "change": compare.compare(before, after)}


def compare_rounds(
    city: City, round_a: MappingRound | int, round_b: MappingRound | int, **filters: str | None
) -> dict[str, Any]:
    """Return what changed from round_a to round_b (both analyses come from the cache)."""
    return comparison(city, round_a, round_b, **filters)["change"]
