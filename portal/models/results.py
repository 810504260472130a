"""Per-survey results aggregates: counts and moments up to a high-water mark of responses.

``ResultsAggregate`` says how far a survey's aggregates go (every response with an id up to
``mark`` is folded in) and for which question plan; ``AggregateCell`` holds the counts. Nothing
here is written by a resident's send: the results read the cells plus the few responses above
the mark, and portal.results.aggregates folds those in now and then.

Deleting or changing a response marks its survey's aggregates stale in the database itself
(the triggers below), so no code path (erasure, a test-data reset, a script) can leave them
in use: the next read rebuilds them. Answers are append-only and go only with their response.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Date, Float, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class ResultsAggregate(Base):
    """How far a survey's aggregates go: the high-water mark and the plan they were built for.

    One row per survey, never deleted while the survey lives: every writer (a refresh, the
    invalidating triggers) updates it, so concurrent writers meet on its row lock, and a
    refresh writes only if ``version`` is still the one it read. An empty ``plan_key`` means
    the cells are stale (a response was deleted or changed): the next read rebuilds them.
    """

    __tablename__ = "results_aggregate"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    mark: Mapped[int] = mapped_column(Integer, default=0)  # the largest response id folded in
    plan_key: Mapped[str] = mapped_column(String(64), default="")  # aggregates.plan_key
    responses: Mapped[int] = mapped_column(Integer, default=0)  # responses folded in
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AggregateCell(Base):
    """One aggregate of a survey's responses up to the mark; ``kind`` says which columns count.

    week: responses per (ISO week, collection mode) · answer: answer rows per (question,
    choice, scale point, missing reason) · multi: respondents per multiple-choice question ·
    moment: (n, sum, sum of squares) of a subscale's scores per breakdown group ("" = everyone).
    """

    __tablename__ = "results_aggregate_cell"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    week: Mapped[date | None] = mapped_column(Date, default=None)
    mode: Mapped[str | None] = mapped_column(String(8), default=None)
    question_id: Mapped[int | None] = mapped_column(Integer, default=None)
    choice_id: Mapped[int | None] = mapped_column(Integer, default=None)
    value_int: Mapped[int | None] = mapped_column(Integer, default=None)
    missing_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    subscale: Mapped[str | None] = mapped_column(String(64), default=None)
    breakdown: Mapped[str | None] = mapped_column(String(16), default=None)
    group_key: Mapped[str | None] = mapped_column(String(32), default=None)
    n: Mapped[int] = mapped_column(Integer)
    total: Mapped[float | None] = mapped_column(Float, default=None)
    total_sq: Mapped[float | None] = mapped_column(Float, default=None)


# The same statements are in migration 0020_results_aggregates (frozen there). Only the first
# of many deleted rows writes: the others find the aggregates already marked stale.
_STALE = ("UPDATE results_aggregate SET version = version + 1, plan_key = '' "
          "WHERE plan_key <> '' AND survey_id")
INVALIDATE_SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_response_deleted
        AFTER DELETE ON survey_response BEGIN {_STALE} = OLD.survey_id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_response_changed
        AFTER UPDATE ON survey_response
        BEGIN {_STALE} IN (OLD.survey_id, NEW.survey_id); END""",
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_answer_changed
        AFTER UPDATE ON survey_answer BEGIN {_STALE} IN (SELECT survey_id FROM survey_response
        WHERE id IN (OLD.response_id, NEW.response_id)); END""",
]
INVALIDATE_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION results_aggregate_invalidate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'survey_response' AND TG_OP = 'DELETE' THEN
            {_STALE} = OLD.survey_id;
          ELSIF TG_TABLE_NAME = 'survey_response' THEN
            {_STALE} IN (OLD.survey_id, NEW.survey_id);
          ELSE
            {_STALE} IN (SELECT survey_id FROM survey_response
                         WHERE id IN (OLD.response_id, NEW.response_id));
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE OR REPLACE TRIGGER results_aggregate_response_changed AFTER DELETE OR UPDATE
       ON survey_response FOR EACH ROW EXECUTE FUNCTION results_aggregate_invalidate()""",
    """CREATE OR REPLACE TRIGGER results_aggregate_answer_changed AFTER UPDATE
       ON survey_answer FOR EACH ROW EXECUTE FUNCTION results_aggregate_invalidate()""",
]

# Tests build the schema with create_all: the triggers come with it, once every table exists
# (the statements may run again: create_all skips tables that exist, not this event).
for _statement in INVALIDATE_SQLITE:
    event.listen(Base.metadata, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in INVALIDATE_POSTGRESQL:
    event.listen(Base.metadata, "after_create",
                 DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))

__all__ = ["AggregateCell", "ResultsAggregate"]
