"""JSON API: GET /api/v1/surveys/<id>/results, suppressed exactly like the page."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import access_to
from portal.i18n import normalise
from portal.results import bp, services


def _error(status: int, code: str) -> tuple[Response, int]:
    return jsonify({"error": code}), status


@bp.get("/api/v1/surveys/<id:survey_id>/results")
def api_survey(survey_id: int) -> Any:
    """Return a survey's published aggregates; another city's survey is 404 like a missing one."""
    if not current_user.is_authenticated:
        return _error(401, "login_required")
    survey = services.survey_by_id(survey_id)
    if survey is None or access_to(current_user, survey.city) is None:
        return _error(404, "not_found")
    language = normalise(request.args.get("lang")) or survey.default_language
    response = jsonify(services.survey_results(survey, language))
    response.headers["Cache-Control"] = "private, no-store"
    return response
