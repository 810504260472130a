"""The stakeholder map: areas, mapping rounds, stakeholders, ties, survey links, import drafts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.models.accounts import City
from portal.models.base import Base, UTCDateTime, utcnow
from portal.names import name_key

# The fixed vocabularies (keys only; translated labels live in portal/stakeholders/taxonomy.py).
SECTORS: tuple[str, ...] = (
    "education", "religious", "youth", "municipality", "police", "health", "social",
    "civil_society", "media", "national_government", "international", "private",
    "community_leader", "other",
)
LEVELS: tuple[str, ...] = ("local", "national", "international")
TIE_KINDS: tuple[str, ...] = ("information", "referral", "joint_activity", "funding", "agreement")
FREQUENCIES: tuple[str, ...] = ("weekly", "monthly", "quarterly", "yearly")

NAME_MAX = 200


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def _key_of(column: str) -> object:
    """Return a column default: the key of `column` in a Core insert that gives no key."""
    def default(context: DefaultExecutionContext) -> str:
        return name_key(context.get_current_parameters().get(column))
    return default


class _Named:
    """Keeps `name_key` equal to name_key(name) whenever the ORM sets a name.

    The key is unbounded: case folding and NFKC can lengthen a name (ß → ss, ﬁ → fi).
    """

    if TYPE_CHECKING:
        name_key: str

    @validates("name")
    def _set_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Area(_Named, Base):
    """A coarse part of a city (a district, a neighbourhood group), defined by its team."""

    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("city_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String, default=_key_of("name"))


class MappingRound(_Named, Base):
    """A dated snapshot of the map (baseline, follow-up)."""

    __tablename__ = "mapping_round"
    __table_args__ = (UniqueConstraint("city_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String, default=_key_of("name"))
    held_on: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Stakeholder(_Named, Base):
    """An organisation or a role in a city; contact fields are restricted to the city's team."""

    __tablename__ = "stakeholder"
    __table_args__ = (
        UniqueConstraint("city_id", "name_key"),
        CheckConstraint(_in("sector", SECTORS), name="sector_known"),
        CheckConstraint(_in("level", LEVELS), name="level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    name_key: Mapped[str] = mapped_column(String, default=_key_of("name"))
    organisation: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    organisation_key: Mapped[str] = mapped_column(String, default=_key_of("organisation"))
    sector: Mapped[str] = mapped_column(String(32), default="other")
    level: Mapped[str] = mapped_column(String(16), default="local")
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("area.id", ondelete="SET NULL"), index=True, default=None
    )
    is_team_member: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Restricted: shown to the city's own team only, never to regional coordinators or exports
    # made for them.
    contact_person: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    area: Mapped[Area | None] = relationship(lazy="raise")

    @validates("organisation")
    def _set_organisation_key(self, _key: str, value: str) -> str:
        self.organisation_key = name_key(value)
        return value

    @property
    def archived(self) -> bool:
        """Return True when the stakeholder is archived."""
        return self.archived_at is not None


class Tie(Base):
    """A working relationship in one round; the pair is stored lower id first.

    Direction, when known, comes from `reporter_id` (one of the two ends).
    """

    __tablename__ = "tie"
    __table_args__ = (
        UniqueConstraint("round_id", "source_id", "target_id", "kind"),
        CheckConstraint("source_id < target_id", name="ordered_pair"),
        CheckConstraint(_in("kind", TIE_KINDS), name="kind_known"),
        CheckConstraint(_in("frequency", FREQUENCIES), name="frequency_known"),
        Index("ix_tie_target_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("mapping_round.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    frequency: Mapped[str] = mapped_column(String(12))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="SET NULL"), default=None
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RelationshipSurveyLink(Base):
    """A private, expiring link that lets one stakeholder name whom it works with."""

    __tablename__ = "relationship_survey_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    # Only a hash of the token is kept: the link itself is shown once to the coordinator.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token is an HMAC of this nonce under the app's secret key, so the coordinator can
    # print the link again (CSV, cards) while the database alone never yields a working link.
    token_nonce: Mapped[str | None] = mapped_column(String(32), default=None)
    # The UI language of the printed card and the page the link opens: a property of the
    # handout, chosen by the coordinator (the stakeholder record has no language field).
    locale: Mapped[str | None] = mapped_column(String(16), default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The round last answered: the link works again only once another round is current.
    answered_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("mapping_round.id", ondelete="SET NULL"), default=None
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    stakeholder: Mapped[Stakeholder] = relationship(lazy="joined")
    city: Mapped[City] = relationship(lazy="joined")


class ImportDraft(Base):
    """Parsed spreadsheet rows kept between the preview and the apply request (server-side)."""

    __tablename__ = "import_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), default=None
    )
    sha256: Mapped[str] = mapped_column(String(64))
    round_name: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportMapping(Base):
    """A city's answer to "what is this foreign value?", remembered for the next import.

    `vocabulary` is sector, level, kind, frequency or direction; `value_key` the file's value
    folded (NFKC, case folded, spaces collapsed; "" for an empty cell); `target` the portal's key.
    """

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("city_id", "vocabulary", "value_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    vocabulary: Mapped[str] = mapped_column(String(12))
    value_key: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(24))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
