"""Forms of the stakeholder room."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.auth.forms import EMAIL, not_blank
from portal.i18n import LOCALES, normalise
from portal.ids import IdSelectField, parse_id
from portal.models import FREQUENCIES, TIE_KINDS
from portal.stakeholders import taxonomy
from portal.stakeholders.ties import TieEntry


def options(pairs: object) -> list[SelectChoice]:
    """Return select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[attr-defined]


class StakeholderForm(FlaskForm):
    """A stakeholder's fields; the contact fields are removed for those who may not see them."""

    name = StringField(_l("Name"), validators=[DataRequired(), not_blank, Length(max=200)],
                       description=_l("An organisation or a role, e.g. “youth centre”."))
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector"), choices=options(taxonomy.choices("sector")))
    level = SelectField(_l("Level"), choices=options(taxonomy.choices("level")))
    area_id = IdSelectField(_l("Area"))
    is_team_member = BooleanField(_l("Member of the team"))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)],
                          description=_l("About the organisation's work, never about a person."))
    contact_person = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_email = StringField(_l("Contact e-mail"),
                                validators=[Optional(), EMAIL, Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=50)])
    submit = SubmitField(_l("Save"))

    def values(self, with_contact: bool) -> dict[str, object]:
        """Return the submitted values for the service."""
        keys = ["name", "organisation", "sector", "level", "area_id", "is_team_member", "notes"]
        if with_contact:
            keys += ["contact_person", "contact_email", "contact_phone"]
        return {k: (getattr(self, k).data or ("" if k not in ("area_id", "is_team_member")
                                              else getattr(self, k).data)) for k in keys}


class FilterForm(FlaskForm):
    """Search and filters of the stakeholder list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=False,
                         choices=options([("", _l("All sectors")), *taxonomy.choices("sector")]))
    level = SelectField(_l("Level"), validators=[Optional()], validate_choice=False,
                        choices=options([("", _l("All levels")), *taxonomy.choices("level")]))
    area = IdSelectField(_l("Area"))
    round = IdSelectField(_l("Round"))
    archived = BooleanField(_l("Show archived stakeholders"))


class ActionForm(FlaskForm):
    """A bare POST form: its CSRF token; the button text is in the template."""


class TiesForm(FlaskForm):
    """The 'who do you work with?' checklist; partner rows are read by `entries`."""

    round_id = HiddenField()

    def entries(self, data: MultiDict, allowed: set[int]) -> list[TieEntry] | None:
        """Return one entry per checked partner and kind, or None when a row is bad.

        A partner may be named with several kinds (they share one frequency); a ticked
        partner with no kind, or an unknown partner, kind or frequency, spoils the form.
        """
        result = []
        for raw in dict.fromkeys(data.getlist("partner")):
            partner = parse_id(raw)
            kinds = list(dict.fromkeys(data.getlist(f"kind-{raw}")))
            frequency = data.get(f"frequency-{raw}", "")
            if (partner not in allowed or not kinds or frequency not in FREQUENCIES
                    or any(kind not in TIE_KINDS for kind in kinds)):
                return None
            result += [TieEntry(partner, kind, frequency) for kind in kinds]
        return result

    @staticmethod
    def chosen(data: MultiDict) -> dict[str, tuple[set[str], str]]:
        """Return what was ticked, by partner id as sent, to show the form again as it was."""
        return {raw: (set(data.getlist(f"kind-{raw}")), data.get(f"frequency-{raw}", ""))
                for raw in data.getlist("partner")}


class RoundForm(FlaskForm):
    """A new mapping round, empty or a copy of an earlier one."""

    name = StringField(_l("Name"), validators=[DataRequired(), not_blank, Length(max=100)],
                       description=_l("For example “Baseline 2025” or “Follow-up”."))
    held_on = DateField(_l("Date"), validators=[DataRequired()], default=date.today)
    copy_from = IdSelectField(_l("Start with"))
    make_current = BooleanField(_l("Make it the current round"), default=True)
    submit = SubmitField(_l("Create round"))


class RoundEditForm(FlaskForm):
    """A round's new name and date."""

    name = StringField(_l("Name"), validators=[DataRequired(), not_blank, Length(max=100)])
    # InputRequired keeps DateField's "not a valid date" (DataRequired would replace it).
    held_on = DateField(_l("Date"), validators=[InputRequired()],
                        description=_l("Comparisons put the rounds in the order of their dates."))
    submit = SubmitField(_l("Save the round"))


class AreaForm(FlaskForm):
    """A new area of the city."""

    name = StringField(_l("Area"), validators=[DataRequired(), not_blank, Length(max=100)])
    submit = SubmitField(_l("Add area"))


class ImportForm(FlaskForm):
    """Two files (or one workbook or network file with both) and the round for ties without one."""

    stakeholders_file = FileField(
        _l("Stakeholders, or the whole map (CSV, XLSX, GraphML or GEXF)"))
    ties_file = FileField(_l("Ties (CSV or XLSX): a table, an edge list or a matrix"))
    round_name = StringField(_l("Round for ties without a round"),
                             validators=[Optional(), Length(max=100)],
                             description=_l("Empty: the current round."))
    submit = SubmitField(_l("Check and preview"))


class ImportOptionsForm(FlaskForm):
    """The mapping step of a kept preview: the round and its date, and one choice per foreign
    value (the select fields are added per draft by `options_form`)."""

    round_name = StringField(_l("Round for ties without a round"),
                             validators=[DataRequired(), not_blank, Length(max=100)])
    held_on = DateField(_l("Date of a new round"), validators=[DataRequired()],
                        description=_l("Used only when the round does not exist yet."))
    submit = SubmitField(_l("Save and update the preview"))


def options_form(fields: list[tuple[str, str, list[tuple[str, object]]]],
                 **kwargs: object) -> ImportOptionsForm:
    """Return the mapping-step form with one select per foreign value: (name, label, choices)."""
    options_of = options

    class Form(ImportOptionsForm):
        pass

    for name, label, choices in fields:
        setattr(Form, name, SelectField(label, choices=options_of([("", _l("— choose —")),
                                                                   *choices]),
                                        validate_choice=True, validators=[Optional()]))
    return Form(**kwargs)


class ApplyForm(FlaskForm):
    """Apply a previewed import: only the server-side draft's token travels."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Apply the import"))


def known_language(form: FlaskForm, field: SelectField) -> None:
    """Accept an empty value (the city's default) or a UI language's code."""
    if field.data and normalise(field.data) is None:
        raise ValidationError(_l("Unknown language."))


class IssueLinksForm(FlaskForm):
    """Issue relationship-survey links."""

    lifetime_days = IntegerField(_l("Valid for (days)"), default=21,
                                 validators=[DataRequired(), NumberRange(min=1, max=90)])
    locale = SelectField(
        _l("Language of the link"),
        choices=[SelectChoice("", _l("As before (first time: the city's language)")),
                 *(SelectChoice(info.code, info.native_name) for info in LOCALES)],
        description=_l("The language of the printed card and of the survey page it opens."),
        validate_choice=False, validators=[known_language])
    submit = SubmitField(_l("Create links for everyone without an open link"))
