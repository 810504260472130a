"""Stakeholder list, profile, add, edit, archive, and ties from a profile."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view, is_team
from portal.ids import id_arg, parse_id
from portal.models import City, MappingRound, Stakeholder
from portal.plan import services as plan_services
from portal.plan.forms import STATUS_LABELS
from portal.stakeholders import bp, rounds, services, taxonomy, ties
from portal.stakeholders.forms import ActionForm, FilterForm, StakeholderForm, TiesForm, options
from portal.stakeholders.messages import map_error

LIST_ARGS = ("q", "sector", "level", "area", "round", "archived")  # kept across pages


def _stakeholder_or_404(city: City, stakeholder_id: int) -> Stakeholder:
    found = services.get_stakeholder(city, stakeholder_id)
    if found is None:
        abort(404)
    return found


def _chosen_round(all_rounds: list[MappingRound], wanted: int | None) -> MappingRound | None:
    by_id = {r.id: r for r in all_rounds}
    return by_id.get(wanted or -1) or next((r for r in all_rounds if r.is_current), None)


def _render_context(city: City) -> dict[str, object]:
    access = g.city_access
    return {"city": city, "show_contact": is_team(access), "can_edit": access >= Access.MEMBER,
            "can_coordinate": access >= Access.COORDINATOR, "taxonomy": taxonomy}


@bp.get("/c/<city>/stakeholders")
@city_view()
def index(city: City) -> str:
    """List the city's stakeholders with search, filters and counts per sector."""
    form = FilterForm(formdata=request.args)
    all_rounds = rounds.rounds_of(city)
    areas = services.areas_of(city)
    form.area.choices = options([("", _("All areas")), *((a.id, a.name) for a in areas)])
    form.round.choices = options((r.id, r.name) for r in all_rounds)
    form.validate()  # shows what is wrong; a field with an error filters nothing
    chosen = _chosen_round(all_rounds, form.round.data)
    filters = services.Filters(
        q=(form.q.data or "")[:100], sector=form.sector.data or "", level=form.level.data or "",
        area_id=form.area.data, archived=bool(form.archived.data))
    page = services.list_stakeholders(city, filters, chosen, after=_cursor("after"),
                                      before=_cursor("before"))
    kept: dict[str, Any] = {k: v for k, v in request.args.items() if k in LIST_ARGS and v}
    links = {
        "previous": page.previous_before and url_for(
            "stakeholders.index", city=city.slug, before=page.previous_before, **kept),
        "next": page.next_after and url_for(
            "stakeholders.index", city=city.slug, after=page.next_after, **kept)}
    return render_template(
        "stakeholders/index.html", form=form, rows=page.rows, total=page.total, links=links,
        chosen=chosen, rounds=all_rounds, counts=services.sector_counts(city),
        **_render_context(city))


def _cursor(name: str) -> int | None:
    """Return a page cursor (a stakeholder id) from the query string; None when malformed."""
    return parse_id(request.args.get(name, ""))


def _form(city: City, stakeholder: Stakeholder | None = None) -> StakeholderForm:
    form = StakeholderForm(obj=stakeholder)
    form.area_id.choices = options([("", "—"), *((a.id, a.name) for a in services.areas_of(city))])
    if not is_team(g.city_access):
        for name in ("contact_person", "contact_email", "contact_phone"):
            delattr(form, name)
    return form


