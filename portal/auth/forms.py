"""Forms for login, password change and invitations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from portal.auth.services import MIN_PASSWORD_LENGTH

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


PASSWORD_RULE = lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.",
                              MIN_PASSWORD_LENGTH)
PASSWORD_LENGTH = Length(
    min=MIN_PASSWORD_LENGTH, max=200,
    message=lazy_ngettext("The password needs at least %(num)d character.",
                          "The password needs at least %(num)d characters.", MIN_PASSWORD_LENGTH))


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=PASSWORD_RULE,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
    return new, confirm


class PasswordChangeForm(FlaskForm):
    """Current password, then the new one twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))


class InviteForm(FlaskForm):
    """Whom to invite, and with which role."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), EMAIL, Length(max=254)],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("member", _l("Team member")),
                 SelectChoice("coordinator", _l("Coordinator")),
                 SelectChoice("enumerator", _l("Enumerator (collects answers only)"))],
    )
    submit = SubmitField(_l("Create invitation link"))


class AcceptInviteForm(FlaskForm):
    """The invitee's name and password."""

    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    new_password, confirm = _new_password_fields()
    submit = SubmitField(_l("Join the team"))


class ResetPasswordForm(FlaskForm):
    """The new password, twice, on a one-time reset link."""

    new_password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set the new password"))


class ConfirmForm(FlaskForm):
    """A bare form: a button and its CSRF token."""

    submit = SubmitField(_l("Confirm"))


def not_blank(form: FlaskForm, field: StringField) -> None:
    """Reject a value made only of spaces."""
    if field.data is not None and not str(field.data).strip():
        raise ValidationError(_l("This field is required."))


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TokenForm(FlaskForm):
    """A new API token: its name, its cities, how long it lives, what it may do."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), not_blank],
                       description=_l("What the token is for, e.g. \"Power BI monitoring\"."))
    cities = MultiCheckboxField(_l("Cities it may read"), coerce=int,
                                validators=[DataRequired(_l("Choose at least one city."))])
    days = SelectField(_l("Expires after"), coerce=int, default=90)
    access = SelectField(
        _l("Access"),
        choices=[SelectChoice("read", _l("Read only")),
                 SelectChoice("read_write", _l("Read and write"))],
        description=_l("Both read the same. Only a read-and-write token may change an "
                       "action-plan activity's status and notes through the API."),
    )
    submit = SubmitField(_l("Create token"))
