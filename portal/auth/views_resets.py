"""One-time links: password resets (issued by an admin or a coordinator) and their use."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth import bp, resets, services
from portal.auth.forms import ConfirmForm, ResetPasswordForm
from portal.auth.scoping import Access, city_view, public
from portal.extensions import limiter
from portal.models import City

RESET_LIMIT = "30 per minute"


def reset_link(token: str) -> str:
    """Return the external address of a reset token."""
    return url_for("auth.reset_password", token=token, _external=True)


@bp.post("/c/<city>/team/<id:membership_id>/password-reset")
@city_view(Access.COORDINATOR)
def issue_member_reset(city: City, membership_id: int) -> str | Response:
    """Make a one-time password-reset link for a team member whose roles are all here."""
    membership = services.membership_in(city, membership_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = membership.user
    if not current_user.is_admin and not resets.coordinator_may_reset(user, city):
        flash(_("Only an administrator can reset this password: the account has roles "
                "outside this city."), "error")
        return redirect(url_for("cities.dashboard", city=city.slug))
    token = resets.issue_reset(user, city=city, actor=current_user)
    return render_template("auth/reset_issued.html", account=user, link=reset_link(token),
                           back=url_for("cities.dashboard", city=city.slug),
                           hours=resets.RESET_LIFETIME_HOURS)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit(RESET_LIMIT)
def reset_password(token: str) -> str | tuple[str, int] | Response:
    """Let the holder of a reset link set a new password, once."""
    reset, status = resets.open_reset(token[:100])
    if reset is None:
        abort(404)
    if status != "open":
        return render_template("auth/link_spent.html", status=status), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            resets.use_reset(reset, form.new_password.data or "", actor=None)
        except resets.ResetSpent:
            return render_template("auth/link_spent.html", status="used"), 410
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, account=reset.user)
