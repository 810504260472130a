"""Meetings and trainings: the list, an event with its attendance checklist, the co-attendance
comparison. Team members (and coordinators) enter; regional coordinators read."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view
from portal.ids import id_arg
from portal.models import City, Event
from portal.plan import bp
from portal.plan import events as services
from portal.plan import export as plan_export
from portal.plan.event_forms import KIND_LABELS, AttendanceForm, EventForm
from portal.plan.messages import plan_error
from portal.plan.services import PlanError
from portal.stakeholders import taxonomy
from portal.stakeholders.forms import options
from portal.stakeholders.spreadsheet.export import to_csv, to_xlsx

MET_SHOWN = 25  # pairs listed; a big network's list would drown the page


def _context(city: City) -> dict[str, Any]:
    return {"city": city, "can_enter": g.city_access >= Access.MEMBER, "kinds": KIND_LABELS,
            "taxonomy": taxonomy}


def _event_or_404(city: City, event_id: int) -> Event:
    event = services.event_by_id(city, event_id)
    if event is None:
        abort(404)
    return event


@bp.get("/c/<city>/plan/events")
@city_view()
def events(city: City) -> str:
    """The city's meetings and trainings, and who met often but reports no working tie."""
    return render_template("plan/events.html", events=services.events_of(city),
                           met=services.met_without_tie(city),
                           at_least=services.MET_AT_LEAST, shown=MET_SHOWN, **_context(city))


@bp.get("/c/<city>/plan/events.<any(csv, xlsx):fmt>")
@city_view()
def events_file(city: City, fmt: str) -> Response:
    """Download the city's meetings and trainings with their attendance (CSV or XLSX)."""
    titles = {a.id: a.title for a in services.activity_options(city)}
    rows = plan_export.events_table(services.events_of(city), titles)
    data = to_csv(rows) if fmt == "csv" else to_xlsx({"events": rows})
    return plan_export.download(data, fmt, f"{city.slug}-events.{fmt}")


@bp.route("/c/<city>/plan/events/new", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def new_event(city: City) -> str | Response:
    """Add a meeting or training."""
    return _event_page(city, None)


@bp.route("/c/<city>/plan/events/<id:event_id>/edit", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def edit_event(city: City, event_id: int) -> str | Response:
    """Change a meeting or training."""
    return _event_page(city, _event_or_404(city, event_id))


def _event_page(city: City, event: Event | None) -> str | Response:
    form = EventForm(obj=event)
    form.activity_id.choices = options([("", "—"), *(
        (a.id, a.title) for a in services.activity_options(city))])
    if event is None and request.method == "GET":
        form.activity_id.data = id_arg("activity")
    if form.validate_on_submit():
        try:
            saved = services.save_event(city, event, form.values(), actor=current_user)
        except PlanError as error:
            form.title.errors = [*form.title.errors, plan_error(str(error))]
        else:
            flash(_("Event saved. Tick who attended."), "success")
            return redirect(url_for("plan.event", city=city.slug, event_id=saved.id))
    return render_template("plan/event_edit.html", form=form, event=event, **_context(city))


@bp.get("/c/<city>/plan/events/<id:event_id>")
@city_view()
def event(city: City, event_id: int) -> str:
    """An event: its fields, who attended, and (for the team) the attendance checklist."""
    found = _event_or_404(city, event_id)
    context = _context(city)
    roster = services.attendee_options(city, found) if context["can_enter"] else []
    return render_template("plan/event.html", event=found, roster=roster,
                           ticked={s.id for s in found.attendees},
                           form=AttendanceForm() if context["can_enter"] else None, **context)


@bp.post("/c/<city>/plan/events/<id:event_id>/attendance")
@city_view(Access.MEMBER)
def attendance(city: City, event_id: int) -> Response:
    """Save the ticked attendance of an event (all of it, or nothing)."""
    found = _event_or_404(city, event_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the options shown."), "error")
    else:
        try:
            services.set_attendance(city, found, [i for i in form.partner.data or [] if i],
                                    actor=current_user)
        except PlanError as error:
            flash(plan_error(str(error)), "error")
        else:
            flash(_("Attendance saved."), "success")
    return redirect(url_for("plan.event", city=city.slug, event_id=event_id))
