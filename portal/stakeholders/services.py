"""Stakeholders and areas: list, profile, add, edit, archive and erase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Area, City, MappingRound, Stakeholder, Tie, User
from portal.models.base import utcnow
from portal.names import like_pattern, name_key
from portal.stakeholders.graphdata import network_data  # noqa: F401  (the analysis contract)
from portal.stakeholders.rounds import MapError, changed, current_round  # noqa: F401

PAGE_SIZE = 100
_NAME_KEY = Stakeholder.name_key  # the list's order, with the id to break ties
EDITABLE = ("name", "organisation", "sector", "level", "area_id", "is_team_member", "notes")
CONTACT = ("contact_person", "contact_email", "contact_phone")


@dataclass(frozen=True)
class Filters:
    """What the stakeholder list shows."""

    q: str = ""
    sector: str = ""
    level: str = ""
    area_id: int | None = None
    archived: bool = False


@dataclass(frozen=True)
class Row:
    """One line of the stakeholder list, with its tie count in the chosen round."""

    stakeholder: Stakeholder
    ties: int


@dataclass(frozen=True)
class Page:
    """One page of the list: its rows, the total matching, and the cursors of its neighbours."""

    rows: list[Row]
    total: int
    previous_before: int | None = None  # the first row's id, when there is a page before
    next_after: int | None = None  # the last row's id, when there is a page after


def _filtered(city: City, filters: Filters) -> Any:
    query = select(Stakeholder).where(Stakeholder.city_id == city.id)
    query = query.where(
        Stakeholder.archived_at.is_not(None) if filters.archived
        else Stakeholder.archived_at.is_(None)
    )
    if filters.q.strip():
        pattern = like_pattern(filters.q)
        query = query.where(or_(
            Stakeholder.name_key.like(pattern, escape="\\"),
            Stakeholder.organisation_key.like(pattern, escape="\\"),
        ))
    if filters.sector:
        query = query.where(Stakeholder.sector == filters.sector)
    if filters.level:
        query = query.where(Stakeholder.level == filters.level)
    if filters.area_id:
        query = query.where(Stakeholder.area_id == filters.area_id)
    return query


def _degrees(round_: MappingRound | None, ids: list[int]) -> dict[int, int]:
    """Return stakeholder id → number of ties in the round, for these stakeholders only."""
    if round_ is None or not ids:
        return {}
    ends = select(Tie.source_id.label("sid")).where(
        Tie.round_id == round_.id, Tie.source_id.in_(ids)).union_all(
        select(Tie.target_id.label("sid")).where(Tie.round_id == round_.id, Tie.target_id.in_(ids))
    ).subquery()
    rows = db.session.execute(select(ends.c.sid, func.count()).group_by(ends.c.sid))
    return {sid: n for sid, n in rows}


def _cursor_key(city: City, cursor: int | None) -> tuple[str, int] | None:
    """Return the sort key (name key, id) of the city's stakeholder `cursor`, or None."""
    if cursor is None:
        return None
    found = db.session.execute(select(_NAME_KEY, Stakeholder.id).where(
        Stakeholder.id == cursor, Stakeholder.city_id == city.id)).first()
    return (found[0], found[1]) if found is not None else None


def list_stakeholders(city: City, filters: Filters, round_: MappingRound | None, *,
                      after: int | None = None, before: int | None = None,
                      size: int = PAGE_SIZE) -> Page:
    """Return one page of the filtered stakeholders by name, with tie counts and the total.

    Keyset pagination on (name key, id): `after`/`before` name the stakeholder the page
    starts after or ends before, so a page costs the same at the start and deep in the list.
    """
    key = _cursor_key(city, after if after is not None else before)
    backwards = before is not None and key is not None
    query = _filtered(city, filters).options(joinedload(Stakeholder.area))
    if key is not None:
        position = tuple_(_NAME_KEY, Stakeholder.id)
        query = query.where(position < tuple_(*key) if backwards else position > tuple_(*key))
    order = (_NAME_KEY.desc(), Stakeholder.id.desc()) if backwards else (_NAME_KEY, Stakeholder.id)
    found = list(db.session.scalars(query.order_by(*order).limit(size + 1)))
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    total = db.session.scalar(
        _filtered(city, filters).with_only_columns(func.count(Stakeholder.id))) or 0
    degree = _degrees(round_, [s.id for s in found])
    rows = [Row(s, degree.get(s.id, 0)) for s in found]
    has_previous = more if backwards else key is not None
    has_next = key is not None if backwards else more
    return Page(rows, total,
                previous_before=rows[0].stakeholder.id if rows and has_previous else None,
                next_after=rows[-1].stakeholder.id if rows and has_next else None)


