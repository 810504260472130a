"""The task queue (Huey): one Huey per app, its storage chosen by JOBS_URL.

Following the Flask documentation's pattern for task queues (its Celery page): the queue is
built from the app's configuration in the factory and kept in `app.extensions`, and every
task body runs inside `app.app_context()`, so a task uses the same services, database
session and configuration as a request. The queue carries only a job's uuid; the `jobs`
table holds everything else (portal.jobs.runner).

Storage: the default is a SQLite file in instance/ (SqliteHuey: nothing to install; `make
run` starts a worker beside the server); `redis://…` uses RedisHuey, for workers on other
machines; `immediate` is Huey's own immediate mode (tasks run at once, in memory: tests).
"""

from __future__ import annotations

import os
import time

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from portal.extensions import db

EXTENSION = "huey"
LISTENING, WAITING = "jobs_listening", "jobs_waiting"  # keys of Session.info


def make_huey(app: Flask) -> Huey:
    """Build the Huey of this app from JOBS_URL."""
    url = str(app.config.get("JOBS_URL") or "")
    name = str(app.config.get("JOBS_NAME") or "portal")
    if url == "immediate":
        return MemoryHuey(name, immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    path = url.removeprefix("sqlite:///") if url else os.path.join(app.instance_path,
                                                                     "jobs.sqlite3")
    return SqliteHuey(name, filename=path)


def init_app(app: Flask) -> None:
    """Build the app's queue and register its tasks, each run in an app context."""
    huey = make_huey(app)
    app.extensions[EXTENSION] = huey

    @huey.task(name="run_job")
    def run_job(job_uuid: str) -> None:
        from portal.jobs import runner

        with app.app_context():
            runner.run(job_uuid)

    @huey.periodic_task(crontab(minute="*"), name="sweep")
    def sweep() -> None:
        from portal.jobs import upkeep

        with app.app_context():
            upkeep.sweep()

    app.extensions["huey_tasks"] = {"run_job": run_job, "sweep": sweep}


def queue(app: Flask | None = None) -> Huey:
    """Return the app's Huey."""
    huey: Huey = (app or current_app).extensions[EXTENSION]
    return huey


def enqueue(job_uuid: str, delay: float = 0) -> None:
    """Hand a job to the queue now (after `delay` seconds)."""
    task = current_app.extensions["huey_tasks"]["run_job"]
    if delay > 0:
        task.schedule(args=(job_uuid,), delay=delay)
    else:
        task(job_uuid)


def enqueue_after_commit(job_uuid: str) -> None:
    """Hand a job to the queue once the transaction that created it commits.

    A worker must find the job's row; a request that fails rolls back and enqueues nothing.
    Only the outermost commit counts: SQLAlchemy also reports the release of a SAVEPOINT
    (the analysis cache uses them) as a commit, while the job's row is not yet visible.
    """
    session = db.session()
    if not session.info.get(LISTENING):
        event.listen(session, "after_commit", _enqueue_waiting)
        event.listen(session, "after_soft_rollback", _forget_waiting)
        session.info[LISTENING] = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    session.info.setdefault(WAITING, []).append((app, job_uuid))


def _enqueue_waiting(session: Session) -> None:
    if session.in_nested_transaction():
        return
    waiting = session.info.pop(WAITING, [])
    for app, job_uuid in waiting:
        with app.app_context():
            enqueue(job_uuid)


def _forget_waiting(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the outermost transaction: its jobs were never stored
        session.info.pop(WAITING, None)


def put_progress(job_uuid: str, done: int, total: int) -> None:
    """Record a running job's progress and heartbeat in the queue's storage.

    Not in the database: an apply holds its transaction open to the end, and on SQLite a
    second writer would wait for it.
    """
    queue().put(f"progress:{job_uuid}", (int(done), int(total), time.time()))


def get_progress(job_uuid: str) -> tuple[int, int, float] | None:
    """Return the last (done, total, unix time) a running job reported, or None."""
    value = queue().get(f"progress:{job_uuid}", peek=True)
    return tuple(value) if value else None


def put_requeued(job_uuid: str, when: float) -> None:
    """Remember when the sweep last sent a waiting job's message again."""
    queue().put(f"requeued:{job_uuid}", float(when))


def get_requeued(job_uuid: str) -> float | None:
    """Return when the sweep last sent this job's message again, or None."""
    value = queue().get(f"requeued:{job_uuid}", peek=True)
    return float(value) if value is not None else None


def forget_progress(job_uuid: str) -> None:
    """Drop a finished job's progress entry."""
    queue().get(f"progress:{job_uuid}")
    queue().get(f"requeued:{job_uuid}")
