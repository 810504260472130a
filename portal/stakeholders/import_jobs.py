"""A large stakeholder import, applied by a background job: all or nothing, as inline."""

from __future__ import annotations

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job, User
from portal.stakeholders.spreadsheet import workflow

KIND = "stakeholder_import"


def rows(draft: workflow.Draft) -> int:
    """Return the number of rows a draft would apply (stakeholders and ties)."""
    return len(draft.records.stakeholders) + len(draft.records.ties)


def submit(city: City, draft: workflow.Draft, *, actor: User) -> Job:
    """Queue the apply of a kept preview; the same preview applied twice is one job."""
    return jobs.submit(city, KIND, {"token": draft.token}, actor=actor,
                       idempotency_key=f"{KIND}:{draft.token}", total=rows(draft))


def run_stakeholder_import(job: Job, progress: Progress) -> Outcome:
    """Spend the preview and apply it; the runner commits both with the job's done mark."""
    city = db.session.get(City, job.city_id)
    actor = db.session.get(User, job.user_id) if job.user_id is not None else None
    if city is None or actor is None:
        raise JobRefused("preview_gone")
    draft = workflow.take_draft(city, actor.id, str(job.params.get("token", "")))
    if draft is None:
        raise JobRefused("preview_gone")
    total = rows(draft)
    progress(0, total)
    _result, summary = workflow.run(city, draft.records, draft.round_name, actor=actor,
                                    held_on=draft.held_on)
    if summary is None:
        raise JobRefused("import_outdated")
    db.session.flush()
    progress(total)
    return Outcome(summary=dict(summary))
