"""Large networks are analysed by a background job, never inside a request.

When the cache has no result for the map as it is now and the map has more than
ANALYSIS_INLINE_UP_TO actors, `services.analysis_for` raises `AnalysisPending` after queuing
one job for that key (the same key asked twice is one job). The pages answer it with the
job's progress and the date of the last result (HTML, refreshing without JavaScript), the
JSON routes with 202 and the job's status URL. The job runs the same `analysis_for` with
inline analysis allowed, and stores the result in the cache in the transaction that marks the
job done.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_request_context, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.jobs import services as jobs
from portal.models import AnalysisResult, City, Job, Stakeholder

if TYPE_CHECKING:
    from portal.networks.filters import Filters

KIND = "network_analysis"
REFRESH_SECONDS = 5


class AnalysisPending(Exception):
    """The analysis this request needs is being computed by a job."""

    def __init__(self, city: City, job: Job, last_computed: datetime | None) -> None:
        super().__init__(job.uuid)
        self.city, self.job, self.last_computed = city, job, last_computed


def inline_allowed(city: City) -> bool:
    """Return True inside an analysis job, or for a map small enough for a request."""
    if g.get("analysis_inline"):
        return True
    limit = int(current_app.config.get("ANALYSIS_INLINE_UP_TO", 2000))
    actors = db.session.scalar(select(func.count(Stakeholder.id)).where(
        Stakeholder.city_id == city.id)) or 0
    return actors <= limit


def last_computed(city: City, round_id: int | None, filter_key: str) -> datetime | None:
    """Return when the latest stored analysis of this round and filter was computed."""
    return db.session.scalar(select(func.max(AnalysisResult.computed_at)).where(
        AnalysisResult.city_id == city.id, AnalysisResult.round_id.is_(None)
        if round_id is None else AnalysisResult.round_id == round_id,
        AnalysisResult.filter_key == filter_key))


def start(city: City, filters: Filters, key: tuple[int, int | None, str, int]) -> Job:
    """Queue the analysis of this key once; return its job."""
    _city_id, round_id, filter_key, revision = key
    actor = current_user if has_request_context() and current_user.is_authenticated else None
    return jobs.submit(city, KIND, {"round_id": round_id, "filters": dict(filters.chosen),
                                    "revision": revision}, actor=actor,
                       idempotency_key=f"{KIND}:{round_id}:{filter_key}:{revision}")


def answer(pending: AnalysisPending) -> Response | tuple[str, int]:
    """Answer a request whose analysis is pending: 202 JSON, or a page with the progress."""
    job, city = pending.job, pending.city
    status_url = url_for("jobs.status", city=city.slug, job_id=job.uuid)
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        body: dict[str, Any] = {
            "status": "pending", "job": job.uuid, "job_status": job.status,
            "status_url": url_for("jobs.status_json", city=city.slug, job_id=job.uuid),
            "last_computed_at": pending.last_computed.isoformat()
            if pending.last_computed else None}
        response = jsonify(body)
        response.status_code = 202
        response.headers["Retry-After"] = str(REFRESH_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response
    page = render_template("networks/pending.html", city=city, job=job,
                           status_url=status_url, last_computed=pending.last_computed,
                           refresh=REFRESH_SECONDS if not job.finished else None)
    return page, 202
