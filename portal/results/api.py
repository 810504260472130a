"""JSON API: GET /api/v1/surveys/<id>/results, suppressed exactly like the page.

CSV too (`?format=csv` or `Accept: text/csv`): the table of the aggregate export (one row per
published cell, suppressed cells empty with status "suppressed"), without its note line, so
that R's read.csv and Power BI read the header from the first line.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from portal.api.formats import FormatError, csv_response, format_error, wants_csv
from portal.auth.scoping import api_city_view
from portal.i18n import lang_for_this_request, normalise
from portal.models import Survey
from portal.results import bp, exports, services


@bp.get("/api/v1/surveys/<id:survey_id>/results")
@lang_for_this_request
@api_city_view(lambda survey_id: services.survey_by_id(survey_id))  # looked up per call
def api_survey(survey: Survey) -> Any:
    """Return a survey's published aggregates; another city's survey is 404 like a missing one."""
    try:
        as_csv = wants_csv()
    except FormatError:
        return format_error()
    language = normalise(request.args.get("lang")) or survey.default_language
    data = services.survey_results(survey, language)
    if as_csv:
        return csv_response(exports.HEADER, exports.flatten(data),
                            f"{survey.city.slug}-{survey.slug}-results.csv")
    response = jsonify(data)
    response.headers["Cache-Control"] = "private, no-store"
    return response
