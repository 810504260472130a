"""The regional roll-up of the cities' action plans: outputs and outcomes side by side.

Cities stand in alphabetical order, never by any measure; only the cities the user may open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_percent, ngettext
from flask_babel import gettext as _

from portal.auth.scoping import cities_where
from portal.models import City, Region, User
from portal.plan import indicators, outcome_views, outcomes
from portal.plan import services as plan_services
from portal.plan.report import language_of_request
from portal.stakeholders import rounds


def rollup_cities(region: Region, user: User) -> list[City]:
    """Return the region's cities the user may open, by name."""
    return [c for c in cities_where(user) if c.region_id == region.id]


def _outputs(city: City, today: date) -> dict[str, str]:
    plan = plan_services.current_plan(city)
    found = indicators.compute(city, plan, today)
    held = sum(sum(kinds.values()) for kinds in found.events.values())
    if plan is None:
        progress = _("no plan yet")
    else:
        p = plan_services.progress([a for g in plan.goals for a in g.activities], today)
        progress = ngettext("%(done)d of %(num)d activity done",
                            "%(done)d of %(num)d activities done", p.planned, done=p.done)
        if p.overdue:
            progress += " · " + ngettext("%(num)d overdue", "%(num)d overdue", p.overdue)
    return {
        "plan": plan.title if plan else "—",
        "progress": progress,
        "events": str(held),
        "reached": str(found.reached),
        "team_rate": "—" if found.team_rate is None else format_percent(found.team_rate,
                                                                        "#,##0%"),
        "introductions": ngettext("%(acted)d of %(num)d acted on", "%(acted)d of %(num)d acted on",
                                  found.introductions, acted=found.acted_on)
        + "; " + ngettext("%(num)d now tied", "%(num)d now tied", found.now_tied),
    }


def city_column(city: City, today: date) -> dict[str, Any]:
    """Return one city's outputs, its network outcomes (current round against the one before)
    and its survey indices, as shown."""
    after = rounds.current_round(city)
    net = outcomes.network_outcomes(city, rounds.previous_round(city, after), after)
    surveys = outcomes.survey_outcomes(city, language_of_request())
    return {"city": city, "outputs": _outputs(city, today), "net": net,
            "net_rows": {r["key"]: r for r in outcome_views.network_rows(net)},
            "surveys": surveys,
            "survey_rows": {s["name"]: row for s, row in zip(
                surveys.subscales, outcome_views.survey_rows(surveys), strict=True)}}


def rollup(region: Region, user: User, today: date) -> dict[str, Any]:
    """Return the columns (one per city) and the subscales any of them reports."""
    columns = [city_column(c, today) for c in rollup_cities(region, user)]
    subscales: dict[str, str] = {}
    for col in columns:
        for s in col["surveys"].subscales:
            subscales.setdefault(s["name"], str(s["label"]))
    return {"columns": columns, "subscales": subscales}
