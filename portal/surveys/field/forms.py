"""Forms of the field wing: a new enumerator device."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.auth.forms import not_blank


class DeviceForm(FlaskForm):
    """A device for ODK Collect: a label, and the team member who carries it."""

    label = StringField(_l("Device"), validators=[DataRequired(), Length(max=100), not_blank],
                        description=_l("How the team tells it apart, e.g. \"Tablet 2\"."))
    user = SelectField(_l("Carried by"), coerce=int)
    submit = SubmitField(_l("Create device"))
