"""The plan as a table (one row per activity), for CSV and XLSX through portal.spreadsheets."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from portal.models import Event, Plan
from portal.spreadsheets import XLSX_MIMETYPE

PLAN_HEADER = ["plan", "goal_order", "goal", "activity", "status", "overdue", "starts_on",
               "ends_on", "owner", "partners", "expected_outputs", "notes", "answers"]


def plan_table(plan: Plan, owners: dict[int, str], today: date) -> list[list[Any]]:
    """Return the plan's activities goal by goal, header first; partners joined by "; "."""
    rows: list[list[Any]] = [PLAN_HEADER]
    for goal in plan.goals:
        for a in goal.activities:
            rows.append([
                plan.title, goal.position, goal.title, a.title, a.status,
                "yes" if a.is_overdue(today) else "no",
                a.starts_on.isoformat() if a.starts_on else "",
                a.ends_on.isoformat() if a.ends_on else "",
                owners.get(a.owner_id or 0, ""), "; ".join(p.name for p in a.partners),
                a.expected_outputs, a.notes, a.source])
    return rows


EVENT_HEADER = ["held_on", "kind", "title", "place", "activity", "topics", "attendance",
                "attendees"]


def events_table(held: list[Event], activities: dict[int, str]) -> list[list[Any]]:
    """Return the city's events, oldest first, header first; attendees joined by "; "."""
    rows: list[list[Any]] = [EVENT_HEADER]
    for e in sorted(held, key=lambda e: (e.held_on, e.id)):
        rows.append([e.held_on.isoformat(), e.kind, e.title, e.place,
                     activities.get(e.activity_id or 0, ""), e.topics, len(e.attendees),
                     "; ".join(s.name for s in e.attendees)])
    return rows


def download(data: bytes, fmt: str, filename: str) -> Response:
    """Return a plan file (CSV or XLSX) as an attachment that caches nothing."""
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_MIMETYPE
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
