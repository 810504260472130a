"""A large sign-in sheet, applied by a background job: all or nothing, as inline."""

from __future__ import annotations

import hashlib
from typing import Any

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job, User
from portal.plan import signin

KIND = "attendance_import"


def submit(city: City, token: str, rows: list[tuple[int, dict[str, str]]], *,
           actor: User) -> Job:
    """Queue the apply of a checked sheet; the same preview sent twice is one job."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:40]
    return jobs.submit(city, KIND, {"rows": [[n, row] for n, row in rows]}, actor=actor,
                       idempotency_key=f"{KIND}:{digest}", total=len(rows))


def run_attendance_import(job: Job, progress: Progress) -> Outcome:
    """Check the rows against the city as it is now and apply them."""
    city = db.session.get(City, job.city_id)
    actor = db.session.get(User, job.user_id) if job.user_id is not None else None
    raw: Any = job.params.get("rows") or []
    if city is None or actor is None or not raw:
        raise JobRefused("preview_gone")
    rows = [(int(n), dict(row)) for n, row in raw]
    progress(0, len(rows))
    result = signin.check(city, rows)
    if result.errors:
        raise JobRefused("signin_outdated")
    new_events, added = signin.apply(city, result, actor=actor)
    db.session.flush()
    progress(len(rows))
    return Outcome(summary={"new_events": new_events, "attendance": added})
