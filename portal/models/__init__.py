"""SQLAlchemy models, one module per domain; importing this package registers them all."""

from portal.models.accounts import (
    CITY_ROLES,
    ROLE_COORDINATOR,
    ROLE_MEMBER,
    City,
    Invitation,
    Membership,
    Region,
    RegionalRole,
    User,
)
from portal.models.audit import AuditEvent
from portal.models.base import Base

__all__ = [
    "CITY_ROLES",
    "ROLE_COORDINATOR",
    "ROLE_MEMBER",
    "AuditEvent",
    "Base",
    "City",
    "Invitation",
    "Membership",
    "Region",
    "RegionalRole",
    "User",
]
