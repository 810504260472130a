"""Background jobs: one row per piece of work handed to the task queue (portal.jobs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")
FINISHED = ("done", "failed")


def new_job_id() -> str:
    """Return a random job id (a UUID as text: the same on SQLite and PostgreSQL)."""
    return str(uuid.uuid4())


class Job(Base):
    """A job: who asked for what in which city, how far it got, and what it left behind.

    The integer key keeps the tables alike (the test fixtures order rows by it); the
    `uuid` is what URLs and the queue carry. `message` is a key the presenters translate,
    never an exception's text. `attempts` counts the runs a worker started: a run may only
    mark the job finished while the count is still its own, so a run taken over after a
    lost worker can never apply twice.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status in ('queued', 'running', 'done', 'failed')",
                        name="status_known"),
        UniqueConstraint("city_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The job's name outside the database (URLs, the queue): not guessable, not a count.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_job_id)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(32), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A file the job wrote under instance/jobs/ (a microdata export) and its download name.
    result_path: Mapped[str | None] = mapped_column(String(300), default=None)
    result_name: Mapped[str | None] = mapped_column(String(200), default=None)
    downloaded: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)

    @property
    def finished(self) -> bool:
        """Return True once the job is done or has failed."""
        return self.status in FINISHED
