"""Every POST route of the URL map refuses a request without a CSRF token.

The routes come from the app's URL map, not from a list: a new POST route is checked the day
it is added. Each one is sent a POST without a token, its arguments filled with plausible
values (a real city, numeric ids), by a visitor and by a logged-in administrator (the user a
forged request would aim at); the answer must be the 400 "form has expired" page, given before
any view runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import AnyConverter, IntegerConverter, Rule, UUIDConverter

from tests.conftest import PASSWORD

# rule → why it may be sent without a token; an entry needs a reason here.
ALLOWED_WITHOUT_TOKEN: dict[str, str] = {
    "/odk/<city>/submission": "ODK Collect signs in with HTTP Basic on every request and "
                              "sends no cookie: a forged cross-site request cannot attach "
                              "the device's credentials, and a session counts for nothing",
}
CSRF_PAGE = "The form has expired or was sent from elsewhere."
CITY = "home"
# Plausible values of the string arguments, by name (numbers come from the converter).
VALUES = {"city": CITY, "slug": "baseline", "survey": "baseline", "lang": "sq",
          "token": "a" * 43}


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "WTF_CSRF_ENABLED": True}


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def post_rules(app: Flask) -> list[Rule]:
    """Every rule of the URL map that accepts POST (or another writing method: the API's PATCH)."""
    return sorted((rule for rule in app.url_map.iter_rules() if WRITES & (rule.methods or set())),
                  key=lambda rule: rule.rule)


def fill(app: Flask, rule: Rule) -> str:
    """The rule's URL with every argument given a plausible value."""
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.UUID(int=1)
        elif isinstance(converter, IntegerConverter) or name.endswith("id"):
            values[name] = 1
        else:
            values[name] = VALUES[name]
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


@pytest.fixture
def admin_client(app: Flask, make_city: Callable[..., Any],
                 make_user: Callable[..., Any]) -> Iterator[FlaskClient]:
    """A client logged in as an administrator through the real form (with its token)."""
    make_city(slug=CITY)
    user = make_user("admin")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302
    yield client


def refused_without_token(app: Flask, client: FlaskClient) -> list[str]:
    """The POST rules that did not answer the CSRF page, with what they answered."""
    wrong = []
    for rule in post_rules(app):
        if rule.rule in ALLOWED_WITHOUT_TOKEN:
            continue
        url = fill(app, rule)
        for method in sorted(WRITES & (rule.methods or set())):
            response = client.open(url, method=method, data={"name": "x"})
            if rule.rule.startswith("/api/") and response.status_code == 401:
                continue  # logged out, the API asks for a login before anything runs
            if response.status_code != 400 or CSRF_PAGE not in response.get_data(as_text=True):
                wrong.append(f"{method} {rule.rule} ({url}): {response.status_code}")
    return wrong


def test_the_walk_covers_every_kind_of_post_route(app: Flask) -> None:
    rules = {rule.rule for rule in post_rules(app)}
    assert not app.config.get("BENCHMARK_ROUTES")
    assert len(rules) >= 40
    for expected in ("/login", "/logout", "/admin/users", "/c/<city>/stakeholders/new",
                     "/s/<city>/<slug>/send", "/r/<token>", "/invite/<token>"):
        assert expected in rules
    assert set(ALLOWED_WITHOUT_TOKEN) <= rules, "an exception names a route that is gone"


def test_every_post_route_refuses_a_visitor_without_a_csrf_token(
    app: Flask, client: FlaskClient, make_city: Callable[..., Any],
) -> None:
    make_city(slug=CITY)
    assert refused_without_token(app, client) == []


def test_every_post_route_refuses_an_administrator_without_a_csrf_token(
    app: Flask, admin_client: FlaskClient,
) -> None:
    assert refused_without_token(app, admin_client) == []
    assert admin_client.get("/cities").status_code == 200  # still logged in: nothing ran


def test_the_walk_finds_a_route_that_skips_the_check(app: Flask, client: FlaskClient) -> None:
    from portal.extensions import csrf

    def unguarded(number: int) -> str:
        return "done"

    app.add_url_rule("/unguarded/<int:number>", "unguarded", csrf.exempt(unguarded),
                     methods=["POST"])
    assert refused_without_token(app, client) == [
        "POST /unguarded/<int:number> (/unguarded/1): 200"]
