"""Export routes: suppressed aggregates for all readers, microdata for coordinators only."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit
from portal.auth.scoping import Access, city_view
from portal.extensions import db
from portal.i18n import current_info
from portal.models import City, Survey
from portal.results import bp, export_jobs, exports, services
from portal.results.forms import MicrodataForm
from portal.spreadsheets import XLSX_MIMETYPE

XLSX = XLSX_MIMETYPE


def _survey(city: City, key: str) -> Survey:
    found = services.survey_in_city(city, key)
    if found is None:
        abort(404)
    return found


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store"}


@bp.get("/c/<city>/results/<survey>/results.csv")
@city_view(Access.REGIONAL)
def export_csv(city: City, survey: str) -> Response:
    """Download the published aggregates as CSV."""
    found = _survey(city, survey)
    body = exports.aggregate_csv(services.survey_results(found, current_info().code))
    return Response(body, mimetype="text/csv",
                    headers=_attachment(f"{city.slug}-{found.slug}-results.csv"))


@bp.get("/c/<city>/results/<survey>/results.xlsx")
@city_view(Access.REGIONAL)
def export_xlsx(city: City, survey: str) -> Response:
    """Download the published aggregates as XLSX."""
    found = _survey(city, survey)
    body = exports.aggregate_xlsx(services.survey_results(found, current_info().code))
    return Response(body, mimetype=XLSX,
                    headers=_attachment(f"{city.slug}-{found.slug}-results.xlsx"))


@bp.get("/c/<city>/results/<survey>/microdata")
@city_view(Access.COORDINATOR)
def microdata(city: City, survey: str) -> str:
    """Explain the obligations of holding microdata and ask for confirmation."""
    found = _survey(city, survey)
    return render_template("results/microdata.html", city=city, survey=found,
                           form=MicrodataForm())


@bp.post("/c/<city>/results/<survey>/microdata")
@city_view(Access.COORDINATOR)
def microdata_export(city: City, survey: str) -> WerkzeugResponse | tuple[str, int]:
    """Export one row per response once the coordinator has confirmed; leave an audit trace.

    A large survey's export runs as a job (a file downloadable once); a small one streams.
    """
    found = _survey(city, survey)
    form = MicrodataForm()
    if not form.validate_on_submit():
        page = render_template("results/microdata.html", city=city, survey=found, form=form)
        return page, 400
    kind = form.file_format.data
    audit.record("results.microdata_export", city=city, target=found, details=kind or "",
                 actor=current_user)
    if export_jobs.response_count(found) > int(current_app.config["JOBS_EXPORT_ABOVE"]):
        job = export_jobs.submit(city, found, kind or "csv", actor=current_user)
        return redirect(url_for("jobs.status", city=city.slug, job_id=job.uuid))
    name = f"{city.slug}-{found.slug}-responses.{kind}"
    # The body is produced after this request's teardown: it reads from a plain copy of the
    # survey and its own connection, never from the request's session.
    plan, engine = exports.microdata_plan(found), db.engine
    if kind == "xlsx":
        return Response(exports.microdata_xlsx(plan, engine), mimetype=XLSX,
                        headers=_attachment(name))
    return Response(exports.microdata_csv(plan, engine), mimetype="text/csv",
                    headers=_attachment(name))
