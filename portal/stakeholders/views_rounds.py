"""Mapping rounds and areas."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view
from portal.models import City
from portal.stakeholders import bp, rounds, services
from portal.stakeholders.forms import ActionForm, AreaForm, RoundEditForm, RoundForm, options
from portal.stakeholders.messages import map_error


def _round_form(all_rounds: list) -> RoundForm:
    form = RoundForm()
    form.copy_from.choices = options([("", _("An empty map")), *(
        (r.id, _("A copy of “%(name)s”", name=r.name)) for r in all_rounds)])
    return form


def _page(city: City, form: RoundForm, area_form: AreaForm) -> str:
    all_rounds = rounds.rounds_of(city)
    return render_template(
        "stakeholders/rounds.html", city=city, rounds=all_rounds, counts=rounds.tie_counts(city),
        form=form, area_form=area_form, areas=services.areas_of(city), action_form=ActionForm(),
        can_coordinate=g.city_access >= Access.COORDINATOR,
        can_edit=g.city_access >= Access.MEMBER)


@bp.get("/c/<city>/stakeholders/rounds")
@city_view()
def rounds_page(city: City) -> str:
    """List the rounds and areas; coordinators create rounds and mark the current one."""
    return _page(city, _round_form(rounds.rounds_of(city)), AreaForm(formdata=None))


@bp.post("/c/<city>/stakeholders/rounds")
@city_view(Access.COORDINATOR)
def create_round(city: City) -> str | Response:
    """Create a round, empty or as a copy of another."""
    form = _round_form(rounds.rounds_of(city))
    if form.validate_on_submit():
        # The field has parsed the id (not an id: a form error already); it must be this city's.
        source = rounds.round_by_id(city, form.copy_from.data)
        if form.copy_from.data is not None and source is None:
            form.copy_from.errors = [*form.copy_from.errors, map_error("round_unknown")]
            return _page(city, form, AreaForm(formdata=None))
        try:
            rounds.create_round(city, form.name.data or "", form.held_on.data,
                                copy_from=source, make_current=bool(form.make_current.data),
                                actor=current_user)
        except rounds.MapError as exc:
            form.name.errors.append(map_error(str(exc)))
        else:
            flash(_("Round created."), "success")
            return redirect(url_for("stakeholders.rounds_page", city=city.slug))
    return _page(city, form, AreaForm(formdata=None))


@bp.post("/c/<city>/stakeholders/rounds/<id:round_id>/current")
@city_view(Access.COORDINATOR)
def make_current(city: City, round_id: int) -> Response:
    """Mark a round as the current one."""
    chosen = rounds.round_by_id(city, round_id)
    if chosen is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    rounds.set_current(city, chosen, actor=current_user)
    flash(_("“%(name)s” is now the current round.", name=chosen.name), "success")
    return redirect(url_for("stakeholders.rounds_page", city=city.slug))


@bp.route("/c/<city>/stakeholders/rounds/<id:round_id>/edit", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def edit_round(city: City, round_id: int) -> str | Response:
    """Rename or re-date a round."""
    chosen = rounds.round_by_id(city, round_id)
    if chosen is None:
        abort(404)
    form = RoundEditForm(obj=chosen)
    if form.validate_on_submit():
        try:
            rounds.update_round(city, chosen, name=form.name.data or "",
                                held_on=form.held_on.data, actor=current_user)
        except rounds.MapError as exc:
            form.name.errors.append(map_error(str(exc)))
        else:
            flash(_("Round saved."), "success")
            return redirect(url_for("stakeholders.rounds_page", city=city.slug))
    return render_template("stakeholders/round_edit.html", city=city, round=chosen, form=form)


@bp.post("/c/<city>/stakeholders/areas")
@city_view(Access.MEMBER)
def add_area(city: City) -> str | Response:
    """Add an area to the city's list."""
    form = AreaForm()
    if form.validate_on_submit():
        try:
            services.add_area(city, form.name.data or "", actor=current_user)
        except services.MapError as exc:
            form.name.errors.append(map_error(str(exc)))
        else:
            flash(_("Area added."), "success")
            return redirect(url_for("stakeholders.rounds_page", city=city.slug))
    return _page(city, _round_form(rounds.rounds_of(city)), form)
