"""Login, logout, password change and invitations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from portal import audit
from portal.auth import bp, revocation, services
from portal.auth.forms import (
    AcceptInviteForm,
    ConfirmForm,
    InviteForm,
    LoginForm,
    PasswordChangeForm,
)
from portal.auth.redirects import safe_next
from portal.auth.scoping import Access, city_view, public, signed_in
from portal.extensions import db, limiter
from portal.models import City, Invitation, User


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | Response:
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("cities.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            revocation.log_in(user)
            audit.record("user.login", actor=user, target=user)
            return redirect(safe_next(request.args.get("next")) or url_for("cities.home"))
        flash(_("Unknown e-mail or wrong password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout() -> Response:
    """Log out: this session, its copies and the user's other sessions end."""
    revocation.log_out(current_user)
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> str | Response:
    """Let the user change their password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data or ""):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(current_user, form.new_password.data or "")
            revocation.keep_this_session(current_user)
            audit.record("user.password_change", target=current_user, actor=current_user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("cities.home"))
    return render_template("auth/password.html", form=form, sessions_form=ConfirmForm())


@bp.post("/account/sessions/end")
@signed_in
def end_other_sessions() -> Response:
    """Log out on every other device (and every copy of this session's cookie)."""
    if ConfirmForm().validate_on_submit():
        services.end_sessions(current_user)
        revocation.keep_this_session(current_user)
        audit.record("user.sessions_end", target=current_user, actor=current_user)
        flash(_("You have been logged out on every other device."), "success")
    return redirect(url_for("auth.change_password"))


@bp.post("/c/<city>/team/<id:membership_id>/remove")
@city_view(Access.COORDINATOR)
def remove_member(city: City, membership_id: int) -> Response:
    """Take one team member's role in this city away."""
    membership = services.membership_in(city, membership_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        if membership.user_id == current_user.id and not current_user.is_admin:
            flash(_("You cannot remove your own role."), "error")
        else:
            services.remove_membership(membership, actor=current_user)
            flash(_("Role removed."), "success")
    return redirect(url_for("cities.dashboard", city=city.slug))


@bp.route("/c/<city>/team/invite", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def invite(city: City) -> str:
    """Create a one-time invitation link for a new team member; list the pending ones."""
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        _invitation, token = services.create_invitation(
            city, form.email.data or "", form.role.data or "member",
            current_app.config["INVITATION_LIFETIME_DAYS"], actor=current_user
        )
        link = url_for("auth.accept_invite", token=token, _external=True)
        form = InviteForm(formdata=None)
    days = current_app.config["INVITATION_LIFETIME_DAYS"]
    return render_template("auth/invite.html", city=city, form=form, link=link, days=days,
                           pending=services.pending_invitations(city), revoke_form=ConfirmForm())


@bp.post("/c/<city>/team/invitations/<id:invitation_id>/revoke")
@city_view(Access.COORDINATOR)
def revoke_invitation(city: City, invitation_id: int) -> Response:
    """Withdraw a pending invitation: its link then says it was withdrawn."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitation = services.revoke_invitation(city, invitation_id, actor=current_user)
    if invitation is None:
        abort(404)
    flash(_("The invitation for %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("auth.invite", city=city.slug))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str) -> str | tuple[str, int] | Response:
    """Let the invitee join the team, creating their account if they have none."""
    invitation, status = services.invitation_status(token[:100])
    if invitation is None:
        abort(404)
    if status != "open":
        return render_template("auth/link_spent.html", status=status, invitation=True), 410
    existing = services.user_by_email(invitation.email)
    if existing is not None:
        # A simultaneous accept may have just made this very account: it also marked the
        # invitation used in the same commit, so a fresh look tells the two cases apart.
        db.session.refresh(invitation)
        if invitation.used_at is not None:
            return render_template("auth/link_spent.html", status="used", invitation=True), 410
        return _accept_as_existing(invitation, existing)
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                invitation, display_name=form.display_name.data or "",
                password=form.new_password.data or "", actor=current_user
            )
        except services.InvitationSpent:
            return render_template("auth/link_spent.html", status="used", invitation=True), 410
        revocation.log_in(user)
        flash(_("Welcome to the team of %(city)s.", city=invitation.city.name), "success")
        return redirect(url_for("cities.dashboard", city=invitation.city.slug))
    return render_template("auth/accept.html", form=form, invitation=invitation)


def _accept_as_existing(invitation: Invitation, existing: User
                        ) -> str | tuple[str, int] | Response:
    """An account exists for the e-mail: its owner must be logged in to accept."""
    if not current_user.is_authenticated or current_user.id != existing.id:
        flash(_("An account exists for this e-mail: log in with it, then open the link again."),
              "info")
        return redirect(url_for("auth.login", next=request.path))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.accept_invitation(invitation, user=existing, actor=current_user)
        except services.InvitationSpent:
            return render_template("auth/link_spent.html", status="used", invitation=True), 410
        return redirect(url_for("cities.dashboard", city=invitation.city.slug))
    return render_template("auth/accept.html", form=form, invitation=invitation, existing=True)
