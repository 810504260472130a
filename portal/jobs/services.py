"""Jobs: submit, find what a user may see, hand a finished file out once."""

from __future__ import annotations

import os
from contextlib import suppress
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from portal.auth.scoping import Access
from portal.extensions import db
from portal.jobs import queue
from portal.models import City, Job, User

LIST_LIMIT = 100


def files_dir() -> str:
    """Return the folder job files are written to (created on first use)."""
    path = str(current_app.config.get("JOBS_FILES_DIR")
               or os.path.join(current_app.instance_path, "jobs"))
    os.makedirs(path, exist_ok=True)
    return path


def submit(city: City, kind: str, params: dict[str, Any], *, actor: User | None,
           idempotency_key: str | None = None, total: int = 0) -> Job:
    """Create a queued job, handed to the queue when the caller's transaction commits.

    With an idempotency key, a second submission of the same work in the city returns the
    first job instead of queuing another.
    """
    if idempotency_key is not None:
        earlier = db.session.scalar(select(Job).where(
            Job.city_id == city.id, Job.idempotency_key == idempotency_key))
        if earlier is not None:
            return earlier
    job = Job(city_id=city.id, user_id=actor.id if actor is not None else None, kind=kind,
              params=params, progress_total=total, idempotency_key=idempotency_key)
    db.session.add(job)
    db.session.flush()
    queue.enqueue_after_commit(job.uuid)
    return job


def may_see(job: Job, user: User, access: Access) -> bool:
    """Coordinators see every job of their city; anyone else only the jobs they asked for."""
    return access >= Access.COORDINATOR or job.user_id == user.id


def job_in_city(city: City, job_uuid: str, user: User, access: Access) -> Job | None:
    """Return the city's job by uuid if this user may see it, else None."""
    job = db.session.scalar(select(Job).where(Job.city_id == city.id,
                                              Job.uuid == str(job_uuid)))
    return job if job is not None and may_see(job, user, access) else None


def jobs_in_city(city: City, user: User, access: Access) -> list[Job]:
    """Return the latest jobs of the city this user may see, newest first."""
    query = select(Job).where(Job.city_id == city.id)
    if access < Access.COORDINATOR:
        query = query.where(Job.user_id == user.id)
    return list(db.session.scalars(query.order_by(Job.created_at.desc(), Job.id.desc())
                                   .limit(LIST_LIMIT)))


def may_download(job: Job, user: User) -> bool:
    """Return True while the job's file waits for the one user who asked for it."""
    return (job.status == "done" and job.result_path is not None and not job.downloaded
            and job.user_id is not None and job.user_id == user.id)


def take_download(job: Job, user: User) -> str | None:
    """Spend the job's one download; return the file's path, or None if it is not theirs."""
    if not may_download(job, user):
        return None
    taken = db.session.execute(
        update(Job).where(Job.id == job.id, Job.downloaded.is_(False),
                          Job.result_path.is_not(None))
        .values(downloaded=True, message="downloaded"))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None  # another request took it first
    return job.result_path


def stream_once(path: str, chunk: int = 64 * 1024) -> Any:
    """Yield a file's bytes and delete it afterwards (also when the client goes away)."""
    try:
        with open(path, "rb") as stream:
            while piece := stream.read(chunk):
                yield piece
    finally:
        remove_file(path)


def remove_file(path: str | None) -> None:
    """Delete a job file if it is still there."""
    if path:
        with suppress(FileNotFoundError):
            os.unlink(path)
