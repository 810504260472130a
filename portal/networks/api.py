"""JSON API: GET /api/v1/cities/<slug>/network and /gaps, scoped like the network pages."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.auth.scoping import api_city_view
from portal.models import City
from portal.networks import bp, services

MESSAGES = {
    "round": _l("This city has no mapping round with this id."),
    "kind": _l("Unknown tie kind. Use one of: %(values)s."),
    "sector": _l("Unknown sector. Use one of: %(values)s."),
    "min_frequency": _l("Unknown frequency. Use one of: %(values)s."),
}
# The summary fields the gaps endpoint repeats, enough to read the gaps in context.
SUMMARY_ESSENTIALS = ("size", "ties", "density", "centralisation", "national_path")


def _json(data: Any, status: int = 200) -> Response:
    """Return compact JSON that no shared cache keeps."""
    body = current_app.json.dumps(data, separators=(",", ":"))
    response = current_app.response_class(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _error(status: int, code: str, **values: str) -> Response:
    message = str(MESSAGES[code])  # translated now, in the request's language
    return _json({"error": code, "message": message % values if values else message}, status)


def request_error(error: services.AnalysisRequestError) -> Response:
    """Return the 400 JSON answer to a filter the city does not have (API and map data)."""
    if error.field == "round":
        return _error(400, "round")
    return _error(400, error.field, values=", ".join(services.VOCABULARY[error.field]))


def _analysis(city: City) -> services.Analysis | Response:
    """Return the analysis the query string asks for, or a 400 response."""
    try:
        return services.analysis_for(city, services.parse_filters(city, request.args))
    except services.AnalysisRequestError as error:
        return request_error(error)


def _context(city: City, found: services.Analysis) -> dict[str, Any]:
    """Return what the analysis was computed from."""
    chosen = found.round
    return {
        "city": city.slug,
        "round": None if chosen is None else {
            "id": chosen.id, "name": chosen.name, "held_on": chosen.held_on.isoformat()},
        "filters": found.filters,
        "network_revision": found.network_revision,
        "computed_at": found.computed_at.isoformat() if found.computed_at else None,
    }


@bp.get("/api/v1/cities/<city>/network")
@api_city_view()
def api_network(city: City) -> Response:
    """Return the map with its metrics, gap flags, positions, summary, gaps and suggestions."""
    found = _analysis(city)
    if isinstance(found, Response):
        return found
    return _json({**_context(city, found), **found.payload})


@bp.get("/api/v1/cities/<city>/gaps")
@api_city_view()
def api_gaps(city: City) -> Response:
    """Return the coordination gaps, the stakeholders they name, and the summary essentials."""
    found = _analysis(city)
    if isinstance(found, Response):
        return found
    payload = found.payload
    summary = payload["summary"]
    named = {gap.get(k) for gap in payload["gaps"]
             for k in ("stakeholder", "partner", "source", "target")}
    return _json({
        **_context(city, found),
        "summary": {
            **{k: summary[k] for k in SUMMARY_ESSENTIALS},
            "components": len(summary["components"]),
        },
        "gaps": payload["gaps"],
        "stakeholders": [
            {"id": n["id"], "name": n["name"], "sector": n["sector"]}
            for n in payload["nodes"] if n["id"] in named
        ],
    })
