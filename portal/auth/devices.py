"""Enumerator devices: make (secret shown once, in a QR code), list, revoke, authenticate.

A device signs in to the city's OpenRosa server with HTTP Basic: a random user name and a
secret of 32 random bytes, of which only the SHA-256 is stored (as for API tokens). Every
request looks the device up again: a revoked device, a switched-off account, or a role in
the city taken away, are refused on the very next request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import zlib

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import City, EnumeratorDevice, Membership, User
from portal.models.base import utcnow

MAX_SECRET_LENGTH = 100  # longer passwords are not looked up


def hash_secret(secret: str) -> str:
    """Return the stored form of a device secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def collectors(city: City) -> list[User]:
    """Return the city's team members who may hold a device, by name (enumerators first)."""
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.city_id == city.id, User.active.is_(True))
        .order_by(User.display_name, User.id)).all()
    return [user for user, role in sorted(rows, key=lambda row: row[1] != "enumerator")]


def create_device(city: City, user: User, label: str, *,
                  actor: User | None) -> tuple[EnumeratorDevice, str]:
    """Make a device for a team member of the city; return it and its secret (shown once)."""
    if db.session.scalar(select(Membership.id).where(
            Membership.city_id == city.id, Membership.user_id == user.id)) is None:
        raise ValueError("a device belongs to a member of the city's team")
    secret = secrets.token_urlsafe(32)
    device = EnumeratorDevice(city_id=city.id, user_id=user.id, label=label.strip()[:100],
                              username=f"{city.slug[:60]}-{secrets.token_hex(4)}",
                              token_hash=hash_secret(secret))
    db.session.add(device)
    db.session.flush()
    audit.record("device.create", actor=actor, city=city, target=user,
                 details=f"device {device.id} ({device.username})")
    return device, secret


def devices_of(city: City) -> list[EnumeratorDevice]:
    """Return the city's devices, newest first (revoked ones too, for the record)."""
    return list(db.session.scalars(
        select(EnumeratorDevice).where(EnumeratorDevice.city_id == city.id)
        .order_by(EnumeratorDevice.created_at.desc(), EnumeratorDevice.id.desc())))


def device_in(city: City, device_id: int) -> EnumeratorDevice | None:
    """Return the city's device with this id, or None (another city's device is not found)."""
    return db.session.scalar(select(EnumeratorDevice).where(
        EnumeratorDevice.id == device_id, EnumeratorDevice.city_id == city.id))


def revoke_device(device: EnumeratorDevice, *, actor: User | None) -> None:
    """Stop a device from signing in again (its earlier submissions stay)."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record("device.revoke", actor=actor, city=device.city, target=device.user,
                     details=f"device {device.id} ({device.username})")
    db.session.flush()


def authenticate(username: str | None, secret: str | None) -> EnumeratorDevice | None:
    """Return the working device these credentials name, or None.

    Working: not revoked, its user's account on, and the user still in the device's city.
    """
    if not username or not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    device = db.session.scalar(select(EnumeratorDevice).where(
        EnumeratorDevice.token_hash == hash_secret(secret)))
    if device is None or not secrets.compare_digest(device.username, username):
        return None
    if device.revoked_at is not None or not device.user.active:
        return None
    member = db.session.scalar(select(Membership.id).where(
        Membership.city_id == device.city_id, Membership.user_id == device.user_id))
    return device if member is not None else None


def touch(device: EnumeratorDevice) -> None:
    """Note that the device was used now (shown on the device page)."""
    device.last_used_on = utcnow()


def collect_settings(server_url: str, username: str, secret: str) -> str:
    """Return what ODK Collect's settings QR code carries: base64 of zlib-compressed JSON.

    The format of ODK Collect's "Reconfigure with QR code" (docs.getodk.org,
    collect-import-export): ``general`` holds the server and the credentials, ``admin`` is
    left empty (the device's own protections stay as they are).
    """
    settings = {"general": {"server_url": server_url, "username": username,
                            "password": secret},
                "admin": {}}
    packed = zlib.compress(json.dumps(settings, separators=(",", ":")).encode())
    return base64.b64encode(packed).decode("ascii")
