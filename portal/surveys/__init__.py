"""Surveys: authoring, public answering, results, XLSForm import/export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("surveys", __name__)

from portal.surveys import bench, revision  # noqa: E402,F401

bp.record_once(bench.register)

from portal.surveys import views_authoring, views_public, views_questions  # noqa: E402,F401
