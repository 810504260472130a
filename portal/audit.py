"""Write audit events: every change to accounts, maps and surveys leaves a trace."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.models import AuditEvent, City, User


def actor_id(actor: User | None) -> int | None:
    """Return the id of a signed-in actor; None for the CLI, a job or an anonymous visitor."""
    return actor.id if actor is not None and actor.is_authenticated else None


def record(
    action: str,
    *,
    actor: User | None,
    city: City | None = None,
    target: Any = None,
    details: str = "",
) -> AuditEvent:
    """Add an audit event by `actor` to the session (None: the CLI, a job, an anonymous visitor)."""
    event = AuditEvent(
        user_id=actor_id(actor),
        city_id=city.id if city is not None else None,
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(getattr(target, "id", "") or "") if target is not None else "",
        details=details[:2000],
    )
    db.session.add(event)
    return event
