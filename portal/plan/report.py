"""What the plan's outcome section and its printable progress report show: the two rounds
compared, the survey waves, the map with the plan's partners, and the report's languages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import LOCALE_BY_CODE, LOCALES, LocaleInfo, normalise
from portal.models import City, MappingRound, Plan, Survey
from portal.networks import services as networks
from portal.networks import svg
from portal.plan import indicators, outcome_views, outcomes
from portal.stakeholders import rounds

OUTCOME_ERRORS = {
    "round_unknown": _l("Choose rounds of this city's map."),
    "same_round": _l("Choose two different rounds to compare."),
}


def report_languages(city: City) -> list[LocaleInfo]:
    """Return the city's languages, in the order of the locale table: its default language and
    the interface languages of its surveys."""
    codes = {normalise(city.default_locale)}
    for languages in db.session.scalars(select(Survey.languages).where(
            Survey.city_id == city.id)):
        codes |= {normalise(code) for code in languages or []}
    return [info for info in LOCALES if info.code in codes]


def language_of_request() -> str:
    """Return the UI language of this request (for survey titles and labels)."""
    locale = get_locale()
    code = normalise(str(locale)) if locale else None
    return code if code in LOCALE_BY_CODE else "en"


def outcome_context(city: City, args: Mapping[str, str]) -> dict[str, Any]:
    """Return the network and survey outcomes for the template, rounds from ?before=&after=;
    an unusable choice is explained (`outcome_error`) and the default rounds are shown."""
    error = None
    try:
        before, after = outcomes.chosen_rounds(city, args)
    except outcomes.OutcomeError as exc:
        error = str(OUTCOME_ERRORS[str(exc)])
        before, after = outcomes.chosen_rounds(city, {})
    net = outcomes.network_outcomes(city, before, after)
    surveys = outcomes.survey_outcomes(city, language_of_request())
    return {"net": net, "surveys": surveys, "net_rows": outcome_views.network_rows(net),
            "survey_rows": outcome_views.survey_rows(surveys), "outcome_error": error,
            "round_choices": rounds.rounds_of(city)}


def indicator_rows(city: City, plan: Plan | None, today: date,
                   args: Mapping[str, str]) -> list[list[Any]]:
    """Return the output and outcome indicators as one dated table, header first; rounds that
    cannot be compared raise OutcomeError (a file must not silently hold other rounds)."""
    before, after = outcomes.chosen_rounds(city, args)
    net = outcomes.network_outcomes(city, before, after)
    surveys = outcomes.survey_outcomes(city, language_of_request())
    return [*indicators.indicator_table(indicators.compute(city, plan, today)),
            *outcomes.outcome_rows(net, surveys, today)]


def outcome_error(error: outcomes.OutcomeError) -> str:
    """Return the translated reason why two rounds cannot be compared."""
    return str(OUTCOME_ERRORS[str(error)])


def partners_of(plan: Plan | None) -> set[int]:
    """Return the ids of the partner stakeholders of the plan's activities (dropped ones too)."""
    if plan is None:
        return set()
    return {p.id for g in plan.goals for a in g.activities for p in a.partners}


def partners_map(city: City, round_: MappingRound | None, partners: set[int]) -> Markup | None:
    """Return the round's map with the plan's partners highlighted (None: no round yet)."""
    if round_ is None:
        return None
    payload = networks.analysis_for(city, networks.Filters(round_)).payload
    return svg.map_svg(payload, title=_("Coordination map of %(city)s, the plan's partners "
                                        "highlighted", city=city.name),
                       svg_id="report-map", highlight=partners)
