"""The GROUP BY queries behind the results: SQLAlchemy Core, aggregation in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Float, Select, and_, case, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from portal.models import Answer, Question, Response, ResultsAggregate, Survey


class week_start(FunctionElement[Any]):  # noqa: N801 -- reads like the SQL function it is
    """The Monday of a date's ISO week, computed by the database."""

    type = Date()
    inherit_cache = True


@compiles(week_start)
def _week_start_default(element: week_start, compiler: Any, **kw: Any) -> str:
    """PostgreSQL (and others): truncate to the ISO week."""
    arg = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(date_trunc('week', {arg}) AS DATE)"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    """SQLite: step back (weekday + 6) % 7 days, %w counting Sunday as 0."""
    arg = compiler.process(list(element.clauses)[0], **kw)
    return (f"date({arg}, '-' || ((CAST(strftime('%w', {arg}) AS INTEGER) + 6) % 7) "
            f"|| ' days')")


@dataclass(frozen=True)
class Plan:
    """What the queries need to know about a survey's questions (read once, small)."""

    survey_id: int
    choice_questions: tuple[int, ...]
    multi_questions: tuple[int, ...]
    subscales: dict[str, tuple[int, ...]]  # subscale -> likert question ids
    reversed_ids: frozenset[int]
    demographics: dict[str, int] = field(default_factory=dict)  # key -> question id
    # Break down by collection mode too (web, device, paper): set when any response did not
    # come from the online form, so a survey answered only online shows no empty breakdown.
    by_mode: bool = False

    @property
    def breakdowns(self) -> list[str]:
        """Return the keys of the breakdowns, in the order of the moments' group columns."""
        return [*self.demographics, *(["collection_mode"] if self.by_mode else [])]

    def n_items(self, subscale: str) -> int:
        """Return how many items the subscale has."""
        return len(self.subscales[subscale])


def plan_for(questions: Sequence[Question], survey_id: int) -> Plan:
    """Read the question metadata the aggregate queries are built from."""
    subscales: dict[str, list[int]] = {}
    for q in questions:
        if q.qtype == "likert5" and q.subscale:
            subscales.setdefault(q.subscale, []).append(q.id)
    demographics: dict[str, int] = {}
    for q in questions:
        if q.demographic and q.qtype == "single" and q.demographic not in demographics:
            demographics[q.demographic] = q.id
    return Plan(
        survey_id=survey_id,
        choice_questions=tuple(q.id for q in questions
                               if q.qtype in ("likert5", "single", "multi")),
        multi_questions=tuple(q.id for q in questions if q.qtype == "multi"),
        subscales={name: tuple(ids) for name, ids in sorted(subscales.items())},
        reversed_ids=frozenset(q.id for q in questions if q.reverse),
        demographics=dict(sorted(demographics.items())),
    )


@dataclass(frozen=True)
class Span:
    """The responses a query reads: ids above ``after``, up to ``upto`` (None: all of them).

    Response ids are the high-water mark of the aggregates (portal.results.aggregates): the
    aggregates hold (0, mark], the page adds (mark, None], a refresh folds in (mark, new mark].
    Answers carry their response's id, so both tables are read by an id range on an index.
    """

    after: int = 0
    upto: int | None = None

    def question(self) -> ColumnElement[Any]:
        """Return the question id column to filter and group the answers of the span by.

        Above a mark, the answers to read are those of the few new responses: ``+ 0`` keeps
        the planner off the index by question (every answer to those questions, ever, which
        SQLite would also pick to group by) and on the range of the index by response
        (ix_survey_answer_response_items).
        """
        column: ColumnElement[Any] = Answer.question_id.expression
        return column if not self.after else column + 0

    def of(self, column: Any) -> list[ColumnElement[bool]]:
        """Return the conditions that keep a response id column inside the span."""
        conditions = [column > self.after] if self.after else []
        if self.upto is not None:
            conditions.append(column <= self.upto)
        return conditions


EVERYTHING = Span()


def weekly_query(survey_id: int, span: Span = EVERYTHING) -> Select[*tuple[Any, ...]]:
    """Responses per ISO week (Monday of the week) and collection mode, and the last id."""
    week = week_start(Response.submitted_on).label("week")
    return (select(week, Response.collection_mode, func.count().label("n"),
                   func.max(Response.id).label("last"))
            .where(Response.survey_id == survey_id, *span.of(Response.id))
            .group_by(week, Response.collection_mode).order_by(week))


