"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.auth.forms import EMAIL
from portal.auth.services import MIN_PASSWORD_LENGTH
from portal.i18n import LOCALES
from portal.ids import IdSelectField

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters, digits and dashes."))


class RegionForm(FlaskForm):
    """A new region."""

    slug = StringField(_l("Short name (for links)"),
                       validators=[DataRequired(), Length(max=63), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create region"))


class CityForm(FlaskForm):
    """A city's settings."""

    slug = StringField(_l("Short name (for links)"),
                       validators=[DataRequired(), Length(max=63), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=100)])
    region = IdSelectField(_l("Region"), validate_choice=True)
    default_locale = SelectField(
        _l("Default language"),
        choices=[SelectChoice(info.code, info.native_name) for info in LOCALES],
    )
    disclosure_threshold = IntegerField(
        _l("Disclosure threshold (k)"),
        default=10,
        validators=[DataRequired(), NumberRange(min=5, max=1000)],
        description=_l("The smallest group any published figure may describe; never below 5."),
    )
    submit = SubmitField(_l("Save"))


class UserForm(FlaskForm):
    """A new account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    is_admin = BooleanField(_l("Administrator"))
    submit = SubmitField(_l("Create user"))


class RoleForm(FlaskForm):
    """Give a user a role in a city or a region."""

    target = SelectField(_l("City or region"))
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("member", _l("Team member")),
            SelectChoice("coordinator", _l("Coordinator")),
            SelectChoice("regional", _l("Regional coordinator")),
        ],
    )
    submit = SubmitField(_l("Add role"))


class ActiveForm(FlaskForm):
    """Switch an account on or off."""

    submit = SubmitField(_l("Switch"))
