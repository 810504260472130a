"""Meetings and trainings: reading and changing events and their attendance, always audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal import audit
from portal.analysis.coattendance import project
from portal.extensions import db
from portal.models import EVENT_KINDS, City, Event, PlanActivity, Stakeholder, Tie, User
from portal.models.events import event_attendance
from portal.plan.services import PlanError
from portal.stakeholders.rounds import current_round

EVENT_FIELDS = ("kind", "title", "held_on", "place", "topics", "activity_id")
MET_AT_LEAST = 2  # shared events before "met but report no working tie" lists a pair


def events_of(city: City) -> list[Event]:
    """Return the city's events, newest first (attendees loaded)."""
    return list(db.session.scalars(select(Event).where(Event.city_id == city.id).order_by(
        Event.held_on.desc(), Event.id.desc())))


def events_of_activity(city: City, activity_id: int) -> list[Event]:
    """Return the city's events linked to one activity, newest first."""
    return list(db.session.scalars(select(Event).where(
        Event.city_id == city.id, Event.activity_id == activity_id).order_by(
        Event.held_on.desc(), Event.id.desc())))


def event_by_id(city: City, event_id: int) -> Event | None:
    """Return one of the city's events, or None."""
    return db.session.scalar(select(Event).where(Event.id == event_id,
                                                 Event.city_id == city.id))


def activity_options(city: City) -> list[PlanActivity]:
    """Return the city's activities an event can be linked to (any plan), by title."""
    return list(db.session.scalars(select(PlanActivity).where(
        PlanActivity.city_id == city.id).order_by(PlanActivity.title, PlanActivity.id)))


def _check(city: City, values: dict[str, Any]) -> None:
    if values.get("kind") not in EVENT_KINDS:
        raise PlanError("unknown_kind")
    if values.get("held_on") is None:
        raise PlanError("no_date")
    activity_id = values.get("activity_id")
    if activity_id is not None and db.session.scalar(select(PlanActivity.id).where(
            PlanActivity.id == activity_id, PlanActivity.city_id == city.id)) is None:
        raise PlanError("unknown_activity")


def save_event(city: City, event: Event | None, values: dict[str, Any], *,
               actor: User | None) -> Event:
    """Add an event (event None) or change one; return it."""
    _check(city, values)
    action = "plan.event.update"
    if event is None:
        event = Event(city_id=city.id)
        action = "plan.event.create"
    for name in EVENT_FIELDS:
        value = values.get(name)
        setattr(event, name, value if value is not None or name == "activity_id" else "")
    event.title = event.title.strip()
    event.place = (event.place or "").strip()
    db.session.add(event)
    db.session.flush()
    audit.record(action, actor=actor, city=city, target=event,
                 details=f"{event.title} [{event.kind} {event.held_on.isoformat()}]")
    return event


def attendee_options(city: City, event: Event | None = None) -> list[Stakeholder]:
    """Return who can be ticked: the city's current stakeholders, plus anyone already ticked."""
    current = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None),
        Stakeholder.erased_at.is_(None)).order_by(Stakeholder.name_key)))
    kept = [s for s in (event.attendees if event else []) if s not in current]
    return [*current, *kept]


def set_attendance(city: City, event: Event, stakeholder_ids: list[int], *,
                   actor: User | None) -> None:
    """Make the ticked stakeholders the event's attendance (all of the city, or nothing)."""
    ids = set(stakeholder_ids)
    found = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise PlanError("unknown_partner")
    event.attendees = found
    db.session.flush()
    audit.record("plan.event.attendance", actor=actor, city=city, target=event,
                 details=str(len(found)))


def attendance_pairs(city: City) -> list[tuple[int, int]]:
    """Return (event id, stakeholder id) for every attendance in the city: the two-mode network."""
    return [(e, s) for e, s in db.session.execute(
        select(event_attendance.c.event_id, event_attendance.c.stakeholder_id).join(
            Event, Event.id == event_attendance.c.event_id).where(Event.city_id == city.id))]


def coattendance(city: City) -> dict[tuple[int, int], int]:
    """Return the city's co-attendance ties: (a, b) with a < b → number of shared events."""
    return project(attendance_pairs(city))


@dataclass(frozen=True)
class MetWithoutTie:
    """Two stakeholders who met at `events` events but report no working tie."""

    a: Stakeholder
    b: Stakeholder
    events: int


def met_without_tie(city: City, at_least: int = MET_AT_LEAST) -> list[MetWithoutTie]:
    """Return the pairs that met at `at_least` events or more and have no tie in the current
    round (any kind, either direction), most shared events first."""
    weights = {p: w for p, w in coattendance(city).items() if w >= at_least}
    if not weights:
        return []
    round_ = current_round(city)
    tied: set[tuple[int, int]] = set()
    if round_ is not None:
        for s, t in db.session.execute(select(Tie.source_id, Tie.target_id).where(
                Tie.city_id == city.id, Tie.round_id == round_.id)):
            tied.add((min(s, t), max(s, t)))
    ids = {i for pair in weights for i in pair}
    people = {s.id: s for s in db.session.scalars(select(Stakeholder).where(
        Stakeholder.id.in_(ids), Stakeholder.erased_at.is_(None)))}
    out = [MetWithoutTie(people[a], people[b], w) for (a, b), w in weights.items()
           if (a, b) not in tied and a in people and b in people]
    return sorted(out, key=lambda m: (-m.events, m.a.name_key, m.b.name_key))
