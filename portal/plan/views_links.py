"""From the map to the plan: "Add to the plan" on a suggested introduction."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.analysis.suggest import REASONS
from portal.auth.scoping import Access, city_view
from portal.models import City
from portal.plan import bp, services
from portal.plan.forms import AddToPlanForm
from portal.plan.messages import plan_error
from portal.stakeholders import services as stakeholder_services


@bp.post("/c/<city>/plan/introductions")
@city_view(Access.COORDINATOR)
def add_introduction(city: City) -> Response:
    """Turn a suggested introduction into an activity "Introduce A to B" under the chosen goal."""
    form = AddToPlanForm()
    pair = form.pair() if form.validate_on_submit() else None
    if pair is None:
        abort(400)
    a, b = (stakeholder_services.get_stakeholder(city, sid) for sid in pair)
    goal = services.goal_by_id(city, form.goal_id.data or 0)
    if a is None or b is None:
        abort(404)
    if goal is None:
        flash(plan_error("unknown_goal"), "error")
        return redirect(url_for("networks.map", city=city.slug))
    reason = form.source.data if form.source.data in REASONS else "introduction"
    activity = services.save_activity(
        city, goal, None, {"title": _("Introduce %(a)s to %(b)s", a=a.name, b=b.name)[:200],
                           "status": "planned"},
        [a.id, b.id], actor=current_user, source=f"suggestion:{reason}:{a.id}-{b.id}")
    flash(_("Added to the plan. Give the activity an owner and dates."), "success")
    return redirect(url_for("plan.edit_activity", city=city.slug, activity_id=activity.id))
