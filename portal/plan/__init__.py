"""The local action plan: goals, activities, their partners, and the ties they aim for."""

from flask import Blueprint

bp = Blueprint("plan", __name__)

from portal.plan import (  # noqa: E402,F401
    api,
    views,
    views_events,
    views_links,
    views_report,
    views_signin,
)
