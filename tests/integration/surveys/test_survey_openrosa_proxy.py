"""Behind a trusted proxy (PROXY_FIX_X_PROTO), HTTPS is what the proxy says it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from portal.auth import devices
from portal.extensions import db
from portal.models import City, User


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "PROXY_FIX_X_PROTO": 1}


def test_https_at_the_trusted_proxy_opens_the_server_and_plain_http_does_not(
        client: Any, make_city: Callable[..., City], make_user: Callable[..., User]) -> None:
    city = make_city(slug="testgrad")
    device, secret = devices.create_device(city, make_user("enumerator", city=city), "Phone",
                                           actor=None)
    db.session.commit()
    auth = (device.username, secret)
    behind = client.get("/odk/testgrad/formList", auth=auth,
                        headers={"X-Forwarded-Proto": "https"})
    assert behind.status_code == 200
    plain = client.get("/odk/testgrad/formList", auth=auth,
                       headers={"X-Forwarded-Proto": "http"})
    assert plain.status_code == 403
