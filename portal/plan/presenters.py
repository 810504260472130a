"""What the plan pages show: per goal its progress, its activities and their timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from portal.i18n import current_info
from portal.models import Plan, PlanActivity, PlanGoal
from portal.plan.forms import STATUS_LABELS
from portal.plan.services import progress
from portal.plan.timeline import Bar, timeline_svg


def _tooltip(activity: PlanActivity, today: date) -> str:
    dates = " – ".join(format_date(d, "medium") for d in (activity.starts_on, activity.ends_on)
                       if d is not None)
    status = str(STATUS_LABELS[activity.status])
    if activity.is_overdue(today):
        status = _("%(status)s, overdue", status=status)
    return f"{activity.title} ({status}) {dates}".strip()


def goal_view(goal: PlanGoal, today: date) -> dict[str, Any]:
    """Return a goal with its progress, its activities and the SVG of their timeline."""
    bars = [Bar(a.title, a.starts_on, a.ends_on, a.status, a.is_overdue(today),
                _tooltip(a, today)) for a in goal.activities]
    picture = timeline_svg(
        bars, today, title=_("Timeline of the activities of the goal “%(goal)s”", goal=goal.title),
        rtl=current_info().direction == "rtl", today_label=_("today"),
        month_label=lambda d: format_date(d, "MMM yy"))
    return {"goal": goal, "progress": progress(goal.activities, today), "timeline": picture,
            "activities": [{"activity": a, "overdue": a.is_overdue(today)}
                           for a in goal.activities]}


def plan_view(plan: Plan, today: date) -> dict[str, Any]:
    """Return the plan's goals as goal views, with the plan's overall progress."""
    return {"plan": plan, "goals": [goal_view(g, today) for g in plan.goals],
            "progress": progress([a for g in plan.goals for a in g.activities], today)}
