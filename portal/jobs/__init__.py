"""Background jobs on the task queue: status pages, progress, the one download of a file."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from portal.jobs import views  # noqa: E402,F401
