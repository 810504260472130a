"""Ties: list a stakeholder's ties, add many in one go, remove one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import FREQUENCIES, TIE_KINDS, City, MappingRound, Stakeholder, Tie, User
from portal.names import like_pattern
from portal.stakeholders.rounds import MapError, changed


@dataclass(frozen=True)
class TieView:
    """A tie as seen from one stakeholder's profile."""

    tie: Tie
    partner: Stakeholder
    reported_by_me: bool
    reported_by_partner: bool


@dataclass(frozen=True)
class TieEntry:
    """One line of the 'who do you work with?' checklist."""

    partner_id: int
    kind: str
    frequency: str


def ties_of(stakeholder: Stakeholder, round_: MappingRound | None) -> list[TieView]:
    """Return the stakeholder's ties in a round with their partners, in one query."""
    if round_ is None:
        return []
    partner_id = func.coalesce(
        func.nullif(Tie.source_id, stakeholder.id), Tie.target_id
    )
    query = (
        select(Tie, Stakeholder)
        .join(Stakeholder, Stakeholder.id == partner_id)
        .where(Tie.round_id == round_.id,
               or_(Tie.source_id == stakeholder.id, Tie.target_id == stakeholder.id))
        .order_by(Stakeholder.name_key, Tie.kind)
    )
    return [
        TieView(tie, partner, tie.reporter_id == stakeholder.id, tie.reporter_id == partner.id)
        for tie, partner in db.session.execute(query)
    ]


def roster(city: City, exclude_id: int | None = None, q: str = "") -> list[Stakeholder]:
    """Return the city's active stakeholders by name (optionally matching a search)."""
    query = select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None)
    )
    if exclude_id is not None:
        query = query.where(Stakeholder.id != exclude_id)
    if q.strip():
        query = query.where(Stakeholder.name_key.like(like_pattern(q), escape="\\"))
    return list(db.session.scalars(query.order_by(Stakeholder.name_key)))


def add_ties(
    city: City, stakeholder: Stakeholder, round_: MappingRound, entries: list[TieEntry],
    *, reported: bool = False, action: str = "tie.add", actor: User | None,
) -> tuple[int, int]:
    """Add (or update the frequency of) ties from a stakeholder; return (created, updated)."""
    partner_ids = {e.partner_id for e in entries}
    partners = set(db.session.scalars(select(Stakeholder.id).where(
        Stakeholder.city_id == city.id, Stakeholder.id.in_(partner_ids))))
    for entry in entries:
        if entry.partner_id == stakeholder.id:
            raise MapError("self_tie")
        if entry.partner_id not in partners:
            raise MapError("unknown_partner")
        if entry.kind not in TIE_KINDS or entry.frequency not in FREQUENCIES:
            raise MapError("bad_value")
    existing = {
        (t.source_id, t.target_id, t.kind): t
        for t in db.session.scalars(select(Tie).where(
            Tie.round_id == round_.id,
            or_(Tie.source_id == stakeholder.id, Tie.target_id == stakeholder.id)))
    }
    created = updated = 0
    for entry in entries:
        low, high = sorted((stakeholder.id, entry.partner_id))
        tie = existing.get((low, high, entry.kind))
        reporter = stakeholder.id if reported else None
        if tie is None:
            tie = Tie(city_id=city.id, round_id=round_.id, source_id=low, target_id=high,
                      kind=entry.kind, frequency=entry.frequency, reporter_id=reporter)
            db.session.add(tie)
            existing[(low, high, entry.kind)] = tie
            created += 1
        elif tie.frequency != entry.frequency or (reported and tie.reporter_id is None):
            tie.frequency = entry.frequency
            tie.reporter_id = tie.reporter_id or reporter
            updated += 1
    if created or updated:
        db.session.flush()
        changed(city, action, stakeholder,
                f"round={round_.id} created={created} updated={updated}", actor=actor)
    return created, updated


def remove_tie(city: City, tie_id: int, *, actor: User | None) -> Tie | None:
    """Delete one of the city's ties; return it, or None when there is no such tie."""
    tie = db.session.get(Tie, tie_id)
    if tie is None or tie.city_id != city.id:
        return None
    changed(city, "tie.remove", tie,
            f"round={tie.round_id} {tie.source_id}-{tie.target_id} {tie.kind}", actor=actor)
    db.session.delete(tie)
    db.session.flush()
    return tie
