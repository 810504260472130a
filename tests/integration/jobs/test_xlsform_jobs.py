"""A large XLSForm is imported by a job: the upload answers with the job's page at once; the
job saves the draft, or lists the refused rows on its page; nothing of a refusal stays."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import runner
from portal.models import City, Job, Survey

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsform"


def _upload(client: Any, slug: str, name: str) -> Any:
    return client.post("/c/kumanovo/surveys/import", data={
        "slug": slug, "file": (io.BytesIO((FIXTURES / name).read_bytes()), name)},
        content_type="multipart/form-data")


def _job(response: Any) -> Job:
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/c/kumanovo/jobs/" in location
    found = db.session.scalar(select(Job).where(Job.uuid == location.rsplit("/", 1)[1]))
    assert found is not None
    return found


def test_a_large_form_is_imported_by_a_job(client: Any, login: Any, make_user: Any,
                                           city: City) -> None:
    login(make_user("coordinator", city=city))
    # 303 KB with its translations and 76 questions: above the default JOBS_XLSFORM_ABOVE.
    job = _job(_upload(client, "profiling", "subdistrict_profiling_ar_en.xlsx"))
    db.session.refresh(job)
    assert (job.kind, job.status, job.summary["survey"]) == ("xlsform_import", "done",
                                                           "profiling")
    assert job.params == {}  # the uploaded bytes are not kept
    survey = db.session.scalar(select(Survey).where(Survey.slug == "profiling"))
    assert survey is not None and survey.status == "draft" and len(survey.questions) == 76
    page = client.get(f"/c/kumanovo/jobs/{job.uuid}").get_data(as_text=True)
    assert "Survey imported as a draft." in page and "/c/kumanovo/surveys/profiling" in page


def test_a_refused_large_form_lists_its_rows_on_the_job_page(
        app: Any, client: Any, login: Any, make_user: Any, city: City) -> None:
    app.config["JOBS_XLSFORM_ABOVE"] = 0
    login(make_user("coordinator", city=city))
    job = _job(_upload(client, "plots", "biomass_plot_sw_en.xlsx"))
    db.session.refresh(job)
    assert (job.status, job.message, job.attempts) == ("failed", "xlsform_refused", 1)
    assert db.session.scalar(select(func.count(Survey.id))) == 0
    page = client.get(f"/c/kumanovo/jobs/{job.uuid}").get_data(as_text=True)
    assert "nothing was imported" in page
    assert "row 22:" in page and "never records a location" in page
    assert "row 32:" in page and "UCL_regions.csv" in page
    mk = client.get(f"/c/kumanovo/jobs/{job.uuid}?lang=mk").get_data(as_text=True)
    assert "row 22:" not in mk and "22" in mk  # the reader's language, at reading time
    status = client.get(f"/c/kumanovo/jobs/{job.uuid}.json").get_json()
    assert status["message_key"] == "xlsform_refused" and status["summary"]["errors"]


def test_a_small_form_is_still_imported_in_the_request(client: Any, login: Any,
                                                       make_user: Any, city: City) -> None:
    login(make_user("coordinator", city=city))
    response = _upload(client, "fruits", "multilingual_en_sw_fr.xlsx")
    assert response.status_code == 302 and "/surveys/fruits" in response.headers["Location"]
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_queued_import_whose_short_name_was_taken_meanwhile_changes_nothing(
        app: Any, client: Any, login: Any, make_user: Any, city: City,
        monkeypatch: Any) -> None:
    from portal.jobs import queue

    sent: list[str] = []
    monkeypatch.setattr(queue, "enqueue", lambda job_uuid, delay=0: sent.append(job_uuid))
    app.config["JOBS_XLSFORM_ABOVE"] = 0
    login(make_user("coordinator", city=city))
    first = _job(_upload(client, "fruits", "multilingual_en_sw_fr.xlsx"))
    second = _job(_upload(client, "fruits", "multilingual_en_sw_fr.xlsx"))
    runner.run(first.uuid)
    runner.run(second.uuid)
    runner.run(first.uuid)  # a duplicate message: the job is done, nothing runs twice
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, second.status, second.message) == ("done", "failed", "slug_taken")
    assert db.session.scalar(select(func.count(Survey.id))) == 1
