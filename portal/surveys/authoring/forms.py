"""The authoring forms: survey settings, questions, translations, copy, XLSForm import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.models.surveys import DEMOGRAPHIC_KEYS, QUESTION_TYPES

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$",
              message=_l("Use lower-case letters, digits and hyphens."))
NAME = Regexp(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$",
              message=_l("Use letters, digits and underscores, starting with a letter."))


class NoReference:
    """Refuse "${" in a text: XLSForm reads it as a reference to an answer, which the portal
    does not fill in, and pyxform refuses the exported form when it names no question."""

    message = _l("“${” marks a reference to an answer in XLSForm; please write it another way.")

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        if "${" in (field.data or ""):
            raise ValidationError(str(self.message))


NO_REFERENCE = NoReference()
TYPE_LABELS = {
    "likert5": _l("Agreement scale (5 points)"), "single": _l("One choice"),
    "multi": _l("Several choices"), "integer": _l("Whole number"), "decimal": _l("Number"),
    "date": _l("Date"), "text": _l("Text"), "note": _l("Note (no answer)"),
    "time": _l("Time of day"), "datetime": _l("Date and time"),
    "acknowledge": _l("Acknowledgement (OK)"), "range": _l("Number on a scale (range)"),
    "calculate": _l("Calculated (not shown)"),
}
DEMOGRAPHIC_LABELS = {"age_band": _l("Age band"), "gender": _l("Gender"), "area": _l("Area")}
class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SurveyForm(FlaskForm):
    """Create or edit a survey's settings and its texts in the default language."""

    slug = StringField(_l("Short name in the address"), validators=[DataRequired(), SLUG])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), NO_REFERENCE])
    consent = TextAreaField(
        _l("Purpose and who holds the data"),
        validators=[Optional(), Length(max=4000), NO_REFERENCE],
        description=_l("Shown on the consent screen, before the first question."))
    languages = MultiCheckboxField(_l("Languages offered"), validators=[DataRequired()])
    default_language = SelectField(_l("Default language"), validators=[DataRequired()])
    wave = StringField(_l("Wave"), validators=[Optional(), Length(max=100)],
                       description=_l("For example “baseline 2025” or “follow-up 2026”."))
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class QuestionForm(FlaskForm):
    """Add or edit a question; texts here are in the survey's default language."""

    name = StringField(_l("Name (for exports)"), validators=[DataRequired(), NAME])
    qtype = SelectField(_l("Type"),
                        choices=[SelectChoice(t, TYPE_LABELS[t]) for t in QUESTION_TYPES])
    label = TextAreaField(_l("Question text"),
                          validators=[DataRequired(), Length(max=2000), NO_REFERENCE])
    hint = StringField(_l("Hint"), validators=[Optional(), Length(max=500), NO_REFERENCE])
    section = StringField(_l("Section name"), validators=[Optional(), NAME])
    section_label = StringField(_l("Section title"),
                                validators=[Optional(), Length(max=300), NO_REFERENCE])
    choices = TextAreaField(
        _l("Choices"), validators=[Optional(), Length(max=8000), NO_REFERENCE],
        description=_l("One per line: name | text. Agreement scales get their five points "
                       "automatically."))
    required = BooleanField(_l("An answer is required"))
    dont_know = BooleanField(_l("Offer “don't know”"))
    prefer_not = BooleanField(_l("Offer “prefer not to answer”"))
    min_value = FloatField(_l("Smallest number"), validators=[Optional()])
    max_value = FloatField(_l("Largest number"), validators=[Optional()])
    relevant = StringField(_l("Show only if (XLSForm expression)"),
                           validators=[Optional(), Length(max=1000)])
    constraint = StringField(_l("Accept only if (XLSForm expression)"),
                             validators=[Optional(), Length(max=1000)])
    subscale = StringField(_l("Subscale"), validators=[Optional(), NAME])
    reverse = BooleanField(_l("Reverse-scored"))
    demographic = SelectField(
        _l("Demographic breakdown"),
        choices=[SelectChoice("", _l("None"))]
        + [SelectChoice(k, DEMOGRAPHIC_LABELS[k]) for k in DEMOGRAPHIC_KEYS], default="")
    submit = SubmitField(_l("Save question"))


class ActionForm(FlaskForm):
    """A button that changes something (open, close, delete, move): CSRF only."""


class CopyForm(FlaskForm):
    """Copy a survey as a new wave or to another city."""

    city = SelectField(_l("City"))
    slug = StringField(_l("Short name in the address"), validators=[DataRequired(), SLUG])
    wave = StringField(_l("Wave"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Copy"))


class ImportForm(FlaskForm):
    """Upload an XLSForm."""

    file = FileField(_l("XLSForm file (.xlsx, .xls or .csv)"), validators=[FileRequired()])
    attachments = MultipleFileField(
        _l("Choice files (.csv)"),
        description=_l("Only for select_one_from_file questions: the files the form names."))
    slug = StringField(_l("Short name in the address"), validators=[DataRequired(), SLUG])
    submit = SubmitField(_l("Import"))


class TranslateForm(FlaskForm):
    """The texts of one language; fields are read by name (t-<key>) by the service."""

    submit = SubmitField(_l("Save translations"))

