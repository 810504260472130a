"""Mapping rounds: the dated snapshots of a city's map, and the change log of the map."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, insert, literal, or_, select, update

from portal import audit
from portal.extensions import db
from portal.ids import parse_id
from portal.models import City, MappingRound, Tie, User
from portal.models.base import utcnow
from portal.names import name_key


class MapError(ValueError):
    """A change to the map was refused; str(error) is a reason code the view translates."""


def changed(city: City, action: str, target: Any = None, details: str = "", *,
            actor: User | None) -> None:
    """Bump the city's network revision (analysis caches on it) and record the change."""
    db.session.execute(
        update(City).where(City.id == city.id).values(network_revision=City.network_revision + 1)
    )
    db.session.expire(city, ["network_revision"])
    audit.record(action, actor=actor, city=city, target=target, details=details)


def current_round(city: City) -> MappingRound | None:
    """Return the city's current mapping round, or None when it has none yet."""
    return db.session.scalar(
        select(MappingRound)
        .where(MappingRound.city_id == city.id, MappingRound.is_current.is_(True))
        .order_by(MappingRound.id.desc())
        .limit(1)
    )


def rounds_of(city: City) -> list[MappingRound]:
    """Return the city's rounds, newest first."""
    return list(db.session.scalars(
        select(MappingRound).where(MappingRound.city_id == city.id)
        .order_by(MappingRound.held_on.desc(), MappingRound.id.desc())
    ))


def time_order(round_: MappingRound) -> tuple[date, int]:
    """Return the key that orders rounds in time: by date, the earlier-created first on a tie."""
    return (round_.held_on, round_.id)


def in_time_order(first: MappingRound, second: MappingRound) -> tuple[MappingRound, MappingRound]:
    """Return the two rounds as (earlier, later), so a comparison never runs backwards."""
    return (first, second) if time_order(first) <= time_order(second) else (second, first)


def previous_round(city: City, round_: MappingRound | None) -> MappingRound | None:
    """Return the round just before this one in time (by date, then id), or None."""
    if round_ is None:
        return None
    return db.session.scalar(
        select(MappingRound).where(
            MappingRound.city_id == city.id,
            or_(MappingRound.held_on < round_.held_on,
                and_(MappingRound.held_on == round_.held_on, MappingRound.id < round_.id)))
        .order_by(MappingRound.held_on.desc(), MappingRound.id.desc()).limit(1)
    )


def tie_counts(city: City) -> dict[int, int]:
    """Return the number of ties per round id."""
    rows = db.session.execute(
        select(Tie.round_id, func.count()).where(Tie.city_id == city.id).group_by(Tie.round_id)
    )
    return {round_id: count for round_id, count in rows}


def round_by_id(city: City, round_id: int | None) -> MappingRound | None:
    """Return the city's round with this id, or None."""
    if round_id is None:
        return None
    found = db.session.get(MappingRound, round_id)
    return found if found is not None and found.city_id == city.id else None


def requested_round(city: City, raw: str | None) -> MappingRound | None:
    """Return the city's round a request names by its id, or None when it names none.

    Anything else (not a plain number, out of range, another city's round) raises
    MapError("round_unknown"): a request for a round must never silently get another one.
    """
    if not raw:
        return None
    number = parse_id(raw)  # strictly: " 1" is not an id
    if number is None:
        raise MapError("round_unknown")
    found = round_by_id(city, number)
    if found is None:
        raise MapError("round_unknown")
    return found


def round_by_name(city: City, name: str) -> MappingRound | None:
    """Return the city's round with this name (by its key: any case, any script), or None."""
    return db.session.scalar(select(MappingRound).where(
        MappingRound.city_id == city.id, MappingRound.name_key == name_key(name)
    ))


def _checked_name(city: City, name: str, keep: MappingRound | None = None) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise MapError("round_name")
    taken = round_by_name(city, name)
    if taken is not None and taken is not keep:
        raise MapError("round_taken")
    return name


def create_round(
    city: City, name: str, held_on: date, *, copy_from: MappingRound | None = None,
    make_current: bool = True, actor: User | None,
) -> MappingRound:
    """Create a round, empty or holding a copy of another round's ties."""
    name = _checked_name(city, name)
    new = MappingRound(city_id=city.id, name=name, held_on=held_on, is_current=False)
    db.session.add(new)
    db.session.flush()
    if copy_from is not None:
        _copy_ties(copy_from, new)
    if make_current or current_round(city) is None:
        _make_current(city, new)
    changed(city, "round.create", new, f"{name} copy_from={copy_from.id if copy_from else ''}",
            actor=actor)
    return new


def update_round(city: City, round_: MappingRound, *, name: str, held_on: date,
                 actor: User | None) -> bool:
    """Rename and re-date a round; return False when nothing changed (nothing is recorded).

    The date decides which round is "previous" in every comparison, so a re-dated round can
    change what the dashboards compare; the change is in the audit log with both values.
    """
    name = _checked_name(city, name, keep=round_)
    old_name, old_date = round_.name, round_.held_on
    if (name, held_on) == (old_name, old_date):
        return False
    round_.name, round_.held_on = name, held_on
    db.session.flush()
    changed(city, "round.update", round_,
            f"name: {old_name} -> {name}; held_on: {old_date.isoformat()} -> "
            f"{held_on.isoformat()}", actor=actor)
    return True


def _copy_ties(source: MappingRound, target: MappingRound) -> None:
    columns = ("city_id", "source_id", "target_id", "kind", "frequency", "reporter_id", "notes")
    now = utcnow()
    query = select(
        *(getattr(Tie, c) for c in columns), literal(target.id), literal(now, Tie.created_at.type)
    ).where(Tie.round_id == source.id)
    db.session.execute(insert(Tie).from_select([*columns, "round_id", "created_at"], query))


def _make_current(city: City, chosen: MappingRound) -> None:
    db.session.execute(
        update(MappingRound).where(MappingRound.city_id == city.id)
        .values(is_current=MappingRound.id == chosen.id)
    )
    db.session.expire_all()


def set_current(city: City, chosen: MappingRound, *, actor: User | None) -> None:
    """Make a round the city's current one (new ties and survey answers go there)."""
    _make_current(city, chosen)
    changed(city, "round.current", chosen, chosen.name, actor=actor)


def ensure_current_round(city: City, name: str, *, actor: User | None) -> MappingRound:
    """Return the current round, creating a first one (dated today) when there is none."""
    found = current_round(city)
    if found is not None:
        return found
    existing = round_by_name(city, name)
    if existing is not None:
        set_current(city, existing, actor=actor)
        return existing
    return create_round(city, name, date.today(), actor=actor)
