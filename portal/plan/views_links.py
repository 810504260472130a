"""From the map to the plan: "Add to the plan" on a suggested introduction or a gap."""

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
    """Turn a suggested introduction (or an actor not yet connected) into an activity.

    Two actors: "Introduce A to B" with partners A and B; one actor not yet connected: "Connect
    A with the network"; a single point of failure: "Add a second route around A" (partner A).
    The activity goes under the chosen goal and remembers its source.
    """
    form = AddToPlanForm()
    pair = form.pair() if form.validate_on_submit() else None
    if pair is None:
        abort(400)
    a = stakeholder_services.get_stakeholder(city, pair[0])
    b = stakeholder_services.get_stakeholder(city, pair[1]) if pair[1] is not None else None
    if a is None or (pair[1] is not None and b is None):
        abort(404)
    goal = services.goal_by_id(city, form.goal_id.data or 0)
    if goal is None:
        flash(plan_error("unknown_goal"), "error")
        return redirect(url_for("networks.map", city=city.slug))
    if b is None and form.source.data == "single_point_of_failure":
        title, partners = _("Add a second route around %(a)s", a=a.name), [a.id]
        source = f"gap:single_point_of_failure:{a.id}"
    elif b is None:
        title, partners = _("Connect %(a)s with the network", a=a.name), [a.id]
        source = f"gap:not_connected:{a.id}"
    else:
        title, partners = _("Introduce %(a)s to %(b)s", a=a.name, b=b.name), [a.id, b.id]
        reason = form.source.data if form.source.data in REASONS else "introduction"
        source = f"suggestion:{reason}:{a.id}-{b.id}"
    activity = services.save_activity(city, goal, None, {"title": title[:200],
                                                         "status": "planned"},
                                      partners, actor=current_user, source=source)
    flash(_("Added to the plan. Give the activity an owner and dates."), "success")
    return redirect(url_for("plan.edit_activity", city=city.slug, activity_id=activity.id))
