"""Who may see which city: the one place that scopes every city route."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.models import City, Membership, RegionalRole, User

F = TypeVar("F", bound=Callable[..., Any])


class Access(IntEnum):
    """What a user may do in a city, weakest first."""

    REGIONAL = 1  # read aggregates and maps, no contact fields, no microdata
    MEMBER = 2  # map stakeholders and ties, read results
    COORDINATOR = 3  # manage the team, surveys, rounds
    ADMIN = 4


def city_by_slug(slug: str) -> City | None:
    """Return the city with this slug, or None."""
    return db.session.scalar(select(City).where(City.slug == slug))


def access_to(user: User, city: City) -> Access | None:
    """Return the user's access level in a city, or None when the city is not theirs."""
    if not user.is_authenticated:
        return None
    if user.is_admin:
        return Access.ADMIN
    role = db.session.scalar(
        select(Membership.role).where(Membership.user_id == user.id, Membership.city_id == city.id)
    )
    if role is not None:
        return Access.COORDINATOR if role == "coordinator" else Access.MEMBER
    regional = db.session.scalar(
        select(RegionalRole.id).where(
            RegionalRole.user_id == user.id, RegionalRole.region_id == city.region_id
        )
    )
    return Access.REGIONAL if regional is not None else None


def is_team(access: Access | None) -> bool:
    """Return True for the city's own team (and admins): they may see contact fields."""
    return access is not None and access >= Access.MEMBER


def city_view(minimum: Access = Access.REGIONAL) -> Callable[[F], F]:
    """Scope a view to the city in its `city` URL argument; pass the City in its place.

    A user with no access to the city gets 404, as if it did not exist; a user who may see
    the city but not do this gets 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, city: str, **kwargs: Any) -> Any:
            found = city_by_slug(city)
            if found is None:
                abort(404)
            access = access_to(current_user, found)
            if access is None:
                abort(404)
            if access < minimum:
                abort(403)
            g.city, g.city_access = found, access
            return view(*args, city=found, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def admin_required(view: F) -> F:
    """Let only admins through; everyone else gets 404."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def visible_cities(user: User) -> list[City]:
    """Return every city the user can open, sorted by name."""
    if user.is_admin:
        return list(db.session.scalars(select(City).order_by(City.name)))
    member_of = select(Membership.city_id).where(Membership.user_id == user.id)
    regions = select(RegionalRole.region_id).where(RegionalRole.user_id == user.id)
    query = select(City).where(City.id.in_(member_of) | City.region_id.in_(regions))
    return list(db.session.scalars(query.order_by(City.name)))
