"""Account operations: authenticate, change passwords, create users, invite and accept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit
from portal.extensions import db
from portal.models import City, Invitation, Membership, Region, RegionalRole, User
from portal.models.base import utcnow

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Hash a password with the configured method (PASSWORD_HASH_METHOD, scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    """A hash to compare against when the e-mail is unknown, so both failures take the same
    time (same method as real hashes)."""
    return generate_password_hash("not-a-real-password-0000", method=method)


def normalise_email(email: str) -> str:
    """Return the e-mail as stored: trimmed and lower-case."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """Return the user with this e-mail, or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None (whichever part is wrong)."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password hash, ending the user's sessions."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session of the user made so far (portal.auth.revocation)."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.flush()


def set_active(user: User, active: bool, *, actor: User | None) -> None:
    """Switch an account on or off; switching off ends its sessions."""
    user.active = active
    if not active:
        end_sessions(user)
    audit.record("user.active" if active else "user.inactive", actor=actor, target=user)


def create_user(
    email: str, password: str, display_name: str | None = None, *, is_admin: bool = False,
    preferred_locale: str | None = None, actor: User | None,
) -> User:
    """Create a user; the e-mail must be new."""
    user = User(
        email=normalise_email(email),
        display_name=display_name or email.split("@")[0],
        password_hash=hash_password(password),
        is_admin=is_admin,
        preferred_locale=preferred_locale,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor=actor, target=user, details=user.email)
    return user


def grant_membership(user: User, city: City, role: str, *, actor: User | None) -> Membership:
    """Give the user a role in a city's team, replacing any earlier role there."""
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.city_id == city.id)
    )
    if membership is None:
        membership = Membership(user=user, city=city, role=role)
        db.session.add(membership)
    membership.role = role
    db.session.flush()
    audit.record("membership.grant", actor=actor, city=city, target=user, details=role)
    return membership


def grant_regional(user: User, region: Region, *, actor: User | None) -> RegionalRole:
    """Give the user read-only access to every city of a region."""
    role = db.session.scalar(
        select(RegionalRole).where(
            RegionalRole.user_id == user.id, RegionalRole.region_id == region.id
        )
    )
    if role is None:
        role = RegionalRole(user=user, region=region)
        db.session.add(role)
        db.session.flush()
        audit.record("regional.grant", actor=actor, target=user, details=region.slug)
    return role


def membership_in(city: City, membership_id: int) -> Membership | None:
    """Return the membership with this id if it is one of the city's, else None."""
    return db.session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.city_id == city.id)
    )


def remove_membership(membership: Membership, *, actor: User | None) -> None:
    """Take a user's role in one city away, ending their sessions."""
    user, city = membership.user, membership.city
    db.session.delete(membership)
    end_sessions(user)
    audit.record("membership.remove", actor=actor, city=city, target=user, details=membership.role)


def remove_regional(role: RegionalRole, *, actor: User | None) -> None:
    """Take a user's regional role away, ending their sessions."""
    user, region = role.user, role.region
    db.session.delete(role)
    end_sessions(user)
    audit.record("regional.remove", actor=actor, target=user, details=region.slug)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    city: City, email: str, role: str, lifetime_days: int, *, actor: User | None
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its one-time token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        city=city,
        email=normalise_email(email),
        role=role,
        token_hash=_token_hash(token),
        expires_at=utcnow() + timedelta(days=lifetime_days),
    )
    invitation.created_by_id = audit.actor_id(actor)
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.create",
                 actor=actor, city=city, target=invitation, details=invitation.email)
    return invitation, token


def invitation_status(token: str) -> tuple[Invitation | None, str]:
    """Return (invitation, status): open, used, withdrawn or expired; None when unknown."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None:
        return None, "none"
    if invitation.used_at is not None:
        return invitation, "used"
    if invitation.revoked_at is not None:
        return invitation, "withdrawn"
    if invitation.expires_at < utcnow():
        return invitation, "expired"
    return invitation, "open"


def open_invitation(token: str) -> Invitation | None:
    """Return the unused, unexpired, not withdrawn invitation for this token, or None."""
    invitation, status = invitation_status(token)
    return invitation if status == "open" else None


def pending_invitations(city: City) -> list[Invitation]:
    """Return the city's invitations that can still be accepted, newest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.city_id == city.id, Invitation.used_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at >= utcnow(),
    ).order_by(Invitation.created_at.desc(), Invitation.id.desc())))


def revoke_invitation(city: City, invitation_id: int, *, actor: User | None) -> Invitation | None:
    """Withdraw one of the city's pending invitations; None when there is no such one."""
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.city_id == city.id,
        Invitation.used_at.is_(None), Invitation.revoked_at.is_(None)))
    if invitation is None:
        return None
    invitation.revoked_at = utcnow()
    db.session.flush()
    audit.record("invitation.revoke", actor=actor, city=city, target=invitation,
                 details=invitation.email)
    return invitation


class InvitationSpent(Exception):
    """The invitation was used meanwhile (or its e-mail got an account): answer as if used."""


def accept_invitation(
    invitation: Invitation, *, actor: User | None, user: User | None = None,
    display_name: str = "", password: str = ""
) -> User:
    """Spend the invitation, then add the membership (creating the invitee's account if needed).

    Spending is one conditional UPDATE, so of several simultaneous accepts exactly one wins:
    the others find it used (on PostgreSQL they wait for the winner's commit, on SQLite for
    its write lock) and raise InvitationSpent, as does an account created for the e-mail
    meanwhile.
    """
    spent = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise InvitationSpent
    if user is None:
        try:
            with db.session.begin_nested():
                user = create_user(invitation.email, password, display_name, actor=actor)
        except IntegrityError as error:
            raise InvitationSpent from error
    grant_membership(user, invitation.city, invitation.role, actor=actor)
    audit.record("invitation.accept", actor=user, city=invitation.city, target=invitation)
    return user
