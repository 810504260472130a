"""The plan's output indicators, computed on a date: activities done against planned per goal
and quarter, meetings and trainings per quarter, stakeholders reached, the team's attendance
rate, and the suggested introductions taken into the plan, acted on, and now observed as ties.

Every figure is a count or a share of a group: no per-person score.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, Plan, Stakeholder, Tie
from portal.plan import events
from portal.stakeholders.rounds import current_round

NO_DATE = "—"
_PAIR = re.compile(r"suggestion:[^:]*:(\d+)-(\d+)")


def quarter(day: date | None) -> str:
    """Return a date's calendar quarter as "2026-Q1" (NO_DATE for none)."""
    return NO_DATE if day is None else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class Indicators:
    """The plan's indicators as of a date."""

    as_of: date
    quarters: list[str] = field(default_factory=list)
    goals: list[tuple[str, dict[str, tuple[int, int]]]] = field(default_factory=list)
    events: dict[str, Counter[str]] = field(default_factory=dict)  # quarter → kind → count
    reached: int = 0
    team_rate: float | None = None
    introductions: int = 0
    acted_on: int = 0
    now_tied: int = 0


def _goal_rows(plan: Plan) -> list[tuple[str, dict[str, tuple[int, int]]]]:
    """Per goal: quarter (of the end date, else the start) → (done, planned); dropped left out."""
    rows = []
    for goal in plan.goals:
        cells: dict[str, list[int]] = {}
        for a in goal.activities:
            due = a.ends_on or a.starts_on
            if a.status == "dropped":
                continue
            cell = cells.setdefault(quarter(due), [0, 0])
            cell[0] += a.status == "done"
            cell[1] += 1
        rows.append((goal.title, {q: (c[0], c[1]) for q, c in cells.items()}))
    return rows


def _introductions(city: City, plan: Plan) -> tuple[int, int, int]:
    pairs = [(a, _PAIR.fullmatch(a.source)) for g in plan.goals for a in g.activities
             if a.status != "dropped" and a.source.startswith("suggestion:")]
    acted = [(a, m) for a, m in pairs if a.status in ("under_way", "done")]
    round_ = current_round(city)
    tied: set[tuple[int, int]] = set()
    if round_ is not None:
        tied = {(min(s, t), max(s, t)) for s, t in db.session.execute(
            select(Tie.source_id, Tie.target_id).where(Tie.city_id == city.id,
                                                       Tie.round_id == round_.id))}
    now = sum(1 for _a, m in acted if m is not None and (
        min(int(m[1]), int(m[2])), max(int(m[1]), int(m[2]))) in tied)
    return len(pairs), len(acted), now


def _team_rate(city: City, held: int, pairs: list[tuple[int, int]]) -> float | None:
    team = set(db.session.scalars(select(Stakeholder.id).where(
        Stakeholder.city_id == city.id, Stakeholder.is_team_member,
        Stakeholder.erased_at.is_(None), Stakeholder.archived_at.is_(None))))
    if not team or not held:
        return None
    return sum(1 for _e, s in pairs if s in team) / (len(team) * held)


def compute(city: City, plan: Plan | None, today: date) -> Indicators:
    """Return the city's indicators as of `today` (events after it are not counted yet)."""
    out = Indicators(as_of=today)
    past = [e for e in events.events_of(city) if e.held_on <= today]
    ids = {e.id for e in past}
    pairs = [(e, s) for e, s in events.attendance_pairs(city) if e in ids]
    for e in past:
        out.events.setdefault(quarter(e.held_on), Counter())[e.kind] += 1
    out.reached = len({s for _e, s in pairs})
    out.team_rate = _team_rate(city, len(past), pairs)
    if plan is not None:
        out.goals = _goal_rows(plan)
        out.introductions, out.acted_on, out.now_tied = _introductions(city, plan)
    keys = set(out.events) | {q for _t, cells in out.goals for q in cells}
    out.quarters = sorted(keys - {NO_DATE}) + ([NO_DATE] if NO_DATE in keys else [])
    return out


INDICATOR_HEADER = ["indicator", "period", "group", "value", "as_of"]


def indicator_table(ind: Indicators) -> list[list[Any]]:
    """Return the indicators as rows (header first) for the plan's XLSX export."""
    day = ind.as_of.isoformat()
    rows: list[list[Any]] = [INDICATOR_HEADER]
    for title, cells in ind.goals:
        for q in ind.quarters:
            if q in cells:
                rows.append(["activities_done", q, title, cells[q][0], day])
                rows.append(["activities_planned", q, title, cells[q][1], day])
    for q in ind.quarters:
        for kind, count in sorted(ind.events.get(q, Counter()).items()):
            rows.append(["events_held", q, kind, count, day])
    rows.append(["stakeholders_reached", "", "", ind.reached, day])
    rows.append(["team_attendance_rate", "", "",
                 "" if ind.team_rate is None else round(ind.team_rate, 3), day])
    rows.append(["introductions_in_plan", "", "", ind.introductions, day])
    rows.append(["introductions_acted_on", "", "", ind.acted_on, day])
    rows.append(["introductions_now_tied", "", "", ind.now_tied, day])
    return rows
