"""Home, 'my cities' and the city dashboard."""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import (
    Access,
    city_view,
    collecting_cities,
    public,
    regions_of,
    signed_in,
    visible_cities,
)
from portal.cities import bp, services
from portal.models import City
from portal.plan import services as plan_services
from portal.plan.forms import STATUS_LABELS


@bp.get("/")
@public
def index() -> str | Response:
    """Public landing page; logged-in users go to their cities."""
    if current_user.is_authenticated:
        return redirect(url_for("cities.home"))
    return render_template("cities/landing.html")


@bp.get("/cities")
@signed_in
def home() -> str:
    """List the cities the user can open."""
    return render_template("cities/home.html", cities=visible_cities(current_user),
                           regions=regions_of(current_user),
                           collecting=collecting_cities(current_user))


@bp.get("/c/<city>/")
@city_view()
def dashboard(city: City) -> str:
    """Show a city's team and its rooms."""
    from flask import g

    return render_template(
        "cities/dashboard.html",
        city=city,
        team=services.team_of(city),
        rooms=services.rooms_for(city, g.city_access),
        status=services.status_of(city),
        can_invite=g.city_access >= Access.COORDINATOR,
        plan=plan_services.at_a_glance(city, date.today()), plan_statuses=STATUS_LABELS,
    )
