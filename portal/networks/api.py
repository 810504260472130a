"""JSON API: GET /api/v1/cities/<slug>/network and /gaps, scoped like the network pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import access_to, city_by_slug
from portal.models import City
from portal.networks import bp, services

MESSAGES = {
    "login_required": _l("Log in to use the API."),
    "not_found": _l("There is no such city, or it is not visible to you."),
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


def api_city(view: Callable[..., Any]) -> Callable[..., Any]:
    """Scope an API view to the city in its URL: 401 when logged out, 404 when not visible."""

    @wraps(view)
    def wrapped(city: str) -> Any:
        if not current_user.is_authenticated:
            return _error(401, "login_required")
        found = city_by_slug(city)
        access = access_to(current_user, found) if found is not None else None
        if found is None or access is None:
            return _error(404, "not_found")
        g.city, g.city_access = found, access
        return view(found)

    return wrapped


def request_error(error: services.AnalysisRequestError) -> Response:
    """Return the 400 JSON answer to a filter the city does not have (API and map data)."""
    if error.field == "round":
        return _error(400, "round")
    return _error(400, error.field, values=", ".join(services.VOCABULARY[error.field]))


def _analysis(city: City) -> services.Analysis | Response:
    """Return the analysis the query string asks for, or a 400 response."""
    try:
        return services.analysis_for(city, **services.parse_filters(city, request.args))
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
@api_city
def api_network(city: City) -> Response:
    """Return the map with its metrics, gap flags, positions, summary, gaps and suggestions."""
    found = _analysis(city)
    if isinstance(found, Response):
        return found
    return _json({**_context(city, found), **found.payload})


@bp.get("/api/v1/cities/<city>/gaps")
@api_city
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
