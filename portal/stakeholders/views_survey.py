"""Relationship-survey links: issue and revoke (coordinators); answer (no account, /r/<token>)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view, public
from portal.extensions import limiter
from portal.ids import id_arg
from portal.models import City
from portal.stakeholders import bp, relationship_survey, rounds, services, taxonomy, ties
from portal.stakeholders.forms import ActionForm, IssueLinksForm, TiesForm

PUBLIC_LIMIT = "30 per minute"


def _links_page(city: City, form: IssueLinksForm, issued: list | None = None) -> str:
    return render_template(
        "stakeholders/links.html", city=city, states=relationship_survey.overview(city), form=form,
        issued=[(s, url_for("stakeholders.respond", token=t, _external=True))
                for s, t in issued or []],
        current=rounds.current_round(city), action_form=ActionForm())


@bp.get("/c/<city>/stakeholders/survey-links")
@city_view(Access.COORDINATOR)
def links(city: City) -> str:
    """Show every stakeholder's link state."""
    return _links_page(city, IssueLinksForm(formdata=None))


@bp.post("/c/<city>/stakeholders/survey-links")
@city_view(Access.COORDINATOR)
def issue_links(city: City) -> str:
    """Issue links for one stakeholder (?sid=) or for everyone without an open link."""
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
        people = [s.stakeholder for s in relationship_survey.overview(city) if s.status != "open"]
    issued = relationship_survey.issue(city, people, form.lifetime_days.data or 21,
                                       actor=current_user)
    return _links_page(city, IssueLinksForm(formdata=None), issued)


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
    if form.validate_on_submit():
        entries = form.entries(request.form, {s.id for s in roster})
        if entries is None:
            flash(_("Choose a kind and a frequency for every tie."), "error")
        else:
            relationship_survey.answer(link, entries, actor=current_user)
            return render_template("stakeholders/respond_closed.html", link=link,
                                   status="thanks")
    return render_template("stakeholders/respond.html", link=link, roster=roster,
                           form=form, taxonomy=taxonomy)
