"""Background jobs through the pages, run by the same runner a worker uses (Huey immediate).

tests/integration/jobs/test_worker.py runs them in a real worker process (SQLite, Redis).
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import runner, services, upkeep
from portal.models import City, Job, Stakeholder, Tie
from portal.models.base import utcnow


def _export(client: Any, kind: str = "csv") -> Job:
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": kind})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    job_uuid = response.headers["Location"].rsplit("/", 1)[1]
    job = db.session.scalar(select(Job).where(Job.uuid == job_uuid))
    assert job is not None
    return job


def _download(client: Any, job: Job) -> Any:
    return client.post(f"/c/kumanovo/jobs/{job.uuid}/download")


def test_a_large_microdata_export_is_a_job_whose_file_downloads_once(
        client: Any, login: Any, make_user: Any, survey: Any) -> None:
    login(make_user("coordinator", city=survey.city))
    job = _export(client)
    assert (job.status, job.message, job.progress_total) == ("done", "file_ready", 12)
    assert job.result_path is not None and os.path.exists(job.result_path)
    page = client.get(f"/c/kumanovo/jobs/{job.uuid}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "Download the file" in page
    status = client.get(f"/c/kumanovo/jobs/{job.uuid}.json").get_json()
    assert status["status"] == "done" and status["progress"] == {"done": 12, "total": 12}
    assert status["download_url"].endswith("/download")
    body = _download(client, job)
    assert body.status_code == 200 and body.headers["Content-Disposition"].endswith(
        'kumanovo-resilience-responses.csv"')
    rows = list(csv.reader(io.StringIO(body.get_data(as_text=True))))
    assert len(rows) == 13 and rows[0][:2] == ["response", "submitted_week"]
    assert not os.path.exists(job.result_path)  # deleted once sent
    again = _download(client, job)
    assert again.status_code == 302 and again.headers["Location"].endswith(job.uuid)
    assert client.get(f"/c/kumanovo/jobs/{job.uuid}.json").get_json()["download_url"] is None


def test_a_small_export_still_streams_at_once(client: Any, login: Any, make_user: Any,
                                             survey: Any, app: Any) -> None:
    app.config["JOBS_EXPORT_ABOVE"] = 100
    login(make_user("coordinator", city=survey.city))
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": "xlsx"})
    assert response.status_code == 200 and db.session.scalar(select(func.count(Job.id))) == 0


def test_only_the_requester_may_download_and_the_file_stays_for_them(
        client: Any, login: Any, make_user: Any, survey: Any) -> None:
    asker = make_user("coordinator", city=survey.city)
    other = make_user("coordinator", city=survey.city)
    login(asker)
    job = _export(client, "xlsx")
    client.post("/logout")
    login(other)
    assert client.get(f"/c/kumanovo/jobs/{job.uuid}").status_code == 200  # they see it
    refused = _download(client, job)
    assert refused.status_code == 302 and os.path.exists(job.result_path or "")
    db.session.refresh(job)
    assert job.downloaded is False


def test_members_see_their_own_jobs_and_coordinators_every_job(
        client: Any, login: Any, make_user: Any, survey: Any) -> None:
    coordinator = make_user("coordinator", city=survey.city)
    member = make_user("member", city=survey.city)
    theirs = services.submit(survey.city, "microdata_export",
                             {"survey_id": survey.id, "format": "csv"}, actor=coordinator)
    db.session.commit()
    login(member)
    assert client.get(f"/c/kumanovo/jobs/{theirs.uuid}").status_code == 404
    assert client.get(f"/c/kumanovo/jobs/{theirs.uuid}.json").status_code == 404
    assert theirs.uuid not in client.get("/c/kumanovo/jobs").get_data(as_text=True)
    client.post("/logout")
    login(coordinator)
    assert theirs.uuid in client.get("/c/kumanovo/jobs").get_data(as_text=True)


def test_a_job_not_finished_refreshes_its_page_without_javascript(
        client: Any, login: Any, make_user: Any, city: City) -> None:
    user = make_user("coordinator", city=city)
    job = Job(city_id=city.id, user_id=user.id, kind="microdata_export", progress_total=40)
    db.session.add(job)  # queued, no worker yet (added directly: nothing enqueues it)
    db.session.commit()
    login(user)
    page = client.get(f"/c/kumanovo/jobs/{job.uuid}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert re.search(r'<progress class="job-progress" max="40" value="0">', page)
    assert "Waiting for a worker" in page
    arabic = client.get(f"/c/kumanovo/jobs/{job.uuid}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "<progress" in arabic


def test_an_unknown_job_id_is_404_and_a_bad_one_never_reaches_a_query(
        client: Any, login: Any, make_user: Any, city: City) -> None:
    login(make_user("coordinator", city=city))
    assert client.get("/c/kumanovo/jobs/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/c/kumanovo/jobs/not-a-uuid.json").status_code == 404
    assert client.post("/c/kumanovo/jobs/12/download").status_code == 404
    assert client.get("/c/kumanovo/jobs/%00").status_code == 400  # NUL: refused before routing


def test_files_nobody_downloaded_are_deleted_after_their_time(
        app: Any, client: Any, login: Any, make_user: Any, survey: Any) -> None:
    login(make_user("coordinator", city=survey.city))
    job = _export(client)
    path = job.result_path or ""
    upkeep.delete_expired_files()
    assert os.path.exists(path)  # still in time
    job.finished_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert upkeep.delete_expired_files() == 1
    db.session.refresh(job)
    assert not os.path.exists(path) and (job.result_path, job.message) == (None, "expired")
    dead = os.path.join(os.path.dirname(path), "lost-run.csv.part")  # of a killed worker
    with open(dead, "w") as handle:
        handle.write("response\n")
    os.utime(dead, (0, 0))
    assert upkeep.delete_expired_files() == 1 and not os.path.exists(dead)
    assert _download(client, job).status_code == 302


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Stakeholder.id))) or 0,
            db.session.scalar(select(func.count(Tie.id))) or 0)


def test_a_large_import_is_applied_by_a_job_and_applying_twice_is_one_job(
        client: Any, login: Any, make_user: Any, city: City, upload_import: Any) -> None:
    login(make_user("member", city=city))
    token = upload_import(city)
    first = client.post(f"/c/{city.slug}/stakeholders/import/apply", data={"token": token})
    assert first.status_code == 302 and "/jobs/" in first.headers["Location"]
    job = db.session.scalar(select(Job))
    assert job is not None and (job.kind, job.status) == ("stakeholder_import", "done")
    assert job.summary["stakeholders_created"] == 3 and _counts() == (3, 1)
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Stakeholders created: 3" in page
    again = client.post(f"/c/{city.slug}/stakeholders/import/apply", data={"token": token})
    assert again.status_code == 302 and _counts() == (3, 1)  # the preview is spent
    assert db.session.scalar(select(func.count(Job.id))) == 1


def test_a_run_that_dies_before_its_commit_leaves_nothing_and_the_retry_applies_once(
        client: Any, login: Any, make_user: Any, city: City, upload_import: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first attempt applies every row and then fails before committing (as a killed
    worker would): nothing of it stays, and the second attempt applies the rows once."""
    finish = runner._finish
    calls: list[int] = []

    def dies_first(job_uuid: str, attempt: int, **values: Any) -> bool:
        calls.append(attempt)
        if attempt == 1:
            assert _counts() == (3, 1)  # applied in the open transaction…
            raise ConnectionError("worker lost")
        return finish(job_uuid, attempt, **values)

    monkeypatch.setattr(runner, "_finish", dies_first)
    login(make_user("member", city=city))
    client.post(f"/c/{city.slug}/stakeholders/import/apply", data={"token": upload_import(city)})
    job = db.session.scalar(select(Job))
    assert job is not None and (job.status, job.attempts) == ("done", 2) and calls == [1, 2]
    assert _counts() == (3, 1)  # … and rolled back: once, not twice
    runner.run(job.uuid)  # a duplicate message for a done job changes nothing
    db.session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2) and _counts() == (3, 1)


