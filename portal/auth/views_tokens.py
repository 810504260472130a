"""The account's API tokens: create (the secret shown once), list with last use, revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth import bp, tokens
from portal.auth.forms import ConfirmForm, TokenForm
from portal.auth.scoping import signed_in, visible_cities
from portal.models import City


def _form(cities: list[City]) -> TokenForm:
    form = TokenForm()
    form.cities.choices = [(city.id, city.name) for city in cities]
    form.days.choices = [(days, lazy_ngettext("%(num)d day", "%(num)d days", days))
                         for days in tokens.LIFETIMES]
    return form


@bp.route("/account/tokens", methods=["GET", "POST"])
@signed_in
def api_tokens() -> str:
    """List the user's API tokens and make a new one, whose secret is shown this once."""
    cities = visible_cities(current_user)
    form = _form(cities)
    secret = None
    if form.validate_on_submit():
        chosen = [city for city in cities if city.id in set(form.cities.data or ())]
        _token, secret = tokens.create_token(
            current_user, form.name.data or "", chosen, form.days.data or 0,
            read_write=form.access.data == "read_write", actor=current_user)
        form = _form(cities)
        form.process(formdata=None)
        form.cities.data = []
    return render_template("auth/tokens.html", form=form, secret=secret, cities=cities,
                           listed=tokens.tokens_of(current_user), status=tokens.status,
                           revoke_form=ConfirmForm())


@bp.post("/account/tokens/<id:token_id>/revoke")
@signed_in
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of the user's tokens: it stops working at once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = tokens.revoke_token(current_user, token_id, actor=current_user)
    if token is None:
        abort(404)
    flash(_("The token \"%(name)s\" is revoked.", name=token.name), "success")
    return redirect(url_for("auth.api_tokens"))
