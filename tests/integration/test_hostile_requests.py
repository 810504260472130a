"""The edge of the app under hostile input: NUL characters, ids out of range, hidden cities.

Run on SQLite and, with PORTAL_TEST_DATABASE_URL, on PostgreSQL (which refuses U+0000 in
text and 2^31 in an INTEGER column: both used to answer 500).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Area, City, Invitation, MappingRound, Stakeholder, Survey
from portal.testing import fake

NUL_TEXT = "Адресата или некое поле од формуларот содржи знак NUL."  # mk: the visitor's language
TOO_BIG = ["2147483648", "9223372036854775808", "99999999999999999999999"]
NOT_IDS = ["0", "-1", "01", "²", "٣", "1e3", " 1"]


class _OwnContextClient(FlaskClient):
    """Each request in its own app context, as in production: no `g` (locale, city) shared."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        db.session.rollback()
        token = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The test client; conftest's own may do the same (issue #14, finding 1)."""
    return _OwnContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def catch_errors(app_config: dict[str, Any]) -> None:
    """Let the app's own 500 handler answer, as outside of tests."""
    app_config["CATCH_ERRORS"] = True


@pytest.fixture
def city(make_city: Any, make_user: Any, login: Any) -> City:
    """A city with a stakeholder, a round and an area, and its coordinator logged in."""
    found = make_city(slug="testgrad", name="Testgrad")
    db.session.add_all([
        Stakeholder(city_id=found.id, name="Youth centre"),
        MappingRound(city_id=found.id, name="Baseline", held_on=date(2025, 1, 15),
                     is_current=True),
        Area(city_id=found.id, name="North"),
    ])
    db.session.commit()
    login(make_user("coordinator", city=found))
    return found


def _counts() -> tuple[int, ...]:
    db.session.rollback()  # see what the requests committed
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Stakeholder, MappingRound, Area, Invitation))


def _first_id(model: Any) -> int:
    return int(db.session.scalar(select(func.min(model.id))))


# --- 5. NUL characters ------------------------------------------------------------------

ANONYMOUS_NUL = [
    ("POST", "/login", {"email": "a\x00@example.org", "password": "x" * 12}),
    ("GET", "/s/testgrad/%00/", None),
    ("GET", "/s/%00/x/", None),
    ("GET", "/s/%00/x/consent", None),
    ("GET", "/login?next=/%00", None),
]
MEMBER_NUL = [
    ("GET", "/c/testgrad/stakeholders?q=a%00b", None),
    ("GET", "/c/testgrad/stakeholders?sector=%00", None),
    ("GET", "/c/testgrad/map?kind=%00", None),
    ("GET", "/c/testgrad/results/%00x", None),
    ("GET", "/c/testgrad/stakeholders/export/%00", None),
    ("POST", "/c/testgrad/stakeholders/new",
     {"name": "Clinic\x00", "sector": "health", "level": "local"}),
    ("POST", "/c/testgrad/stakeholders/rounds",
     {"name": "Follow\x00up", "held_on": "2025-06-01", "copy_from": ""}),
    ("POST", "/c/testgrad/stakeholders/areas", {"name": "So\x00uth"}),
    ("POST", "/c/testgrad/team/invite", {"email": "new\x00@example.org", "role": "member"}),
    ("POST", "/c/testgrad/stakeholders/import/apply", {"token": "abc\x00"}),
    ("POST", "/c/testgrad/stakeholders/areas", {"na\x00me": "South"}),
]


