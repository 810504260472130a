"""The plan's outcome indicators: the network between two mapping rounds, the surveys' latest waves.

The network figures come from the cached analysis of each round (portal.networks.services) and
portal.analysis.outcomes; the survey figures from portal.results.services, so every survey
value has passed its disclosure control there. Team members are the stakeholders marked as
such on the stakeholder list (Stakeholder.is_team_member), as they are marked today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.analysis import outcomes as analysis
from portal.analysis.disclosure import strip_reasons
from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder
from portal.networks import services as networks
from portal.results import services as results
from portal.stakeholders import rounds


class OutcomeError(ValueError):
    """Rounds that cannot be compared; str(error) is a reason code the view translates."""


@dataclass
class NetworkOutcomes:
    """The outcome indicators of two rounds (`before` None: the city has one round only)."""

    after_round: MappingRound | None = None
    before_round: MappingRound | None = None
    after: dict[str, Any] | None = None
    before: dict[str, Any] | None = None
    change: dict[str, float | None] | None = None


@dataclass
class SurveyOutcomes:
    """The subscale indices of the city's latest closed wave, and of the one before it."""

    k: int
    latest: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None
    subscales: list[dict[str, Any]] = field(default_factory=list)


def team_ids(city: City) -> set[int]:
    """Return the ids of the stakeholders marked as team members (not archived or erased)."""
    return set(db.session.scalars(select(Stakeholder.id).where(
        Stakeholder.city_id == city.id, Stakeholder.is_team_member,
        Stakeholder.erased_at.is_(None), Stakeholder.archived_at.is_(None))))


def chosen_rounds(city: City, args: Mapping[str, str]
                  ) -> tuple[MappingRound | None, MappingRound | None]:
    """Return (before, after) from ?before=&after= (round ids); by default the current round
    and the one before it. Raise OutcomeError("round_unknown" or "same_round")."""
    try:
        after = rounds.requested_round(city, args.get("after")) or rounds.current_round(city)
        before = rounds.requested_round(city, args.get("before"))
    except rounds.MapError as error:
        raise OutcomeError("round_unknown") from error
    if before is None:
        return rounds.previous_round(city, after), after
    if after is None or before.id == after.id:
        raise OutcomeError("same_round")
    return rounds.in_time_order(before, after)


def network_outcomes(city: City, before: MappingRound | None,
                     after: MappingRound | None) -> NetworkOutcomes:
    """Return the network outcome indicators of two rounds of the city, from the cached analyses."""
    found = NetworkOutcomes(after_round=after, before_round=before)
    if after is None:
        return found
    team = team_ids(city)
    found.after = analysis.network_outcomes(
        networks.analysis_for(city, networks.Filters(after)).payload, team)
    if before is not None:
        found.before = analysis.network_outcomes(
            networks.analysis_for(city, networks.Filters(before)).payload, team)
        found.change = analysis.outcome_change(found.before, found.after)
    return found


def _closed_waves(city: City) -> list[int]:
    """Return the ids of the city's closed surveys, oldest first."""
    rows = [row["survey"] for row in results.city_surveys(city)]
    closed = sorted((s for s in rows if s.status == "closed"), key=lambda s: (s.created_at, s.id))
    return [s.id for s in closed]


def survey_outcomes(city: City, language: str = "en") -> SurveyOutcomes:
    """Return the subscale indices of the latest closed wave and the change from the one before,
    through the results services (suppressed below the city's threshold k)."""
    k = results.threshold(city)
    waves = _closed_waves(city)
    found = SurveyOutcomes(k=k)
    if not waves:
        return found
    latest = results.survey_by_id(waves[-1])
    previous = results.survey_by_id(waves[-2]) if len(waves) > 1 else None
    if latest is None:
        return found
    if previous is not None:
        compared = results.compare_waves(previous, latest, language)
        found.latest, found.previous = compared["follow_up"], compared["baseline"]
        found.subscales = [
            {"name": s["name"], "label": s["label"], "latest": s["follow_up"],
             "previous": s["baseline"], "difference": s["difference"]}
            for s in compared["subscales"]]
        return found
    tables = strip_reasons(results.subscale_results(latest, k, language=language))
    found.latest = {"id": latest.id, "slug": latest.slug, "wave": latest.wave,
                    "title": latest.text("title", language)}
    found.subscales = [{"name": s["name"], "label": s["label"], "latest": s["overall"],
                        "previous": None, "difference": None} for s in tables]
    return found


def outcome_rows(net: NetworkOutcomes, surveys: SurveyOutcomes, as_of: date) -> list[list[Any]]:
    """Return the outcome indicators as rows of the indicator table (no header)."""
    day = as_of.isoformat()
    rows: list[list[Any]] = []
    for round_, figures in ((net.before_round, net.before), (net.after_round, net.after)):
        if round_ is None or figures is None:
            continue
        period = f"{round_.name} ({round_.held_on.isoformat()})"
        for key in analysis.MEASURES:
            value = figures[key]
            if key == "team_density" and value is not None:
                value = round(value, 3)
            rows.append([f"network_{key}", period, "",
                         "" if value is None else int(value) if isinstance(value, bool)
                         else value, day])
    for s in surveys.subscales:
        for which in ("previous", "latest"):
            wave, summary = getattr(surveys, which), s[which]
            if wave is None or summary is None:
                continue
            index = summary["index"]["mean"]
            rows.append(["survey_index", wave["wave"] or wave["title"], s["name"],
                         "suppressed" if summary["suppressed"] else round(index, 1), day])
    return rows
