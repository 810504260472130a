"""Jobs run by a real worker process (`flask jobs worker`) on SQLite and on Redis storage.

The test app and the worker share the database and the queue, as a server and a worker do;
nothing runs in the test's process but the request that submits the job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import City, Job, Stakeholder, Survey
from portal.models.base import utcnow
from portal.testing import fake

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
FLASK = str(Path(sys.executable).with_name("flask"))
WAIT = 90.0  # seconds: two cores shared by several test runs


@pytest.fixture
def queue_name() -> str:
    return f"lpn-test-{uuid.uuid4().hex}"


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request: pytest.FixtureRequest, tmp_path: Path, queue_name: str) -> Iterator[str]:
    """The queue's storage: Huey's SQLite file, or Redis (skipped without one, except in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
        return
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis server at {REDIS_URL} for the job queue: {error}")
        pytest.skip(f"no Redis server reachable at {REDIS_URL}")
    yield REDIS_URL
    for key in connection.scan_iter(f"*{queue_name}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture
def app_config(app_config: dict[str, Any], jobs_url: str, queue_name: str,
               tmp_path: Path) -> dict[str, Any]:
    return {**app_config, "JOBS_URL": jobs_url, "JOBS_NAME": queue_name,
            "JOBS_FILES_DIR": str(tmp_path / "files"), "JOBS_STALE_SECONDS": 2}


@pytest.fixture
def start_worker(app_config: dict[str, Any]) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `flask jobs worker` processes on the test's database and queue; stop them after."""
    env = {**os.environ, "PORTAL_SECRET_KEY": app_config["SECRET_KEY"],
           "PORTAL_DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
           "PORTAL_JOBS_URL": app_config["JOBS_URL"], "PORTAL_JOBS_NAME": app_config["JOBS_NAME"],
           "PORTAL_JOBS_FILES_DIR": app_config["JOBS_FILES_DIR"],
           "PORTAL_JOBS_STALE_SECONDS": "2", "PORTAL_JOBS_HEARTBEAT_SECONDS": "0.5"}
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen([FLASK, "--app", "portal", "jobs", "worker"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()


def _wait_for(job: Job, *statuses: str) -> Job:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh read of what the worker committed
        db.session.refresh(job)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job still {job.status} after {WAIT} s")


def test_a_worker_process_runs_an_export_and_takes_over_a_lost_workers_import(
        client: Any, login: Any, make_user: Any, survey: Survey, upload_import: Any,
        start_worker: Callable[[], subprocess.Popen]) -> None:
    city: City = survey.city
    user = make_user("coordinator", city=city)
    login(user)
    token = upload_import(city)
    lost = Job(city_id=city.id, user_id=user.id, kind="stakeholder_import", status="running",
               attempts=1, params={"token": token}, started_at=utcnow() - timedelta(minutes=5))
    db.session.add(lost)  # as a killed worker leaves it: running, its transaction gone
    db.session.commit()
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": "csv"})
    export = db.session.scalar(select(Job).where(
        Job.uuid == response.headers["Location"].rsplit("/", 1)[1]))
    assert export is not None and export.status == "queued"  # no worker yet
    start_worker()
    assert _wait_for(export, "done", "failed").status == "done"
    assert _wait_for(lost, "done", "failed").status == "done" and lost.attempts == 2
    assert db.session.scalar(select(func.count(Stakeholder.id))) == 3
    body = client.post(f"/c/kumanovo/jobs/{export.uuid}/download")
    assert body.status_code == 200 and len(body.get_data(as_text=True).splitlines()) == 13


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)  # the storage is not the point
def test_a_killed_worker_s_export_is_finished_by_the_next_worker(
        client: Any, login: Any, make_user: Any, city: City,
        start_worker: Callable[[], subprocess.Popen]) -> None:
    survey = fake.build_demo_survey(city, slug="resilience")
    db.session.commit()
    fake.insert_responses(survey, 10_000, seed=5)
    db.session.commit()
    login(make_user("coordinator", city=city))
    first = start_worker()
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": "csv"})
    job = db.session.scalar(select(Job).where(
        Job.uuid == response.headers["Location"].rsplit("/", 1)[1]))
    assert job is not None
    assert _wait_for(job, "running", "done").status == "running", "too fast to kill"
    first.kill()  # SIGKILL: no clean-up, no "failed" mark
    first.wait()
    db.session.rollback()
    db.session.refresh(job)
    assert job.status == "running" and job.attempts == 1
    time.sleep(2.5)  # silent longer than JOBS_STALE_SECONDS
    start_worker()  # finds the silent job on start (else its minutely sweep) and runs it again
    assert _wait_for(job, "done", "failed").status == "done" and job.attempts == 2
    body = client.post(f"/c/kumanovo/jobs/{job.uuid}/download")
    assert len(body.get_data(as_text=True).splitlines()) == 10_001


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)
def test_a_large_map_is_analysed_by_the_worker_while_the_page_waits(
        app: Any, client: Any, login: Any, make_user: Any, city: City,
        start_worker: Callable[[], subprocess.Popen]) -> None:
    from portal.stakeholders import services

    app.config["ANALYSIS_INLINE_UP_TO"] = 2
    for name, sector in (("Youth centre", "youth"), ("School", "education"),
                         ("Police", "police")):
        services.create_stakeholder(city, {"name": name, "sector": sector}, actor=None)
    db.session.commit()
    login(make_user("member", city=city))
    assert client.get("/c/kumanovo/map").status_code == 202
    assert client.get("/c/kumanovo/map.json").status_code == 202  # the same job, no second
    job = db.session.scalar(select(Job))
    assert job is not None and job.status == "queued"
    start_worker()
    # The worker runs with the default ANALYSIS_INLINE_UP_TO: inside a job it always computes.
    assert _wait_for(job, "done", "failed").status == "done"
    assert client.get("/c/kumanovo/map").status_code == 200
    assert db.session.scalar(select(func.count(Job.id))) == 1


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)
def test_a_large_survey_s_aggregates_are_built_by_the_worker_while_the_page_waits(
        app: Any, client: Any, login: Any, make_user: Any, survey: Survey,
        start_worker: Callable[[], subprocess.Popen]) -> None:
    app.config["RESULTS_INLINE_UP_TO"] = 5  # twelve responses: "large"
    login(make_user("member", city=survey.city))
    assert client.get("/c/kumanovo/results/resilience").status_code == 202
    api = client.get(f"/api/v1/surveys/{survey.id}/results")
    assert api.status_code == 202 and api.get_json()["status"] == "pending"
    job = db.session.scalar(select(Job))
    assert job is not None and (job.kind, job.status) == ("results_refresh", "queued")
    start_worker()
    # The worker runs with the default RESULTS_INLINE_UP_TO: inside a job it always builds.
    assert _wait_for(job, "done", "failed").status == "done"
    assert client.get("/c/kumanovo/results/resilience").status_code == 200
    assert client.get(f"/api/v1/surveys/{survey.id}/results").get_json()["survey"]["id"] \
        == survey.id
    assert db.session.scalar(select(func.count(Job.id))) == 1


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)
def test_a_job_whose_queue_message_was_lost_is_run_by_the_worker_s_sweep(
        app: Any, survey: Survey, start_worker: Callable[[], subprocess.Popen]) -> None:
    from portal.jobs import upkeep

    app.config["JOBS_REQUEUE_MINUTES"] = 1
    lost = Job(city_id=survey.city_id, kind="results_refresh", params={"survey_id": survey.id},
               created_at=utcnow() - timedelta(minutes=2))
    db.session.add(lost)  # committed; the process died before the queue heard of it
    db.session.commit()
    start_worker()
    time.sleep(1.0)
    db.session.rollback()
    db.session.refresh(lost)
    assert lost.status == "queued"  # no worker can know of it
    with app.app_context():  # the periodic sweep's step (run by the worker each minute)
        assert upkeep.requeue_unsent() == [lost.uuid]
    assert _wait_for(lost, "done", "failed").status == "done" and lost.attempts == 1
