"""Results pages, API and exports: who may read what, and what a reader gets.

One world (cities, a survey, 120 responses) is built for the module (tests/conftest.py,
SharedDatabase): the tests add users, logins, audit events and surveys, undone after each.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, City, Region, Survey
from portal.testing import fake
from tests.conftest import SharedDatabase

READERS = ["admin", "coordinator", "member", "regional"]


@pytest.fixture(scope="module")
def shared_world(shared_app: Flask) -> tuple[SharedDatabase, dict[str, int]]:
    """Two cities in one region, a third elsewhere; the first city has a survey with 120
    answers. Built once: the tests only add rows of their own, undone after each."""
    with shared_app.app_context():
        region, other_region = Region(slug="north", name="North"), Region(slug="south",
                                                                          name="South")
        cities = [City(slug=slug, name=name, region=in_region, default_locale="en",
                       disclosure_threshold=10)
                  for slug, name, in_region in [("kumanovo", "Kumanovo", region),
                                                ("tetovo", "Tetovo", region),
                                                ("far", "Far", other_region)]]
        db.session.add_all(cities)
        db.session.commit()
        survey = fake.build_demo_survey(cities[0], slug="resilience", wave="Baseline")
        db.session.commit()
        fake.insert_responses(survey, 120, seed=7)
        shared = SharedDatabase()
        shared.mark()
        ids = {"region": region.id, "other_region": other_region.id, "city": cities[0].id,
               "neighbour": cities[1].id, "far": cities[2].id, "survey": survey.id}
        db.session.remove()
    return shared, ids


@pytest.fixture
def app(shared_app: Flask, shared_world: tuple[SharedDatabase, Any]) -> Iterator[Flask]:
    """The module's app, in a context of its own per test; what the test added is undone."""
    with shared_app.app_context():
        yield shared_app
        shared_world[0].undo()
        db.session.remove()


@pytest.fixture
def world(app, shared_world, make_user):
    ids = shared_world[1]
    region, other_region = (db.session.get_one(Region, ids[name])
                            for name in ("region", "other_region"))
    city, neighbour, far = (db.session.get_one(City, ids[name])
                            for name in ("city", "neighbour", "far"))

    def user(role: str):
        if role == "regional":
            return make_user("regional", region=region)
        if role == "admin":
            return make_user("admin")
        if role == "stranger":
            return make_user("member", city=far)
        if role == "other-regional":
            return make_user("regional", region=other_region)
        return make_user(role, city=city)

    return {"city": city, "neighbour": neighbour, "survey": db.session.get_one(
        Survey, ids["survey"]), "region": region, "user": user}


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("path", ["/c/kumanovo/results", "/c/kumanovo/results/resilience",
                                  "/c/kumanovo/results/resilience/results.csv",
                                  "/c/kumanovo/results/resilience/results.xlsx"])
def test_city_readers_see_results_and_aggregates(world, client, login, role, path):
    login(world["user"](role))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", ["stranger", "other-regional"])
@pytest.mark.parametrize("path", ["/c/kumanovo/results", "/c/kumanovo/results/resilience",
                                  "/c/kumanovo/results/resilience/results.csv",
                                  "/c/kumanovo/results/resilience/microdata"])
def test_users_of_other_cities_get_404(world, client, login, role, path):
    login(world["user"](role))
    assert client.get(path).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    response = client.get("/c/kumanovo/results/resilience")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unknown_survey_is_404(world, client, login):
    login(world["user"]("coordinator"))
    assert client.get("/c/kumanovo/results/nope").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("regional", 403), ("member", 403),
                                              ("coordinator", 200), ("admin", 200)])
def test_only_coordinators_reach_the_microdata_confirmation(world, client, login, role, status):
    login(world["user"](role))
    assert client.get("/c/kumanovo/results/resilience/microdata").status_code == status
    post = client.post("/c/kumanovo/results/resilience/microdata",
                       data={"confirm": "y", "file_format": "csv"})
    assert post.status_code == status
    if status == 403:
        assert b"bel_1" not in post.data


