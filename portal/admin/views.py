"""Admin pages: regions, cities, users and their roles."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.admin import bp, services
from portal.admin.forms import SLUG, ActiveForm, CityForm, RegionForm, RoleForm, UserForm
from portal.auth import resets
from portal.auth import services as accounts
from portal.auth.scoping import admin_required
from portal.extensions import db
from portal.models import City, Membership, Region, RegionalRole, User

ERRORS = {
    "slug": SLUG.message,
    "slug_taken": _l("This short name is taken."),
    "locale": _l("Unknown language."),
    "threshold": _l("The disclosure threshold may not be below 5."),
}


def _city_form(city: City | None = None) -> CityForm:
    form = CityForm(obj=city)
    form.region.choices = [SelectChoice(r.id, r.name) for r in services.all_regions()]
    return form


def _index(region_form: RegionForm | None = None, user_form: UserForm | None = None,
           status: int = 200) -> tuple[str, int]:
    """Render the overview; a form that came back with errors keeps what was typed."""
    return render_template(
        "admin/index.html",
        regions=services.all_regions(),
        users=services.all_users(),
        region_form=region_form or RegionForm(formdata=None),
        user_form=user_form or UserForm(formdata=None),
    ), status


@bp.get("/")
@admin_required
def index() -> tuple[str, int]:
    """Overview of regions, cities and users."""
    return _index()


@bp.post("/regions")
@admin_required
def create_region() -> Response | tuple[str, int]:
    """Create a region; a bad or taken short name comes back with the rule and the input."""
    form = RegionForm()
    if form.validate_on_submit():
        try:
            services.create_region(form.slug.data or "", form.name.data or "", actor=current_user)
        except services.AdminError as exc:
            form.slug.errors = [*form.slug.errors, str(ERRORS[str(exc)])]
        else:
            flash(_("Region created."), "success")
            return redirect(url_for("admin.index"))
    flash(_("Check the form: some fields are missing or invalid."), "error")
    return _index(region_form=form, status=400)


@bp.route("/cities/new", methods=["GET", "POST"])
@admin_required
def create_city() -> str | Response:
    """Create a city."""
    form = _city_form()
    if form.validate_on_submit():
        region = db.session.get(Region, form.region.data)
        try:
            if region is None:
                raise services.AdminError("slug")
            services.create_city(
                form.slug.data or "", form.name.data or "", region,
                form.default_locale.data or "en",
                form.country.data or "", form.disclosure_threshold.data or 10, actor=current_user
            )
            flash(_("City created."), "success")
            return redirect(url_for("admin.index"))
        except services.AdminError as exc:
            form.slug.errors.append(str(ERRORS[str(exc)]))
    return render_template("admin/city.html", form=form, city=None)


@bp.route("/cities/<id:city_id>", methods=["GET", "POST"])
@admin_required
def edit_city(city_id: int) -> str | Response:
    """Change a city's name, language and disclosure threshold."""
    city = db.session.get(City, city_id) or abort(404)
    form = _city_form(city)
    del form.slug
    if form.validate_on_submit():
        try:
            services.update_city(
                city, locale=form.default_locale.data or "en",
                threshold=form.disclosure_threshold.data or 10,
                name=form.name.data, country=form.country.data, actor=current_user
            )
            flash(_("City saved."), "success")
            return redirect(url_for("admin.index"))
        except services.AdminError as exc:
            form.disclosure_threshold.errors.append(str(ERRORS[str(exc)]))
    return render_template("admin/city.html", form=form, city=city)


@bp.post("/users")
@admin_required
def create_user() -> Response | tuple[str, int]:
    """Create an account; a form with errors comes back with the rules and the input."""
    form = UserForm()
    if form.validate_on_submit():
        if accounts.user_by_email(form.email.data or "") is not None:
            form.email.errors = [*form.email.errors,
                                 _("An account with this e-mail exists already.")]
        else:
            user = accounts.create_user(
                form.email.data or "", form.password.data or "", form.display_name.data,
                is_admin=bool(form.is_admin.data), actor=current_user
            )
            flash(_("User created."), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    flash(_("Check the form: some fields are missing or invalid."), "error")
    return _index(user_form=form, status=400)


@bp.post("/users/<id:user_id>/password-reset")
@admin_required
def issue_reset(user_id: int) -> str:
    """Make a one-time password-reset link for any account (shown once)."""
    account = db.session.get(User, user_id) or abort(404)
    if not ActiveForm().validate_on_submit():
        abort(400)
    token = resets.issue_reset(account, actor=current_user)
    return render_template("auth/reset_issued.html", account=account,
                           link=url_for("auth.reset_password", token=token, _external=True),
                           back=url_for("admin.user", user_id=account.id),
                           hours=resets.RESET_LIFETIME_HOURS)


def _role_form() -> RoleForm:
    form = RoleForm()
    choices = []
    for region in services.all_regions():
        choices.append(SelectChoice(f"region:{region.id}", region.name))
        choices += [SelectChoice(f"city:{city.id}", f"{region.name} / {city.name}")
                    for city in region.cities]
    form.target.choices = choices
    return form


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int) -> str | Response:
    """Show a user's roles and add one."""
    account = db.session.get(User, user_id) or abort(404)
    form = _role_form()
    if form.validate_on_submit():
        kind, _sep, ident = (form.target.data or "").partition(":")
        if form.role.data == "regional" and kind == "region":
            region = db.session.get(Region, int(ident)) or abort(404)
            accounts.grant_regional(account, region, actor=current_user)
        elif form.role.data in ("member", "coordinator") and kind == "city":
            city = db.session.get(City, int(ident)) or abort(404)
            accounts.grant_membership(account, city, form.role.data, actor=current_user)
        else:
            flash(_("A regional role needs a region; a team role needs a city."), "error")
            return redirect(url_for("admin.user", user_id=account.id))
        flash(_("Role added."), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return render_template("admin/user.html", account=account, form=form, active_form=ActiveForm())


@bp.post("/users/<id:user_id>/active")
@admin_required
def toggle_active(user_id: int) -> Response:
    """Switch an account on or off (off ends its sessions)."""
    account = db.session.get(User, user_id) or abort(404)
    if ActiveForm().validate_on_submit():
        accounts.set_active(account, not account.active, actor=current_user)
        flash(_("Account updated."), "success")
    return redirect(url_for("admin.user", user_id=account.id))


def _remove_role(user_id: int, role: Membership | RegionalRole | None,
                 remove: Callable[..., None]) -> Response:
    """Take one role of this user away once the form confirms it; another user's role is 404."""
    if role is None or role.user_id != user_id:
        abort(404)
    if ActiveForm().validate_on_submit():
        remove(role, actor=current_user)
        flash(_("Role removed."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<id:user_id>/memberships/<id:membership_id>/remove")
@admin_required
def remove_membership(user_id: int, membership_id: int) -> Response:
    """Take one of the user's city roles away; the account stays on."""
    return _remove_role(user_id, db.session.get(Membership, membership_id),
                        accounts.remove_membership)


@bp.post("/users/<id:user_id>/regional/<id:role_id>/remove")
@admin_required
def remove_regional(user_id: int, role_id: int) -> Response:
    """Take one of the user's regional roles away; the account stays on."""
    return _remove_role(user_id, db.session.get(RegionalRole, role_id), accounts.remove_regional)
