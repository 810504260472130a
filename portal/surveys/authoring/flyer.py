"""A printable flyer per survey and language: the title, a QR code and the short link."""

from __future__ import annotations

from contextlib import nullcontext

from flask import abort, render_template, url_for
from flask_babel import force_locale

from portal.auth.scoping import Access, city_view
from portal.models import City
from portal.qrcodes import qr_data_uri
from portal.surveys import bp
from portal.surveys.answering.state import content_language
from portal.surveys.authoring.services import survey_of


@bp.get("/c/<city>/surveys/<slug>/flyer/<lang>")
@city_view(Access.MEMBER)
def flyer(city: City, slug: str, lang: str) -> str:
    """Render the flyer in one of the survey's languages, wholly in that language.

    The link is the consent page in that language (``…/consent?lang=sq``), so a resident who
    scans it starts right away; the code is drawn on the server (no script, prints sharply).
    """
    survey = survey_of(city, slug)
    if survey is None or lang not in survey.languages:
        abort(404)
    link = url_for("surveys.answer_consent", city=city.slug, slug=slug, lang=lang,
                   _external=True)
    info = content_language(lang)
    with force_locale(info.ui_code) if info.ui_code else nullcontext():
        return render_template("surveys/flyer.html", city=city, survey=survey, lang=lang,
                               content=info, link=link, qr=qr_data_uri(link, scale=8))
