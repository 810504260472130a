"""The printable plan progress report of a city, in one of the city's languages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale, format_percent
from werkzeug.wrappers import Response

from portal.auth.scoping import city_view
from portal.i18n import LocaleInfo
from portal.models import City
from portal.plan import bp, indicators, presenters, report, services
from portal.plan.event_forms import KIND_LABELS
from portal.plan.forms import STATUS_LABELS


@bp.get("/c/<city>/plan/report")
@city_view()
def progress_report_start(city: City) -> Response:
    """Open the report in the user's language when the city speaks it, else the city's first."""
    codes = [info.code for info in report.report_languages(city)]
    lang = report.language_of_request()
    chosen = lang if lang in codes or not codes else codes[0]
    rounds: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("before", "after")}
    return redirect(url_for("plan.progress_report", city=city.slug, lang=chosen, **rounds))


@bp.get("/c/<city>/plan/report/<lang>")
@city_view()
def progress_report(city: City, lang: str) -> str:
    """The plan's goals, activities, output and outcome indicators and the map with the plan's
    partners, for the council, wholly in one of the city's languages (others: 404)."""
    languages = report.report_languages(city)
    if lang not in {info.code for info in languages}:
        abort(404)
    with force_locale(lang):
        return _render(city, lang, languages)


def _render(city: City, lang: str, languages: list[LocaleInfo]) -> str:
    plan = services.current_plan(city)
    today = date.today()
    found = indicators.compute(city, plan, today)
    context = report.outcome_context(city, request.args)
    rate = "" if found.team_rate is None else format_percent(found.team_rate, "#,##0%")
    return render_template(
        "plan/report.html", city=city, view=presenters.plan_view(plan, today) if plan else None,
        owners={u.id: u.display_name for u in services.team_users(city)}, statuses=STATUS_LABELS,
        kinds=KIND_LABELS, ind=found, team_rate_text=rate, today=today, languages=languages,
        current_lang=lang,
        picture=report.partners_map(city, context["net"].after_round, report.partners_of(plan)),
        **context)
