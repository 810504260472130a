"""Cached coordination-gap analyses, one per (city, round, filter, network revision)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow

FILTER_KEY_MAX = 200


class AnalysisResult(Base):
    """One stored analyse() output; a new network revision makes it stale (and prunable)."""

    __tablename__ = "analysis_result"
    __table_args__ = (
        UniqueConstraint("city_id", "round_id", "filter_key", "network_revision"),
        # A city with no mapping round yet has round_id NULL, and NULLs never collide in a
        # unique constraint (SQLite, PostgreSQL): this partial index keeps that key unique too.
        Index(
            "uq_analysis_result_no_round",
            "city_id",
            "filter_key",
            "network_revision",
            unique=True,
            sqlite_where=text("round_id IS NULL"),
            postgresql_where=text("round_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's index starts with city_id, so it needs no index of its own.
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("mapping_round.id", ondelete="CASCADE"), index=True, default=None
    )
    # Canonical "name=value" pairs sorted by name and joined by ";" ("" for the whole map).
    filter_key: Mapped[str] = mapped_column(String(FILTER_KEY_MAX), default="")
    network_revision: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
