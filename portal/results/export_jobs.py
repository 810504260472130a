"""The microdata export as a background job: one file under instance/jobs/, downloaded once."""

from __future__ import annotations

import csv
import os

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job, Response, Survey, User
from portal.results import exports
from portal.spreadsheets import csv_row, xlsx_row

KIND = "microdata_export"
EVERY = 500  # rows between progress reports


def response_count(survey: Survey) -> int:
    """Return how many responses the survey holds (the size that decides inline or job)."""
    return int(db.session.scalar(select(func.count()).select_from(Response).where(
        Response.survey_id == survey.id)) or 0)


def submit(city: City, survey: Survey, file_format: str, *, actor: User) -> Job:
    """Queue a microdata export of this survey for this user."""
    return jobs.submit(city, KIND, {"survey_id": survey.id, "format": file_format},
                       actor=actor, total=response_count(survey))


def _write(job: Job, survey: Survey, path: str, progress: Progress) -> None:
    plan = exports.microdata_plan(survey)
    rows = exports.microdata_rows(plan, db.engine)
    if job.params.get("format") == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("responses")
        for i, row in enumerate(rows):
            sheet.append(xlsx_row(row))
            if i % EVERY == 0:
                progress(i)
        book.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for i, row in enumerate(rows):
            writer.writerow(csv_row(row))
            if i % EVERY == 0:
                progress(i)


def run_microdata_export(job: Job, progress: Progress) -> Outcome:
    """Write the export file; the job keeps its path until the one download or expiry."""
    survey = db.session.get(Survey, int(job.params.get("survey_id", 0)))
    if survey is None or survey.city_id != job.city_id:
        raise JobRefused("survey_gone")
    kind = "xlsx" if job.params.get("format") == "xlsx" else "csv"
    progress(0, response_count(survey))
    # One name per attempt: a run given up for lost never touches its successor's file.
    final = os.path.join(jobs.files_dir(), f"{job.uuid}-{job.attempts}.{kind}")
    partial = final + ".part"
    try:
        _write(job, survey, partial, progress)
        os.replace(partial, final)  # a file under its final name is always complete
    finally:
        jobs.remove_file(partial)
    progress(progress.total)
    return Outcome(summary={"rows": progress.total}, result_path=final,
                   result_name=f"{survey.city.slug}-{survey.slug}-responses.{kind}",
                   message="file_ready", cleanup=lambda: jobs.remove_file(final))
