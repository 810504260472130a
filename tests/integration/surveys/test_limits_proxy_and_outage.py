"""Rate limits behind a trusted proxy, and with the limiter's storage down."""

from __future__ import annotations

import logging

import pytest

from portal import create_app
from portal.config import ConfigError
from portal.extensions import limiter
from tests.conftest import PASSWORD
from tests.integration.surveys.conftest import answer_small, start

FAILED = {"email": "nobody@example.org", "password": "wrong password"}


@pytest.fixture
def limited_app(app, app_config):
    """Build an app with the limits on (the limiter is a singleton: reset it afterwards)."""
    built = []

    def build(**settings):
        built.append(create_app({**app_config, "RATELIMIT_ENABLED": True,
                                 "LOGIN_RATE_LIMIT": "2 per minute",
                                 "SURVEY_RATE_LIMIT": "2 per minute", **settings}))
        return built[-1]

    yield build
    limiter._storage_dead = False  # a test that killed the storage must not leak its fallback
    create_app(app_config)


def _logins(client, forwarded_for: str, times: int) -> list[int]:
    return [client.post("/login", data=FAILED, headers={"X-Forwarded-For": forwarded_for},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
            for _ in range(times)]


def _pages(client, forwarded_for: str, times: int) -> list[int]:
    return [client.get("/s/x/y/consent", headers={"X-Forwarded-For": forwarded_for},
                       environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
            for _ in range(times)]


def test_behind_a_trusted_proxy_each_client_has_its_own_login_bucket(limited_app):
    client = limited_app(PROXY_FIX_X_FOR=1).test_client()
    assert _logins(client, "203.0.113.1", 3) == [200, 200, 429]
    assert _logins(client, "203.0.113.2", 1) == [200]


def test_behind_a_trusted_proxy_each_resident_has_their_own_bucket(limited_app):
    client = limited_app(PROXY_FIX_X_FOR=1).test_client()
    assert _pages(client, "203.0.113.1", 3) == [404, 404, 429]
    assert _pages(client, "203.0.113.2", 1) == [404]


def test_the_trusted_hop_is_the_nearest_proxys_entry_not_the_clients(limited_app):
    client = limited_app(PROXY_FIX_X_FOR=1).test_client()
    assert _logins(client, "1.1.1.1, 203.0.113.1", 3) == [200, 200, 429]
    assert _logins(client, "2.2.2.2, 203.0.113.1", 1) == [429]  # a forged first entry


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(limited_app):
    client = limited_app().test_client()
    assert _logins(client, "203.0.113.1", 2) == [200, 200]
    assert _logins(client, "203.0.113.2", 1) == [429]
    assert _pages(client, "203.0.113.1", 2) == [404, 404]
    assert _pages(client, "203.0.113.2", 1) == [429]


@pytest.mark.parametrize("value", [-1, "one", 11, True])
def test_a_bad_proxy_count_is_refused_at_start(app_config, value):
    with pytest.raises(ConfigError):
        create_app({**app_config, "PROXY_FIX_X_FOR": value})


DEAD_REDIS = "redis://127.0.0.1:1/0"  # a closed port: every connection is refused


def test_the_residents_pages_and_login_answer_with_the_limiter_storage_down(
        limited_app, make_survey, make_user, caplog):
    survey = make_survey()
    user = make_user("admin")
    worker = limited_app(RATELIMIT_STORAGE_URI=DEAD_REDIS, SURVEY_RATE_LIMIT="100 per minute",
                         SURVEY_SEND_RATE_LIMIT="100 per minute", LOGIN_RATE_LIMIT="3 per minute")
    client = worker.test_client()
    with caplog.at_level(logging.WARNING):
        start(client, survey)
        assert answer_small(client, survey).status_code in (200, 302)
        assert client.post("/login", data=FAILED).status_code == 200
        ok = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert ok.status_code == 302
    assert any("storage" in record.getMessage().lower() for record in caplog.records)


def test_limits_still_hold_in_memory_while_the_storage_is_down(limited_app):
    client = limited_app(RATELIMIT_STORAGE_URI=DEAD_REDIS).test_client()
    assert _pages(client, "x", 3) == [404, 404, 429]
    assert _logins(client, "x", 3) == [200, 200, 429]
