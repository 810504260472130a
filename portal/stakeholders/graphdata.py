"""Plain data for the analysis engine: a city's stakeholders and the ties of one round."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder, Tie
from portal.stakeholders.rounds import current_round

__all__ = ["current_round", "network_data", "tie_direction"]


def tie_direction(source_id: int, target_id: int, reporter_id: int | None) -> tuple[int, int]:
    """Return (source, target) with the reporter first when it is one of the two ends."""
    if reporter_id == target_id:
        return target_id, source_id
    return source_id, target_id


def network_data(
    city: City, round: MappingRound | None = None, include_archived: bool = False  # noqa: A002
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (stakeholders, ties) of a round (default: the current one) as plain dicts.

    Stakeholders: {"id", "name", "sector", "level"}; ties: {"source", "target", "kind",
    "frequency", "reporter"}, only between the stakeholders returned. No contact fields.
    """
    query = select(Stakeholder.id, Stakeholder.name, Stakeholder.sector, Stakeholder.level).where(
        Stakeholder.city_id == city.id
    )
    if not include_archived:
        query = query.where(Stakeholder.archived_at.is_(None))
    people = [
        {"id": i, "name": name, "sector": sector, "level": level or "local"}
        for i, name, sector, level in db.session.execute(query.order_by(Stakeholder.id))
    ]
    chosen = round if round is not None else current_round(city)
    if chosen is None:
        return people, []
    known = {p["id"] for p in people}
    rows = db.session.execute(
        select(Tie.source_id, Tie.target_id, Tie.kind, Tie.frequency, Tie.reporter_id)
        .where(Tie.round_id == chosen.id, Tie.city_id == city.id).order_by(Tie.id)
    )
    ties = []
    for a, b, kind, frequency, reporter in rows:
        if a in known and b in known:
            source, target = tie_direction(a, b, reporter)
            ties.append({"source": source, "target": target, "kind": kind,
                         "frequency": frequency, "reporter": reporter})
    return people, ties
