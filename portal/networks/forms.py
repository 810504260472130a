"""The map's filter form (round, tie kind, sector, frequency): a GET form, changing nothing."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField

from portal.models import City
from portal.networks.services import Filters
from portal.stakeholders import rounds
from portal.stakeholders.taxonomy import choices

UNKNOWN_VALUE = _l("Choose one of the options shown.")


class FilterForm(Form):
    """The map's filters: a GET form, so no CSRF token (it changes nothing)."""

    round = SelectField(_l("Round"), validate_choice=False)
    kind = SelectField(_l("Tie kind"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    min_frequency = SelectField(_l("At least"), validate_choice=False)
    colour = SelectField(_l("Colour by"), validate_choice=False)
    coattendance = SelectField(_l("Met at meetings and trainings"), validate_choice=False)


COLOURINGS = ("sector", "group")


def coattendance_shown(args: Mapping[str, str]) -> bool:
    """Return True when the co-attendance layer (meetings and trainings) is switched on."""
    return args.get("coattendance", "") == "1"


def colouring(args: Mapping[str, str]) -> str:
    """Return how the map colours actors: by sector (default) or by working group."""
    chosen = args.get("colour", "")
    return chosen if chosen in COLOURINGS else "sector"


def filter_form(city: City, args: Mapping[str, str], filters: Filters,
                refused: tuple[str, ...] = ()) -> FilterForm:
    """Return the filter form bound to the query string, showing the round the map shows.

    Each field named in `refused` carries the error that its value is not one of the choices.
    """
    form = FilterForm(args)
    form.round.choices = [SelectChoice(str(r.id), r.name) for r in rounds.rounds_of(city)]
    every = _l("All")
    form.kind.choices = [SelectChoice("", every)] + [SelectChoice(k, v)
                                                     for k, v in choices("kind")]
    form.sector.choices = [SelectChoice("", every)] + [SelectChoice(k, v)
                                                       for k, v in choices("sector")]
    form.min_frequency.choices = [SelectChoice("", _l("Any frequency"))] + [
        SelectChoice(k, v) for k, v in choices("frequency")]
    form.colour.choices = [SelectChoice("sector", _l("Sector")),
                           SelectChoice("group", _l("Working group"))]
    form.colour.data = colouring(args)
    form.coattendance.choices = [SelectChoice("", _l("Hidden")), SelectChoice("1", _l("Shown"))]
    form.coattendance.data = "1" if coattendance_shown(args) else ""
    if filters.round is not None:
        form.round.data = str(filters.round.id)
    for name in refused:
        form[name].errors = [UNKNOWN_VALUE]
    return form
