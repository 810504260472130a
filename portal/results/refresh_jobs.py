"""A large survey's aggregates are built and folded by a job, never inside a request.

Above RESULTS_INLINE_UP_TO responses, a survey whose aggregates are missing or stale makes
`aggregates.current_counts` raise `ResultsPending` after queuing one `results_refresh` job
for the survey (one at a time: an unfinished job of the survey is reused). The page, the
exports and the API answer it like a pending analysis: HTML with the job's progress,
refreshing without JavaScript, or JSON 202 with the job's status URL and Retry-After.
When many responses wait above the mark of such a survey, the view adds them itself (as
below the threshold) and queues the fold instead of doing it. The job runs the same
`refresh_aggregates` (idempotent: a run killed half-way, or two runs, change nothing twice).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portal.auth.scoping import access_to
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job, ResultsAggregate, Survey
from portal.models import Response as SurveyResponse

KIND = "results_refresh"
REFRESH_SECONDS = 5
UNFINISHED = ("queued", "running")


class ResultsPending(Exception):
    """The aggregates this request needs are being built by a job."""

    def __init__(self, city: City, job: Job) -> None:
        super().__init__(job.uuid)
        self.city, self.job = city, job


def inline_limit() -> int:
    """Return how many responses a request may build or fold itself."""
    return int(current_app.config.get("RESULTS_INLINE_UP_TO", 20_000))


def inline_allowed(responses: int) -> bool:
    """Return True inside a refresh job, or for a survey small enough for a request."""
    return bool(g.get("results_inline")) or responses <= inline_limit()


def response_count(survey_id: int) -> int:
    """Return how many responses a survey has (an index count)."""
    return int(db.session.scalar(select(func.count(SurveyResponse.id)).where(
        SurveyResponse.survey_id == survey_id)) or 0)


def _key(survey_id: int) -> str:
    """Return the idempotency key of a refresh of the survey's aggregates as they are now."""
    state = db.session.execute(select(ResultsAggregate.version, ResultsAggregate.mark).where(
        ResultsAggregate.survey_id == survey_id)).first()
    base = f"{KIND}:{survey_id}:" + (f"{state.version}:{state.mark}" if state else "new")
    key = base
    for again in range(1, 10):  # a failed refresh of this state may be tried a few times more
        earlier = db.session.scalar(select(Job.status).where(Job.idempotency_key == key))
        if earlier != "failed":
            break
        key = f"{base}:{again}"
    return key


def start(survey_id: int) -> Job:
    """Queue a refresh of the survey's aggregates unless one is waiting or running; return it."""
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    prefix = f"{KIND}:{survey_id}:"
    running = db.session.scalar(select(Job).where(
        Job.city_id == survey.city_id, Job.kind == KIND, Job.status.in_(UNFINISHED),
        Job.idempotency_key.startswith(prefix, autoescape=True)).order_by(Job.id))
    if running is not None:
        return running
    key = _key(survey_id)
    actor = current_user if has_request_context() and current_user.is_authenticated else None
    try:
        with db.session.begin_nested():  # two requests at once: the second finds the first's
            return jobs.submit(survey.city, KIND, {"survey_id": survey_id}, actor=actor,
                               idempotency_key=key)
    except IntegrityError:
        found = db.session.scalar(select(Job).where(Job.city_id == survey.city_id,
                                                    Job.idempotency_key == key))
        assert found is not None
        return found


def pending(survey_id: int) -> ResultsPending:
    """Queue the refresh (or find it) and return the exception that answers the request."""
    job = start(survey_id)
    city = db.session.get(City, job.city_id)
    assert city is not None
    return ResultsPending(city, job)


def run_results_refresh(job: Job, progress: Progress) -> Outcome:
    """Bring the survey's aggregates up to date (the runner commits with the done mark)."""
    from portal.results.aggregates import refresh_aggregates

    survey_id = int(job.params.get("survey_id", 0))
    progress(0, 1)
    g.results_inline = True
    try:
        folded = refresh_aggregates(survey_id)
    finally:
        g.results_inline = False
    if folded is None:
        raise JobRefused("survey_gone")
    db.session.flush()
    progress(1, 1)
    return Outcome(summary={"survey": survey_id})


def answer(waiting: ResultsPending) -> Response | tuple[str, int]:
    """Answer a request whose aggregates are being built: 202 JSON, or a page with progress."""
    job, city = waiting.job, waiting.city
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        body: dict[str, Any] = {
            "status": "pending", "job": job.uuid, "job_status": job.status,
            "status_url": url_for("jobs.status_json", city=city.slug, job_id=job.uuid)}
        response = jsonify(body)
        response.status_code = 202
        response.headers["Retry-After"] = str(REFRESH_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response
    user = current_user
    access = access_to(user, city) if user.is_authenticated else None
    follow = (url_for("jobs.status", city=city.slug, job_id=job.uuid)
              if access is not None and jobs.may_see(job, user, access) else None)
    page = render_template("results/pending.html", city=city, job=job, status_url=follow,
                           refresh=REFRESH_SECONDS if not job.finished else None)
    return page, 202
