"""Access rules: every view is marked by its scoping decorator, and the URL map is walked.

The walk sends every method of every city, region and API rule, with plausible arguments
naming real objects of a city (or region) the user has nothing to do with: the answer is
404, as if they did not exist; logged out, it is the login page (or 401 for the API).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.auth import devices
from portal.auth import services as auth_services
from portal.extensions import db
from portal.models import Membership, Question, Survey, Tie
from portal.plan import events as plan_events
from portal.plan import services as plan_services
from portal.results import export_jobs
from portal.stakeholders import rounds, services, ties
from portal.stakeholders.spreadsheet import workflow
from portal.stakeholders.spreadsheet.rows import Records

READ_ROUTES = ["/c/{city}/", "/c/{city}/plan", "/c/{city}/plan/events", "/c/{city}/plan/report",
               "/c/{city}/jobs"]
COORDINATOR_ROUTES = ["/c/{city}/team/invite", "/c/{city}/plan/goals/new",
                      "/c/{city}/plan/activities/new"]
SCOPED = ("/c/", "/regions/", "/api/v1/")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Scoped rules that name no city: any logged-in user may read them (still 401 when logged out).
NAMES_NO_CITY = {"/api/v1/openapi.json"}


def city_routes(app: Flask) -> list[str]:
    """Every GET route under /c/<city>/ without further arguments, from the URL map."""
    routes = []
    for rule in app.url_map.iter_rules():
        if (rule.rule.startswith("/c/<city>") and "GET" in rule.methods
                and rule.arguments == {"city"}):
            routes.append(rule.rule.replace("<city>", "{city}"))
    return sorted(routes)


def scoped_rules(app: Flask) -> list[Rule]:
    """Every rule of a city, a region or the API, from the URL map."""
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(SCOPED)),
                  key=lambda r: r.rule)


@pytest.fixture
def elsewhere(make_city: Any, make_region: Any, make_user: Any) -> dict[str, Any]:
    """A city of another region holding one of everything a URL can name, by argument name."""
    city = make_city(slug="away", region=make_region(slug="away-region"))
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    a = services.create_stakeholder(city, {"name": "Youth centre", "sector": "youth"}, actor=None)
    b = services.create_stakeholder(city, {"name": "School", "sector": "education"}, actor=None)
    ties.add_ties(city, a, baseline, [ties.TieEntry(b.id, "referral", "weekly")], actor=None)
    survey = Survey(city_id=city.id, slug="wave-1", status="open", languages=["en"],
                    title={"en": "Wave 1"})
    survey.questions.append(Question(name="feel", qtype="text", label={"en": "How?"}))
    db.session.add(survey)
    coordinator = make_user("coordinator", city=city)
    invitation, _token = auth_services.create_invitation(city, "new@example.org", "member", 7,
                                                          actor=None)
    draft = workflow.save_draft(city, coordinator.id, Records(), "0" * 64, "Baseline")
    action_plan = plan_services.start_plan(city, "Plan", actor=None)
    goal = plan_services.save_goal(city, None, {"title": "Goal"}, actor=None)
    activity = plan_services.save_activity(city, goal, None, {"title": "Forum"}, [a.id, b.id],
                                           actor=None)
    device, _secret = devices.create_device(city, coordinator, "Tablet", actor=None)
    event = plan_events.save_event(city, None, {"kind": "meeting", "title": "Team meeting",
                                                "held_on": date(2026, 2, 3)}, actor=None)
    plan_events.set_attendance(city, event, [a.id, b.id], actor=None)
    db.session.commit()
    # A finished export job whose file still waits for its one download.
    job = export_jobs.submit(city, survey, "csv", actor=coordinator)
    db.session.commit()
    return {
        "city": city.slug, "region": city.region.slug, "survey": survey.slug,
        "slug": survey.slug, "survey_id": survey.id, "question_id": survey.questions[0].id,
        "sid": a.id, "tie_id": db.session.scalar(select(Tie.id).where(Tie.city_id == city.id)),
        "round_id": baseline.id, "lang": "en", "what": "stakeholders.csv", "action": "up",
        "invitation_id": invitation.id, "token": draft, "plan_id": action_plan.id,
        "goal_id": goal.id, "activity_id": activity.id, "fmt": "csv", "device_id": device.id,
        "event_id": event.id, "job_id": job.uuid,
        "membership_id": db.session.scalar(
            select(Membership.id).where(Membership.user_id == coordinator.id)),
    }


def urls(app: Flask, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (method, URL, rule) for every method of every scoped rule, arguments filled."""
    found = []
    for rule in scoped_rules(app):
        missing = rule.arguments - values.keys()
        assert not missing, f"no plausible value for {missing} in {rule.rule}: add one"
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)
        assert url is not None
        for method in sorted((rule.methods or set()) & set(METHODS)):
            found.append((method, url[1], rule.rule))
    return found


