"""Queries behind the home page and the city dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.scoping import Access, may_open
from portal.extensions import db
from portal.models import City, Membership


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
)


def rooms_for(city: City, access: Access) -> list[tuple[Room, str | None]]:
    """Return the rooms this access may open, each with its link (None while not built yet)."""
    links = []
    for room in ROOMS:
        link = None
        if room.endpoint in current_app.view_functions:
            if not may_open(room.endpoint, access):
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
