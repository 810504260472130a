"""Forms of meetings and trainings: an event's fields and its attendance checklist."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from portal.auth.forms import not_blank
from portal.ids import IdSelectField, parse_id
from portal.models import EVENT_KINDS
from portal.plan.forms import PartnerField

KIND_LABELS = {
    "meeting": _l("meeting"),
    "training": _l("training"),
    "workshop": _l("workshop"),
    "joint_activity": _l("joint activity"),
}


def kind_choices() -> list[tuple[str, Any]]:
    """Return (key, translated label) of every event kind."""
    return [(key, KIND_LABELS[key]) for key in EVENT_KINDS]


class EventForm(FlaskForm):
    """A meeting, training, workshop or joint activity."""

    kind = SelectField(_l("Kind"), choices=kind_choices)
    title = StringField(_l("Title"), validators=[DataRequired(), not_blank, Length(max=200)])
    # InputRequired keeps DateField's "not a valid date" (DataRequired would replace it).
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    activity_id = IdSelectField(_l("Plan activity"),
                                description=_l("The activity of the plan it serves, if any."))
    topics = TextAreaField(_l("Topics"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Save the event"))

    def values(self) -> dict[str, Any]:
        """Return the submitted values for the service."""
        return {name: getattr(self, name).data for name in (
            "kind", "title", "held_on", "place", "topics", "activity_id")}


class AttendanceForm(FlaskForm):
    """The attendance checklist: every ticked stakeholder attended (named `partner` so the
    roster's search script filters it as it filters the tie checklist)."""

    partner = PartnerField(_l("Attended"), coerce=parse_id, validate_choice=False)
    submit = SubmitField(_l("Save the attendance"))


class SigninForm(FlaskForm):
    """A sign-in sheet to check and preview."""

    sheet = FileField(_l("Sign-in sheet (CSV or XLSX)"),
                      description=_l("Columns: event, date, stakeholder (and kind, if you wish)."))
    submit = SubmitField(_l("Check and preview"))


class SigninApplyForm(FlaskForm):
    """Apply a previewed sign-in sheet: the checked rows, signed."""

    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import the attendance"))
