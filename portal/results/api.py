"""JSON API: GET /api/v1/surveys/<id>/results, suppressed exactly like the page."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user

from portal.auth.scoping import access_to
from portal.i18n import normalise
from portal.results import bp, services


@bp.get("/api/v1/surveys/<id:survey_id>/results")
def api_survey(survey_id: int) -> Any:
    """Return a survey's published aggregates; another city's survey is 404 like a missing one."""
    if not current_user.is_authenticated:
        abort(401)  # portal.web answers every /api/ error as {"error", "message"}
    survey = services.survey_by_id(survey_id)
    if survey is None or access_to(current_user, survey.city) is None:
        abort(404)
    language = normalise(request.args.get("lang")) or survey.default_language
    response = jsonify(services.survey_results(survey, language))
    response.headers["Cache-Control"] = "private, no-store"
    return response
