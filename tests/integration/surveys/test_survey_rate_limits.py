"""The residents' per-client limits (portal.ratelimit): counted per route and address, 429."""

from __future__ import annotations

import pytest

from portal import create_app


@pytest.fixture
def limited(app, app_config):
    """An app whose residents' limits are on: two sends, three pages a minute per client."""
    yield create_app({**app_config, "RATELIMIT_ENABLED": True,
                      "SURVEY_SEND_RATE_LIMIT": "2 per minute",
                      "SURVEY_RATE_LIMIT": "3 per minute"})
    create_app(app_config)  # the limiter is a singleton: leave it as the other tests expect


def _statuses(client, method: str, path: str, times: int, address: str = "10.0.0.1"):
    return [client.open(path, method=method, environ_base={"REMOTE_ADDR": address}).status_code
            for _ in range(times)]


def test_each_client_address_has_its_own_count(limited):
    client = limited.test_client()
    assert _statuses(client, "POST", "/s/x/y/start", 3) == [404, 404, 429]
    assert _statuses(client, "POST", "/s/x/y/start", 1, address="10.0.0.2") == [404]


def test_each_route_has_its_own_count(limited):
    client = limited.test_client()
    assert _statuses(client, "POST", "/s/x/y/start", 3) == [404, 404, 429]
    assert _statuses(client, "POST", "/s/x/y/send", 2) == [404, 404]


def test_only_a_post_of_the_send_counts_against_the_send_limit(limited):
    client = limited.test_client()
    assert _statuses(client, "GET", "/s/x/y/send", 4) == [404] * 4
    assert _statuses(client, "POST", "/s/x/y/send", 3) == [404, 404, 429]


def test_pages_have_the_read_limit_and_a_translated_429_with_retry_after(limited):
    client = limited.test_client()
    assert _statuses(client, "GET", "/s/x/y/consent", 3) == [404] * 3
    reply = client.get("/s/x/y/consent?lang=sq", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert reply.status_code == 429
    assert reply.headers["Retry-After"] == "60"
    assert "Ju lutemi prisni një minutë" in reply.get_data(as_text=True)


def test_no_limit_when_the_limiter_is_off(client):
    assert _statuses(client, "POST", "/s/x/y/start", 30) == [404] * 30


def test_a_default_limit_applies_elsewhere_but_not_to_the_residents_routes(app, app_config):
    worker = create_app({**app_config, "RATELIMIT_ENABLED": True,
                         "RATELIMIT_DEFAULT": "2 per minute",
                         "SURVEY_RATE_LIMIT": "5 per minute"})
    client = worker.test_client()
    assert _statuses(client, "GET", "/s/x/y/consent", 5) == [404] * 5
    assert _statuses(client, "GET", "/s/x/y/consent", 1) == [429]  # its own limit
    assert _statuses(client, "GET", "/", 3)[-1] == 429  # the default limit
    create_app(app_config)
