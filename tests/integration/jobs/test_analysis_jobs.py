"""A large map is analysed by a job: its pages answer with the job until the result is stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AnalysisResult, City, Job
from portal.stakeholders import rounds, services, ties


@pytest.fixture
def mapped(city: City) -> City:
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    a = services.create_stakeholder(city, {"name": "Youth centre", "sector": "youth"}, actor=None)
    b = services.create_stakeholder(city, {"name": "School", "sector": "education"}, actor=None)
    services.create_stakeholder(city, {"name": "Police", "sector": "police"}, actor=None)
    ties.add_ties(city, a, baseline, [ties.TieEntry(b.id, "referral", "weekly")], actor=None)
    db.session.commit()
    return city


def _jobs() -> list[Job]:
    return list(db.session.scalars(select(Job)))


@pytest.mark.parametrize("url", ["/c/kumanovo/map", "/c/kumanovo/map.json",
                                 "/c/kumanovo/report", "/api/v1/cities/kumanovo/network"])
def test_a_large_map_not_yet_analysed_answers_with_its_job_then_with_the_map(
        app: Any, client: Any, login: Any, make_user: Any, mapped: City, url: str) -> None:
    app.config["ANALYSIS_INLINE_UP_TO"] = 2  # three actors: "large"
    login(make_user("member", city=mapped))
    first = client.get(url)
    assert first.status_code == 202
    if url.endswith("/map") or url.endswith("/report"):
        page = first.get_data(as_text=True)
        assert '<meta http-equiv="refresh"' in page and "runs in the background" in page
    else:
        body = first.get_json()
        assert body["status"] == "pending" and body["status_url"].endswith(".json")
        assert first.headers["Retry-After"] == "5"
    (job,) = _jobs()
    # Huey's immediate mode ran the job when that request committed: the request itself
    # only queued it; the result is now in the cache, stored with the job's done mark.
    assert (job.kind, job.status, job.summary["actors"]) == ("network_analysis", "done", 3)
    assert db.session.scalar(select(func.count(AnalysisResult.id))) >= 1
    assert client.get(url).status_code == 200
    assert len(_jobs()) == 1


def test_a_small_map_is_still_analysed_in_the_request(client: Any, login: Any,
                                                      make_user: Any, mapped: City) -> None:
    login(make_user("member", city=mapped))
    assert client.get("/c/kumanovo/map").status_code == 200 and _jobs() == []


def test_the_regional_dashboard_shows_a_large_city_s_job_and_the_other_cities(
        app: Any, client: Any, login: Any, make_user: Any, make_city: Any,
        mapped: City) -> None:
    app.config["ANALYSIS_INLINE_UP_TO"] = 2  # kumanovo's three actors: "large"
    small = make_city(slug="small-town", name="Small town", region=mapped.region)
    services.create_stakeholder(small, {"name": "Library", "sector": "education"}, actor=None)
    db.session.commit()
    login(make_user("regional", region=mapped.region))
    url = f"/regions/{mapped.region.slug}/"
    first = client.get(url)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and '<meta http-equiv="refresh" content="10">' in page
    assert page.count("running in the background") == 2  # its table row and its map card
    assert 'id="mini-small-town"' in page and 'id="mini-kumanovo"' not in page
    (job,) = _jobs()
    assert (job.city_id, job.status) == (mapped.id, "done")
    again = client.get(url).get_data(as_text=True)
    assert 'id="mini-kumanovo"' in again and "running in the background" not in again
    assert 'http-equiv="refresh"' not in again
