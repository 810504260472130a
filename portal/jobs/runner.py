"""Run one job: claim it, do its work, and mark it done in the same transaction.

Retry-safe and idempotent:
- a run first claims the job (queued → running, attempts + 1) and commits that alone;
- the work (an import's rows, an export's file name) and the "done" mark commit together,
  and the mark applies only while the job is still this run's (same attempt number): a run
  whose worker was given up for lost can never commit after the run that replaced it;
- a job that is done or failed is never run again (a duplicate message is a no-op);
- an unexpected error rolls everything back and queues the job again, up to
  JOBS_MAX_ATTEMPTS runs; a refusal (`JobRefused`: the survey is gone, the preview expired)
  fails it at once with its message key; nothing of a failed run stays.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.jobs import queue
from portal.models import Job
from portal.models.base import utcnow

log = logging.getLogger(__name__)

# kind → "module:function"; imported when a job of that kind runs (no import cycles).
HANDLERS = {
    "microdata_export": "portal.results.export_jobs:run_microdata_export",
    "stakeholder_import": "portal.stakeholders.import_jobs:run_stakeholder_import",
    "attendance_import": "portal.plan.signin_jobs:run_attendance_import",
    "network_analysis": "portal.networks.analysis_job:run_network_analysis",
    "results_refresh": "portal.results.refresh_jobs:run_results_refresh",
    "xlsform_import": "portal.surveys.authoring.import_jobs:run_xlsform_import",
}


class JobRefused(Exception):
    """The job cannot be done as asked; fail it with this message key, no retry."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message, self.summary = message, summary or {}


@dataclass
class Outcome:
    """What a handler leaves on its job when it succeeds."""

    summary: dict[str, Any] = field(default_factory=dict)
    result_path: str | None = None
    result_name: str | None = None
    message: str = "done"
    cleanup: Callable[[], None] | None = None  # undo a side effect if the mark fails


class Progress:
    """Report progress; each report is also the run's heartbeat."""

    def __init__(self, job_uuid: str) -> None:
        self.job_uuid = job_uuid
        self.done, self.total = 0, 0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        self.total = total if total is not None else self.total
        queue.put_progress(self.job_uuid, self.done, self.total)


def _claim(job_uuid: str) -> tuple[Job, int] | None:
    """Take a queued job for this run and commit; None when it is not waiting."""
    claimed = db.session.execute(
        update(Job).where(Job.uuid == job_uuid, Job.status == "queued")
        .values(status="running", attempts=Job.attempts + 1, started_at=utcnow(),
                message="running"))
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    job = db.session.scalar(select(Job).where(Job.uuid == job_uuid))
    assert job is not None
    return job, job.attempts


def _finish(job_uuid: str, attempt: int, **values: Any) -> bool:
    """Mark the job finished if it is still this run's (same attempt); False otherwise.

    A finished job keeps no input (a sign-in sheet's rows): its params are dropped.
    """
    marked = db.session.execute(
        update(Job).where(Job.uuid == job_uuid, Job.status == "running",
                          Job.attempts == attempt)
        .values(finished_at=utcnow(), params={}, **values))
    return marked.rowcount == 1  # type: ignore[attr-defined]


def _handler(kind: str) -> Callable[[Job, Progress], Outcome]:
    module, _sep, name = HANDLERS[kind].partition(":")
    handler: Callable[[Job, Progress], Outcome] = getattr(importlib.import_module(module), name)
    return handler


class _Heartbeat:
    """Report the run alive every few seconds while a long step reports no progress."""

    def __init__(self, progress: Progress, every: float) -> None:
        self.progress, self.every = progress, every
        self.stop = threading.Event()
        self.app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self.stop.wait(self.every):
                self.progress(self.progress.done)

    def __enter__(self) -> _Heartbeat:
        self.progress(0)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def run(job_uuid: str) -> None:
    """Run a job once: claim, work, mark; on error roll back and queue it again."""
    taken = _claim(job_uuid)
    if taken is None:
        return
    job, attempt = taken
    progress = Progress(job_uuid)
    config = current_app.config
    try:
        with _Heartbeat(progress, float(config.get("JOBS_HEARTBEAT_SECONDS", 5))):
            outcome = _handler(job.kind)(job, progress)
            if _finish(job_uuid, attempt, status="done", message=outcome.message,
                       summary=outcome.summary, result_path=outcome.result_path,
                       result_name=outcome.result_name, progress_done=progress.done,
                       progress_total=progress.total):
                db.session.commit()
            else:
                db.session.rollback()
                if outcome.cleanup is not None:
                    outcome.cleanup()
    except JobRefused as refused:
        db.session.rollback()
        _finish(job_uuid, attempt, status="failed", message=refused.message,
                summary=refused.summary)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed on attempt %d", job_uuid, job.kind, attempt)
        _retry_or_fail(job_uuid, attempt)
    finally:
        queue.forget_progress(job_uuid)


def _retry_or_fail(job_uuid: str, attempt: int) -> None:
    """Queue the job again after an unexpected error, or fail it after the last attempt."""
    config = current_app.config
    if attempt < int(config.get("JOBS_MAX_ATTEMPTS", 3)):
        requeued = db.session.execute(
            update(Job).where(Job.uuid == job_uuid, Job.status == "running",
                              Job.attempts == attempt)
            .values(status="queued", message="retrying"))
        db.session.commit()
        if requeued.rowcount == 1:  # type: ignore[attr-defined]
            queue.enqueue(job_uuid, delay=float(config.get("JOBS_RETRY_DELAY_SECONDS", 10)))
        return
    _finish(job_uuid, attempt, status="failed", message="failed")
    db.session.commit()
