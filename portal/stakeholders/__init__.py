"""Stakeholder mapping: stakeholders, ties, rounds, spreadsheets and the relationship survey."""

from flask import Blueprint

bp = Blueprint("stakeholders", __name__)

from portal.stakeholders import (  # noqa: E402,F401
    views,
    views_import,
    views_io,
    views_rounds,
    views_survey,
)
