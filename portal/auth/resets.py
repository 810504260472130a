"""Password resets: one-time links an admin or a coordinator issues and hands over.

The portal has no mail server, so nobody can ask for a reset by e-mail: whoever may issue one
makes the link and hands it to the person, as with invitations. Only a hash of the token is
kept; the link works once, for RESET_LIFETIME_HOURS, and a newer link withdraws older ones.
Setting the password ends every session of the account (the session epoch is bumped).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from portal import audit
from portal.auth.services import _token_hash, set_password
from portal.extensions import db
from portal.models import City, Membership, PasswordReset, User
from portal.models.base import utcnow

RESET_LIFETIME_HOURS = 72


class ResetSpent(Exception):
    """The link was used (or withdrawn) meanwhile."""


def coordinator_may_reset(user: User, city: City) -> bool:
    """Return True when a coordinator of `city` may reset this user's password.

    Only an account whose every role is in this city: a coordinator must not be able to take
    over an admin, a regional coordinator, or someone who also works in another city.
    """
    if user.is_admin or user.regional_roles:
        return False
    cities = set(db.session.scalars(select(Membership.city_id).where(
        Membership.user_id == user.id)))
    return cities == {city.id}


def issue_reset(user: User, *, city: City | None = None, actor: User | None) -> str:
    """Withdraw the user's open reset links, make a new one, and return its token."""
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
        PasswordReset.revoked_at.is_(None)).values(revoked_at=utcnow()))
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(user_id=user.id, token_hash=_token_hash(token),
                          created_by_id=audit.actor_id(actor),
                          expires_at=utcnow() + timedelta(hours=RESET_LIFETIME_HOURS))
    db.session.add(reset)
    db.session.flush()
    audit.record("password_reset.issue", actor=actor, city=city, target=user)
    return token


def open_reset(token: str) -> tuple[PasswordReset | None, str]:
    """Return (reset, status): status is open, used, expired or withdrawn; None when unknown."""
    reset = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == _token_hash(token)))
    if reset is None:
        return None, "none"
    if reset.used_at is not None:
        return reset, "used"
    if reset.revoked_at is not None:
        return reset, "withdrawn"
    if reset.expires_at < utcnow() or not reset.user.active:
        return reset, "expired"
    return reset, "open"


def use_reset(reset: PasswordReset, password: str, *, actor: User | None) -> User:
    """Spend the link (once, even under concurrent requests) and set the new password."""
    spent = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None),
               PasswordReset.revoked_at.is_(None))
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise ResetSpent
    user = reset.user
    set_password(user, password)  # ends every session of the account
    audit.record("password_reset.use", actor=actor, target=user)
    return user
