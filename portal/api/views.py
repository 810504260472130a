"""GET /api/v1/openapi.json and the readable API reference page."""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from portal.api import bp
from portal.api.openapi import SUMMARIES, document, operations
from portal.auth.scoping import api_signed_in, signed_in


def _server() -> str:
    return request.url_root.rstrip("/")


@bp.get("/api/v1/openapi.json")
@api_signed_in
def openapi() -> Response:
    """Return the OpenAPI 3.1 description of the API."""
    body = current_app.json.dumps(document(_server()), separators=(",", ":"))
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/account/api")
@signed_in
def reference() -> str:
    """Show the API's endpoints and parameters, read from the OpenAPI description."""
    spec = document(_server())
    return render_template("api/reference.html", operations=operations(spec), summaries=SUMMARIES,
                           server=spec["servers"][0]["url"])
