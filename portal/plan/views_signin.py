"""Attendance from a sign-in sheet: upload, check and preview, then apply (team members)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view
from portal.models import City
from portal.plan import bp, signin, signin_jobs
from portal.plan.event_forms import KIND_LABELS, SigninApplyForm, SigninForm
from portal.plan.messages import signin_reason


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def _max_bytes() -> int:
    return int(current_app.config.get("SIGNIN_IMPORT_MAX_BYTES", signin.DEFAULT_MAX_BYTES))


def _page(city: City, form: SigninForm, result: signin.SigninPlan | None,
          token: str = "") -> str:
    apply_form = SigninApplyForm(token=token) if token else None
    return render_template("plan/signin.html", city=city, form=form, result=result,
                           apply_form=apply_form, reason=signin_reason, kinds=KIND_LABELS)


@bp.route("/c/<city>/plan/events/import", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def signin_import(city: City) -> str:
    """Upload a sign-in sheet; show every bad row, or what applying it would do."""
    form = SigninForm()
    if not form.validate_on_submit():
        return _page(city, form, None)
    storage = form.sheet.data
    data = storage.read() if storage is not None and storage.filename else None
    rows, encoding, problems = signin.read(data, _max_bytes())
    result = signin.check(city, rows) if not problems else signin.SigninPlan(errors=problems)
    result.encoding = encoding
    token = "" if result.errors else signin.sign(_secret(), city, current_user.id, result)
    return _page(city, form, result, token)


@bp.post("/c/<city>/plan/events/import/apply")
@city_view(Access.MEMBER)
def signin_apply(city: City) -> str | Response:
    """Apply a previewed sign-in sheet, checked again against the city as it is now.

    Above JOBS_IMPORT_ABOVE rows a background job applies it (same checks, all or nothing).
    """
    form = SigninApplyForm()
    rows = (signin.unsign(_secret(), city, current_user.id, form.token.data or "")
            if form.validate_on_submit() else None)
    if rows is None:
        flash(_("This preview has expired or is not yours: upload the sheet again."), "error")
        return redirect(url_for("plan.signin_import", city=city.slug))
    if len(rows) > int(current_app.config["JOBS_IMPORT_ABOVE"]):
        job = signin_jobs.submit(city, form.token.data or "", rows, actor=current_user)
        return redirect(url_for("jobs.status", city=city.slug, job_id=job.uuid))
    result = signin.check(city, rows)
    if result.errors:
        flash(_("The stakeholder list or the events changed since the preview: nothing was "
                "imported. Check the sheet again."), "error")
        return _page(city, SigninForm(), result)
    new_events, added = signin.apply(city, result, actor=current_user)
    flash(_("Imported: %(events)s, %(attendance)s.",
            events=ngettext("%(num)d new event", "%(num)d new events", new_events),
            attendance=ngettext("%(num)d attendance added", "%(num)d attendances added",
                                added)), "success")
    return redirect(url_for("plan.events", city=city.slug))
