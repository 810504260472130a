"""What the whole API shares: JSON or CSV answers, its OpenAPI description, its reference page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)

from portal.api import views  # noqa: E402,F401
