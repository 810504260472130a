"""The co-attendance layer as data: for the interactive map, and in the JSON/CSV API.

Scoped and filtered like the map (round, kind, sector, frequency: only actors on that map);
tagged with the network revision AND the attendance, so an event's attendance changed since
a client's copy never answers 304.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

from portal.api.formats import csv_response
from portal.auth.scoping import api_city_view, city_view
from portal.models import City
from portal.networks import bp, etags, services
from portal.networks import coattendance as co
from portal.networks.api import csv_or_json, request_error

CSV_FIELDS = ("source", "target", "source_name", "target_name", "events", "reported_tie")


def _checked(city: City, as_csv: bool | None = None
             ) -> tuple[services.Filters, list[tuple[int, int]], str] | Response:
    """Return the filters, the attendance and the ETag, or the 400 answer to a bad filter."""
    try:
        filters = services.parse_filters(city, request.args)
    except services.AnalysisRequestError as error:
        return request_error(error)
    pairs = co.attendance(city)
    what = "coattendance" if as_csv is None else f"api-coattendance-{as_csv}"
    return filters, pairs, etags.tag(what, city, filters, co.fingerprint(pairs))


def _layer(city: City, filters: services.Filters, pairs: list[tuple[int, int]]
           ) -> tuple[dict[str, Any], list[co.CoTie]]:
    analysis = services.analysis_for(city, filters).payload
    return analysis, co.layer(analysis, pairs, co.reported_pairs(city, filters.round))


@bp.get("/c/<city>/map/coattendance.json", endpoint="coattendance_data")
@city_view()
def coattendance_data(city: City) -> Response:
    """The map's co-attendance layer: pairs by map index, shared events, tie reported or not."""
    checked = _checked(city)
    if isinstance(checked, Response):
        return checked
    filters, pairs, etag = checked
    unchanged = etags.not_modified(etag)
    if unchanged is not None:
        return unchanged
    analysis, ties = _layer(city, filters, pairs)
    body = current_app.json.dumps(co.layer_data(analysis, ties), separators=(",", ":"))
    return etags.tagged(current_app.response_class(body, mimetype="application/json"), etag)


@bp.get("/api/v1/cities/<city>/coattendance")
@api_city_view()
def api_coattendance(city: City) -> Response:
    """Return who met at meetings and trainings, with whether each pair reports a working tie."""
    as_csv = csv_or_json()
    if isinstance(as_csv, Response):
        return as_csv
    checked = _checked(city, as_csv)
    if isinstance(checked, Response):
        return checked
    filters, pairs, etag = checked
    unchanged = etags.not_modified(etag)
    if unchanged is not None:
        return unchanged
    analysis, ties = _layer(city, filters, pairs)
    names = {n["id"]: n["name"] for n in analysis["nodes"]}
    if as_csv:
        rows = [[t.source, t.target, names[t.source], names[t.target], t.events, t.reported]
                for t in ties]
        return etags.tagged(csv_response(CSV_FIELDS, rows, f"{city.slug}-coattendance.csv"),
                            etag)
    chosen = filters.round
    named = {i for t in ties for i in (t.source, t.target)}
    body = {
        "city": city.slug,
        "round": None if chosen is None else {
            "id": chosen.id, "name": chosen.name, "held_on": chosen.held_on.isoformat()},
        "filters": filters.chosen,
        "met_at_least": co.MET_AT_LEAST,
        "ties": [{"source": t.source, "target": t.target, "events": t.events,
                  "reported_tie": t.reported} for t in ties],
        "stakeholders": [{"id": n["id"], "name": n["name"], "sector": n["sector"]}
                         for n in analysis["nodes"] if n["id"] in named],
    }
    response = current_app.response_class(
        current_app.json.dumps(body, separators=(",", ":")), mimetype="application/json")
    return etags.tagged(response, etag)
