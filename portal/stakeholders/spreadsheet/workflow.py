"""The import workflow: read files, preview, map foreign values, keep the preview, apply.

The preview survives between the upload and the apply POST as an `ImportDraft` row: the
records as read (JSON, before any value mapping) under a random token, bound to the city and
the user, with the sha256 of the uploaded bytes, the round name and the round date. The
mapping step and the per-row preview pages read the draft without spending it; the apply POST
sends only the token and spends it; the server re-resolves and re-checks the records against
the map and the city's remembered mappings as they are then, so nothing from the client is
trusted.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import City, ImportDraft, User
from portal.models.base import utcnow
from portal.stakeholders.rounds import current_round
from portal.stakeholders.spreadsheet import mapping
from portal.stakeholders.spreadsheet.apply import apply
from portal.stakeholders.spreadsheet.plan import Plan, plan
from portal.stakeholders.spreadsheet.reading import MAX_COLUMNS, FileProblem, Table, read_file
from portal.stakeholders.spreadsheet.rows import Records, RowError, parse

DRAFT_LIFETIME = timedelta(hours=6)
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


def read_records(stakeholders: bytes | None, ties: bytes | None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Records:
    """Read one or two uploaded files (CSV each, or one workbook with both sheets)."""
    tables: dict[str, Table] = {}
    problems: list[RowError] = []
    for role, data in (("stakeholders", stakeholders), ("ties", ties)):
        if not data:
            continue
        try:
            found = read_file(data, role, max_bytes)
        except FileProblem as exc:
            limit = str(MAX_COLUMNS) if str(exc) == "too_wide" else ""
            problems.append(RowError(role, exc.row, str(exc), limit))
            continue
        tables.update({k: v for k, v in found.items() if k == role or k not in tables})
    if problems:
        return Records(errors=problems)
    if not tables:
        return Records(errors=[RowError("stakeholders", 0, "no_file")])
    records = parse(tables.get("stakeholders"), tables.get("ties"))
    records.encodings = {k: t.encoding for k, t in tables.items() if t.encoding}
    return records


FILE_PROBLEMS = {"too_large", "too_many_rows", "too_wide", "not_spreadsheet", "not_network",
                 "no_file"}


def digest(*parts: bytes | None) -> str:
    """Return the sha256 of the uploaded files, in order."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(hashlib.sha256(part or b"").digest())
    return hasher.hexdigest()


def default_round(city: City, wanted: str, first_round: str) -> str:
    """Return the round of ties that name none: the one asked for, else the current, else new."""
    if wanted.strip():
        return " ".join(wanted.split())
    current = current_round(city)
    return current.name if current is not None else first_round


def check(city: City, records: Records, default_round: str,
          answers: mapping.Mapping | None = None) -> Plan:
    """Return the plan of an import without changing anything: every row error (missing
    columns, bad rows and unknown stakeholders together) and every value still to be mapped."""
    if any(e.code in FILE_PROBLEMS for e in records.errors):
        return Plan(errors=list(records.errors))
    known = mapping.city_mapping(city) | (answers or {})
    resolved = mapping.resolve(records, known)
    result = plan(city, resolved.records, default_round)
    result.unmapped, result.merged = resolved.unmapped, resolved.merged
    result.remembered, result.answers = resolved.remembered, known
    return result


def run(city: City, records: Records, default_round: str, *, actor: User | None,
        held_on: date | None = None,
        answers: mapping.Mapping | None = None) -> tuple[Plan, dict | None]:
    """Check and, when no row is bad and no value unmapped, apply; return the plan and the
    summary (None when nothing was applied)."""
    result = check(city, records, default_round, answers)
    if not result.ready:
        return result, None
    return result, apply(city, result, default_round, actor=actor, held_on=held_on)


def round_date(records: Records) -> date:
    """Return the default date of a new round: the file's own date, else today."""
    try:
        return date.fromisoformat(records.file_date) if records.file_date else date.today()
    except ValueError:
        return date.today()


@dataclass
class Draft:
    """A kept preview: the records as read, the round for ties without one, and its date."""

    token: str
    records: Records
    round_name: str
    held_on: date


def _payload(records: Records, held_on: date) -> str:
    return json.dumps({"records": records.to_json(), "held_on": held_on.isoformat()})


def save_draft(city: City, user_id: int | None, records: Records, sha256: str,
               round_name: str, held_on: date | None = None) -> str:
    """Keep read records server-side for the mapping and apply steps; return the token."""
    db.session.execute(
        delete(ImportDraft).where(ImportDraft.created_at < utcnow() - DRAFT_LIFETIME))
    token = secrets.token_urlsafe(24)
    db.session.add(ImportDraft(token=token, city_id=city.id, user_id=user_id, sha256=sha256,
                               round_name=round_name,
                               payload=_payload(records, held_on or round_date(records))))
    db.session.flush()
    return token


def _draft_row(city: City, user_id: int | None, token: str) -> ImportDraft | None:
    draft = db.session.scalar(select(ImportDraft).where(
        ImportDraft.token == token, ImportDraft.city_id == city.id,
        ImportDraft.user_id == user_id))
    if draft is None or draft.created_at < utcnow() - DRAFT_LIFETIME:
        return None
    return draft


def _draft(row: ImportDraft) -> Draft:
    data = json.loads(row.payload)
    if "records" not in data:  # a draft kept by the previous version: records only
        data = {"records": data, "held_on": date.today().isoformat()}
    return Draft(row.token, Records.from_json(data["records"]), row.round_name,
                 date.fromisoformat(data["held_on"]))


def load_draft(city: City, user_id: int | None, token: str) -> Draft | None:
    """Return the user's fresh draft in this city (not spent), or None."""
    row = _draft_row(city, user_id, token)
    return _draft(row) if row is not None else None


def update_draft(city: City, user_id: int | None, token: str, round_name: str,
                 held_on: date) -> bool:
    """Change the round and its date of a kept draft; False when there is no such draft."""
    row = _draft_row(city, user_id, token)
    if row is None:
        return False
    draft = _draft(row)
    row.round_name, row.payload = round_name, _payload(draft.records, held_on)
    db.session.flush()
    return True


def take_draft(city: City, user_id: int | None, token: str) -> Draft | None:
    """Return the user's fresh draft in this city and spend it."""
    row = _draft_row(city, user_id, token)
    if row is None:
        return None
    draft = _draft(row)
    db.session.delete(row)
    return draft