def test_a_job_that_keeps_failing_fails_after_its_attempts_with_nothing_changed(
        client: Any, login: Any, make_user: Any, city: City, app: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def always(job: Job, progress: Any) -> Any:
        db.session.add(Stakeholder(city_id=city.id, name="Half done", sector="youth"))
        db.session.flush()
        raise RuntimeError("secret detail that must not reach the page")

    monkeypatch.setattr(runner, "_handler", lambda kind: always)
    user = make_user("coordinator", city=city)
    job = services.submit(city, "broken", {}, actor=user)
    db.session.commit()
    db.session.refresh(job)
    assert (job.status, job.attempts, job.message) == ("failed", 3, "failed")
    assert _counts() == (0, 0)
    login(user)
    status = client.get(f"/c/kumanovo/jobs/{job.uuid}.json").get_json()
    assert "secret" not in str(status) and status["message"].startswith("It failed")


def test_a_running_job_whose_worker_went_silent_runs_again_and_applies_once(
        client: Any, login: Any, make_user: Any, city: City, upload_import: Any) -> None:
    user = make_user("member", city=city)
    login(user)
    token = upload_import(city)
    job = Job(city_id=city.id, user_id=user.id, kind="stakeholder_import", status="running",
              attempts=1, params={"token": token}, started_at=utcnow() - timedelta(minutes=5))
    db.session.add(job)  # as a killed worker leaves it: running, its transaction lost
    db.session.commit()
    assert upkeep.requeue_lost(stale_after=30) == [job.uuid]
    db.session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2) and _counts() == (3, 1)
    assert upkeep.requeue_lost(stale_after=30) == []
    # The lost run, had it survived, could no longer mark the job: its attempt is not current.
    assert runner._finish(job.uuid, 1, status="done") is False


def test_a_job_is_queued_only_when_its_outermost_transaction_commits(
        city: City, make_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.jobs import queue

    sent: list[str] = []
    monkeypatch.setattr(queue, "enqueue", lambda job_uuid, delay=0: sent.append(job_uuid))
    user = make_user("coordinator", city=city)
    kept = services.submit(city, "microdata_export", {}, actor=user)
    with db.session.begin_nested():  # a SAVEPOINT released: not yet visible to a worker
        pass
    assert sent == []
    db.session.commit()
    assert sent == [kept.uuid]
    services.submit(city, "microdata_export", {}, actor=user)
    db.session.rollback()  # never stored: never queued
    db.session.commit()
    assert sent == [kept.uuid]
