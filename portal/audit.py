"""Write audit events: every change to accounts, maps and surveys leaves a trace."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from portal.extensions import db
from portal.models import AuditEvent, City


def record(
    action: str,
    *,
    city: City | None = None,
    target: Any = None,
    details: str = "",
    user_id: int | None = None,
) -> AuditEvent:
    """Add an audit event for the current user (or the given one) to the session."""
    if user_id is None and current_user and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        user_id=user_id,
        city_id=city.id if city is not None else None,
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(getattr(target, "id", "") or "") if target is not None else "",
        details=details[:2000],
    )
    db.session.add(event)
    return event
