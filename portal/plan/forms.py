"""Forms of the plan: a new plan, a goal, an activity, its progress, and "Add to the plan"."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.auth.forms import not_blank
from portal.ids import IdSelectField, parse_id
from portal.models import ACTIVITY_STATUSES

STATUS_LABELS = {
    "planned": _l("planned"),
    "under_way": _l("under way"),
    "done": _l("done"),
    "dropped": _l("dropped"),
}


def status_choices() -> list[tuple[str, Any]]:
    """Return (key, translated label) of every activity status."""
    return [(key, STATUS_LABELS[key]) for key in ACTIVITY_STATUSES]


class PlanForm(FlaskForm):
    """Start a new plan (the current one is kept, read-only)."""

    title = StringField(_l("Title of the plan"),
                        validators=[DataRequired(), not_blank, Length(max=200)])
    submit = SubmitField(_l("Start the plan"))


class GoalForm(FlaskForm):
    """A strategic goal."""

    title = StringField(_l("Goal"), validators=[DataRequired(), not_blank, Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    position = IntegerField(_l("Order"), default=1,
                            validators=[DataRequired(), NumberRange(min=1, max=99)])
    submit = SubmitField(_l("Save the goal"))


class PartnerField(SelectMultipleField):
    """Stakeholder ids; anything that is not an id is a form error (the service checks the city)."""

    def pre_validate(self, form: Any) -> None:
        if any(v is None for v in self.data or []):
            raise ValidationError(_l("Choose one of the options shown."))

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [parse_id(v) for v in valuelist]


class ActivityForm(FlaskForm):
    """An activity's fields."""

    goal_id = IdSelectField(_l("Goal"), validators=[DataRequired()])
    title = StringField(_l("Activity"), validators=[DataRequired(), not_blank, Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    status = SelectField(_l("Status"), choices=status_choices)
    starts_on = DateField(_l("Start"), validators=[Optional()])
    ends_on = DateField(_l("End"), validators=[Optional()])
    owner_id = IdSelectField(_l("Owner"), description=_l("A member of the team."))
    partners = PartnerField(_l("Partner stakeholders"), coerce=parse_id,
                            validate_choice=False)
    expected_outputs = TextAreaField(_l("Expected outputs"), validators=[Length(max=4000)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Save the activity"))

    def values(self) -> dict[str, Any]:
        """Return the submitted values for the service."""
        return {name: getattr(self, name).data for name in (
            "title", "description", "status", "starts_on", "ends_on", "owner_id",
            "expected_outputs", "notes")}


class ProgressForm(FlaskForm):
    """What an activity's owner may change: its status and notes."""

    status = SelectField(_l("Status"), choices=status_choices)
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Update"))


class AddToPlanForm(FlaskForm):
    """One click on a suggested introduction: the two stakeholders and the goal to file it under."""

    goal_id = IdSelectField(_l("Goal"), validators=[DataRequired()])
    a = HiddenField(validators=[DataRequired()])
    b = HiddenField()  # empty for a gap of one actor (not yet connected)
    source = HiddenField(validators=[Length(max=60)])
    submit = SubmitField(_l("Add to the plan"))

    def pair(self) -> tuple[int, int | None] | None:
        """Return the stakeholder ids (the second one None for a one-actor gap), or None.

        None when `a` is not an id, or `b` is given but is not an id or equals `a`.
        """
        a = parse_id(self.a.data)
        b = parse_id(self.b.data) if self.b.data else None
        if a is None or (self.b.data and (b is None or b == a)):
            return None
        return a, b
