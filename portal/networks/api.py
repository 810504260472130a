"""JSON API: GET /api/v1/cities/<slug>/network and /gaps, scoped like the network pages.

Both also answer CSV (`?format=csv` or `Accept: text/csv`): the network as one table of
stakeholders (`?table=nodes`, the default) or of ties (`?table=edges`), the gaps as one table.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.api.formats import FormatError, csv_response, format_error, wants_csv
from portal.auth.scoping import api_city_view
from portal.models import City
from portal.networks import bp, etags, services

MESSAGES = {
    "round": _l("This city has no mapping round with this id."),
    "kind": _l("Unknown tie kind. Use one of: %(values)s."),
    "sector": _l("Unknown sector. Use one of: %(values)s."),
    "min_frequency": _l("Unknown frequency. Use one of: %(values)s."),
    "table": _l("Unknown table. Use one of: %(values)s."),
}
TABLES = ("nodes", "edges")
NODE_FIELDS = ("id", "name", "sector", "level", "x", "y")
METRICS = ("degree", "weighted_degree", "cross_sector_ties", "betweenness", "closeness",
           "core_number", "community", "constraint", "effective_size", "articulation_point")
FLAGS = ("not_connected", "connected_once", "within_sector_only", "single_point_of_failure")
EDGE_FIELDS = ("source", "target", "weight", "kinds")
GAP_FIELDS = ("type", "stakeholder", "partner", "source", "target", "sector", "sectors",
              "cut_off", "expected")
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
        "centrality": found.payload["summary"].get("centrality"),
    }


def _network_csv(city: City, found: services.Analysis) -> Response:
    """Return the stakeholders with their metrics and flags, or the ties, as CSV."""
    table = request.args.get("table", "nodes")
    if table not in TABLES:
        return _error(400, "table", values=", ".join(TABLES))
    payload = found.payload
    if table == "edges":
        rows = [[edge.get(k) for k in EDGE_FIELDS] for edge in payload["edges"]]
        return csv_response(EDGE_FIELDS, rows, f"{city.slug}-ties.csv")
    rows = [[node.get(k) for k in NODE_FIELDS]
            + [node["metrics"].get(k) for k in METRICS]
            + [node["flags"].get(k) for k in FLAGS] for node in payload["nodes"]]
    return csv_response((*NODE_FIELDS, *METRICS, *FLAGS), rows, f"{city.slug}-stakeholders.csv")


def csv_or_json() -> bool | Response:
    """Return True for CSV, False for JSON, or the 400 answer to an unknown ?format=."""
    try:
        return wants_csv()
    except FormatError:
        return format_error()


@bp.get("/api/v1/cities/<city>/network")
@api_city_view()
def api_network(city: City) -> Response:
    """Return the map with its metrics, gap flags, positions, summary, gaps and suggestions."""
    as_csv = csv_or_json()
    if isinstance(as_csv, Response):
        return as_csv
    try:
        filters = services.parse_filters(city, request.args)
    except services.AnalysisRequestError as error:
        return request_error(error)
    etag = etags.tag("api-network", city, filters, as_csv, request.args.get("table"))
    unchanged = etags.not_modified(etag)
    if unchanged is not None:
        return unchanged
    if as_csv:
        return etags.tagged(_network_csv(city, services.analysis_for(city, filters)), etag)

    def body() -> str:
        found = services.analysis_for(city, filters)
        return str(current_app.json.dumps({**_context(city, found), **found.payload},
                                          separators=(",", ":")))

    # Kept per tag, compressed once per encoding: a second reader costs no analysis load.
    return etags.memoised_body(etag, body, "application/json")


@bp.get("/api/v1/cities/<city>/gaps")
@api_city_view()
def api_gaps(city: City) -> Response:
    """Return the coordination gaps, the stakeholders they name, and the summary essentials."""
    as_csv = csv_or_json()
    if isinstance(as_csv, Response):
        return as_csv
    found = _analysis(city)
    if isinstance(found, Response):
        return found
    payload = found.payload
    if as_csv:
        rows = [[gap.get(k) for k in GAP_FIELDS] for gap in payload["gaps"]]
        return csv_response(GAP_FIELDS, rows, f"{city.slug}-gaps.csv")
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
