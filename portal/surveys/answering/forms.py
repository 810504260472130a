"""The residents' forms: CSRF on the pages, the client UUID on the start and the send."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

UUID_RE = Regexp(r"^[0-9a-fA-F-]{32,36}$")


class PageForm(FlaskForm):
    """A page of questions: the fields are read by the answering service, CSRF here."""


class StartForm(FlaskForm):
    """The consent screen: the client UUID and the chosen language."""

    uuid = HiddenField(validators=[DataRequired(), UUID_RE])
    lang = HiddenField(validators=[DataRequired(), Length(max=16)])
    submit = SubmitField(_l("I agree, start the survey"))


class SendForm(FlaskForm):
    """The final step: send the answers held in the session, under the form's UUID."""

    class Meta:
        csrf = False  # the global CSRFProtect checks the token already (no second check)

    # A label given: WTForms would otherwise translate a default one on every send.
    uuid = HiddenField("uuid", validators=[DataRequired(), UUID_RE])
    submit = SubmitField(_l("Send my answers"))
