"""Relationship-survey links: issue, revoke, download, print (coordinators); answer (/r/<token>)."""

from __future__ import annotations

import csv
import io

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view, public
from portal.extensions import limiter
from portal.i18n import LOCALES, info_for, lang_for_this_request
from portal.ids import id_arg
from portal.models import City, RelationshipSurveyLink, Stakeholder
from portal.qrcodes import qr_data_uri
from portal.spreadsheets import csv_row
from portal.stakeholders import bp, relationship_survey, rounds, services, taxonomy, ties
from portal.stakeholders.forms import ActionForm, IssueLinksForm, TiesForm

PUBLIC_LIMIT = "30 per minute"
NOT_ANSWERED = ("none", "open", "expired", "revoked")


def _link_url(city: City, link: RelationshipSurveyLink, token: str) -> str:
    """Return a survey link that opens in the link's language."""
    code = relationship_survey.language_of(link, city)
    return url_for("stakeholders.respond", token=token, lang=code, _external=True)


def _links_page(city: City, form: IssueLinksForm, issued: set[int] | None = None) -> str:
    states = relationship_survey.overview(city)
    rows = relationship_survey.open_links(city)
    return render_template(
        "stakeholders/links.html", city=city, form=form, printable={p.id for p, _l, _t in rows},
        waiting=[s for s in states if s.status in NOT_ANSWERED],
        answered=[s for s in states if s.status == "answered"],
        issued=[(p, _link_url(city, link, t)) for p, link, t in rows if p.id in (issued or ())],
        locales=LOCALES, city_locale=info_for(city.default_locale).code,
        current=rounds.current_round(city), action_form=ActionForm())


@bp.get("/c/<city>/stakeholders/survey-links")
@city_view(Access.COORDINATOR)
def links(city: City) -> str:
    """Show who has answered and who has not, with their links' states."""
    return _links_page(city, IssueLinksForm(formdata=None))


@bp.post("/c/<city>/stakeholders/survey-links")
@city_view(Access.COORDINATOR)
def issue_links(city: City) -> str:
    """Issue links for one stakeholder (?sid=) or for everyone who has not answered yet."""
    form = IssueLinksForm()
    if not form.validate_on_submit():
        return _links_page(city, form)
    rounds.ensure_current_round(city, _("Baseline"), actor=current_user)
    sid = id_arg("sid")
    if sid is not None:
        person = services.get_stakeholder(city, sid)
        if person is None or person.archived:
            abort(404)
        people = [person]
    else:
        people = [s.stakeholder for s in relationship_survey.overview(city)
                  if s.status not in ("open", "answered")]
    issued = relationship_survey.issue(city, people, form.lifetime_days.data or 21,
                                       locale=form.locale.data or None, actor=current_user)
    return _links_page(city, IssueLinksForm(formdata=None), {p.id for p, _t in issued})


def _open_rows(city: City) -> list[tuple[Stakeholder, RelationshipSurveyLink, str]]:
    """Return the open links to hand out: everyone's, or one stakeholder's (?sid=)."""
    sid = id_arg("sid")
    if "sid" in request.args and sid is None:
        abort(404)
    return relationship_survey.open_links(city, sid)


@bp.get("/c/<city>/stakeholders/survey-links.csv")
@city_view(Access.COORDINATOR)
def links_csv(city: City) -> Response:
    """Download the open links as CSV: stakeholder, sector, language, link, valid until."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["stakeholder", "organisation", "sector", "language", "link", "valid_until"])
    for person, link, token in _open_rows(city):
        writer.writerow(csv_row([
            person.name, person.organisation, person.sector,
            relationship_survey.language_of(link, city), _link_url(city, link, token),
            link.expires_at.date().isoformat()]))
    return Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{city.slug}-survey-links.csv"',
        "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store"})


def _card(city: City, person: Stakeholder, link: RelationshipSurveyLink, token: str) -> Markup:
    """Render one stakeholder's card in the stakeholder's language."""
    code = relationship_survey.language_of(link, city)
    url = _link_url(city, link, token)
    with force_locale(code):
        return Markup(render_template(
            "stakeholders/_link_card.html", city=city, person=person, url=url,
            qr=qr_data_uri(url), info=info_for(code),
            # Serbian-style long dates end with a period; the sentence brings its own.
            until=format_date(link.expires_at.date(), "long").rstrip(".")))


@bp.get("/c/<city>/stakeholders/survey-links/cards")
@city_view(Access.COORDINATOR)
def link_cards(city: City) -> Response:
    """A printable sheet: one card per open link, with its QR code, in each one's language."""
    cards = [_card(city, *row) for row in _open_rows(city)]
    response = make_response(render_template("stakeholders/link_cards.html", city=city,
                                             cards=cards))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/c/<city>/stakeholders/<id:sid>/survey-link/revoke")
@city_view(Access.COORDINATOR)
def revoke_link(city: City, sid: int) -> Response:
    """Revoke a stakeholder's open link."""
    person = services.get_stakeholder(city, sid)
    if person is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    relationship_survey.revoke(city, person, actor=current_user)
    flash(_("The link of %(name)s no longer works.", name=person.name), "success")
    return redirect(url_for("stakeholders.links", city=city.slug))


@bp.route("/r/<token>", methods=["GET", "POST"])
@lang_for_this_request
@public
@limiter.limit(PUBLIC_LIMIT)
def respond(token: str) -> str | Response:
    """The relationship survey: whom does this stakeholder work with, how, how often?"""
    link, status = relationship_survey.open_link(token[:100])
    if link is None:
        abort(404)
    g.city = link.city
    if status != "open":
        return render_template("stakeholders/respond_closed.html", link=link, status=status)
    roster = ties.roster(link.city, exclude_id=link.stakeholder_id)
    form = TiesForm()
    chosen: dict[str, tuple[set[str], str]] = {}
    if form.validate_on_submit():
        entries = form.entries(request.form, {s.id for s in roster})
        if entries is None:
            flash(_("Choose a kind and a frequency for every tie."), "error")
            chosen = form.chosen(request.form)
        else:
            relationship_survey.answer(link, entries, actor=current_user)
            return render_template("stakeholders/respond_closed.html", link=link,
                                   status="thanks")
    return render_template("stakeholders/respond.html", link=link,
                           roster=roster, form=form, taxonomy=taxonomy,
                           chosen=chosen)
