"""Forms of the results room: choose two waves; confirm a microdata export."""

from __future__ import annotations

from datetime import date, datetime

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
        """Offer the city's published surveys (never a draft), labelled with wave and title.

        Unless the request chose, the baseline and the follow-up are the last two closed
        waves (the older first); short of two, the two latest published surveys.
        """
        published = [s for s in surveys if s.status in ("open", "closed")]
        choices = [SelectChoice(s.slug, _wave_label(s, language)) for s in published]
        self.baseline.choices = choices
        self.follow_up.choices = choices
        pair = default_waves(published)
        if pair is not None and self.baseline.data is None and self.follow_up.data is None:
            self.baseline.data, self.follow_up.data = pair[0].slug, pair[1].slug

    def validate(self, extra_validators: object = None) -> bool:
        """Require two different surveys."""
        if not super().validate():
            return False
        if self.baseline.data == self.follow_up.data:
            self.follow_up.errors = [_l("Choose two different surveys.")]
            return False
        return True


def _when(survey: Survey) -> tuple[date, datetime, int]:
    """Order waves by the day they closed (else began), then creation."""
    return (survey.closes_on or survey.created_at.date(), survey.created_at, survey.id)


def default_waves(surveys: list[Survey]) -> tuple[Survey, Survey] | None:
    """Return the last two closed waves, else the two latest published ones, older first."""
    closed = sorted((s for s in surveys if s.status == "closed"), key=_when)
    pool = closed if len(closed) >= 2 else sorted(
        (s for s in surveys if s.status in ("open", "closed")), key=_when)
    return (pool[-2], pool[-1]) if len(pool) >= 2 else None


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
