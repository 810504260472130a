"""Attendance from a sign-in sheet (CSV or XLSX): read, check every row, preview, apply.

One row per attendance: event (title), date, stakeholder (a name on the city's list) and,
optionally, the kind of event. Rows of one title and date are one event: an existing event of
the city with that title and date gets the attendance added, else a new one is created. It is
read with the stakeholder import's reader (limits, encodings, headers in every language) and
is all or nothing: one bad row and nothing is saved, every bad row listed by its number.

The checked rows travel from the preview to the apply POST signed (bound to the city and the
user, valid for six hours); the apply re-reads the city's stakeholders and events and checks
every row again, so nothing the browser sends is trusted beyond the names it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from portal.extensions import db
from portal.models import EVENT_KINDS, City, Stakeholder, User
from portal.names import name_key
from portal.plan import events
from portal.stakeholders.spreadsheet.reading import MAX_COLUMNS, FileProblem, read_table
from portal.stakeholders.spreadsheet.rows import RowError
from portal.strict import parse_date

MAX_ROWS = 5000  # a year of sign-in sheets of a busy network, with room to spare
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
LIFETIME_SECONDS = 6 * 3600
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?")


@dataclass
class EventPlan:
    """One event of the sheet: found (its id) or new, and its attendees as read."""

    title: str
    held_on: date
    kind: str
    event_id: int | None = None
    attendees: dict[int, str] = field(default_factory=dict)  # stakeholder id → name
    already: int = 0  # how many of them the event already had


@dataclass
class SigninPlan:
    """What applying the sheet would do, or why it cannot."""

    errors: list[RowError] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)  # the checked rows, to sign
    encoding: str = ""

    @property
    def new_events(self) -> int:
        """Return how many events the sheet creates."""
        return sum(1 for e in self.events if e.event_id is None)

    @property
    def new_attendance(self) -> int:
        """Return how many attendances the sheet adds."""
        return sum(len(e.attendees) - e.already for e in self.events)


def _day(text: str) -> date | None:
    """Return the date of `YYYY-MM-DD` (a workbook's date cell too) or `DD.MM.YYYY`."""
    found = _DOTTED.fullmatch(text)
    if found:
        try:
            return date(int(found[3]), int(found[2]), int(found[1]))
        except ValueError:
            return None
    return parse_date(text[:10]) if len(text) == 10 or text[10:] in ("", " 00:00:00") else None


def read(data: bytes | None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[
        list[tuple[int, dict[str, str]]], str, list[RowError]]:
    """Return the sheet's rows (row number, cells), its encoding, and any file problem."""
    if not data:
        return [], "", [RowError("attendance", 0, "no_file")]
    try:
        table = read_table(data, "attendance", max_bytes)
    except FileProblem as exc:
        limit = str(MAX_COLUMNS) if str(exc) == "too_wide" else ""
        return [], "", [RowError("attendance", exc.row, str(exc), limit)]
    missing = [c for c in ("event", "date", "stakeholder") if c not in table.columns]
    if missing:
        return [], table.encoding, [RowError("attendance", 1, "missing_column", c)
                                    for c in missing]
    if len(table.rows) > MAX_ROWS:
        return [], table.encoding, [RowError("attendance", 0, "too_many_rows")]
    return table.rows, table.encoding, []


def _text(value: str) -> str:
    return " ".join(value.split())


def check(city: City, rows: list[tuple[int, dict[str, str]]]) -> SigninPlan:
    """Resolve every row against the city's stakeholders and events; list every bad row."""
    result = SigninPlan()
    people: dict[str, Stakeholder] = {}
    for s in db.session.scalars(select(Stakeholder).where(
            Stakeholder.city_id == city.id, Stakeholder.erased_at.is_(None))):
        people.setdefault(s.name_key, s)
    existing = {(name_key(e.title), e.held_on): e for e in events.events_of(city)}
    planned: dict[tuple[str, date], EventPlan] = {}
    for number, cells in rows:
        title, written = _text(cells.get("event", "")), _text(cells.get("date", ""))
        who, kind = _text(cells.get("stakeholder", "")), _text(cells.get("kind", "")).lower()
        day = _day(written)
        problems = [RowError("attendance", number, code, value) for code, value, bad in (
            ("empty_event", "", not title), ("event_too_long", title[:40], len(title) > 200),
            ("bad_event_date", written, day is None),
            ("empty_attendee", "", not who),
            ("unknown_attendee", who, bool(who) and name_key(who) not in people),
            ("unknown_event_kind", kind, bool(kind) and kind.replace(" ", "_") not in EVENT_KINDS),
        ) if bad]
        if problems or day is None:
            result.errors.extend(problems)
            continue
        key = (name_key(title), day)
        found = existing.get(key)
        plan = planned.setdefault(key, EventPlan(
            title=found.title if found else title, held_on=day,
            kind=found.kind if found else (kind.replace(" ", "_") or "meeting"),
            event_id=found.id if found else None))
        person = people[name_key(who)]
        plan.attendees[person.id] = person.name
        result.rows.append({"event": title, "date": day.isoformat(), "stakeholder": who,
                            "kind": kind, "row": str(number)})
    for plan in planned.values():
        if plan.event_id is not None:
            had = {s.id for s in existing[(name_key(plan.title), plan.held_on)].attendees}
            plan.already = len(had & plan.attendees.keys())
    result.events = sorted(planned.values(), key=lambda e: (e.held_on, e.title))
    return result


def apply(city: City, plan: SigninPlan, *, actor: User | None) -> tuple[int, int]:
    """Create the new events and add the attendance; return (new events, new attendances)."""
    if plan.errors:
        raise ValueError("a sheet with bad rows is not applied")
    for item in plan.events:
        event = events.event_by_id(city, item.event_id) if item.event_id else None
        if event is None:
            event = events.save_event(city, None, {
                "kind": item.kind, "title": item.title, "held_on": item.held_on, "place": "",
                "topics": "", "activity_id": None}, actor=actor)
        ids = {s.id for s in event.attendees} | item.attendees.keys()
        events.set_attendance(city, event, sorted(ids), actor=actor)
    return plan.new_events, plan.new_attendance


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="signin-sheet")


def sign(secret: str, city: City, user_id: int | None, plan: SigninPlan) -> str:
    """Return the checked rows, signed for the apply POST of this city and user."""
    return _serializer(secret).dumps({"city": city.id, "user": user_id, "rows": plan.rows})


def unsign(secret: str, city: City, user_id: int | None, token: str) -> list[
        tuple[int, dict[str, str]]] | None:
    """Return the rows of a signed preview of this city and user, or None (bad or too old)."""
    try:
        data: Any = _serializer(secret).loads(token, max_age=LIFETIME_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("city") != city.id or data.get("user") != user_id:
        return None
    return [(int(r["row"]), r) for r in data["rows"]]