@bp.route("/c/<city>/stakeholders/new", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def new(city: City) -> str | Response:
    """Add a stakeholder."""
    form = _form(city)
    if form.validate_on_submit():
        try:
            stakeholder = services.create_stakeholder(city, form.values(with_contact=True),
                                                      actor=current_user)
        except services.MapError as exc:
            form.name.errors.append(map_error(str(exc)))
        else:
            flash(_("Stakeholder added."), "success")
            return redirect(url_for("stakeholders.show", city=city.slug, sid=stakeholder.id))
    return render_template("stakeholders/edit.html", form=form, stakeholder=None,
                           **_render_context(city))


@bp.route("/c/<city>/stakeholders/<id:sid>/edit", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def edit(city: City, sid: int) -> str | Response:
    """Change a stakeholder's fields."""
    stakeholder = _stakeholder_or_404(city, sid)
    form = _form(city, stakeholder)
    if form.validate_on_submit():
        try:
            services.update_stakeholder(city, stakeholder, form.values(with_contact=True),
                                        actor=current_user)
        except services.MapError as exc:
            form.name.errors.append(map_error(str(exc)))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("stakeholders.show", city=city.slug, sid=sid))
    return render_template("stakeholders/edit.html", form=form, stakeholder=stakeholder,
                           **_render_context(city))


@bp.get("/c/<city>/stakeholders/<id:sid>")
@city_view()
def show(city: City, sid: int) -> str:
    """Show a stakeholder's profile, its ties in a round, and the checklist to add ties."""
    stakeholder = _stakeholder_or_404(city, sid)
    all_rounds = rounds.rounds_of(city)
    chosen = _chosen_round(all_rounds, id_arg("round"))
    context = _render_context(city)
    q = request.args.get("q", "")[:100]
    roster = ties.roster(city, exclude_id=sid, q=q) if context["can_edit"] else []
    return render_template(
        "stakeholders/show.html", stakeholder=stakeholder, rounds=all_rounds, chosen=chosen,
        tie_views=ties.ties_of(stakeholder, chosen), roster=roster, q=q,
        ties_form=TiesForm(round_id=chosen.id if chosen else ""), action_form=ActionForm(),
        plan_activities=plan_services.activities_with_partner(stakeholder),
        plan_statuses=STATUS_LABELS, **context)


@bp.post("/c/<city>/stakeholders/<id:sid>/ties")
@city_view(Access.MEMBER)
def add_ties(city: City, sid: int) -> Response:
    """Add every checked tie of the checklist in one go."""
    stakeholder = _stakeholder_or_404(city, sid)
    form = TiesForm()
    round_ = rounds.round_by_id(city, parse_id(form.round_id.data))
    if form.validate_on_submit() and round_ is None:
        round_ = rounds.ensure_current_round(city, _("Baseline"), actor=current_user)
    allowed = {s.id for s in ties.roster(city, exclude_id=sid)}
    entries = form.entries(request.form, allowed) if form.validate_on_submit() else None
    if entries is None or round_ is None:
        flash(_("Choose a kind and a frequency for every tie."), "error")
    elif not entries:
        flash(_("Tick at least one stakeholder."), "info")
    else:
        created, updated = ties.add_ties(city, stakeholder, round_, entries, actor=current_user)
        flash(ngettext("%(num)d tie added.", "%(num)d ties added.", created)
              + " " + ngettext("%(num)d tie updated.", "%(num)d ties updated.", updated), "success")
    return redirect(url_for("stakeholders.show", city=city.slug, sid=sid,
                            round=round_.id if round_ else None))


@bp.post("/c/<city>/stakeholders/<id:sid>/ties/<id:tie_id>/remove")
@city_view(Access.MEMBER)
def remove_tie(city: City, sid: int, tie_id: int) -> Response:
    """Remove one tie."""
    if not ActionForm().validate_on_submit():
        abort(400)
    tie = ties.remove_tie(city, tie_id, actor=current_user)
    if tie is None:
        abort(404)
    flash(_("Tie removed."), "success")
    return redirect(url_for("stakeholders.show", city=city.slug, sid=sid, round=tie.round_id))


@bp.post("/c/<city>/stakeholders/<id:sid>/archive")
@city_view(Access.MEMBER)
def archive(city: City, sid: int) -> Response:
    """Archive a stakeholder, or bring it back (?restore=1)."""
    stakeholder = _stakeholder_or_404(city, sid)
    if not ActionForm().validate_on_submit():
        abort(400)
    restore = request.args.get("restore") == "1"
    services.set_archived(city, stakeholder, archived=not restore, actor=current_user)
    flash(_("Stakeholder restored.") if restore else _("Stakeholder archived."), "success")
    return redirect(url_for("stakeholders.show", city=city.slug, sid=sid))
