"""Survey results: indices, breakdowns, waves, charts, exports and the JSON API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("results", __name__)

from portal.results import api, exports_views, refresh_jobs, views  # noqa: E402,F401

# Every page, export or JSON route whose large survey's aggregates a job is building.
bp.app_errorhandler(refresh_jobs.ResultsPending)(refresh_jobs.answer)
