"""Meetings and trainings of a city's network, and which stakeholders attended them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.network import Stakeholder

EVENT_KINDS: tuple[str, ...] = ("meeting", "training", "workshop", "joint_activity")

# Attendance by stakeholder only: never residents, no personal data beyond the stakeholder.
event_attendance = Table(
    "plan_event_attendance",
    Base.metadata,
    Column("id", Integer, primary_key=True),  # every table has an id (tests/conftest.py)
    Column("event_id", Integer, ForeignKey("plan_event.id", ondelete="CASCADE"),
           nullable=False),
    Column("stakeholder_id", Integer, ForeignKey("stakeholder.id", ondelete="CASCADE"),
           nullable=False, index=True),
    UniqueConstraint("event_id", "stakeholder_id"),
)


class Event(Base):
    """A meeting, training, workshop or joint activity held on a date, with its attendance."""

    __tablename__ = "plan_event"
    __table_args__ = (
        CheckConstraint("kind in ('meeting', 'training', 'workshop', 'joint_activity')",
                        name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="meeting")
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[str] = mapped_column(Text, default="")
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_activity.id", ondelete="SET NULL"), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attendees: Mapped[list[Stakeholder]] = relationship(
        secondary=event_attendance, order_by="Stakeholder.name", lazy="selectin")
