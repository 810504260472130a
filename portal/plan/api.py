"""JSON API, writing: PATCH /api/v1/cities/<city>/plan/activities/<id> (status and notes).

The one write endpoint of /api/v1/: what an activity's owner changes on its page, for a
script that keeps the plan's progress from another tool. It takes a personal token with the
read-write scope (a read-only token is answered 403 before this view runs:
portal.auth.bearer.refuse_token_writes) or the session of the pages. A Bearer request never
reads a cookie, so a forged cross-site request cannot borrow a login through it, and it needs
no CSRF token; a request with the session must send its CSRF token (``X-CSRFToken``), as every
form does. The rules and the audit entry are the page's (portal.plan.services).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.bearer import current_token, is_bearer_request
from portal.auth.scoping import Access, api_city_view, city_by_slug
from portal.extensions import csrf
from portal.i18n import lang_for_this_request
from portal.models import ACTIVITY_STATUSES, City, PlanActivity
from portal.plan import bp, services

MAX_NOTES = 4000  # the page's form allows as much
FIELDS = frozenset({"status", "notes"})
MESSAGES = {
    "body": _l("Send a JSON object with \"status\", \"notes\" or both."),
    "status": _l("Unknown status. Use one of: %(values)s."),
    "not_found": _l("This city's plans have no activity with this id."),
    "forbidden": _l("Only the activity's owner or a coordinator may change it, and only in "
                    "the current plan."),
}


@dataclass(frozen=True)
class _Target:
    """What the URL names: the city (scoped by api_city_view) and an activity's id."""

    city: City
    activity_id: int


def _target(city: str, activity_id: int) -> _Target | None:
    found = city_by_slug(city)
    return _Target(found, activity_id) if found is not None else None


def _json(data: dict[str, Any], status: int = 200) -> Response:
    body = current_app.json.dumps(data, separators=(",", ":"))
    response = current_app.response_class(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _error(status: int, code: str, **values: Any) -> Response:
    message = str(MESSAGES[code])
    return _json({"error": code, "message": message % values if values else message}, status)


def _changes(activity: PlanActivity) -> tuple[str, str] | Response:
    """Return the (status, notes) the body asks for, or the 400 answer saying what is wrong."""
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict) or not body or set(body) - FIELDS:
        return _error(400, "body")
    status, notes = body.get("status", activity.status), body.get("notes", activity.notes)
    if not isinstance(status, str) or status not in ACTIVITY_STATUSES:
        return _error(400, "status", values=", ".join(ACTIVITY_STATUSES))
    if not isinstance(notes, str) or len(notes) > MAX_NOTES or "\x00" in notes:
        return _json({"error": "notes", "message": ngettext(
            "The notes must be text of at most %(num)d character.",
            "The notes must be text of at most %(num)d characters.", MAX_NOTES)}, 400)
    return status, notes


def activity_json(activity: PlanActivity) -> dict[str, Any]:
    """Return what the API says of an activity after a change."""
    return {"id": activity.id, "title": activity.title, "status": activity.status,
            "notes": activity.notes, "goal": activity.goal_id}


@bp.patch("/api/v1/cities/<city>/plan/activities/<id:activity_id>")
@lang_for_this_request
@csrf.exempt  # checked below for the session; a Bearer request carries no cookie to forge
@api_city_view(_target, minimum=Access.MEMBER)
def api_activity_progress(target: _Target) -> Response:
    """Change an activity's status and notes: its owner or a coordinator, current plan only."""
    if not is_bearer_request() and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()  # what CSRFProtect does for every other view, for the session
    city = target.city
    activity = services.activity_by_id(city, target.activity_id)
    if activity is None:
        return _error(404, "not_found")
    if not services.may_update(activity, current_user, g.city_access >= Access.COORDINATOR,
                               g.city_access >= Access.MEMBER):
        return _error(403, "forbidden")
    changes = _changes(activity)
    if isinstance(changes, Response):
        return changes
    token = current_token()
    services.update_progress(city, activity, *changes, actor=current_user,
                             channel=f"API token {token.id}" if token is not None else "API")
    return _json(activity_json(activity))
