"""Apply a checked import plan with bulk inserts and updates in the caller's transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, select, update

from portal.extensions import db
from portal.models import Area, City, MappingRound, Stakeholder, Tie, User
from portal.models.base import utcnow
from portal.names import name_key
from portal.stakeholders.rounds import changed, current_round
from portal.stakeholders.spreadsheet import bulk
from portal.stakeholders.spreadsheet.plan import FIELDS, Plan
from portal.stakeholders.spreadsheet.rows import fold


def _create_rounds(city: City, result: Plan, held_on: date | None) -> None:
    if not result.new_rounds:
        return
    had_current = current_round(city) is not None
    written: dict[str, date] = {}  # a round_date column (the portal's export) dates its round
    for tie in result.records.ties if result.records else []:
        if tie.get("round_date") and tie.get("round"):
            written.setdefault(fold(tie["round"]), date.fromisoformat(tie["round_date"]))
    for name in result.new_rounds:
        day = written.get(fold(name)) or held_on or date.today()
        db.session.add(MappingRound(city_id=city.id, name=name, held_on=day, is_current=False))
    db.session.flush()
    if not had_current:
        last = db.session.scalar(select(MappingRound).where(
            MappingRound.city_id == city.id,
            MappingRound.name_key == name_key(result.new_rounds[-1])))
        last.is_current = True  # type: ignore[union-attr]


PEOPLE_COLUMNS = ("name", "name_key", "organisation", "organisation_key", "sector", "level",
                  "area_id", "is_team_member", "notes", "contact_person", "contact_email",
                  "contact_phone")


def _people_rows(city: City, result: Plan, areas: dict[str, int]) -> None:
    now = utcnow()
    rows = []
    for r in result.new_stakeholders:
        organisation = r.get("organisation", "")
        rows.append((r["name"], fold(r["name"]), organisation, fold(organisation),
                     r.get("sector", "other"), r.get("level", "local"),
                     areas.get(fold(r.get("area") or "")), r.get("is_team_member", False),
                     r.get("notes", ""), r.get("contact_person", ""),
                     r.get("contact_email", ""), r.get("contact_phone", "")))
    bulk.insert_rows(Stakeholder.__table__, PEOPLE_COLUMNS, rows,
                     {"city_id": city.id, "archived_at": None, "erased_at": None,
                      "created_at": now, "updated_at": now})
    for r in result.changed_stakeholders:
        values = {f: r[f] for f in FIELDS if f in r}
        if "area" in r:
            values["area_id"] = areas.get(fold(r["area"] or ""))
        for field in ("name", "organisation"):
            if field in values:
                values[f"{field}_key"] = name_key(values[field])
        db.session.execute(update(Stakeholder).where(Stakeholder.id == r["id"]).values(
            **values, updated_at=now))


TIE_COLUMNS = ("round_id", "source_id", "target_id", "kind", "frequency", "notes", "reporter_id")


def apply(city: City, result: Plan, default_round: str, *, actor: User | None,
          held_on: date | None = None) -> dict[str, int]:
    """Write a checked plan with bulk inserts (new rounds dated `held_on`, default today);
    the caller commits (or rolls back)."""
    for name in result.new_areas:
        db.session.add(Area(city_id=city.id, name=name))
    _create_rounds(city, result, held_on)
    db.session.flush()
    areas = {fold(a.name): a.id for a in db.session.scalars(
        select(Area).where(Area.city_id == city.id))}
    _people_rows(city, result, areas)
    ids = {fold(n): i for i, n in db.session.execute(
        select(Stakeholder.id, Stakeholder.name).where(Stakeholder.city_id == city.id))}
    rounds = {fold(n): i for i, n in db.session.execute(
        select(MappingRound.id, MappingRound.name).where(MappingRound.city_id == city.id))}
    rows = []
    for tie in result.new_ties:
        low, high = sorted((ids[fold(tie["from"])], ids[fold(tie["to"])]))
        rows.append((rounds[fold(tie["round"] or default_round)], low, high, tie["kind"],
                     tie["frequency"], tie["notes"],
                     ids[fold(tie["reporter"])] if tie["reporter"] else None))
    bulk.insert_rows(Tie.__table__, TIE_COLUMNS, rows,
                     {"city_id": city.id, "created_at": utcnow()})
    if result.changed_ties:
        db.session.execute(
            update(Tie.__table__).where(Tie.__table__.c.id == bindparam("tie_id"))
            .values(frequency=bindparam("f"), reporter_id=bindparam("r"), notes=bindparam("n")),
            [{"tie_id": t["id"], "f": t["frequency"], "n": t["notes"],
              "r": ids[fold(t["reporter"])] if t["reporter"] else None}
             for t in result.changed_ties])
    summary = {"stakeholders_created": len(result.new_stakeholders),
               "stakeholders_updated": len(result.changed_stakeholders),
               "ties_created": len(rows), "ties_updated": len(result.changed_ties),
               "rounds_created": len(result.new_rounds), "areas_created": len(result.new_areas)}
    if result.changes:
        changed(city, "stakeholders.import", None,
                " ".join(f"{k}={v}" for k, v in summary.items()), actor=actor)
    return summary
