"""The periodic sweep: take over jobs of lost workers, send lost queue messages again, delete
files nobody downloaded."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from portal.extensions import db
from portal.jobs import queue, services
from portal.models import Job
from portal.models.base import utcnow


def requeue_lost(stale_after: float | None = None) -> list[str]:
    """Queue again every running job whose worker stopped reporting (killed, lost).

    A run reports its progress (its heartbeat) every few seconds; one silent for longer
    than JOBS_STALE_SECONDS is given up. Its transaction never committed, so nothing of it
    stays, and its attempt number no longer matches: it cannot mark the job done later.
    """
    limit = float(stale_after if stale_after is not None
                  else current_app.config.get("JOBS_STALE_SECONDS", 60))
    now = time.time()
    lost = []
    for job in db.session.scalars(select(Job).where(Job.status == "running")):
        beat = queue.get_progress(job.uuid)
        last = beat[2] if beat else (job.started_at.timestamp() if job.started_at else 0)
        if now - last <= limit:
            continue
        moved = db.session.execute(
            update(Job).where(Job.id == job.id, Job.status == "running",
                              Job.attempts == job.attempts)
            .values(status="queued", message="retrying"))
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            lost.append(job.uuid)
    db.session.commit()
    for job_uuid in lost:
        queue.enqueue(job_uuid)
    return lost


def requeue_unsent(after_minutes: float | None = None) -> list[str]:
    """Hand again to the queue every job left `queued` for longer than JOBS_REQUEUE_MINUTES.

    A job row commits before its queue message is sent: a crash (or a queue that was down)
    between the two leaves a job no worker will ever see. Sending its message again is safe:
    a run claims the job once, and a second message for a job taken or finished is a no-op.
    A job waiting behind a long queue gets one more message per period, not one a minute.
    """
    minutes = float(after_minutes if after_minutes is not None
                    else current_app.config.get("JOBS_REQUEUE_MINUTES", 5))
    since = utcnow() - timedelta(minutes=minutes)
    now = time.time()
    sent = []
    waiting = db.session.scalars(select(Job).where(
        Job.status == "queued", Job.created_at < since,
        or_(Job.started_at.is_(None), Job.started_at < since)))
    for job in waiting:
        last = queue.get_requeued(job.uuid)
        if last is not None and now - last < minutes * 60:
            continue
        sent.append(job.uuid)
    db.session.rollback()
    for job_uuid in sent:
        queue.put_requeued(job_uuid, now)
        queue.enqueue(job_uuid)
    return sent


def delete_expired_files() -> int:
    """Delete the files not downloaded within JOBS_FILE_HOURS; return how many."""
    hours = float(current_app.config.get("JOBS_FILE_HOURS", 24))
    expired = list(db.session.scalars(select(Job).where(
        Job.result_path.is_not(None), Job.downloaded.is_(False),
        Job.finished_at < utcnow() - timedelta(hours=hours))))
    for job in expired:
        services.remove_file(job.result_path)
        job.result_path, job.message = None, "expired"
    db.session.commit()
    return len(expired) + _delete_partial_files(hours)


def _delete_partial_files(hours: float) -> int:
    """Delete the half-written files of runs that died (`*.part`) older than `hours`."""
    folder, removed = services.files_dir(), 0
    for entry in os.scandir(folder):
        if entry.name.endswith(".part") and time.time() - entry.stat().st_mtime > hours * 3600:
            services.remove_file(entry.path)
            removed += 1
    return removed


def sweep() -> None:
    """Run every upkeep step (the queue's periodic task, every minute)."""
    requeue_lost()
    requeue_unsent()
    delete_expired_files()
