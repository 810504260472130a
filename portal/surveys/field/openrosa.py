"""The city's OpenRosa server for ODK Collect: form list, XForms, manifests, submissions.

ODK Collect's server URL is ``https://<host>/odk/<city>``; it appends ``/formList`` and
``/submission`` itself. Every view is for a working device of the city (HTTP Basic,
portal.auth.odk.device_view). The submission is not CSRF-checked: it carries no cookie,
only the device's credentials, which a forged cross-site request cannot attach.
"""

from __future__ import annotations

from datetime import date

from flask import Response, g, url_for
from flask import request as flask_request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.odk import device_view
from portal.extensions import csrf, db
from portal.i18n import normalise
from portal.models import City, Survey
from portal.surveys import bp
from portal.surveys.answering.definition import availability, public_survey
from portal.surveys.answering.store import Outcome, store_response
from portal.surveys.field import xforms
from portal.surveys.field.instances import Refused, answers_of, read_xml, response_uuid

ACCEPT_CONTENT_LENGTH = 1024 * 1024  # an instance is a few kilobytes; no attachments are taken
SUBMISSION_FILE = "xml_submission_file"


def _openrosa(body: bytes, status: int = 200) -> Response:
    """Return an OpenRosa document with the headers the protocol asks for."""
    response = Response(body, status=status, content_type="text/xml; charset=utf-8")
    response.headers["X-OpenRosa-Version"] = "1.0"
    response.headers["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
    return response


def open_surveys(city: City, today: date | None = None) -> list[Survey]:
    """Return the city's surveys open today, by slug."""
    today = today or date.today()
    found = db.session.scalars(select(Survey).where(
        Survey.city_id == city.id, Survey.status == "open").order_by(Survey.slug))
    return [survey for survey in found if availability(survey, today) == "open"]


def _survey(city: City, slug: str) -> Survey | None:
    """Return the city's survey open today at this slug, or None."""
    return next((s for s in open_surveys(city, date.today()) if s.slug == slug), None)


@bp.get("/odk/<city>/formList")
@device_view
def odk_form_list(city: City) -> Response:
    """List the city's open surveys for ODK Collect (the OpenRosa form list API)."""
    entries = []
    for survey in open_surveys(city, date.today()):
        name = survey.title.get(survey.default_language) or next(iter(survey.title.values()),
                                                                 survey.slug)
        entries.append((survey, name, xforms.xform(survey),
                        url_for(".odk_form", city=city.slug, slug=survey.slug, _external=True),
                        url_for(".odk_manifest", city=city.slug, slug=survey.slug,
                                _external=True)))
    return _openrosa(xforms.form_list(entries))


@bp.get("/odk/<city>/forms/<slug>/form.xml")
@device_view
def odk_form(city: City, slug: str) -> Response:
    """Return a survey's XForm (pyxform's conversion of the portal's XLSForm export)."""
    survey = _survey(city, slug)
    if survey is None:
        return _openrosa(xforms.reply(_("This survey is not open.")), 404)
    return _openrosa(xforms.xform(survey))


@bp.get("/odk/<city>/forms/<slug>/manifest")
@device_view
def odk_manifest(city: City, slug: str) -> Response:
    """Return a survey's manifest (its media files: none)."""
    if _survey(city, slug) is None:
        return _openrosa(xforms.reply(_("This survey is not open.")), 404)
    return _openrosa(xforms.manifest())


@bp.route("/odk/<city>/submission", methods=["HEAD", "POST"])
@csrf.exempt
@device_view
def odk_submission(city: City) -> Response:
    """Take one finalized instance from ODK Collect: 201 once stored, 201 again on a resend."""
    if flask_request.method == "HEAD":  # ODK Collect asks first how much it may send
        return _openrosa(b"", 204)
    device = g.device
    locale = normalise(device.user.preferred_locale) or normalise(city.default_locale) or "en"
    with force_locale(locale):
        status, message = _submit(city, locale)
    nature = "submit_success" if status == 201 else ""
    return _openrosa(xforms.reply(message, nature), status)


def _submit(city: City, language: str) -> tuple[int, str]:
    """Store the submitted instance, or say why not; return the status and the message."""
    files = flask_request.files
    upload = files.get(SUBMISSION_FILE)
    if upload is None:
        return 400, _("The submission has no xml_submission_file.")
    if len(files) > 1 or len(files.getlist(SUBMISSION_FILE)) > 1:
        return 400, _("The portal takes no photos, recordings or other files.")
    try:
        instance = read_xml(upload.read(ACCEPT_CONTENT_LENGTH + 1))
        client_uuid = response_uuid(instance)
        found = next((s for s in open_surveys(city, date.today())
                      if xforms.form_id(s) == instance.form_id), None)
        survey = public_survey(city.slug, found.slug) if found is not None else None
        if survey is None:
            return 404, _("This survey is not open.")
        answers = answers_of(survey, instance, survey.default_language
                             if language not in survey.languages else language)
    except Refused as refused:
        return 400, str(refused)
    if store_response(survey, client_uuid, answers, date.today(),
                      mode="device") is Outcome.CONFLICT:
        return 409, _("Another form with this instanceID, holding other answers, was sent "
                      "before: nothing was stored.")
    return 201, _("Thank you: the answers were received.")
