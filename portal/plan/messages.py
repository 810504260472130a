"""Translated reasons for refused plan changes."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.stakeholders.messages import row_reason
from portal.stakeholders.spreadsheet.rows import RowError

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


SIGNIN_REASONS = {
    "empty_event": _l("the event has no title"),
    "event_too_long": _l("event title longer than 200 characters: “%(value)s…”"),
    "bad_event_date": _l("write the date as YYYY-MM-DD or DD.MM.YYYY, not “%(value)s”"),
    "empty_attendee": _l("no stakeholder named"),
    "unknown_attendee": _l("“%(value)s” is not on this city's stakeholder list"),
    "unknown_event_kind": _l("unknown kind of event “%(value)s” (meeting, training, workshop "
                             "or joint activity)"),
}


def signin_reason(error: RowError) -> str:
    """Return the translated reason of a bad sign-in sheet row (or of the file)."""
    reason = SIGNIN_REASONS.get(error.code)
    if reason is None:
        return row_reason(error)
    return _(reason._args[0], value=error.value)
