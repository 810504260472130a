"""Personal API tokens: make (shown once), list, revoke, and find the token of a request.

A token is "lpn_" followed by 32 random bytes (URL-safe base64), so secret scanners can spot
one. Only its SHA-256 is stored: the secret is high-entropy, so a slow hash would add nothing.
Every request looks the token up again (no cache): a revoked or expired token, a switched-off
user, or a role removed since, are refused on the very next request, because the rights are
the user's current ones (portal.auth.scoping) narrowed to the token's cities.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import ApiToken, City, User
from portal.models.base import utcnow

PREFIX = "lpn_"
LIFETIMES = (7, 30, 90, 365)  # days a token may live; no token lives for ever
MAX_SECRET_LENGTH = 100  # longer Authorization values are not looked up
TOUCH_EVERY = timedelta(minutes=1)  # last use is written at most this often per token


def hash_secret(secret: str) -> str:
    """Return the stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, cities: Iterable[City], days: int, *,
                 read_write: bool = False, actor: User | None) -> tuple[ApiToken, str]:
    """Make a token for `user` on `cities`; return it and its secret (shown once, kept hashed)."""
    if days not in LIFETIMES:
        raise ValueError(f"lifetime must be one of {LIFETIMES}")
    chosen = list(cities)
    if not chosen:
        raise ValueError("a token needs at least one city")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=hash_secret(secret),
                     prefix=secret[:8], read_write=read_write,
                     expires_at=utcnow() + timedelta(days=days), cities=chosen)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", actor=actor, target=user,
                 details=f"token {token.id} ({token.prefix}…) "
                         f"{'read-write' if read_write else 'read-only'}, {days} days, "
                         f"cities: {', '.join(c.slug for c in chosen)}")
    return token, secret


def tokens_of(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def status(token: ApiToken) -> str:
    """Return "active", "expired" or "revoked"."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= utcnow():
        return "expired"
    return "active"


def revoke_token(user: User, token_id: int, *, actor: User | None) -> ApiToken | None:
    """Revoke one of the user's tokens at once; None when the user has no such token."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record("api_token.revoke", actor=actor, target=user,
                     details=f"token {token.id} ({token.prefix}…)")
    return token


def token_for(secret: str) -> ApiToken | None:
    """Return the working token with this secret (not revoked or expired, user active)."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or status(token) != "active" or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now  # committed with the request's answer (portal.web._commit)
    return token


def city_ids(token: ApiToken) -> set[int]:
    """Return the ids of the cities the token may read."""
    return {city.id for city in token.cities}