def test_microdata_needs_the_confirmation_and_is_audited(world, client, login):
    login(world["user"]("coordinator"))
    refused = client.post("/c/kumanovo/results/resilience/microdata",
                          data={"file_format": "csv"})
    assert refused.status_code == 400
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "results.microdata_export")) is None
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": "csv"})
    assert response.status_code == 200
    assert response.streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:5] == ["response", "submitted_week", "age_band", "gender", "area"]
    assert len(rows) == 121
    assert "attachment" in response.headers["Content-Disposition"]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "results.microdata_export")).all()
    assert len(events) == 1


def test_microdata_xlsx_has_one_row_per_response(world, client, login):
    login(world["user"]("coordinator"))
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(book["responses"].iter_rows(values_only=True))
    assert len(rows) == 121
    assert rows[0][2] == "age_band"


def test_microdata_never_shows_the_client_uuid(world, client, login):
    login(world["user"]("coordinator"))
    body = client.post("/c/kumanovo/results/resilience/microdata",
                       data={"confirm": "y", "file_format": "csv"}).get_data(as_text=True)
    assert "uuid" not in body.splitlines()[0]


@pytest.mark.parametrize("role", READERS)
def test_api_returns_suppressed_aggregates_to_city_readers(world, client, login, role):
    login(world["user"](role))
    response = client.get(f"/api/v1/surveys/{world['survey'].id}/results")
    assert response.status_code == 200
    data = response.json
    assert data["k"] == 10
    assert data["respondents"]["value"] == 120
    assert "primary" not in response.get_data(as_text=True)
    assert "secondary" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["stranger", "other-regional"])
def test_api_of_another_city_is_404(world, client, login, role):
    login(world["user"](role))
    response = client.get(f"/api/v1/surveys/{world['survey'].id}/results")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert set(response.json) == {"error", "message"}


def test_api_without_login_is_401(world, client):
    assert client.get(f"/api/v1/surveys/{world['survey'].id}/results").status_code == 401


def test_city_list_page_runs_a_fixed_number_of_queries(
    world, client, login, make_survey, count_queries
):
    login(world["user"]("coordinator"))
    client.get("/c/kumanovo/results")
    with count_queries() as one:
        client.get("/c/kumanovo/results")
    for i in range(4):
        make_survey(world["city"], slug=f"wave-{i}", wave=f"Wave {i}")
    with count_queries() as five:
        page = client.get("/c/kumanovo/results")
    assert page.status_code == 200
    assert len(five) == len(one)


def test_results_page_shows_charts_tables_and_no_inline_styles(world, client, login):
    login(world["user"]("member"))
    html = client.get("/c/kumanovo/results/resilience").get_data(as_text=True)
    assert html.count("<svg") >= 18
    assert "style=" not in html
    assert "Don&#39;t know" in html or "Don't know" in html
    assert "Export responses" not in html  # members see no microdata link


def test_compare_waves_shows_differences(world, client, login, make_survey, add_responses):
    follow = make_survey(world["city"], slug="follow-up", wave="Follow-up")
    add_responses(follow, 150, seed=9, shift=0.4)
    login(world["user"]("regional"))
    page = client.get("/c/kumanovo/results/waves?baseline=resilience&follow_up=follow-up")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Belonging" in html and "+" in html
    same = client.get("/c/kumanovo/results/waves?baseline=resilience&follow_up=resilience")
    assert "Choose two different surveys." in same.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("regional", 200), ("admin", 200),
                                              ("coordinator", 404), ("member", 404),
                                              ("other-regional", 404)])
def test_region_view_is_for_its_regional_coordinators(world, client, login, role, status):
    login(world["user"](role))
    assert client.get("/regions/north/results").status_code == status


def test_region_view_lists_cities_by_name_without_ranking(world, client, login):
    login(world["user"]("regional"))
    html = client.get("/regions/north/results").get_data(as_text=True)
    assert html.index("Kumanovo") < html.index("Tetovo")
    for word in ("rank", "best", "worst", "top ", "league"):
        assert word not in html.lower()
