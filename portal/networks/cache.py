"""The analysis cache: one stored result per (city, round, filter, network revision)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AnalysisResult


def filter_key(**filters: str | None) -> str:
    """Return the canonical key of a filter: set values as "name=value", sorted, ";"-joined."""
    return ";".join(f"{name}={value}" for name, value in sorted(filters.items()) if value)


def _key_query(city_id: int, round_id: int | None, key: str, revision: int) -> Any:
    round_match = (
        AnalysisResult.round_id.is_(None) if round_id is None
        else AnalysisResult.round_id == round_id
    )
    return select(AnalysisResult).where(
        AnalysisResult.city_id == city_id,
        round_match,
        AnalysisResult.filter_key == key,
        AnalysisResult.network_revision == revision,
    )


def lookup(city_id: int, round_id: int | None, key: str, revision: int) -> AnalysisResult | None:
    """Return the stored result for this key, or None."""
    return db.session.scalar(_key_query(city_id, round_id, key, revision).limit(1))


def store(
    city_id: int, round_id: int | None, key: str, revision: int, payload: dict[str, Any]
) -> AnalysisResult:
    """Store a result and prune the city's older revisions; return the row that holds the key.

    Two requests may compute the same key at once: the loser's INSERT fails on the unique
    key inside a SAVEPOINT, which is rolled back alone, and the winner's row is returned.
    Nothing is committed here: the request's one commit keeps the row.
    """
    row = AnalysisResult(city_id=city_id, round_id=round_id, filter_key=key,
                         network_revision=revision, payload=payload)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        stored = lookup(city_id, round_id, key, revision)
        if stored is not None:
            return stored
        # The other request rolled back after all: serve this result without storing it.
        return AnalysisResult(city_id=city_id, round_id=round_id, filter_key=key,
                              network_revision=revision, payload=payload)
    prune(city_id, revision)
    return row


def prune(city_id: int, revision: int) -> int:
    """Delete the city's results of older network revisions; return how many went."""
    # SKIP LOCKED (PostgreSQL; SQLite has no row locks) so that two requests pruning at
    # once never wait for each other's rows, which could deadlock with their inserts.
    stale = (
        select(AnalysisResult.id)
        .where(AnalysisResult.city_id == city_id, AnalysisResult.network_revision < revision)
        .with_for_update(skip_locked=True)
    )
    result = db.session.execute(
        delete(AnalysisResult).where(AnalysisResult.id.in_(stale.scalar_subquery())),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)