def answer_counts_query(plan: Plan, span: Span = EVERYTHING) -> Select[*tuple[Any, ...]]:
    """Answer rows per question and value: choice, scale point or missing reason."""
    question = span.question()
    return (
        select(question.label("question_id"), Answer.choice_id, Answer.value_int,
               Answer.missing_reason, func.count().label("n"))
        .where(question.in_(plan.choice_questions or (-1,)), *span.of(Answer.response_id))
        .group_by(question, Answer.choice_id, Answer.value_int, Answer.missing_reason)
    )


def multi_respondents_query(plan: Plan, span: Span = EVERYTHING) -> Select[*tuple[Any, ...]]:
    """Respondents with any answer row (a choice or a missing reason) per multiple-choice
    question (distinct respondents add up over disjoint spans)."""
    question = span.question()
    return (
        select(question.label("question_id"),
               func.count(func.distinct(Answer.response_id)).label("n"))
        .where(question.in_(plan.multi_questions or (-1,)), *span.of(Answer.response_id))
        .group_by(question)
    )


def _point(plan: Plan, ids: tuple[int, ...]) -> ColumnElement[Any]:
    """A scale point of one of these items after reverse scoring; NULL for other rows."""
    rev = [i for i in ids if i in plan.reversed_ids]
    fwd = [i for i in ids if i not in plan.reversed_ids]
    whens: list[tuple[ColumnElement[bool], Any]] = []
    if fwd:
        whens.append((Answer.question_id.in_(fwd), Answer.value_int))
    if rev:
        whens.append((Answer.question_id.in_(rev), 6 - Answer.value_int))
    return case(*whens, else_=None)


def per_respondent_query(plan: Plan, span: Span = EVERYTHING) -> Any:
    """One row per response: item sum and answered count per subscale, demographic choices.

    "Don't know" / "prefer not" rows have value_int NULL and are never counted as a point.
    """
    cols: list[Any] = [Answer.response_id.label("rid")]
    for i, (_name, ids) in enumerate(plan.subscales.items()):
        point = _point(plan, ids)
        cols.append(func.sum(point).label(f"s{i}"))
        cols.append(func.count(point).label(f"c{i}"))
    for key, qid in plan.demographics.items():
        chosen = case((Answer.question_id == qid, Answer.choice_id), else_=None)
        cols.append(func.max(chosen).label(f"d_{key}"))
    wanted = [i for ids in plan.subscales.values() for i in ids] + list(plan.demographics.values())
    valid = Answer.value_int.between(1, 5) | Answer.question_id.in_(
        list(plan.demographics.values()) or [-1])
    query = select(*cols)
    if plan.by_mode:
        query = select(*cols, func.max(Response.collection_mode).label("d_collection_mode")
                       ).join(Response, Response.id == Answer.response_id)
    return (query.where(Answer.question_id.in_(wanted or [-1]), valid,
                        *span.of(Answer.response_id))
            .group_by(Answer.response_id).subquery("per_respondent"))


def subscale_moments_query(plan: Plan, span: Span = EVERYTHING) -> Select[*tuple[Any, ...]]:
    """(n, sum, sum of squares) of subscale scores per combination of demographic groups.

    A respondent is scored on a subscale only when at least half of its items were answered.
    The result is small (groups × combinations), so margins are summed in Python.
    """
    per = per_respondent_query(plan, span)
    demo = [per.c[f"d_{key}"].label(key) for key in plan.breakdowns]
    cols: list[Any] = list(demo)
    for i, name in enumerate(plan.subscales):
        count_col, sum_col = per.c[f"c{i}"], per.c[f"s{i}"]
        enough = and_(count_col > 0, count_col * 2 >= plan.n_items(name))
        score = cast(sum_col, Float) / count_col
        cols.append(func.sum(case((enough, 1), else_=0)).label(f"n{i}"))
        cols.append(func.sum(case((enough, score), else_=None)).label(f"s{i}"))
        cols.append(func.sum(case((enough, score * score), else_=None)).label(f"ss{i}"))
    if not cols:
        cols = [literal(0).label("none")]
    return select(*cols).select_from(per).group_by(*demo)


def survey_counts_query(city_id: int) -> Select[*tuple[Any, ...]]:
    """A city's surveys with their numbers of responses: the aggregates' count (when they are
    not stale) plus a count of the responses above their mark only."""
    agg = ResultsAggregate
    valid = agg.plan_key != ""
    mark = func.coalesce(case((valid, agg.mark), else_=0), 0)
    newer = (select(func.count()).where(Response.survey_id == Survey.id, Response.id > mark)
             .correlate(Survey, agg).scalar_subquery())
    count = func.coalesce(case((valid, agg.responses), else_=0), 0) + newer
    return (select(Survey, count.label("n"))
            .outerjoin(agg, agg.survey_id == Survey.id).where(Survey.city_id == city_id)
            .order_by(Survey.created_at.desc(), Survey.id.desc()))
