"""Rate limiting with Flask-Limiter's Redis storage: the production setup for several workers."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from portal import create_app

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client():
    """A client of the test Redis; skipped without a server, except under CI (there: fail)."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis server at {REDIS_URL} for the limiter: {error}")
        pytest.skip(f"no Redis server reachable at {REDIS_URL} (start one or set "
                    "PORTAL_TEST_REDIS_URL); the limiter's Redis storage is not tested")
    yield connection
    connection.close()


@pytest.fixture
def prefix(redis_client):
    """A key prefix of this test only; its keys are deleted afterwards (no FLUSHDB)."""
    name = f"lpn-test-{uuid.uuid4().hex}"
    yield name
    for key in redis_client.scan_iter(f"*{name}*"):
        redis_client.delete(key)


def _worker(app_config, prefix: str):
    """An app as one gunicorn worker would build it, counting in Redis."""
    return create_app({**app_config, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix,
                       "SURVEY_SEND_RATE_LIMIT": "2 per minute"})


def test_the_send_limit_counts_in_redis_and_answers_429(app, app_config, redis_client, prefix):
    worker = _worker(app_config, prefix)
    with worker.app_context():
        client = worker.test_client()
        replies = [client.post("/s/x/y/start") for _ in range(3)]
    assert [reply.status_code for reply in replies] == [404, 404, 429]
    assert replies[-1].headers["Retry-After"] == "60"
    assert list(redis_client.scan_iter(f"*{prefix}*")), "no limiter key in Redis"


def test_several_workers_share_one_count(app, app_config, redis_client, prefix):
    first, second = _worker(app_config, prefix), _worker(app_config, prefix)
    with first.app_context():
        assert [first.test_client().post("/s/x/y/start").status_code
                for _ in range(2)] == [404, 404]
    with second.app_context():
        assert second.test_client().post("/s/x/y/start").status_code == 429
