"""The OpenAPI description: valid OpenAPI 3.1, every /api/v1/ route in it, and its page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from openapi_spec_validator import validate

from portal.api.openapi import operations

from .conftest import bearer


def api_paths(app: Flask) -> set[str]:
    """Every /api/v1/ rule of the URL map, written as an OpenAPI path."""
    return {re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}


def test_openapi_document_validates_and_lists_every_api_route(app, client, make_user, login):
    login(make_user("member"))
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.get_json()
    validate(spec)
    assert set(spec["paths"]) == api_paths(app)
    assert len(spec["paths"]) >= 4
    for _method, path, operation in operations(spec):
        named = set(re.findall(r"{([a-z_]+)}", path))
        declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert named == declared, path
    # Every method of every rule is described, and nothing else.
    routed = {(method, re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert {(method, path) for method, path, _op in operations(spec)} == routed


def test_every_route_that_answers_csv_says_so(client, make_user, login):
    login(make_user("member"))
    spec = client.get("/api/v1/openapi.json").get_json()
    with_csv = {path for _method, path, operation in operations(spec)
                if "text/csv" in operation["responses"]["200"]["content"]}
    assert with_csv == {"/api/v1/cities/{city}/network", "/api/v1/cities/{city}/gaps",
                        "/api/v1/cities/{city}/coattendance",
                        "/api/v1/surveys/{survey_id}/results"}


def test_openapi_needs_a_login_and_a_token_opens_it(client, mapped_city, make_user, make_token):
    assert client.get("/api/v1/openapi.json").status_code == 401
    city = mapped_city("north")
    secret = make_token(make_user("member", city=city), [city])
    assert client.get("/api/v1/openapi.json", headers=bearer(secret)).status_code == 200


def test_reference_page_lists_the_endpoints_in_the_users_language(client, make_user,
                                                                  login) -> None:
    login(make_user("member"))
    page = client.get("/account/api?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    for path in ("/api/v1/cities/{city}/network", "/api/v1/surveys/{survey_id}/results"):
        assert path in page
    assert "PATCH" in page and "/api/v1/cities/{city}/plan/activities/{activity_id}" in page
    assert "min_frequency" in page and "joint_activity" in page


def test_reference_page_needs_a_login(client: Any) -> None:
    response = client.get("/account/api")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
