"""Survey results: indices, breakdowns, waves, charts, exports and the JSON API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("results", __name__)

from portal.results import api, exports_views, views  # noqa: E402,F401
