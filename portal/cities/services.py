"""Queries behind the home page and the city dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.auth.scoping import Access, may_open
from portal.extensions import db
from portal.models import AuditEvent, City, Membership, Stakeholder, Survey, Tie
from portal.results.queries import survey_counts_query
from portal.stakeholders.rounds import current_round


@dataclass(frozen=True)
class Room:
    """A part of the portal a city dashboard links to."""

    endpoint: str
    title: object
    description: object


ROOMS = (
    Room("stakeholders.index", _l("Stakeholders and ties"),
         _l("Map the organisations and roles in your city and how they work together.")),
    Room("networks.map", _l("Coordination map"),
         _l("See who is not yet connected, single points of failure and sectors that never meet.")),
    Room("surveys.index", _l("Resident surveys"), _l(
        "Ask residents, anonymously and in their own language, how resilient the community is.")),
    Room("results.index", _l("Survey results"),
         _l("Read resilience indices and change between waves, under disclosure control.")),
    Room("surveys.devices_page", _l("ODK Collect devices"),
         _l("Phones and tablets of enumerators who collect answers offline with ODK Collect.")),
    Room("surveys.entry_page", _l("Paper data entry"),
         _l("Type in questionnaires residents filled in on paper, marked as paper.")),
    Room("plan.index", _l("Local action plan"),
         _l("Goals and activities with their partners, progress, and the ties they aim for.")),
)


def rooms_for(city: City, access: Access) -> list[tuple[Room, str | None]]:
    """Return the rooms this access may open, each with its link (None while not built yet)."""
    links = []
    for room in ROOMS:
        link = None
        if room.endpoint in current_app.view_functions:
            if not may_open(room.endpoint, access) or (
                    room.endpoint == "surveys.entry_page" and access == Access.REGIONAL):
                continue  # e.g. a regional user: the surveys' results, not their authoring
            link = url_for(room.endpoint, city=city.slug)
        links.append((room, link))
    return links


def team_of(city: City) -> list[Membership]:
    """Return the city's memberships with their users, coordinators first."""
    query = (
        select(Membership)
        .where(Membership.city_id == city.id)
        .options(selectinload(Membership.user))
    )
    memberships = list(db.session.scalars(query))
    return sorted(memberships, key=lambda m: (m.role != "coordinator", m.user.display_name.lower()))


@dataclass(frozen=True)
class Status:
    """Where a city stands: its map, its current round, its open surveys, its last change."""

    stakeholders: int
    ties: int
    round_name: str | None
    round_date: date | None
    open_surveys: int
    responses: int
    last_change: datetime | None


def status_of(city: City) -> Status:
    """Return the city's status for its dashboard (a handful of counts, no per-person data)."""
    chosen = current_round(city)
    stakeholders = db.session.scalar(
        select(func.count()).select_from(Stakeholder).where(Stakeholder.city_id == city.id)) or 0
    ties = 0
    if chosen is not None:
        ties = db.session.scalar(select(func.count()).select_from(Tie).where(
            Tie.city_id == city.id, Tie.round_id == chosen.id)) or 0
    # Each open survey's count as its list reads it: the aggregates' stored count plus the
    # responses above their mark, so the dashboard never counts every response of a survey.
    counted = (survey_counts_query(city.id).where(Survey.status == "open")
               .order_by(None).subquery())
    open_surveys, responses = db.session.execute(
        select(func.count(), func.coalesce(func.sum(counted.c.n), 0))).one()
    last = db.session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.city_id == city.id))
    return Status(stakeholders, ties, chosen.name if chosen else None,
                  chosen.held_on if chosen else None, int(open_surveys), int(responses), last)
