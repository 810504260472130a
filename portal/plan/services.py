"""Plans, goals and activities: reading and changing them, always audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.models import (
    ACTIVITY_STATUSES,
    City,
    Membership,
    Plan,
    PlanActivity,
    PlanGoal,
    Stakeholder,
    User,
)
from portal.models.base import utcnow
from portal.models.plan import activity_partner
from portal.stakeholders.rounds import current_round

ACTIVITY_FIELDS = ("title", "description", "status", "starts_on", "ends_on", "owner_id",
                   "expected_outputs", "notes")


class PlanError(ValueError):
    """A change the plan refuses; its message is a key of portal.plan.messages."""


def current_plan(city: City) -> Plan | None:
    """Return the city's current plan with its goals and activities, or None."""
    return _load(select(Plan).where(Plan.city_id == city.id, Plan.is_current))


def plan_by_id(city: City, plan_id: int) -> Plan | None:
    """Return one of the city's plans (current or earlier) with its goals and activities."""
    return _load(select(Plan).where(Plan.city_id == city.id, Plan.id == plan_id))


def _load(query: Any) -> Plan | None:
    return db.session.scalar(query.options(
        selectinload(Plan.goals).selectinload(PlanGoal.activities)))


def plans_of(city: City) -> list[Plan]:
    """Return every plan of the city, newest first."""
    return list(db.session.scalars(
        select(Plan).where(Plan.city_id == city.id).order_by(Plan.created_at.desc(),
                                                               Plan.id.desc())))


def start_plan(city: City, title: str, *, actor: User | None) -> Plan:
    """Start a new current plan; the previous one is kept, read-only."""
    old = current_plan(city)
    if old is not None:
        old.is_current = False
        old.closed_at = utcnow()
        audit.record("plan.close", actor=actor, city=city, target=old)
    plan = Plan(city_id=city.id, title=title.strip(), is_current=True)
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.start", actor=actor, city=city, target=plan, details=plan.title)
    return plan


def goal_by_id(city: City, goal_id: int) -> PlanGoal | None:
    """Return a goal of the city's current plan, or None."""
    return db.session.scalar(select(PlanGoal).join(Plan).where(
        PlanGoal.id == goal_id, Plan.city_id == city.id, Plan.is_current))


def goals_of_current(city: City) -> list[PlanGoal]:
    """Return the goals of the city's current plan, in order."""
    return list(db.session.scalars(select(PlanGoal).join(Plan).where(
        Plan.city_id == city.id, Plan.is_current).order_by(PlanGoal.position, PlanGoal.id)))


def save_goal(city: City, goal: PlanGoal | None, values: dict[str, Any], *,
              actor: User | None) -> PlanGoal:
    """Add a goal to the current plan (goal None) or change one; return it."""
    if goal is None:
        plan = current_plan(city)
        if plan is None:
            raise PlanError("no_plan")
        goal = PlanGoal(plan_id=plan.id)
        db.session.add(goal)
        action = "plan.goal.create"
    else:
        action = "plan.goal.update"
    goal.title = values["title"].strip()
    goal.description = values.get("description") or ""
    goal.position = int(values.get("position") or 1)
    db.session.flush()
    audit.record(action, actor=actor, city=city, target=goal, details=goal.title)
    return goal


def activity_by_id(city: City, activity_id: int) -> PlanActivity | None:
    """Return an activity of any of the city's plans, or None."""
    return db.session.scalar(select(PlanActivity).where(
        PlanActivity.id == activity_id, PlanActivity.city_id == city.id).options(
        selectinload(PlanActivity.goal).selectinload(PlanGoal.plan)))


def team_users(city: City) -> list[User]:
    """Return the city's team members (possible activity owners), by name."""
    users = db.session.scalars(select(User).join(Membership).where(
        Membership.city_id == city.id))
    return sorted(users, key=lambda u: u.display_name.casefold())


def partner_options(city: City) -> list[Stakeholder]:
    """Return the city's stakeholders that can be partners (not archived, not erased)."""
    return list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None),
        Stakeholder.erased_at.is_(None)).order_by(Stakeholder.name_key)))


