"""The 'my cities' home and each city's dashboard."""

from flask import Blueprint

bp = Blueprint("cities", __name__)

from portal.cities import views  # noqa: E402,F401
