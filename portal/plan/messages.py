"""Translated reasons for refused plan changes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PLAN_ERRORS = {
    "no_plan": _l("Start a plan first."),
    "unknown_status": _l("Choose one of the options shown."),
    "ends_before_start": _l("The end date is before the start date."),
    "unknown_owner": _l("The owner must be a member of this city's team."),
    "unknown_partner": _l("One of the chosen stakeholders is not in this city."),
    "unknown_goal": _l("Choose a goal of the current plan."),
    "unknown_kind": _l("Choose one of the options shown."),
    "no_date": _l("Enter the date of the event."),
    "unknown_activity": _l("Choose an activity of this city's plan."),
    "closed": _l("This plan is closed: it is kept as it was and can no longer be changed."),
}


def plan_error(key: str) -> str:
    """Return the translated message of a PlanError key."""
    return str(PLAN_ERRORS.get(key, PLAN_ERRORS["unknown_status"]))
