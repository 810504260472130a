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

from portal.auth.forms import EMAIL, PASSWORD_LENGTH, PASSWORD_RULE
from portal.i18n import LOCALES
from portal.ids import IdSelectField

SLUG_RULE = _l("Lower-case letters (a–z), digits and hyphens, starting with a letter or digit; "
               "for example “north-east”.")
SLUG = Regexp(r"^[a-z0-9][a-z0-9-]*$",
              message=_l("Use only lower-case letters (a–z), digits and hyphens, starting with "
                         "a letter or digit; for example “north-east”."))


def _slug_filter(value: str | None) -> str | None:
    """Trim the slug and lower-case it: "North-East " is meant as "north-east"."""
    return value.strip().lower() if isinstance(value, str) else value


class RegionForm(FlaskForm):
    """A new region."""

    slug = StringField(_l("Short name (for links)"),
                       validators=[DataRequired(), Length(max=63), SLUG],
                       filters=[_slug_filter], description=SLUG_RULE)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create region"))


class CityForm(FlaskForm):
    """A city's settings."""

    slug = StringField(_l("Short name (for links)"),
                       validators=[DataRequired(), Length(max=63), SLUG],
                       filters=[_slug_filter], description=SLUG_RULE)
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
        _l("Password"), validators=[DataRequired(), PASSWORD_LENGTH], description=PASSWORD_RULE
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