def test_every_view_is_marked_by_its_access_decorator(app: Flask) -> None:
    unmarked = sorted(f"{rule.endpoint} ({rule.rule})" for rule in app.url_map.iter_rules()
                      if not getattr(app.view_functions[rule.endpoint], "access", None))
    assert unmarked == [], "views without city_view/region_view/api_city_view/public/…"


def test_only_the_listed_scoped_rules_name_no_city(app: Flask) -> None:
    free = {rule.rule for rule in scoped_rules(app)
            if app.view_functions[rule.endpoint].access == "api-user"}
    assert free == NAMES_NO_CITY


def test_every_scoped_view_is_marked_scoped(app: Flask) -> None:
    public = sorted(rule.rule for rule in scoped_rules(app)
                    if app.view_functions[rule.endpoint].access in ("public", "user"))
    assert public == []


@pytest.mark.parametrize("role", ["coordinator", "regional"])
def test_user_of_another_city_or_region_gets_404_on_every_scoped_rule(
        app: Flask, client: Any, elsewhere: dict[str, Any], make_city: Any, make_user: Any,
        login: Any, role: str) -> None:
    home = make_city(slug="home")
    login(make_user(role, city=home, region=home.region))
    answers = {(method, url): client.open(url, method=method).status_code
               for method, url, rule in urls(app, elsewhere) if rule not in NAMES_NO_CITY}
    assert {k: v for k, v in answers.items() if v != 404} == {}
    assert len(answers) > 60


def test_anonymous_visitor_is_sent_to_login_or_gets_401_on_every_scoped_rule(
        app: Flask, client: Any, elsewhere: dict[str, Any]) -> None:
    wrong = {}
    for method, url, rule in urls(app, elsewhere):
        response = client.open(url, method=method)
        if rule.startswith("/api/"):
            ok = response.status_code == 401 and response.get_json()["error"] == "login_required"
        else:
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        if not ok:
            wrong[(method, url)] = response.status_code
    assert wrong == {}


@pytest.fixture
def two_cities(make_city, make_region):
    region = make_region()
    return make_city(slug="home", region=region), make_city(slug="away", region=make_region())


def test_every_city_route_is_in_the_matrix(app):
    routes = city_routes(app)
    assert set(READ_ROUTES + COORDINATOR_ROUTES) <= set(routes)


def test_member_of_other_city_gets_404_on_every_city_route(
        app, client, two_cities, make_user, login):
    home, away = two_cities
    login(make_user("coordinator", city=home))
    for route in city_routes(app):
        assert client.get(route.format(city="away")).status_code == 404, route
        assert client.get(route.format(city="home")).status_code in (200, 302), route


