"""The coordinators' device page (make a device, its settings QR code shown once; revoke one)
and the data entry mode for paper questionnaires."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth import devices
from portal.auth.forms import ConfirmForm
from portal.auth.scoping import Access, city_view
from portal.models import City, User
from portal.qrcodes import qr_data_uri
from portal.surveys import bp
from portal.surveys.field import entry
from portal.surveys.field.forms import DeviceForm
from portal.surveys.field.openrosa import open_surveys


def server_url(city: City) -> str:
    """Return the server URL ODK Collect is given (it appends /formList and /submission)."""
    return url_for("surveys.odk_form_list", city=city.slug, _external=True).removesuffix(
        "/formList")


def _form(people: list[User]) -> DeviceForm:
    form = DeviceForm()
    form.user.choices = [(person.id, person.display_name) for person in people]
    return form


@bp.route("/c/<city>/devices", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def devices_page(city: City) -> str:
    """List the city's ODK Collect devices; make one, whose settings QR code is shown once."""
    people = devices.collectors(city)
    form = _form(people)
    made = None
    if form.validate_on_submit():
        person = next(p for p in people if p.id == form.user.data)
        device, secret = devices.create_device(city, person, form.label.data or "",
                                               actor=current_user)
        url = server_url(city)
        made = {"device": device, "secret": secret, "server_url": url,
                "qr": qr_data_uri(devices.collect_settings(url, device.username, secret),
                                  scale=5)}
        form = _form(people)
        form.process(formdata=None)
    return render_template("surveys/devices.html", city=city, form=form, made=made,
                           listed=devices.devices_of(city), revoke_form=ConfirmForm())


@bp.post("/c/<city>/devices/<id:device_id>/revoke")
@city_view(Access.COORDINATOR)
def revoke_device(city: City, device_id: int) -> Response:
    """Revoke a device: it cannot sign in again; what it sent stays."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    device = devices.device_in(city, device_id) or abort(404)
    devices.revoke_device(device, actor=current_user)
    flash(_("The device \"%(name)s\" is revoked.", name=device.label), "success")
    return redirect(url_for("surveys.devices_page", city=city.slug))


def _may_enter() -> None:
    """Stop a regional coordinator (who reads aggregates) from entering answers: 403."""
    if not entry.may_enter(g.city_access):
        abort(403)


@bp.get("/c/<city>/entry")
@city_view(Access.ENUMERATOR)
def entry_page(city: City) -> str:
    """The data entry mode: the open surveys to type paper questionnaires into, the count."""
    _may_enter()
    return render_template("surveys/entry.html", city=city, surveys=open_surveys(city),
                           active=entry.active(city.slug), entered=entry.count(city.slug),
                           form=ConfirmForm())


@bp.post("/c/<city>/entry/<slug>/start")
@city_view(Access.ENUMERATOR)
def entry_start(city: City, slug: str) -> Response:
    """Turn the data entry mode on and open a survey's first page for a paper questionnaire."""
    _may_enter()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    survey = next((s for s in open_surveys(city) if s.slug == slug), None) or abort(404)
    entry.start(city.slug)
    return redirect(url_for("surveys.answer_consent", city=city.slug, slug=survey.slug,
                            lang=survey.default_language))


@bp.post("/c/<city>/entry/stop")
@city_view(Access.ENUMERATOR)
def entry_stop(city: City) -> Response:
    """Turn the data entry mode off (the count of the sitting is forgotten)."""
    _may_enter()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    entry.stop()
    flash(_("Data entry ended."), "success")
    return redirect(url_for("surveys.entry_page", city=city.slug))
