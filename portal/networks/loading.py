"""Fetch the analysis a network page shows: the cached service when present, else direct."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flask import Request
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField

from portal.models import City
from portal.models.network import FREQUENCIES, SECTORS, TIE_KINDS
from portal.stakeholders import rounds
from portal.stakeholders.taxonomy import choices


@dataclass(frozen=True)
class Filters:
    """What the map is filtered by (None: everything)."""

    round_id: int | None = None
    kind: str | None = None
    sector: str | None = None
    min_frequency: str | None = None

    def query(self) -> dict[str, Any]:
        """Return the filters as URL query arguments (unset ones left out)."""
        names = {"round_id": "round"}
        return {names.get(k, k): v for k, v in asdict(self).items() if v is not None}

    @property
    def active(self) -> bool:
        """Return True when the map is narrowed by kind, sector or frequency."""
        return any(v is not None for v in (self.kind, self.sector, self.min_frequency))


class FilterForm(Form):
    """The map's filters: a GET form, so no CSRF token (it changes nothing)."""

    round = SelectField(_l("Round"), validate_choice=False)
    kind = SelectField(_l("Tie kind"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    min_frequency = SelectField(_l("At least"), validate_choice=False)


def filter_form(city: City, request: Request) -> tuple[FilterForm, Filters]:
    """Return the filter form bound to the query string, and the valid filters it holds.

    A round that is not one of the city's raises rounds.MapError (the pages answer 404).
    """
    form = FilterForm(request.args)
    city_rounds = rounds.rounds_of(city)
    form.round.choices = [SelectChoice(str(r.id), r.name) for r in city_rounds]
    every = _l("All")
    form.kind.choices = [SelectChoice("", every)] + [SelectChoice(k, v)
                                                     for k, v in choices("kind")]
    form.sector.choices = [SelectChoice("", every)] + [SelectChoice(k, v)
                                                       for k, v in choices("sector")]
    form.min_frequency.choices = [SelectChoice("", _l("Any frequency"))] + [
        SelectChoice(k, v) for k, v in choices("frequency")]
    chosen = rounds.requested_round(city, request.args.get("round")) or rounds.current_round(city)
    if chosen is not None:
        form.round.data = str(chosen.id)
    filters = Filters(
        round_id=chosen.id if chosen is not None else None,
        kind=_known(request.args.get("kind"), TIE_KINDS),
        sector=_known(request.args.get("sector"), SECTORS),
        min_frequency=_known(request.args.get("min_frequency"), FREQUENCIES),
    )
    return form, filters


def _known(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def get(city: City, filters: Filters = Filters()) -> dict[str, Any]:
    """Return the analysis of a city's network under some filters (cached by the service)."""
    return get_keyed(city, filters)[0]


def get_keyed(city: City, filters: Filters = Filters()) -> tuple[dict[str, Any], tuple | None]:
    """Return (analysis, a key naming this exact result for memoising views of it, or None)."""
    try:
        from portal.networks.services import analysis_for
    except ImportError:  # the service layer is not there yet: analyse directly
        return _direct(city, filters), None
    found = analysis_for(city, round_id=filters.round_id, kind=filters.kind,
                         sector=filters.sector, min_frequency=filters.min_frequency)
    key = (city.id, found.round.id if found.round else None, found.filter_key,
           found.network_revision)
    return found.payload, key


def memo_key(city: City, filters: Filters) -> tuple | None:
    """Return the key of the cached analysis these filters name, without loading it.

    The service caches per network revision, which every change to the map bumps, so views
    derived from one analysis may be kept under this key (None: no cache service yet).
    """
    try:
        from portal.networks.cache import filter_key
    except ImportError:
        return None
    round_id = filters.round_id
    if round_id is None:
        current = rounds.current_round(city)
        round_id = current.id if current else None
    key = filter_key(kind=filters.kind, sector=filters.sector, min_frequency=filters.min_frequency)
    return (city.id, round_id, key, city.network_revision or 0)


def _direct(city: City, filters: Filters) -> dict[str, Any]:
    """Analyse without the cache."""
    from portal.analysis.graph import filter_sector, filter_ties
    from portal.analysis.network import analyse
    from portal.stakeholders.graphdata import network_data

    chosen = rounds.round_by_id(city, filters.round_id) if filters.round_id else None
    people, ties = network_data(city, chosen)
    ties = filter_ties(ties, filters.kind, filters.min_frequency)
    if filters.sector:
        people, ties = filter_sector(people, ties, filters.sector)
    return analyse(people, ties, sector_order=SECTORS)


def compare(city: City, round_a: int, round_b: int) -> dict[str, Any]:
    """Return both analyses and what changed from round_a to round_b."""
    from portal.analysis.compare import compare as compare_results

    before, after = get(city, Filters(round_id=round_a)), get(city, Filters(round_id=round_b))
    return {"before": before, "after": after, "change": compare_results(before, after)}
