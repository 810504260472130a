"""Forms of the results room: choose two waves; confirm a microdata export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired

from portal.models import Survey


class CompareForm(FlaskForm):
    """Pick a baseline and a follow-up survey of the same city (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    baseline = SelectField(_l("Baseline"), validators=[DataRequired()])
    follow_up = SelectField(_l("Follow-up"), validators=[DataRequired()])
    submit = SubmitField(_l("Compare"))

    def set_surveys(self, surveys: list[Survey], language: str) -> None:
        """Offer the city's surveys, labelled with wave and title."""
        choices = [SelectChoice(s.slug, _wave_label(s, language)) for s in surveys]
        self.baseline.choices = choices
        self.follow_up.choices = choices

    def validate(self, extra_validators: object = None) -> bool:
        """Require two different surveys."""
        if not super().validate():
            return False
        if self.baseline.data == self.follow_up.data:
            self.follow_up.errors = [_l("Choose two different surveys.")]
            return False
        return True


def _wave_label(survey: Survey, language: str) -> str:
    title = survey.text("title", language) or survey.slug
    return f"{survey.wave} · {title}" if survey.wave else title


class MicrodataForm(FlaskForm):
    """The coordinator confirms the obligations before one row per response is exported."""

    confirm = BooleanField(
        _l("I will keep this file on an encrypted device, share it with no one outside the "
           "team, never publish or combine it to identify a person, and delete it when the "
           "analysis is done."),
        validators=[DataRequired(message=_l("Confirm the obligations to export."))])
    file_format = SelectField(
        _l("File format"),
        choices=[SelectChoice("csv", "CSV"), SelectChoice("xlsx", "XLSX")], default="csv")
    submit = SubmitField(_l("Export responses"))
