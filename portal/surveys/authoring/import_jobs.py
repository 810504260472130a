"""A large XLSForm is imported by a job: conversion (pyxform), mapping and save, never inline.

Above JOBS_XLSFORM_ABOVE bytes (the form and its attached choice files), the import page
queues an `xlsform_import` job and shows its page. The uploaded bytes travel in the job's
params (base64; dropped when the job finishes: a finished job keeps no input), so a worker on
another machine needs no shared folder. The job saves the draft survey in the transaction
that marks it done; a refused form fails the job with its coded issues, which the job's page
lists with their sheet and row numbers in the reader's language. Nothing of a refused or
failed run stays.
"""

from __future__ import annotations

import base64
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job, User
from portal.surveys.authoring import services, transfer

KIND = "xlsform_import"


def too_large(data: bytes, attachments: dict[str, bytes]) -> bool:
    """Return True when the form and its files are large enough for a job."""
    size = len(data) + sum(len(body) for body in attachments.values())
    return size > int(current_app.config.get("JOBS_XLSFORM_ABOVE", 200_000))


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def start(city: City, slug: str, data: bytes, name: str | None,
          attachments: dict[str, bytes], actor: User) -> Job:
    """Queue the import of this upload; return its job."""
    params: dict[str, Any] = {
        "slug": slug, "name": name, "data": _encode(data),
        "attachments": {key: _encode(body) for key, body in attachments.items()}}
    return jobs.submit(city, KIND, params, actor=actor)


def run_xlsform_import(job: Job, progress: Progress) -> Outcome:
    """Convert, map and save the form (the runner commits it with the done mark)."""
    city = db.session.get(City, job.city_id)
    params = job.params
    if city is None or "data" not in params:
        raise JobRefused("failed")
    slug = str(params.get("slug") or "")
    if services.slug_taken(city, slug):
        raise JobRefused("slug_taken")
    actor = (db.session.scalar(select(User).where(User.id == job.user_id))
             if job.user_id is not None else None)
    progress(0, 1)
    coded = transfer.import_coded(
        city, slug, base64.b64decode(params["data"]), name=params.get("name"),
        attachments={key: base64.b64decode(body)
                     for key, body in (params.get("attachments") or {}).items()},
        actor=actor)
    if coded.survey is None:
        raise JobRefused("xlsform_refused", {"errors": coded.errors, "notices": coded.notices})
    progress(1, 1)
    return Outcome(summary={"survey": coded.survey.slug, "notices": coded.notices})


def issues(job: Job) -> tuple[list[str], list[str]]:
    """Return an import job's refusals and notices, translated, each naming its row."""
    if job.kind != KIND:
        return [], []
    return ([transfer.describe(issue) for issue in job.summary.get("errors", [])],
            [transfer.describe(issue) for issue in job.summary.get("notices", [])])
