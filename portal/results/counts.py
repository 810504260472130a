"""What a results page is built from: counts and moments of a span of responses, additive.

``Counts`` of disjoint spans of responses add up (portal.results.queries.Span), so the counts
of a survey are the stored aggregates (up to the mark) plus the few responses above it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

from portal.results import queries

AnswerKey = tuple[int, int | None, int | None, str | None]  # question, choice, point, missing
MomentKey = tuple[str, str, str]  # subscale, breakdown ("" = everyone), group ("" = not stated)
Executor = Session | scoped_session[Any] | Connection  # whatever runs the statements


def as_date(value: Any) -> date:
    """Return a week start as a date (SQLite returns ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class Counts:
    """Responses per week and mode, answer rows, multi respondents, subscale moments."""

    weeks: dict[tuple[date, str], int] = field(default_factory=dict)
    answers: dict[AnswerKey, int] = field(default_factory=dict)
    multi: dict[int, int] = field(default_factory=dict)
    moments: dict[MomentKey, tuple[int, float, float]] = field(default_factory=dict)
    last: int = 0  # the largest response id counted

    @property
    def responses(self) -> int:
        """Return how many responses are counted."""
        return sum(self.weeks.values())

    @property
    def other_modes(self) -> bool:
        """Say whether any response came otherwise than through the online form."""
        return any(n for (_week, mode), n in self.weeks.items() if mode != "web")

    def __add__(self, other: Counts) -> Counts:
        """Return the counts of two disjoint spans together."""
        moments: dict[MomentKey, tuple[int, float, float]] = dict(self.moments)
        for key, (n, s, ss) in other.moments.items():
            n0, s0, ss0 = moments.get(key, (0, 0.0, 0.0))
            moments[key] = (n0 + n, s0 + s, ss0 + ss)
        return Counts(_sum(self.weeks, other.weeks), _sum(self.answers, other.answers),
                      _sum(self.multi, other.multi), moments, max(self.last, other.last))

    def weekly_rows(self) -> list[tuple[date, int]]:
        """Return (week start, responses) over every mode, by week."""
        by_week: dict[date, int] = defaultdict(int)
        for (week, _mode), n in self.weeks.items():
            by_week[week] += n
        return sorted(by_week.items())


def _sum(a: dict[Any, int], b: dict[Any, int]) -> dict[Any, int]:
    out = dict(a)
    for key, n in b.items():
        out[key] = out.get(key, 0) + n
    return out


def group_key(value: Any) -> str:
    """Return a breakdown group as stored: a choice id or mode as text, "" for not stated."""
    return "" if value is None else str(value)


def _moment_margins(plan: queries.Plan, rows: list[Any]) -> dict[MomentKey, tuple]:
    """Sum the per-combination moments rows into everyone's and each breakdown's groups."""
    out: dict[MomentKey, list[float]] = {}
    keys = plan.breakdowns
    for row in rows:
        groups, values = row[:len(keys)], row[len(keys):]
        for i, name in enumerate(plan.subscales):
            n, s, ss = int(values[3 * i] or 0), values[3 * i + 1], values[3 * i + 2]
            if not n:
                continue
            targets = [(name, "", "")] + [(name, key, group_key(groups[j]))
                                          for j, key in enumerate(keys)]
            for target in targets:
                acc = out.setdefault(target, [0, 0.0, 0.0])
                acc[0] += n
                acc[1] += float(s or 0.0)
                acc[2] += float(ss or 0.0)
    return {key: (int(v[0]), v[1], v[2]) for key, v in out.items()}


def counts_between(db: Executor, plan: queries.Plan,
                   span: queries.Span = queries.EVERYTHING) -> Counts:
    """Run the GROUP BY queries over a span of a survey's responses (all of them by default)."""
    counts = Counts()
    for week, mode, n, last in db.execute(queries.weekly_query(plan.survey_id, span)):
        counts.weeks[(as_date(week), mode)] = int(n)
        counts.last = max(counts.last, int(last))
    if not counts.weeks:  # no response in the span: nothing else to count
        return counts
    # Answers carry no survey: read them up to this survey's last response in the span only.
    span = queries.Span(span.after, counts.last)
    if plan.choice_questions:
        counts.answers = {(qid, cid, value, missing): int(n) for qid, cid, value, missing, n
                          in db.execute(queries.answer_counts_query(plan, span))}
    if plan.multi_questions:
        counts.multi = {qid: int(n) for qid, n
                        in db.execute(queries.multi_respondents_query(plan, span))}
    if plan.subscales:
        with_mode = replace(plan, by_mode=True)
        rows = [tuple(row) for row in db.execute(
            queries.subscale_moments_query(with_mode, span))]
        counts.moments = _moment_margins(with_mode, rows)
    return counts
