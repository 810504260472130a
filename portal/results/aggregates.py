"""Per-survey aggregates kept up to a high-water mark, so no results page scans all answers.

A page reads the stored counts (every response up to ``mark``, one small query) plus the
GROUP BYs over the responses above the mark (few: an index range), and adds them
(portal.results.counts). ``refresh_aggregates`` folds the responses above the mark in; a page
does so itself once more than FOLD_AT wait, a job or ``flask results refresh`` ahead of that.
A resident's send writes nothing here: no row every send must update, nothing to serialise on.

Every write is conditional on the version read (optimistic): two refreshes, or a refresh and
a deletion's trigger (portal.models.results), never both apply, and a lost refresh is simply
done again later. A refresh flushes in the caller's session; the request, the CLI command or
the job commits it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from portal.extensions import db
from portal.models import AggregateCell, Question, Response, ResultsAggregate, Survey
from portal.models.base import utcnow
from portal.results import queries
from portal.results.counts import Counts, Executor, as_date, counts_between

FOLD_AT = 1000  # responses above the mark a page adds itself before it folds them in
# Answers are read by response id: above the mark come other surveys' answers too. A survey
# answered slowly beside a busy one is folded in once this many ids lie past its mark.
FOLD_SPAN = 20_000

_CELL = AggregateCell.__table__.c
_STATE = ResultsAggregate.__table__.c


def plan_key(plan: queries.Plan) -> str:
    """Return a digest of everything the aggregates depend on in the survey's questions."""
    spec = repr((plan.choice_questions, plan.multi_questions, sorted(plan.subscales.items()),
                 sorted(plan.reversed_ids), sorted(plan.demographics.items())))
    return hashlib.sha256(spec.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Stored:
    """A survey's aggregates as read in one statement: state and counts agree."""

    version: int
    mark: int
    plan_key: str
    counts: Counts


def load(conn: Executor, survey_id: int) -> Stored | None:
    """Read a survey's state row and its cells in ONE statement (one snapshot)."""
    rows = conn.execute(
        select(_STATE.version, _STATE.mark, _STATE.plan_key, _CELL.kind, _CELL.week, _CELL.mode,
               _CELL.question_id, _CELL.choice_id, _CELL.value_int, _CELL.missing_reason,
               _CELL.subscale, _CELL.breakdown, _CELL.group_key, _CELL.n, _CELL.total,
               _CELL.total_sq)
        .select_from(ResultsAggregate.__table__.outerjoin(
            AggregateCell.__table__, _CELL.survey_id == _STATE.survey_id))
        .where(_STATE.survey_id == survey_id)).all()
    if not rows:
        return None
    counts = Counts()
    for row in rows:
        if row.kind == "week":
            counts.weeks[(as_date(row.week), row.mode)] = row.n
        elif row.kind == "answer":
            counts.answers[(row.question_id, row.choice_id, row.value_int,
                            row.missing_reason)] = row.n
        elif row.kind == "multi":
            counts.multi[row.question_id] = row.n
        elif row.kind == "moment":
            counts.moments[(row.subscale, row.breakdown, row.group_key)] = (
                row.n, row.total, row.total_sq)
    first = rows[0]
    return Stored(first.version, first.mark, first.plan_key, counts)


def _cells(survey_id: int, counts: Counts) -> list[dict[str, Any]]:
    """Return the cell rows of a survey's counts."""
    base = dict.fromkeys(("week", "mode", "question_id", "choice_id", "value_int",
                          "missing_reason", "subscale", "breakdown", "group_key", "total",
                          "total_sq"))
    cells = [base | {"survey_id": survey_id, "kind": "week", "week": week, "mode": mode, "n": n}
             for (week, mode), n in counts.weeks.items()]
    cells += [base | {"survey_id": survey_id, "kind": "answer", "question_id": q,
                      "choice_id": c, "value_int": v, "missing_reason": m, "n": n}
              for (q, c, v, m), n in counts.answers.items()]
    cells += [base | {"survey_id": survey_id, "kind": "multi", "question_id": q, "n": n}
              for q, n in counts.multi.items()]
    cells += [base | {"survey_id": survey_id, "kind": "moment", "subscale": name,
                      "breakdown": key, "group_key": group, "n": n, "total": s, "total_sq": ss}
              for (name, key, group), (n, s, ss) in counts.moments.items()]
    return cells


def _settled_mark(session: Session | scoped_session[Any], survey_id: int) -> int | None:
    """Return the largest response id below which every insert has committed.

    SQLite has one writer at a time, so ids commit in order. PostgreSQL hands out ids before
    commit: an insert still running could hold a lower id than one already visible, and a mark
    past it would skip it for ever. A SHARE lock waits for every running insert into the table
    and holds new ones back for the one read below, on a connection of its own, so sends wait
    a moment, not for the refresh. None when the lock does not come (nothing is folded then).
    """
    highest = select(func.coalesce(func.max(Response.id), 0)).where(
        Response.survey_id == survey_id)
    if session.get_bind().dialect.name != "postgresql":
        return int(session.scalar(highest) or 0)
    try:
        with db.engine.connect() as other, other.begin():
            other.execute(text("SET LOCAL lock_timeout = '5s'"))
            other.execute(text("LOCK TABLE survey_response IN SHARE MODE"))
            return int(other.scalar(highest) or 0)
    except OperationalError:  # the caller's own transaction inserts responses, or a jam
        return None


def _ensure_state(session: Session | scoped_session[Any], survey_id: int) -> Stored:
    """Create the survey's state row (empty, stale) unless it exists; return it."""
    dialect = session.get_bind().dialect.name
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(dialect_insert(ResultsAggregate.__table__).values(
        survey_id=survey_id, version=0, mark=0, plan_key="", responses=0,
        refreshed_at=utcnow()).on_conflict_do_nothing(index_elements=["survey_id"]))
    stored = load(session, survey_id)
    assert stored is not None
    return stored


def _fold(session: Session | scoped_session[Any], plan: queries.Plan) -> int:
    """Fold the responses above the mark in (everything, if stale); return how many."""
    key, survey_id = plan_key(plan), plan.survey_id
    stored = load(session, survey_id) or _ensure_state(session, survey_id)
    fresh = stored.plan_key != key
    after = 0 if fresh else stored.mark
    upto = _settled_mark(session, survey_id)
    if upto is None or (not fresh and upto <= after):
        return 0
    delta = counts_between(session, plan, queries.Span(after, upto))
    total = delta if fresh else stored.counts + delta
    done = session.execute(update(ResultsAggregate.__table__).where(
        _STATE.survey_id == survey_id, _STATE.version == stored.version).values(
        version=stored.version + 1, mark=upto, plan_key=key, responses=total.responses,
        refreshed_at=utcnow()))
    if getattr(done, "rowcount", 0) != 1:  # another refresh or a deletion came first
        return 0
    session.execute(delete(AggregateCell.__table__).where(_CELL.survey_id == survey_id))
    cells = _cells(survey_id, total)
    if cells:
        session.execute(insert(AggregateCell.__table__), cells)
    return delta.responses


def survey_plan(survey: Survey) -> queries.Plan:
    """Return the query plan of a survey's questions."""
    return queries.plan_for(survey.questions, survey.id)


def refresh_aggregates(survey_id: int) -> int | None:
    """Bring a survey's aggregates up to date (the caller commits); return how many
    responses were folded in.

    Idempotent and safe to run at any time, concurrently too (a job, the CLI, a page): None
    when the survey does not exist, 0 when nothing was new or another refresh came first.
    """
    survey = db.session.scalars(select(Survey).where(Survey.id == survey_id)).first()
    if survey is None:
        return None
    # In the order of Survey.questions: the plan key depends on it (PostgreSQL returns an
    # unordered SELECT in any order, and a different key would rebuild at every view).
    questions = db.session.scalars(
        select(Question).where(Question.survey_id == survey_id)
        .order_by(Question.position)).all()
    return _fold(db.session, queries.plan_for(questions, survey_id))


def current_counts(plan: queries.Plan) -> Counts:
    """Return the counts of every response of a survey: stored aggregates + the rest.

    Stale or missing aggregates are rebuilt first (a full scan, once); more than FOLD_AT new
    responses are folded in. Above RESULTS_INLINE_UP_TO responses a job does both
    (portal.results.refresh_jobs): a rebuild raises `ResultsPending`, a fold is queued while
    this view adds the new responses itself.
    """
    from portal.results import refresh_jobs

    session = db.session
    stored = load(session, plan.survey_id)
    if stored is None or stored.plan_key != plan_key(plan):
        if not refresh_jobs.inline_allowed(refresh_jobs.response_count(plan.survey_id)):
            raise refresh_jobs.pending(plan.survey_id)
        _fold(session, plan)
        stored = load(session, plan.survey_id)
        if stored is None or stored.plan_key != plan_key(plan):  # changed meanwhile
            return counts_between(session, plan)
    delta = counts_between(session, plan, queries.Span(stored.mark))
    if delta.responses >= FOLD_AT or delta.last - stored.mark > FOLD_SPAN:
        if refresh_jobs.inline_allowed(stored.counts.responses + delta.responses):
            _fold(session, plan)
        else:
            refresh_jobs.start(plan.survey_id)
    return stored.counts + delta