def test_unknown_city_gets_404(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/c/nowhere/").status_code == 404


def test_anonymous_user_is_sent_to_login(client, two_cities):
    response = client.get("/c/home/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "read", "invite"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("member", 200, 403),
        ("regional", 200, 403),
        ("regional-elsewhere", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_role_matrix(client, two_cities, make_user, make_region, login, role, read, invite):
    home, _away = two_cities
    if role == "regional":
        user = make_user("regional", region=home.region)
    elif role == "regional-elsewhere":
        user = make_user("regional", region=make_region())
    elif role == "nobody":
        user = make_user("member")
    else:
        user = make_user(role, city=home)
    login(user)
    assert client.get("/c/home/").status_code == read
    assert client.get("/c/home/team/invite").status_code == invite


@pytest.mark.parametrize(
    ("role", "report", "rollup"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 404),
        ("member", 200, 404),
        ("regional", 200, 200),
        ("regional-elsewhere", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_role_matrix_of_the_plan_report_and_the_regional_rollup(
        client, two_cities, make_user, make_region, login, role, report, rollup):
    home, _away = two_cities
    if role == "regional":
        user = make_user("regional", region=home.region)
    elif role == "regional-elsewhere":
        user = make_user("regional", region=make_region())
    elif role == "nobody":
        user = make_user("member")
    else:
        user = make_user(role, city=home)
    login(user)
    assert client.get("/c/home/plan/report", follow_redirects=True).status_code == report
    assert client.get("/c/home/plan/report/en").status_code == report
    assert client.get("/c/away/plan/report/en").status_code == (200 if role == "admin" else 404)
    assert client.get(f"/regions/{home.region.slug}/plan").status_code == rollup


def test_regional_coordinator_sees_only_cities_of_their_region(client, make_city, make_region,
                                                                make_user, login):
    north, south = make_region(), make_region()
    make_city(name="Northtown", region=north)
    make_city(name="Southtown", region=south)
    login(make_user("regional", region=north))
    page = client.get("/cities").get_data(as_text=True)
    assert "Northtown" in page
    assert "Southtown" not in page


@pytest.mark.parametrize("role", ["member", "coordinator", "regional", "nobody"])
def test_admin_pages_are_404_for_non_admins(client, two_cities, make_user, login, role):
    home, _ = two_cities
    login(make_user(role, city=home, region=home.region))
    for url in ("/admin/", "/admin/cities/new", f"/admin/cities/{home.id}"):
        assert client.get(url).status_code == 404
    assert client.post("/admin/regions", data={"slug": "x", "name": "X"}).status_code == 404


ODK = "/odk/"


def odk_rules(app: Flask) -> list[Rule]:
    """Every rule of the OpenRosa server (ODK Collect), from the URL map."""
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(ODK)),
                  key=lambda r: r.rule)


def test_every_openrosa_rule_is_for_a_device_of_its_city(app: Flask) -> None:
    rules = odk_rules(app)
    assert len(rules) >= 4
    assert {app.view_functions[r.endpoint].access for r in rules} == {"city-device"}


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "enumerator"])
def test_the_openrosa_server_of_another_city_answers_401_or_404_on_every_rule(
        app: Flask, client: Any, elsewhere: dict[str, Any], make_city: Any, make_user: Any,
        login: Any, who: str) -> None:
    """Sessions count for nothing there (401); a device of another city gets 404."""
    home = make_city(slug="home")
    auth = None
    if who == "coordinator":
        login(make_user("coordinator", city=home))
    if who == "enumerator":
        device, secret = devices.create_device(home, make_user("enumerator", city=home), "T",
                                               actor=None)
        db.session.commit()
        auth = (device.username, secret)
    expected = 404 if who == "enumerator" else 401
    answers = {}
    for rule in odk_rules(app):
        url = rule.build({k: elsewhere[k] for k in rule.arguments}, append_unknown=False)
        assert url is not None
        for method in sorted((rule.methods or set()) & {"GET", "HEAD", "POST"}):
            answers[(method, url[1])] = client.open(url[1], method=method, auth=auth,
                                                    base_url="https://localhost").status_code
    assert {k: v for k, v in answers.items() if v != expected} == {}


def test_an_enumerator_may_not_read_the_city_s_results_map_or_team_pages(
        app: Flask, client: Any, make_city: Any, make_user: Any, login: Any) -> None:
    home = make_city(slug="home")
    login(make_user("enumerator", city=home))
    for route in city_routes(app):
        status = client.get(route.format(city="home")).status_code
        assert status in (403, 200, 302), route
        if status != 403:  # only what an enumerator does: collect
            assert "/entry" in route, route


# The API's write routes, by role in the city (session login; tokens: api/test_write.py):
# the activity's owner or a coordinator may write; a regional coordinator or an enumerator of
# the city is refused (403); anyone else finds no such city (404).
API_WRITE_ROLES = [("admin", 200), ("coordinator", 200), ("owner", 200), ("member", 403),
                   ("regional", 403), ("enumerator", 403), ("regional-elsewhere", 404),
                   ("nobody", 404)]


def test_every_api_write_route_is_in_the_role_matrix(app: Flask) -> None:
    writes = {rule.rule for rule in scoped_rules(app) if rule.rule.startswith("/api/")
              and (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}}
    assert writes == {"/api/v1/cities/<city>/plan/activities/<id:activity_id>"}


@pytest.mark.parametrize(("role", "expected"), API_WRITE_ROLES)
def test_api_write_role_matrix(client: Any, two_cities: Any, make_user: Any,
                               make_region: Any, login: Any, role: str, expected: int) -> None:
    home, _away = two_cities
    owner = make_user("member", city=home)
    plan_services.start_plan(home, "Plan", actor=None)
    goal = plan_services.save_goal(home, None, {"title": "Goal"}, actor=None)
    activity = plan_services.save_activity(home, goal, None,
                                           {"title": "Forum", "owner_id": owner.id}, [],
                                           actor=None)
    db.session.commit()
    if role == "owner":
        user = owner
    elif role == "regional":
        user = make_user("regional", region=home.region)
    elif role == "regional-elsewhere":
        user = make_user("regional", region=make_region())
    elif role == "nobody":
        user = make_user("member")
    else:
        user = make_user(role, city=home)
    login(user)
    response = client.patch(f"/api/v1/cities/home/plan/activities/{activity.id}",
                            json={"status": "done"})
    assert response.status_code == expected, response.get_data(as_text=True)
