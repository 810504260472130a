"""Network pages, the coordination-gap analysis cache and the network JSON API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("networks", __name__)

from portal.networks import api, pending, views, views_coattendance  # noqa: E402,F401
from portal.networks.explain import EXPLANATIONS  # noqa: E402
from portal.networks.sentences import isolates_as_bdi  # noqa: E402

bp.add_app_template_filter(isolates_as_bdi, "bdi")
# Every page or JSON route (regions too) answers a pending analysis with its job.
bp.app_errorhandler(pending.AnalysisPending)(pending.answer)
# A global, not a context variable: the macros of networks/_parts.html are imported
# without the page's context.
bp.record_once(lambda state: state.app.jinja_env.globals.update(explanations=EXPLANATIONS))
