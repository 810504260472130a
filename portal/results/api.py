"""JSON API: GET /api/v1/surveys/<id>/results, suppressed exactly like the page."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from portal.auth.scoping import api_city_view
from portal.i18n import lang_for_this_request, normalise
from portal.models import Survey
from portal.results import bp, services


@bp.get("/api/v1/surveys/<id:survey_id>/results")
@lang_for_this_request
@api_city_view(lambda survey_id: services.survey_by_id(survey_id))  # looked up per call
def api_survey(survey: Survey) -> Any:
    """Return a survey's published aggregates; another city's survey is 404 like a missing one."""
    language = normalise(request.args.get("lang")) or survey.default_language
    response = jsonify(services.survey_results(survey, language))
    response.headers["Cache-Control"] = "private, no-store"
    return response
