"""Plan an import against a city's map: what it would create or update, and every bad row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import Area, City, MappingRound, Stakeholder, Tie
from portal.stakeholders.spreadsheet.rows import Records, RowError, fold

FIELDS = ("organisation", "sector", "level", "is_team_member", "notes", "contact_person",
          "contact_email", "contact_phone")


@dataclass
class Plan:
    """What an import would do; empty `errors` means it can be applied."""

    new_stakeholders: list[dict[str, Any]] = field(default_factory=list)
    changed_stakeholders: list[dict[str, Any]] = field(default_factory=list)
    unchanged_stakeholders: int = 0
    new_ties: list[dict[str, Any]] = field(default_factory=list)
    changed_ties: list[dict[str, Any]] = field(default_factory=list)
    unchanged_ties: int = 0
    new_rounds: list[str] = field(default_factory=list)
    new_areas: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Foreign values still to be mapped (vocabulary → value → rows), and the rows themselves.
    unmapped: dict[str, Any] = field(default_factory=dict)
    remembered: dict[str, Any] = field(default_factory=dict)  # answered by an earlier import
    answers: dict[tuple[str, str], str] = field(default_factory=dict)  # the answers in use
    merged: int = 0
    records: Records | None = None

    @property
    def ready(self) -> bool:
        """Return whether the import may be applied: no bad row, no value left to map."""
        return not self.errors and not self.unmapped

    @property
    def changes(self) -> int:
        """Return how many records the import would create or update."""
        return (len(self.new_stakeholders) + len(self.changed_stakeholders) + len(self.new_ties)
                + len(self.changed_ties) + len(self.new_rounds) + len(self.new_areas))


def _existing_people(city: City) -> dict[str, dict[str, Any]]:
    columns = [Stakeholder.id, Stakeholder.name, Stakeholder.area_id,
               *(getattr(Stakeholder, f) for f in FIELDS)]
    rows = db.session.execute(select(*columns).where(Stakeholder.city_id == city.id))
    return {fold(r.name): r._asdict() for r in rows}


def _plan_stakeholders(plan: Plan, records: Records, people: dict[str, dict[str, Any]],
                       areas: dict[str, int]) -> None:
    for record in records.stakeholders:
        if not record["key"]:
            continue  # already a row error
        area = record.get("area")
        if area and fold(area) not in areas and area not in plan.new_areas:
            plan.new_areas.append(area)
        values = {f: record[f] for f in FIELDS if f in record}
        old = people.get(record["key"])
        if old is None:
            record["status"] = "new"
            plan.new_stakeholders.append(record)
            continue
        differs = [f for f, v in values.items() if old[f] != v]
        if "area" in record and areas.get(fold(area or "")) != old["area_id"]:
            differs.append("area")
        if differs:
            record["status"] = "update"
            plan.changed_stakeholders.append({**record, "id": old["id"], "fields": differs})
        else:
            record["status"] = "unchanged"
            plan.unchanged_stakeholders += 1


def _round_names(city: City, records: Records, default_round: str) -> dict[str, int | None]:
    rounds = {fold(r.name): r.id for r in db.session.scalars(
        select(MappingRound).where(MappingRound.city_id == city.id))}
    wanted = {fold(t["round"] or default_round): t["round"] or default_round for t in records.ties}
    # The file's spellings ride along under "__names__"; plan() pops them before any use.
    return ({key: rounds.get(key) for key in wanted}
            | {"__names__": wanted})  # type: ignore[return-value]


def plan(city: City, records: Records, default_round: str) -> Plan:
    """Compare the records with the city's map: what is new, what changes, what is wrong."""
    result = Plan(errors=list(records.errors))
    people = _existing_people(city)
    areas = {fold(a.name): a.id for a in db.session.scalars(
        select(Area).where(Area.city_id == city.id))}
    _plan_stakeholders(result, records, people, areas)
    in_file = {r["key"] for r in records.stakeholders}
    if not records.has_stakeholders:  # an edge list: its names are the stakeholders
        _names_from_ties(result, records, people, in_file)
    rounds = _round_names(city, records, default_round)
    names: dict[str, str] = rounds.pop("__names__")  # type: ignore[assignment]
    result.new_rounds = [names[k] for k, v in rounds.items() if v is None]
    existing = _existing_ties(city, [v for v in rounds.values() if v is not None])
    for tie in records.ties:
        if not (tie["from"] and tie["to"]) or fold(tie["from"]) == fold(tie["to"]):
            continue  # already a row error
        missing = [e for e in (tie["from"], tie["to"]) if fold(e) not in people
                   and fold(e) not in in_file]
        for end in missing:
            result.errors.append(RowError("ties", tie["row"], "unknown_stakeholder", end))
        if missing:
            continue
        _plan_tie(result, tie, rounds, existing, people, default_round)
    result.errors.sort(key=lambda e: (e.table != "stakeholders", e.row))
    result.records = records
    return result


def _names_from_ties(result: Plan, records: Records, people: dict[str, dict[str, Any]],
                     in_file: set[str]) -> None:
    for tie in records.ties:
        for end in (tie["from"], tie["to"]):
            key = fold(end)
            if end and key not in people and key not in in_file:
                in_file.add(key)
                result.new_stakeholders.append({"row": tie["row"], "name": end, "key": key,
                                                "status": "new"})


def _existing_ties(city: City, round_ids: list[int]) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = db.session.execute(
        select(Tie.id, Tie.round_id, Tie.source_id, Tie.target_id, Tie.kind, Tie.frequency,
               Tie.reporter_id, Tie.notes)
        .where(Tie.city_id == city.id, Tie.round_id.in_(round_ids))
    )
    return {(r.round_id, r.source_id, r.target_id, r.kind): r._asdict() for r in rows}


def _plan_tie(result: Plan, tie: dict[str, Any], rounds: dict[str, int | None],
              existing: dict[tuple[Any, ...], dict[str, Any]], people: dict[str, dict[str, Any]],
              default_round: str) -> None:
    round_id = rounds[fold(tie["round"] or default_round)]
    ids = [people.get(fold(e), {}).get("id") for e in (tie["from"], tie["to"])]
    if round_id is None or None in ids:
        tie["status"] = "new"
        result.new_ties.append(tie)
        return
    low, high = sorted(ids)  # type: ignore[type-var]
    old = existing.get((round_id, low, high, tie["kind"]))
    if old is None:
        tie["status"] = "new"
        result.new_ties.append(tie)
        return
    reporter = people[fold(tie["reporter"])]["id"] if tie["reporter"] else None
    if (old["frequency"], old["reporter_id"], old["notes"]) != (
            tie["frequency"], reporter, tie["notes"]):
        tie["status"] = "update"
        result.changed_ties.append({**tie, "id": old["id"]})
    else:
        tie["status"] = "unchanged"
        result.unchanged_ties += 1
