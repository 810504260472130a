"""The printable plan progress report of a city, in one of the city's languages."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import format_percent

from portal.auth.scoping import city_view
from portal.i18n import lang_for_this_request, normalise
from portal.models import City
from portal.plan import bp, indicators, presenters, report, services
from portal.plan.event_forms import KIND_LABELS
from portal.plan.forms import STATUS_LABELS


@bp.get("/c/<city>/plan/report")
@lang_for_this_request
@city_view()
def progress_report(city: City) -> str:
    """The plan's goals, activities, output and outcome indicators and the map with the plan's
    partners, for the council; ?lang= picks one of the city's languages (for this page only)."""
    languages = report.report_languages(city)
    asked = request.args.get("lang")
    if asked is not None and normalise(asked) not in {info.code for info in languages}:
        abort(404)
    plan = services.current_plan(city)
    today = date.today()
    found = indicators.compute(city, plan, today)
    context = report.outcome_context(city, request.args)
    rate = "" if found.team_rate is None else format_percent(found.team_rate, "#,##0%")
    return render_template(
        "plan/report.html", city=city, view=presenters.plan_view(plan, today) if plan else None,
        owners={u.id: u.display_name for u in services.team_users(city)}, statuses=STATUS_LABELS, kinds=KIND_LABELS, ind=found,
        team_rate_text=rate, today=today, languages=languages,
        current_lang=report.language_of_request(),
        picture=report.partners_map(city, context["net"].after_round, report.partners_of(plan)),
        **context)
