"""Create and change regions and cities (used by the admin pages and the CLI)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.config import MIN_DISCLOSURE_THRESHOLD
from portal.extensions import db
from portal.i18n import normalise
from portal.models import City, Region, User

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class AdminError(ValueError):
    """A request an admin made cannot be carried out; the message says why."""


def check_slug(slug: str) -> str:
    """Return the slug if it is lower-case letters, digits and dashes."""
    if not SLUG_RE.match(slug):
        raise AdminError("slug")
    return slug


def region_by_slug(slug: str) -> Region | None:
    """Return the region with this slug, or None."""
    return db.session.scalar(select(Region).where(Region.slug == slug))


def create_region(slug: str, name: str, *, actor: User | None) -> Region:
    """Create a region with a new slug."""
    if region_by_slug(check_slug(slug)) is not None:
        raise AdminError("slug_taken")
    region = Region(slug=slug, name=name.strip())
    db.session.add(region)
    db.session.flush()
    audit.record("region.create", actor=actor, target=region, details=slug)
    return region


def create_city(slug: str, name: str, region: Region, locale: str, country: str = "",
                threshold: int = 10, *, actor: User | None) -> City:
    """Create a city in a region."""
    if db.session.scalar(select(City).where(City.slug == check_slug(slug))) is not None:
        raise AdminError("slug_taken")
    city = City(slug=slug, name=name.strip(), region=region, country=country.strip(),
                default_locale="en", disclosure_threshold=10)
    update_city(city, locale=locale, threshold=threshold, actor=actor)
    db.session.add(city)
    db.session.flush()
    audit.record("city.create", actor=actor, city=city, target=city, details=slug)
    return city


def update_city(city: City, *, locale: str, threshold: int, name: str | None = None,
                country: str | None = None, actor: User | None) -> None:
    """Change a city's settings, refusing an unknown locale or a threshold below 5."""
    code = normalise(locale)
    if code is None:
        raise AdminError("locale")
    if threshold < MIN_DISCLOSURE_THRESHOLD:
        raise AdminError("threshold")
    city.default_locale, city.disclosure_threshold = code, threshold
    if name is not None:
        city.name = name.strip()
    if country is not None:
        city.country = country.strip()
    if city.id is not None:
        audit.record("city.update", actor=actor, city=city, target=city)


def all_regions() -> list[Region]:
    """Return every region with its cities."""
    query = select(Region).options(selectinload(Region.cities)).order_by(Region.name)
    return list(db.session.scalars(query))


def all_users() -> list[User]:
    """Return every user with their roles."""
    query = select(User).options(
        selectinload(User.memberships), selectinload(User.regional_roles)
    ).order_by(User.email)
    return list(db.session.scalars(query))
