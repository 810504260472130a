"""A large survey's aggregates are built and folded by a job: its results routes answer with
the job until they are ready; a queued job whose message was lost is sent again by the sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import runner, upkeep
from portal.models import Job, ResultsAggregate, Survey
from portal.models.base import utcnow
from portal.results import aggregates
from portal.testing import fake
from tests.conftest import PASSWORD

ROUTES = ["/c/kumanovo/results/resilience", "/c/kumanovo/results/resilience/results.csv",
          "/c/kumanovo/results/resilience/results.xlsx", "API"]


def _jobs() -> list[Job]:
    return list(db.session.scalars(select(Job).order_by(Job.id)))


def _state(survey: Survey) -> ResultsAggregate | None:
    db.session.rollback()  # a fresh read of what the requests committed
    return db.session.scalar(select(ResultsAggregate).where(
        ResultsAggregate.survey_id == survey.id))


@pytest.mark.parametrize("route", ROUTES)
def test_a_large_survey_without_aggregates_answers_with_its_job_then_with_its_results(
        app: Any, client: Any, login: Any, make_user: Any, survey: Survey, route: str) -> None:
    app.config["RESULTS_INLINE_UP_TO"] = 5  # twelve responses: "large"
    url = f"/api/v1/surveys/{survey.id}/results" if route == "API" else route
    login(make_user("member", city=survey.city))
    assert _state(survey) is None
    first = client.get(url)
    assert first.status_code == 202
    if route == "API":
        body = first.get_json()
        assert body["status"] == "pending" and body["status_url"].endswith(".json")
        assert first.headers["Retry-After"] == "5"
    else:
        page = first.get_data(as_text=True)
        assert '<meta http-equiv="refresh"' in page and "in the background" in page
        assert "<progress" in page and "/c/kumanovo/jobs/" in page  # their own job
    (job,) = _jobs()
    # Huey's immediate mode ran the job when the request committed; the request only queued it.
    assert (job.kind, job.status, job.summary) == ("results_refresh", "done",
                                                  {"survey": survey.id})
    state = _state(survey)
    assert state is not None and state.responses == 12 and state.plan_key
    assert client.get(url).status_code == 200
    assert len(_jobs()) == 1


def test_a_small_survey_is_still_built_in_the_request(client: Any, login: Any, make_user: Any,
                                                      survey: Survey) -> None:
    login(make_user("member", city=survey.city))
    assert client.get("/c/kumanovo/results/resilience").status_code == 200
    assert _jobs() == []
    state = _state(survey)
    assert state is not None and state.responses == 12


def test_one_job_per_survey_at_a_time(app: Any, client: Any, login: Any, make_user: Any,
                                      survey: Survey, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.jobs import queue

    sent: list[str] = []  # no worker: the job stays queued
    monkeypatch.setattr(queue, "enqueue", lambda job_uuid, delay=0: sent.append(job_uuid))
    app.config["RESULTS_INLINE_UP_TO"] = 5
    member = app.test_client()
    member.post("/login", data={"email": make_user("member", city=survey.city).email,
                                "password": PASSWORD})
    assert member.get("/c/kumanovo/results/resilience").status_code == 202
    login(make_user("regional", region=survey.city.region))
    for url in ("/c/kumanovo/results/resilience", f"/api/v1/surveys/{survey.id}/results",
                "/c/kumanovo/results/resilience/results.csv"):
        assert client.get(url).status_code == 202
    (job,) = _jobs()
    assert job.status == "queued" and sent == [job.uuid]
    page = client.get("/c/kumanovo/results/resilience").get_data(as_text=True)
    assert "/c/kumanovo/jobs/" not in page  # another's job: no link to a page they cannot see
    runner.run(job.uuid)
    assert client.get("/c/kumanovo/results/resilience").status_code == 200


def test_many_new_responses_of_a_large_survey_are_folded_by_a_job_not_by_the_view(
        app: Any, client: Any, login: Any, make_user: Any, survey: Survey,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.jobs import queue

    with app.test_request_context():
        aggregates.refresh_aggregates(survey.id)
    db.session.commit()
    mark = _state(survey).mark  # type: ignore[union-attr]
    fake.insert_responses(survey, 4, seed=11)
    db.session.commit()
    monkeypatch.setattr(aggregates, "FOLD_AT", 3)
    app.config["RESULTS_INLINE_UP_TO"] = 5
    sent: list[str] = []
    monkeypatch.setattr(queue, "enqueue", lambda job_uuid, delay=0: sent.append(job_uuid))
    login(make_user("member", city=survey.city))
    data = client.get(f"/api/v1/surveys/{survey.id}/results")
    assert data.status_code == 200  # the view adds the new responses itself...
    assert data.get_json()["respondents"]["value"] in (15, 16, 20)  # 16, rounded to 5 or not
    assert _state(survey).mark == mark  # type: ignore[union-attr]  # ...and does not fold
    (job,) = _jobs()
    assert (job.kind, job.status, sent) == ("results_refresh", "queued", [job.uuid])
    runner.run(job.uuid)
    state = _state(survey)
    assert state is not None and state.mark > mark and state.responses == 16


def test_below_the_threshold_the_view_still_folds(app: Any, client: Any, login: Any,
                                                  make_user: Any, survey: Survey,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with app.test_request_context():
        aggregates.refresh_aggregates(survey.id)
    db.session.commit()
    fake.insert_responses(survey, 4, seed=11)
    db.session.commit()
    monkeypatch.setattr(aggregates, "FOLD_AT", 3)
    login(make_user("member", city=survey.city))
    assert client.get("/c/kumanovo/results/resilience").status_code == 200
    state = _state(survey)
    assert state is not None and state.responses == 16 and _jobs() == []


def test_a_queued_job_whose_message_was_lost_is_sent_again_by_the_sweep(
        survey: Survey, make_user: Any) -> None:
    old = utcnow() - timedelta(minutes=10)
    lost = Job(city_id=survey.city_id, kind="results_refresh", params={"survey_id": survey.id},
               created_at=old)  # committed, then the process died before the queue heard
    fresh = Job(city_id=survey.city_id, kind="results_refresh",
                params={"survey_id": survey.id}, created_at=utcnow())
    db.session.add_all([lost, fresh])
    db.session.commit()
    assert upkeep.requeue_unsent() == [lost.uuid]  # default: queued for 5 minutes
    db.session.refresh(lost)
    db.session.refresh(fresh)
    assert (lost.status, lost.attempts) == ("done", 1)  # the immediate queue ran it
    assert fresh.status == "queued"  # its message may still be on its way
    assert _state(survey).responses == 12  # type: ignore[union-attr]
    assert upkeep.requeue_unsent() == []
    runner.run(lost.uuid)  # a second message for it (the first was not lost after all)
    db.session.refresh(lost)
    assert (lost.status, lost.attempts) == ("done", 1)


def test_a_job_waiting_behind_a_long_queue_gets_one_more_message_per_period(
        survey: Survey, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.jobs import queue

    sent: list[str] = []
    monkeypatch.setattr(queue, "enqueue", lambda job_uuid, delay=0: sent.append(job_uuid))
    waiting = Job(city_id=survey.city_id, kind="results_refresh",
                  params={"survey_id": survey.id}, created_at=utcnow() - timedelta(minutes=10))
    db.session.add(waiting)
    db.session.commit()
    assert upkeep.requeue_unsent() == [waiting.uuid]
    assert upkeep.requeue_unsent() == [] and sent == [waiting.uuid]
    upkeep.sweep()  # the periodic task runs the same step
    assert sent == [waiting.uuid]


def test_a_refresh_of_a_deleted_survey_fails_with_its_message(survey: Survey) -> None:
    job = Job(city_id=survey.city_id, kind="results_refresh", params={"survey_id": 10**9})
    db.session.add(job)
    db.session.commit()
    runner.run(job.uuid)
    db.session.refresh(job)
    assert (job.status, job.message, job.attempts) == ("failed", "survey_gone", 1)
