"""The import workflow: read files, preview, keep the preview server-side, apply.

The preview survives between the preview POST and the apply POST as an `ImportDraft` row:
the parsed records (JSON) under a random token, bound to the city and the user, with the
sha256 of the uploaded bytes. The apply POST sends only the token; the server re-checks the
records against the map as it is then, so nothing from the client is trusted.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import City, ImportDraft, User
from portal.models.base import utcnow
from portal.stakeholders.rounds import current_round
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


def check(city: City, records: Records, default_round: str) -> Plan:
    """Return the plan of an import (with every row error) without changing anything."""
    if records.errors:
        return Plan(errors=list(records.errors))
    return plan(city, records, default_round)


def run(city: City, records: Records, default_round: str, *,
        actor: User | None) -> tuple[Plan, dict | None]:
    """Check and, when no row is bad, apply; return the plan and the summary (None if bad)."""
    result = check(city, records, default_round)
    if result.errors:
        return result, None
    return result, apply(city, result, default_round, actor=actor)


def save_draft(city: City, user_id: int | None, records: Records, sha256: str,
               round_name: str) -> str:
    """Keep checked records server-side for the apply step; return the draft's token."""
    db.session.execute(
        delete(ImportDraft).where(ImportDraft.created_at < utcnow() - DRAFT_LIFETIME))
    token = secrets.token_urlsafe(24)
    db.session.add(ImportDraft(token=token, city_id=city.id, user_id=user_id, sha256=sha256,
                               round_name=round_name, payload=json.dumps(records.to_json())))
    db.session.flush()
    return token


def take_draft(city: City, user_id: int | None, token: str) -> tuple[Records, str] | None:
    """Return (records, round name) of the user's fresh draft in this city and spend it."""
    draft = db.session.scalar(select(ImportDraft).where(
        ImportDraft.token == token, ImportDraft.city_id == city.id,
        ImportDraft.user_id == user_id))
    if draft is None or draft.created_at < utcnow() - DRAFT_LIFETIME:
        return None
    records = Records.from_json(json.loads(draft.payload))
    round_name = draft.round_name
    db.session.delete(draft)
    return records, round_name
