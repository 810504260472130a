"""The local action plan: one current plan per city, its goals, and their activities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
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

ACTIVITY_STATUSES: tuple[str, ...] = ("planned", "under_way", "done", "dropped")

activity_partner = Table(
    "plan_activity_partner",
    Base.metadata,
    Column("id", Integer, primary_key=True),  # every table has an id (tests/conftest.py)
    Column("activity_id", Integer, ForeignKey("plan_activity.id", ondelete="CASCADE"),
           nullable=False),
    Column("stakeholder_id", Integer, ForeignKey("stakeholder.id", ondelete="CASCADE"),
           nullable=False, index=True),
    UniqueConstraint("activity_id", "stakeholder_id"),
)


class Plan(Base):
    """A city's local action plan; only the current one can change, earlier ones are kept."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    goals: Mapped[list[PlanGoal]] = relationship(
        back_populates="plan", order_by="(PlanGoal.position, PlanGoal.id)", lazy="raise",
        cascade="all, delete-orphan")


class PlanGoal(Base):
    """A strategic goal of a plan (title, description, order)."""

    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[Plan] = relationship(back_populates="goals", lazy="raise")
    activities: Mapped[list[PlanActivity]] = relationship(
        back_populates="goal", order_by="(PlanActivity.starts_on, PlanActivity.id)",
        lazy="raise", cascade="all, delete-orphan")


class PlanActivity(Base):
    """An activity under a goal: who carries it, with which partners, when, and how it goes.

    `source` remembers which gap or suggested introduction it answers (e.g.
    "suggestion:12-34"); `round_id` is the mapping round current when it was created, so a
    tie recorded later between its partners can be told apart from one that already existed.
    """

    __tablename__ = "plan_activity"
    __table_args__ = (
        CheckConstraint("status in ('planned', 'under_way', 'done', 'dropped')",
                        name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goal.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None)
    expected_outputs: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(100), default="")
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("mapping_round.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    goal: Mapped[PlanGoal] = relationship(back_populates="activities", lazy="raise")
    partners: Mapped[list[Stakeholder]] = relationship(
        secondary=activity_partner, order_by="Stakeholder.name", lazy="selectin")

    def is_overdue(self, today: date) -> bool:
        """Return True when the end date has passed and the activity is neither done nor dropped."""
        return (self.ends_on is not None and self.ends_on < today
                and self.status in ("planned", "under_way"))
