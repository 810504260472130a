"""The regional coordinator's cross-city view of the cities' coordination maps."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("regions", __name__)

from portal.regions import views  # noqa: E402,F401
