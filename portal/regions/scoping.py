"""Who may see a region: its regional coordinators and admins; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.models import Region, RegionalRole, User

F = TypeVar("F", bound=Callable[..., Any])


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

    return wrapped  # type: ignore[return-value]
