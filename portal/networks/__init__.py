"""Network pages, the coordination-gap analysis cache and the network JSON API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("networks", __name__)

from portal.networks import api, views  # noqa: E402,F401
