"""The OpenAPI 3.1 description of /api/v1/ (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.models import ACTIVITY_STATUSES, FREQUENCIES, SECTORS, TIE_KINDS

# Shown translated on the reference page; the document itself is in English.
SUMMARIES = {
    "network": _l("A city's network: stakeholders with metrics, ties, summary, gaps, suggestions"),
    "gaps": _l("A city's coordination gaps and the stakeholders they name"),
    "coattendance": _l("A city's co-attendance: who met at meetings and trainings, and whether "
                       "they report a working tie"),
    "results": _l("A survey's published aggregates, under disclosure control"),
    "openapi": _l("This description of the API"),
    "activity_progress": _l("Change an action-plan activity's status and notes (read-write "
                            "token)"),
}
SUMMARIES_EN = {
    "network": "A city's network: stakeholders with metrics, ties, summary, gaps, suggestions",
    "gaps": "A city's coordination gaps and the stakeholders they name",
    "coattendance": "A city's co-attendance: who met at meetings and trainings, and whether "
                    "they report a working tie",
    "results": "A survey's published aggregates, under disclosure control",
    "openapi": "This description of the API",
    "activity_progress": "Change an action-plan activity's status and notes (read-write token)",
}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _path(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}


LANG = _query("lang", "Language of messages and labels (en, mk, sq, sr, sr_Latn, rom, tr, ar).",
              {"type": "string"})
FORMAT = _query("format", "json (default) or csv; `Accept: text/csv` asks for CSV too.",
                {"type": "string", "enum": ["json", "csv"]})
CITY = _path("city", "The city's slug, e.g. zelenovo.", {"type": "string"})
FILTERS = [
    _query("round", "Id of one of the city's mapping rounds (default: the current round).",
           {"type": "integer", "minimum": 1}),
    _query("kind", "Only ties of this kind.", {"type": "string", "enum": list(TIE_KINDS)}),
    _query("sector", "That sector, every tie touching it and the partners it reaches.",
           {"type": "string", "enum": list(SECTORS)}),
    _query("min_frequency", "Only ties at least this frequent.",
           {"type": "string", "enum": list(FREQUENCIES)}),
]
ERROR = {"$ref": "#/components/responses/Error"}
CSV = {"text/csv": {"schema": {"type": "string"}}}


def _answers(json_schema: dict[str, Any], csv: bool = True) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": json_schema}}
    if csv:
        content.update(CSV)
    return {"200": {"description": "OK", "content": content}, "400": ERROR, "401": ERROR,
            "403": ERROR, "404": ERROR, "429": ERROR}


def _get(key: str, parameters: list[dict[str, Any]], answers: dict[str, Any],
         description: str) -> dict[str, Any]:
    return {"get": {"operationId": key, "summary": SUMMARIES_EN[key], "description": description,
                    "parameters": parameters, "responses": answers}}


STATUSES = list(ACTIVITY_STATUSES)
PROGRESS = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {"status": {"type": "string", "enum": STATUSES},
                   "notes": {"type": "string", "maxLength": 4000}},
}
ACTIVITY = {"type": "object", "required": ["id", "title", "status", "notes", "goal"],
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                           "status": {"type": "string", "enum": STATUSES},
                           "notes": {"type": "string"}, "goal": {"type": "integer"}}}


def _activity_progress() -> dict[str, Any]:
    return {"patch": {
        "operationId": "activity_progress", "summary": SUMMARIES_EN["activity_progress"],
        "description": "The activity's owner (a team member) or a coordinator, in the current "
                       "plan, as on the activity's page; audited. A token needs the read-write "
                       "scope (a read-only one gets 403). With the session instead of a token, "
                       "send the page's CSRF token as the X-CSRFToken header.",
        "parameters": [CITY, _path("activity_id", "The activity's number.",
                                   {"type": "integer", "minimum": 1}), LANG],
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": PROGRESS}}},
        "responses": {"200": {"description": "The activity as changed",
                              "content": {"application/json": {"schema": ACTIVITY}}},
                      "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "429": ERROR},
    }}


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (METHOD, path, operation) for every operation of the document."""
    return [(method.upper(), path, operation) for path, item in spec["paths"].items()
            for method, operation in item.items()]


def document(server: str) -> dict[str, Any]:
    """Return the OpenAPI document, with `server` (the portal's root URL) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "LPN Portal API", "version": "1",
            "description": "Read access to cities' networks and surveys' published "
                           "aggregates; one write, an action-plan activity's progress. Log "
                           "in with the session of the pages, or send a personal token "
                           "(Account → API tokens) as `Authorization: Bearer lpn_…`. Every "
                           "aggregate applies the disclosure threshold.",
        },
        "servers": [{"url": server}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": {
            "/api/v1/cities/{city}/network": _get(
                "network", [CITY, *FILTERS, FORMAT, _query(
                    "table", "With format=csv: nodes (stakeholders, default) or edges (ties).",
                    {"type": "string", "enum": ["nodes", "edges"]}), LANG],
                _answers({"type": "object", "required": ["city", "nodes", "edges", "summary"]}),
                "CSV: one row per stakeholder (or per tie with table=edges)."),
            "/api/v1/cities/{city}/gaps": _get(
                "gaps", [CITY, *FILTERS, FORMAT, LANG],
                _answers({"type": "object", "required": ["city", "gaps", "stakeholders"]}),
                "CSV: one row per gap."),
            "/api/v1/cities/{city}/coattendance": _get(
                "coattendance", [CITY, *FILTERS, FORMAT, LANG],
                _answers({"type": "object",
                          "required": ["city", "met_at_least", "ties", "stakeholders"]}),
                "Pairs of stakeholders on the (filtered) map who attended meetings or trainings "
                "together: `events` shared, `reported_tie` true when the pair has a tie of any "
                "kind in the round. CSV: one row per pair."),
            "/api/v1/surveys/{survey_id}/results": _get(
                "results", [_path("survey_id", "The survey's number.",
                                  {"type": "integer", "minimum": 1}), FORMAT, LANG],
                _answers({"type": "object", "required": ["k", "survey", "questions"]}),
                "CSV: one row per published cell; a suppressed cell is empty with status "
                "\"suppressed\"."),
            "/api/v1/cities/{city}/plan/activities/{activity_id}": _activity_progress(),
            "/api/v1/openapi.json": _get(
                "openapi", [], _answers({"type": "object"}, csv=False), "OpenAPI 3.1."),
        },
        "components": {
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "A personal API token, lpn_…"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"},
                                                 "message": {"type": "string"}}}},
            "responses": {"Error": {
                "description": "An error: {\"error\": code, \"message\": translated text}",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
    }
