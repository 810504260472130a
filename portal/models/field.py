"""Enumerator devices: ODK Collect on a phone or tablet, sending a city's surveys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import City, User
from portal.models.base import Base, UTCDateTime, utcnow


class EnumeratorDevice(Base):
    """One device's credentials for the city's OpenRosa server (HTTP Basic).

    The device belongs to a member of the city's team (usually an enumerator) and works only
    while they hold a role in the city and their account is on. Only the SHA-256 of the secret
    is stored; the secret is shown once, inside the QR code that configures ODK Collect.
    Responses sent from it keep no trace of it (only their collection mode, "device").
    """

    __tablename__ = "enumerator_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100))
    # The user name ODK Collect sends ("zelenovo-3f9a2c"): random, unique, not a person's name.
    username: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_on: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    city: Mapped[City] = relationship()
    user: Mapped[User] = relationship()
