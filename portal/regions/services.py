"""One row per city of a region: the map's figures, its gaps and the change since last round.

Plain data only; `regions.presenters` draws the small maps.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, Region
from portal.networks import pending, presenters, services
from portal.stakeholders import rounds

CHANGE_KEYS = ("size", "ties", "density", "components", "not_connected", "missing_pairs")


def cities_of(region: Region) -> list[City]:
    """Return the region's cities sorted by name (never by any measure)."""
    return list(db.session.scalars(
        select(City).where(City.region_id == region.id).order_by(City.name)))


def city_row(city: City) -> dict[str, Any]:
    """Return one city's figures, its change since its previous round, and its analysis;
    for a large map whose analysis a job is computing, the job instead (`pending`)."""
    current = rounds.current_round(city)
    try:
        return _analysed_row(city, current)
    except pending.AnalysisPending as waiting:
        return {"city": city, "round": current, "pending": waiting.job}


def _analysed_row(city: City, current: Any) -> dict[str, Any]:
    analysis = services.analysis_for(city, services.Filters(current)).payload
    figures = presenters.summary_figures(analysis)
    previous = rounds.previous_round(city, current)
    change = None
    if previous is not None:
        before = presenters.summary_figures(
            services.analysis_for(city, services.Filters(previous)).payload)
        change = {k: figures[k] - before[k] for k in CHANGE_KEYS}
        change["round"] = previous.name
    return {
        "city": city, "round": current, "figures": figures, "change": change,
        "analysis": analysis, "pending": None,
    }


def region_rows(region: Region) -> list[dict[str, Any]]:
    """Return a row for every city of the region, in alphabetical order."""
    return [city_row(city) for city in cities_of(region)]