@pytest.mark.parametrize(("method", "url", "data"), ANONYMOUS_NUL + MEMBER_NUL)
def test_nul_character_gets_the_translated_400_page_and_changes_nothing(
        client: Any, city: City, method: str, url: str, data: dict[str, str] | None) -> None:
    if (method, url, data) in ANONYMOUS_NUL:
        client.post("/logout")
    before = _counts()
    response = client.open(url, method=method, data=data, headers={"Accept-Language": "mk"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NUL_TEXT in page and '<html lang="mk"' in page
    assert _counts() == before


@pytest.mark.parametrize("url", ["/api/v1/cities/testgrad/network?kind=%00",
                                 "/api/v1/cities/%00/gaps", "/api/v1/surveys/1/results?lang=%00"])
def test_nul_character_in_an_api_request_gets_a_json_400(client: Any, city: City,
                                                        url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_nul_character_in_a_json_body_gets_a_json_400(client: Any, city: City) -> None:
    response = client.get("/api/v1/cities/testgrad/network", json={"a": [{"b": "x\x00"}]})
    assert (response.status_code, response.get_json()["error"]) == (400, "bad_request")


# --- 6. Ids out of range ----------------------------------------------------------------

@pytest.mark.parametrize("number", TOO_BIG + ["0", "01", "%C2%B2", "%D9%A3"])
@pytest.mark.parametrize("template", [
    "/c/testgrad/stakeholders/{n}", "/c/testgrad/stakeholders/{n}/edit",
    "/admin/cities/{n}", "/admin/users/{n}"])
def test_id_out_of_range_in_a_path_is_404(client: Any, city: City, make_user: Any, login: Any,
                                          template: str, number: str) -> None:
    if template.startswith("/admin"):
        client.post("/logout")
        login(make_user("admin"))
    assert client.get(template.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", TOO_BIG + ["0"])
def test_api_id_out_of_range_is_a_json_404(client: Any, city: City, number: str) -> None:
    response = client.get(f"/api/v1/surveys/{number}/results")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("value", TOO_BIG + NOT_IDS)
@pytest.mark.parametrize("template", [
    "/c/testgrad/stakeholders/{sid}?round={v}", "/c/testgrad/map?round={v}",
    "/c/testgrad/stakeholders/export/ties?round={v}", "/c/testgrad/compare?a={v}"])
def test_id_out_of_range_in_a_query_string_is_404(client: Any, city: City, template: str,
                                                  value: str) -> None:
    url = template.format(sid=_first_id(Stakeholder), v=value)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", TOO_BIG + NOT_IDS)
def test_id_out_of_range_in_the_map_data_is_the_apis_json_400(client: Any, city: City,
                                                              value: str) -> None:
    response = client.get(f"/c/testgrad/map.json?round={value}")
    assert (response.status_code, response.get_json()["error"]) == (400, "round")


@pytest.mark.parametrize("value", TOO_BIG)
def test_id_out_of_range_in_the_api_filter_is_a_json_400(client: Any, city: City,
                                                         value: str) -> None:
    response = client.get(f"/api/v1/cities/testgrad/network?round={value}")
    assert (response.status_code, response.get_json()["error"]) == (400, "round")


@pytest.mark.parametrize("value", TOO_BIG + ["²", "abc"])
def test_issuing_a_link_for_an_id_out_of_range_is_404(client: Any, city: City,
                                                      value: str) -> None:
    response = client.post(f"/c/testgrad/stakeholders/survey-links?sid={value}",
                           data={"lifetime_days": "21"})
    assert response.status_code == 404


@pytest.mark.parametrize("value", TOO_BIG + ["²", "x"])
@pytest.mark.parametrize(("url", "field", "data"), [
    ("/c/testgrad/stakeholders/new", "area_id",
     {"name": "Clinic", "sector": "health", "level": "local"}),
    ("/c/testgrad/stakeholders/rounds", "copy_from",
     {"name": "Follow-up", "held_on": "2025-06-01"}),
    ("/c/testgrad/stakeholders", "area", None),
])
def test_id_out_of_range_in_a_form_field_is_a_form_error(
        client: Any, city: City, url: str, field: str, data: dict[str, str] | None,
        value: str) -> None:
    before = _counts()
    if data is None:
        response = client.get(url, query_string={field: value})
    else:
        response = client.post(url, data={**data, field: value})
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.get_data(as_text=True)
    assert _counts() == before


@pytest.mark.parametrize("value", TOO_BIG + ["²"])
def test_ties_with_a_round_or_partner_out_of_range_change_nothing(
        client: Any, city: City, value: str) -> None:
    partner = Stakeholder(city_id=city.id, name="School")
    db.session.add(partner)
    db.session.commit()
    sid, partner_id = _first_id(Stakeholder), partner.id
    for data in ({"round_id": value, "partner": str(partner_id), f"kind-{partner_id}": "referral",
                  f"frequency-{partner_id}": "monthly"},
                 {"round_id": "", "partner": value, f"kind-{value}": "referral",
                  f"frequency-{value}": "monthly"}):
        response = client.post(f"/c/testgrad/stakeholders/{sid}/ties", data=data)
        assert response.status_code == 302
    assert _counts()[1] == 1  # no round was made up for the bad one


# --- API errors are JSON ----------------------------------------------------------------

@pytest.mark.parametrize(("method", "url", "status", "error"), [
    ("GET", "/api/v1/nothing-here", 404, "not_found"),
    ("GET", "/api/v1/surveys/abc/results", 404, "not_found"),
    ("POST", "/api/v1/cities/testgrad/network", 405, "method_not_allowed"),
    ("DELETE", "/api/v1/surveys/1/results", 405, "method_not_allowed"),
])
def test_api_errors_are_json(client: Any, city: City, method: str, url: str, status: int,
                             error: str) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.get_json()["error"] == error and response.get_json()["message"]
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_api_internal_error_is_json(catch_errors: None, make_user: Any, login: Any,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client = login(make_user("admin"))
    monkeypatch.setattr("portal.results.services.survey_by_id", lambda _id: 1 / 0)
    response = client.get("/api/v1/surveys/1/results")
    assert response.status_code == 500
    assert response.get_json()["error"] == "server_error"


# --- 19. A hidden city's 404 is a missing city's 404 ------------------------------------

@pytest.fixture
def hidden_city(city: City, make_city: Any) -> City:
    """An Arabic city the logged-in coordinator of Testgrad may not see, with a survey."""
    other = make_city(slug="wadi", name="Wadi", default_locale="ar")
    fake.build_demo_survey(other, slug="resilience", wave="Baseline")
    db.session.commit()
    return other


def _same_404(client: Any, hidden: str, missing: str) -> None:
    """Both answers are equal once the one address is put in place of the other."""
    client.get(missing)  # the first request after the login renews the cookie
    seen = client.get(hidden)
    absent = client.get(missing)
    assert seen.status_code == absent.status_code == 404
    # The log-out form's CSRF token is signed with the time in seconds: two requests may
    # straddle a second, so the tokens are compared for presence, not value.
    token = re.compile(rb'name="csrf_token" value="[^"]+"')
    assert token.sub(b"TOKEN", seen.get_data().replace(hidden.encode(), missing.encode())) \
        == token.sub(b"TOKEN", absent.get_data())
    assert "Set-Cookie" not in seen.headers and "Set-Cookie" not in absent.headers
    assert sorted(seen.headers.items()) == sorted(absent.headers.items())


@pytest.mark.parametrize("route", ["/c/{city}/", "/c/{city}/stakeholders", "/c/{city}/map",
                                   "/c/{city}/results", "/c/{city}/stakeholders/1",
                                   "/api/v1/cities/{city}/network", "/api/v1/cities/{city}/gaps",
                                   "/s/{city}/nothing/"])
def test_hidden_city_gets_the_404_of_a_missing_city(client: Any, hidden_city: City,
                                                    route: str) -> None:
    _same_404(client, route.format(city="wadi"), route.format(city="nope"))


def test_hidden_citys_survey_in_the_api_gets_the_404_of_a_missing_survey(
        client: Any, hidden_city: City) -> None:
    survey_id = _first_id(Survey)
    _same_404(client, f"/api/v1/surveys/{survey_id}/results",
              f"/api/v1/surveys/{survey_id + 1000}/results")
