"""Job pages: the city's list, one job's status (HTML and JSON), the one download."""

from __future__ import annotations

from uuid import UUID

from flask import Response, abort, g, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.auth.scoping import Access, city_view
from portal.jobs import bp, presenters, services
from portal.jobs.forms import DownloadForm
from portal.models import City, Job
from portal.spreadsheets import XLSX_MIMETYPE

REFRESH_SECONDS = 3


def _job(city: City, job_id: UUID) -> Job:
    found = services.job_in_city(city, str(job_id), current_user, g.city_access)
    if found is None:
        abort(404)
    return found


@bp.get("/c/<city>/jobs")
@city_view(Access.REGIONAL)
def index(city: City) -> str:
    """List the city's jobs: all of them for coordinators, one's own for anyone else."""
    jobs = services.jobs_in_city(city, current_user, g.city_access)
    return render_template("jobs/index.html", city=city, jobs=jobs, kinds=presenters.KINDS,
                           statuses=presenters.STATUSES, progress=presenters.progress)


@bp.get("/c/<city>/jobs/<uuid:job_id>")
@city_view(Access.REGIONAL)
def status(city: City, job_id: UUID) -> str:
    """Show a job's progress; the page refreshes itself (no JavaScript) until it finishes."""
    job = _job(city, job_id)
    done, total = presenters.progress(job)
    downloadable = services.may_download(job, current_user)
    refusals, notices = presenters.issues(job)
    return render_template(
        "jobs/status.html", city=city, job=job, done=done, total=total,
        kind=presenters.KINDS.get(job.kind, job.kind), state=presenters.STATUSES[job.status],
        message=presenters.message(job), refresh=None if job.finished else REFRESH_SECONDS,
        form=DownloadForm() if downloadable else None, refusals=refusals, notices=notices)


@bp.get("/c/<city>/jobs/<uuid:job_id>.json")
@city_view(Access.REGIONAL)
def status_json(city: City, job_id: UUID) -> Response:
    """Return a job's status and progress as JSON."""
    job = _job(city, job_id)
    response = jsonify(presenters.as_json(job, city.slug,
                                          services.may_download(job, current_user)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/c/<city>/jobs/<uuid:job_id>/download")
@city_view(Access.REGIONAL)
def download(city: City, job_id: UUID) -> WerkzeugResponse:
    """Hand the job's file to the user who asked for it, once, then delete it."""
    job = _job(city, job_id)
    if not DownloadForm().validate_on_submit():
        abort(400)
    path = services.take_download(job, current_user)
    if path is None:
        return redirect(url_for("jobs.status", city=city.slug, job_id=job.uuid))
    mimetype = (XLSX_MIMETYPE
                if path.endswith(".xlsx") else "text/csv")
    # The body is read after this request commits the spent download, and the file is
    # deleted once it has been sent.
    return Response(services.stream_once(path), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{job.result_name or "export"}"',
        "Cache-Control": "private, no-store"})
