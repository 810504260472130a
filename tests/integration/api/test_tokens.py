"""Personal API tokens: scope, expiry, revocation, hash-only storage, no pages, no cookie."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal.auth import services as auth_services
from portal.extensions import db
from portal.models import ApiToken, AuditEvent, City, Membership
from portal.models.base import utcnow

from .conftest import bearer

NETWORK = "/api/v1/cities/{}/network"


@pytest.fixture
def member(mapped_city: Any, make_user: Any) -> Any:
    city = mapped_city("north")
    return make_user("member", city=city), city


def test_token_reads_the_api_with_its_users_rights(client, member, make_token):
    user, city = member
    response = client.get(NETWORK.format("north"), headers=bearer(make_token(user, [city])))
    assert response.status_code == 200
    assert response.get_json()["city"] == "north"
    assert len(response.get_json()["nodes"]) == 3


def test_only_the_sha256_of_the_token_is_stored(client, member, make_token):
    user, city = member
    secret = make_token(user, [city])
    assert re.fullmatch(r"lpn_[A-Za-z0-9_-]{43}", secret)
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in (row.name, row.prefix, row.token_hash)]
    stored += [e.details for e in db.session.scalars(select(AuditEvent))]
    assert not any(secret in value or secret[8:20] in value for value in stored)


def test_token_is_narrowed_to_the_cities_it_names(client, mapped_city, make_user, make_token):
    north, south = mapped_city("north"), mapped_city("south")
    user = make_user("member", city=north)
    auth_services.grant_membership(user, south, "member", actor=None)
    db.session.commit()
    secret = make_token(user, [north])
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 200
    refused = client.get(NETWORK.format("south"), headers=bearer(secret))
    assert refused.status_code == 404 and refused.get_json()["error"] == "not_found"


@pytest.mark.parametrize("header", [
    "Bearer lpn_wrong", "Bearer ", "Bearer " + "lpn_" + "x" * 200, "Basic dXNlcjpwYXNz",
    "Bearer not-a-portal-token"])
def test_unknown_or_malformed_token_gets_401(client, member, header):
    response = client.get(NETWORK.format("north"), headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"] == "login_required"


def test_expired_token_is_refused(client, member, make_token):
    user, city = member
    secret = make_token(user, [city])
    db.session.scalar(select(ApiToken)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 401


def test_revoked_token_stops_at_once_and_the_revocation_is_audited(client, member, make_token,
                                                                   login):
    user, city = member
    secret = make_token(user, [city])
    token_id = db.session.scalar(select(ApiToken.id))
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 200
    login(user)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 401
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "api_token.create" in actions and "api_token.revoke" in actions


def test_user_cannot_revoke_someone_elses_token(client, member, make_user, make_token, login):
    user, city = member
    secret = make_token(user, [city])
    token_id = db.session.scalar(select(ApiToken.id))
    login(make_user("member", city=city))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 200


def test_token_of_a_switched_off_user_stops_at_once(client, member, make_token):
    user, city = member
    secret = make_token(user, [city])
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 200
    auth_services.set_active(user, False, actor=None)
    db.session.commit()
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 401


def test_token_stops_reading_a_city_once_the_role_there_is_removed(client, member, make_token):
    user, city = member
    secret = make_token(user, [city])
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 200
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    auth_services.remove_membership(membership, actor=None)
    db.session.commit()
    assert client.get(NETWORK.format("north"), headers=bearer(secret)).status_code == 404


@pytest.mark.parametrize("path", ["/c/north/", "/account/tokens", "/cities", "/account/api",
                                  "/c/north/results/"])
def test_token_never_opens_an_html_page(client, member, make_token, path):
    user, city = member
    response = client.get(path, headers=bearer(make_token(user, [city])))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


def test_bearer_request_is_given_no_session_cookie(client, member, make_token):
    user, city = member
    response = client.get(NETWORK.format("north"), query_string={"lang": "sq"},
                          headers=bearer(make_token(user, [city])))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session") is None


def test_bearer_header_wins_over_a_session_cookie(client, mapped_city, make_user, make_token,
                                                  login):
    north, south = mapped_city("north"), mapped_city("south")
    user = make_user("coordinator", city=north)
    auth_services.grant_membership(user, south, "member", actor=None)
    db.session.commit()
    login(user)
    secret = make_token(user, [north])
    assert client.get(NETWORK.format("south")).status_code == 200  # the session's rights
    assert client.get(NETWORK.format("south"), headers=bearer(secret)).status_code == 404
    assert client.get(NETWORK.format("south")).status_code == 200  # the session lives on


def test_last_use_is_recorded(client, member, make_token):
    user, city = member
    secret = make_token(user, [city])
    assert db.session.scalar(select(ApiToken.last_used_at)) is None
    client.get(NETWORK.format("north"), headers=bearer(secret))
    used = db.session.scalar(select(ApiToken.last_used_at))
    assert used is not None and utcnow() - used < timedelta(minutes=1)


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}

    def test_rate_limit_counts_per_token_across_endpoints(self, client, member, make_token):
        user, city = member
        first, second = make_token(user, [city]), make_token(user, [city])
        answers = [client.get(NETWORK.format("north"), headers=bearer(first)).status_code
                   for _ in range(3)]
        assert answers == [200, 200, 200]
        refused = client.get("/api/v1/cities/north/gaps", headers=bearer(first))
        assert refused.status_code == 429 and refused.get_json()["error"] == "too_many_requests"
        assert int(refused.headers["Retry-After"]) > 0
        assert client.get(NETWORK.format("north"), headers=bearer(second)).status_code == 200


def test_a_token_not_naming_the_city_gets_404_on_every_api_rule(app, client, elsewhere,
                                                                 mapped_city, make_token):
    """The URL-map walk of test_access, with a token: the user may read the city, the token
    names another one, so every API rule about that city answers 404."""
    from tests.integration.test_access import NAMES_NO_CITY, urls

    away = db.session.scalar(select(City).where(City.slug == elsewhere["city"]))
    coordinator = db.session.scalar(select(Membership).where(
        Membership.city_id == away.id)).user
    secret = make_token(coordinator, [mapped_city("north")])
    answers = {(method, url): client.open(url, method=method, headers=bearer(secret)).status_code
               for method, url, rule in urls(app, elsewhere)
               if rule.startswith("/api/v1/") and rule not in NAMES_NO_CITY}
    assert answers and set(answers.values()) == {404}, answers
    # A token of the same user naming that city reads them: the token alone narrowed.
    response = client.get(f"/api/v1/surveys/{elsewhere['survey_id']}/results",
                          headers=bearer(make_token(coordinator, [away])))
    assert response.status_code == 200


def test_read_only_token_is_refused_on_a_write_and_a_read_write_one_passes(app, client, member,
                                                                           make_token):
    """Any write method of any API route: a route registered here stands in for every one."""
    from portal.auth.scoping import Access, api_city_view

    @api_city_view(minimum=Access.MEMBER)
    def future_write(city: Any) -> dict[str, str]:
        return {"city": city.slug}

    app.add_url_rule("/api/v1/cities/<city>/future-write", "future_write", future_write,
                     methods=["POST", "GET"])
    user, city = member
    read_only, read_write = make_token(user, [city]), make_token(user, [city], read_write=True)
    url = "/api/v1/cities/north/future-write"
    refused = client.post(url, headers=bearer(read_only))
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    assert client.get(url, headers=bearer(read_only)).status_code == 200
    assert client.post(url, headers=bearer(read_write)).status_code == 200
