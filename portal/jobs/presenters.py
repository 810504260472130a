"""What the job pages and the JSON status say: translated kinds, statuses and messages."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.jobs import queue
from portal.models import Job

KINDS = {
    "microdata_export": _l("Export of responses"),
    "stakeholder_import": _l("Stakeholder import"),
    "attendance_import": _l("Attendance import"),
    "network_analysis": _l("Network analysis"),
    "results_refresh": _l("Survey results update"),
    "xlsform_import": _l("Import an XLSForm"),
}
STATUSES = {
    "queued": _l("Waiting"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}
MESSAGES = {
    "queued": _l("Waiting for a worker to start it."),
    "running": _l("Working on it. This page refreshes by itself."),
    "retrying": _l("It was interrupted and will run again. Nothing was changed by the "
                   "interrupted run."),
    "done": _l("Finished."),
    "failed": _l("It failed and nothing was changed. Try again later, or tell your "
                 "administrator."),
    "file_ready": _l("The file is ready. Only the person who asked for it can download it, "
                     "once; it is then deleted from the server."),
    "downloaded": _l("The file has been downloaded and deleted from the server."),
    "expired": _l("The file was deleted before anyone downloaded it. Ask for a new export."),
    "survey_gone": _l("The survey no longer exists."),
    "preview_gone": _l("This preview has expired or was already applied. Nothing was changed."),
    "import_outdated": _l("The map changed since the preview, and the import no longer fits "
                          "it. Nothing was changed: upload the files again."),
    "analysis_outdated": _l("The mapping round or the filter no longer exists."),
    "slug_taken": _l("This city already has a survey with that short name."),
    "xlsform_refused": _l("The form was refused and nothing was imported. Correct the rows "
                          "listed below and upload it again."),
    "signin_outdated": _l("The stakeholder list or the events changed since the preview: "
                          "nothing was imported. Check the sheet again."),
}


def message(job: Job) -> str:
    """Return the job's message in the reader's language."""
    return str(MESSAGES.get(job.message, MESSAGES["failed"]))


def issues(job: Job) -> tuple[list[str], list[str]]:
    """Return an XLSForm import job's refusals and notices in the reader's language."""
    from portal.surveys.authoring import import_jobs

    return import_jobs.issues(job)


def progress(job: Job) -> tuple[int, int]:
    """Return (done, total): live from the queue while running, else as stored."""
    if job.status == "running":
        live = queue.get_progress(job.uuid)
        if live is not None:
            return live[0], max(live[1], job.progress_total)
    if job.status == "done":
        return job.progress_total, job.progress_total
    return job.progress_done, job.progress_total


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def as_json(job: Job, city_slug: str, downloadable: bool) -> dict[str, Any]:
    """Return the job's status as the JSON endpoint sends it."""
    done, total = progress(job)
    return {
        "id": job.uuid, "kind": job.kind, "status": job.status, "finished": job.finished,
        "progress": {"done": done, "total": total}, "message_key": job.message,
        "message": message(job), "created_at": _time(job.created_at),
        "started_at": _time(job.started_at), "finished_at": _time(job.finished_at),
        "summary": job.summary,
        "download_url": url_for("jobs.download", city=city_slug, job_id=job.uuid)
        if downloadable else None,
    }