def _partners(city: City, ids: list[int]) -> list[Stakeholder]:
    if not ids:
        return []
    found = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise PlanError("unknown_partner")
    return found


def _check(city: City, values: dict[str, Any]) -> None:
    if values.get("status", "planned") not in ACTIVITY_STATUSES:
        raise PlanError("unknown_status")
    start, end = values.get("starts_on"), values.get("ends_on")
    if start is not None and end is not None and end < start:
        raise PlanError("ends_before_start")
    owner = values.get("owner_id")
    if owner is not None and owner not in {u.id for u in team_users(city)}:
        raise PlanError("unknown_owner")


def save_activity(city: City, goal: PlanGoal, activity: PlanActivity | None,
                  values: dict[str, Any], partner_ids: list[int], *,
                  actor: User | None, source: str = "") -> PlanActivity:
    """Add an activity under a goal of the current plan, or change one; return it."""
    _check(city, values)
    partners = _partners(city, partner_ids)
    action = "plan.activity.update"
    if activity is None:
        round_ = current_round(city)
        activity = PlanActivity(city_id=city.id, source=source,
                                round_id=round_.id if round_ else None)
        action = "plan.activity.create"
    activity.goal_id = goal.id
    for name in ACTIVITY_FIELDS:
        if name in values:
            value = values[name]
            setattr(activity, name, value if value is not None or name in (
                "starts_on", "ends_on", "owner_id") else "")
    activity.title = activity.title.strip()
    activity.partners = partners
    db.session.add(activity)
    db.session.flush()
    audit.record(action, actor=actor, city=city, target=activity,
                 details=f"{activity.title} [{activity.status}]")
    return activity


def may_update(activity: PlanActivity, user: User, coordinates: bool, member: bool) -> bool:
    """Return True when the user may change an activity's progress (page and API alike).

    Its owner (a member of the team) or a coordinator, and only in the current plan.
    """
    return activity.goal.plan.is_current and (
        coordinates or (member and activity.owner_id == user.id))


def update_progress(city: City, activity: PlanActivity, status: str, notes: str, *,
                    actor: User | None, channel: str = "") -> None:
    """Change an activity's status and notes (what its owner may do); `channel`: e.g. a token."""
    if status not in ACTIVITY_STATUSES:
        raise PlanError("unknown_status")
    activity.status, activity.notes = status, notes
    db.session.flush()
    audit.record("plan.activity.progress", actor=actor, city=city, target=activity,
                 details=f"{status} ({channel})" if channel else status)


def activities_with_partner(stakeholder: Stakeholder) -> list[PlanActivity]:
    """Return the activities of the city's plans in which a stakeholder is a partner."""
    return list(db.session.scalars(select(PlanActivity).join(
        activity_partner, activity_partner.c.activity_id == PlanActivity.id).where(
        activity_partner.c.stakeholder_id == stakeholder.id).options(
        selectinload(PlanActivity.goal).selectinload(PlanGoal.plan)).order_by(
        PlanActivity.starts_on, PlanActivity.id)))


@dataclass(frozen=True)
class Progress:
    """A goal's (or a plan's) progress: done out of planned (dropped ones left out), overdue."""

    done: int
    planned: int
    overdue: int


def progress(activities: list[PlanActivity], today: date) -> Progress:
    """Return done / planned (dropped activities do not count) and how many are overdue."""
    kept = [a for a in activities if a.status != "dropped"]
    return Progress(done=sum(1 for a in kept if a.status == "done"), planned=len(kept),
                    overdue=sum(1 for a in kept if a.is_overdue(today)))


def at_a_glance(city: City, today: date, upcoming: int = 3) -> dict[str, Any] | None:
    """Return the plan's overall progress and its next activities, for the city dashboard."""
    plan = current_plan(city)
    if plan is None:
        return None
    activities = [a for g in plan.goals for a in g.activities]
    open_ = [a for a in activities if a.status in ("planned", "under_way")]
    following = sorted((a for a in open_ if a.ends_on is None or a.ends_on >= today),
                       key=lambda a: (a.starts_on or date.max, a.id))[:upcoming]
    return {"plan": plan, "progress": progress(activities, today), "next": following}
