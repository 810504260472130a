"""Who may see which city and region: THE access rules, and the marks the URL-map test reads.

Every view carries exactly one of the decorators below; each marks the view it wraps
(`view.access`, e.g. "city:member"), so a test can walk the URL map and find any view that
nobody scoped. A user with no access to a city or region gets 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, select

from portal import ratelimit
from portal.auth.bearer import client_key, refuse_token_writes, token_allows
from portal.extensions import db
from portal.models import ROLE_ENUMERATOR, City, Membership, Region, RegionalRole, User

F = TypeVar("F", bound=Callable[..., Any])


class Access(IntEnum):
    """What a user may do in a city, weakest first."""

    ENUMERATOR = 0  # collect answers (paper entry); no results, no map, no team pages
    REGIONAL = 1  # read aggregates and maps, no contact fields, no microdata
    MEMBER = 2  # map stakeholders and ties, read results
    COORDINATOR = 3  # manage the team, surveys, rounds
    ADMIN = 4


def mark(view: Callable[..., Any], access: str) -> Any:
    """Record on a view who may open it (read by the URL-map access test); return the view."""
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Mark a view open to anyone (residents' pages, login, static files)."""
    return mark(view, "public")


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
    if role == ROLE_ENUMERATOR:
        return Access.ENUMERATOR
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


def cities_where(user: User, minimum: Access = Access.REGIONAL) -> list[City]:
    """Return the cities where the user holds at least `minimum`, sorted by name."""
    query = select(City).order_by(City.name)
    if user.is_admin:
        return list(db.session.scalars(query))
    if minimum >= Access.ADMIN:
        return []
    memberships = select(Membership.city_id).where(Membership.user_id == user.id)
    if minimum >= Access.COORDINATOR:
        memberships = memberships.where(Membership.role == "coordinator")
    elif minimum >= Access.REGIONAL:  # an enumerator's city shows only for collecting
        memberships = memberships.where(Membership.role != ROLE_ENUMERATOR)
    scope: ColumnElement[bool] = City.id.in_(memberships)
    if minimum <= Access.REGIONAL:
        regions = select(RegionalRole.region_id).where(RegionalRole.user_id == user.id)
        scope = scope | City.region_id.in_(regions)
    return list(db.session.scalars(query.where(scope)))


def collecting_cities(user: User) -> list[City]:
    """Return the cities where the user is an enumerator (data entry only), sorted by name."""
    if not user.is_authenticated:
        return []
    return list(db.session.scalars(select(City).where(City.id.in_(
        select(Membership.city_id).where(Membership.user_id == user.id,
                                         Membership.role == ROLE_ENUMERATOR)))
        .order_by(City.name)))


def visible_cities(user: User) -> list[City]:
    """Return every city the user can open, sorted by name."""
    return cities_where(user, Access.REGIONAL)


def _city_access(city: City | None, minimum: Access) -> Access:
    """Return the current user's access to a city; 404 when none, 403 when too weak."""
    # A token narrows its user's rights to the cities it names (portal.auth.bearer).
    access = access_to(current_user, city) if city is not None and token_allows(city) else None
    if city is None or access is None:
        abort(404)
    if access < minimum:
        abort(403)
    g.city, g.city_access = city, access
    return access


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
            _city_access(found, minimum)
            return view(*args, city=found, **kwargs)

        return mark(wrapped, f"city:{minimum.name.lower()}")

    return decorator


def may_open(endpoint: str, access: Access) -> bool:
    """Return True when a user with `access` in a city may open that city view (by its mark).

    Pages use it to show only the links the user can follow (a regional user sees no link
    that would answer 403).
    """
    view = current_app.view_functions.get(endpoint)
    kind, _sep, level = str(getattr(view, "access", "")).partition(":")
    return kind == "city" and level.upper() in Access.__members__ and access >= Access[
        level.upper()]


def _city_in_url(city: str) -> City | None:
    return city_by_slug(city)


def api_city_view(
    load: Callable[..., Any] = _city_in_url, minimum: Access = Access.REGIONAL
) -> Callable[[F], F]:
    """Scope an API view to the city of what its URL names; pass that object to the view.

    `load` takes the URL arguments (by name) and returns a City, or an object with a `.city` (a
    survey), or None. Logged out: 401; not found or not visible: 404 (JSON, from portal.web).
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            _api_gate()
            found = load(**kwargs)
            _city_access(found if isinstance(found, City) or found is None else found.city,
                         minimum)
            refuse_token_writes()  # after the city: one the token cannot see stays a 404
            return view(found)

        return mark(wrapped, f"api-city:{minimum.name.lower()}")

    return decorator


API_RATE_LIMIT = "120 per minute"


def _api_gate() -> None:
    """Every API view first: 401 when logged out, then the rate limit."""
    if not current_user.is_authenticated:
        abort(401)
    ratelimit.check_client("API_RATE_LIMIT", API_RATE_LIMIT, client_key())


def api_signed_in(view: F) -> F:
    """Let any logged-in user (session or token) through an API view that names no city."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _api_gate()
        refuse_token_writes()
        return view(*args, **kwargs)

    return mark(wrapped, "api-user")


def signed_in(view: F) -> F:
    """Let any logged-in user through (their own account, their list of cities)."""
    return mark(login_required(view), "user")


def admin_required(view: F) -> F:
    """Let only admins through; everyone else gets 404."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return mark(wrapped, "admin")


def region_by_slug(slug: str) -> Region | None:
    """Return the region with this slug, or None."""
    return db.session.scalar(select(Region).where(Region.slug == slug))


def may_see_region(user: User, region: Region) -> bool:
    """Return True for admins and the region's regional coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return db.session.scalar(select(RegionalRole.id).where(
        RegionalRole.user_id == user.id, RegionalRole.region_id == region.id)) is not None


def regions_of(user: User) -> list[Region]:
    """Return the regions whose dashboard the user may open, sorted by name."""
    if not user.is_authenticated:
        return []
    query = select(Region).order_by(Region.name)
    if not user.is_admin:
        query = query.where(Region.id.in_(
            select(RegionalRole.region_id).where(RegionalRole.user_id == user.id)))
    return list(db.session.scalars(query))


def region_view(view: F) -> F:
    """Scope a view to the region in its `region` URL argument; pass the Region in its place.

    Anyone who is not an admin or a regional coordinator of that region gets 404.
    """

    @wraps(view)
    @login_required
    def wrapped(*args: Any, region: str, **kwargs: Any) -> Any:
        found = region_by_slug(region)
        if found is None or not may_see_region(current_user, found):
            abort(404)
        g.region = found
        return view(*args, region=found, **kwargs)

    return mark(wrapped, "region")