def sector_counts(city: City) -> dict[str, int]:
    """Return the number of active stakeholders per sector."""
    rows = db.session.execute(
        select(Stakeholder.sector, func.count())
        .where(Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None))
        .group_by(Stakeholder.sector)
    )
    return {sector: count for sector, count in rows}


def areas_of(city: City) -> list[Area]:
    """Return the city's areas by name."""
    return list(db.session.scalars(
        select(Area).where(Area.city_id == city.id).order_by(Area.name_key)
    ))


def add_area(city: City, name: str, *, actor: User | None) -> Area:
    """Add an area to the city's list."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise MapError("area_name")
    taken = db.session.scalar(select(Area.id).where(
        Area.city_id == city.id, Area.name_key == name_key(name)))
    if taken is not None:
        raise MapError("area_taken")
    area = Area(city_id=city.id, name=name)
    db.session.add(area)
    db.session.flush()
    changed(city, "area.create", area, name, actor=actor)
    return area


def get_stakeholder(city: City, stakeholder_id: int) -> Stakeholder | None:
    """Return the city's stakeholder with this id (with its area), or None."""
    return db.session.scalar(
        select(Stakeholder).options(joinedload(Stakeholder.area))
        .where(Stakeholder.id == stakeholder_id, Stakeholder.city_id == city.id)
    )


def _name_taken(city: City, name: str, except_id: int | None = None) -> bool:
    query = select(Stakeholder.id).where(
        Stakeholder.city_id == city.id, Stakeholder.name_key == name_key(name)
    )
    if except_id is not None:
        query = query.where(Stakeholder.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def _clean(city: City, data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in EDITABLE + CONTACT}
    if "name" in values:
        values["name"] = " ".join(str(values["name"] or "").split())
        if not values["name"]:
            raise MapError("name_empty")
    if values.get("area_id"):
        area = db.session.get(Area, values["area_id"])
        if area is None or area.city_id != city.id:
            raise MapError("area_unknown")
    elif "area_id" in values:
        values["area_id"] = None
    return values


def create_stakeholder(city: City, data: dict[str, Any], *, actor: User | None) -> Stakeholder:
    """Add a stakeholder; its name must be new in the city."""
    values = _clean(city, data)
    if _name_taken(city, values["name"]):
        raise MapError("name_taken")
    stakeholder = Stakeholder(city_id=city.id, **values)
    db.session.add(stakeholder)
    db.session.flush()
    changed(city, "stakeholder.create", stakeholder, stakeholder.name, actor=actor)
    return stakeholder


def update_stakeholder(city: City, stakeholder: Stakeholder, data: dict[str, Any], *,
                       actor: User | None) -> None:
    """Change a stakeholder's fields (contact fields only when given)."""
    values = _clean(city, data)
    if "name" in values and _name_taken(city, values["name"], stakeholder.id):
        raise MapError("name_taken")
    altered = sorted(k for k, v in values.items() if getattr(stakeholder, k) != v)
    for key in altered:
        setattr(stakeholder, key, values[key])
    if altered:
        db.session.flush()
        changed(city, "stakeholder.update", stakeholder, "fields=" + ",".join(altered),
                actor=actor)


def set_archived(city: City, stakeholder: Stakeholder, archived: bool, *,
                 actor: User | None) -> None:
    """Archive a stakeholder (it leaves the map, its ties are kept) or bring it back."""
    if stakeholder.archived == archived:
        return
    stakeholder.archived_at = utcnow() if archived else None
    changed(city, "stakeholder.archive" if archived else "stakeholder.restore", stakeholder,
            actor=actor)


def find_by_name(city: City, name: str) -> Stakeholder | None:
    """Return the city's stakeholder with this name (case-insensitive), or None."""
    return db.session.scalar(select(Stakeholder).where(
        Stakeholder.city_id == city.id,
        Stakeholder.name_key == name_key(name),
    ))


def erase(city: City, stakeholder: Stakeholder, *, keep_ties: bool, actor: User | None) -> None:
    """Remove a stakeholder's personal fields; keep an anonymised node and its ties if asked."""
    for key in (*CONTACT, "notes", "organisation"):
        setattr(stakeholder, key, "")
    if keep_ties:
        stakeholder.name = f"erased-{stakeholder.id}"
        stakeholder.erased_at = utcnow()
        stakeholder.archived_at = stakeholder.archived_at or utcnow()
        changed(city, "stakeholder.erase", stakeholder, "kept anonymised node and ties",
                actor=actor)
        return
    changed(city, "stakeholder.erase", stakeholder, "removed node and ties", actor=actor)
    db.session.execute(delete(Tie).where(
        or_(Tie.source_id == stakeholder.id, Tie.target_id == stakeholder.id)))
    db.session.delete(stakeholder)
    db.session.flush()
