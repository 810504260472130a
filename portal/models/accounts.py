"""Regions, cities, users and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow

ROLE_COORDINATOR = "coordinator"
ROLE_MEMBER = "member"
# Collects answers (ODK Collect on a device, paper entry); reads no results and no map.
ROLE_ENUMERATOR = "enumerator"
CITY_ROLES = (ROLE_COORDINATOR, ROLE_MEMBER, ROLE_ENUMERATOR)


class Region(Base):
    """A group of cities that a regional coordinator compares."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    cities: Mapped[list[City]] = relationship(back_populates="region", order_by="City.name")


class City(Base):
    """A municipality with its own team."""

    __tablename__ = "city"
    __table_args__ = (CheckConstraint("disclosure_threshold >= 5", name="threshold_min"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100), default="")
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    disclosure_threshold: Mapped[int] = mapped_column(Integer, default=10)
    # Bumped by every change to the stakeholder map; analysis results are cached on it.
    network_revision: Mapped[int] = mapped_column(Integer, default=0)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="RESTRICT"), index=True)
    region: Mapped[Region] = relationship(back_populates="cities")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="city", cascade="all, delete-orphan"
    )


class User(UserMixin, Base):
    """A person with an account: team member, coordinator, regional coordinator or admin."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    preferred_locale: Mapped[str | None] = mapped_column(String(16), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Copied into the session at login; bumping it ends every session made before
    # (portal.auth.revocation).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    regional_roles: Mapped[list[RegionalRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active


class Membership(Base):
    """A user's role in one city's team."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "city_id"),
        CheckConstraint("role in ('coordinator', 'member', 'enumerator')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    user: Mapped[User] = relationship(back_populates="memberships")
    city: Mapped[City] = relationship(back_populates="memberships")


class RegionalRole(Base):
    """Read-only access to every city of a region."""

    __tablename__ = "regional_role"
    __table_args__ = (UniqueConstraint("user_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship(back_populates="regional_roles")
    region: Mapped[Region] = relationship()


class Invitation(Base):
    """A one-time, expiring link a coordinator hands to a new team member."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default=ROLE_MEMBER)
    # Only a hash of the token is kept: the link itself is shown once to the coordinator.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    city: Mapped[City] = relationship()


class PasswordReset(Base):
    """A one-time, expiring link an admin or coordinator hands to a user who forgot a password.

    There is no mail server: whoever issues the link hands it over, as with invitations.
    """

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Only a hash of the token is kept: the link itself is shown once to whoever issued it.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    user: Mapped[User] = relationship(foreign_keys=[user_id])
