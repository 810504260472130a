"""A stale reply must not undo the resident's session: the cause of the flaky e2e start (400).

The browser asks for /favicon.ico after the language page; Playwright (or a quick thumb) has
already followed the language link. The 404 page looked up the visitor, Flask-Login wrote
"_fresh" into the session read with the older cookie, and when that reply came in last its
cookie replaced the consent page's: the CSRF token was gone and the start was refused.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Real forms: CSRF on, as in the browser."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_a_404_for_a_resident_sets_no_session_cookie(client, make_survey):
    make_survey()
    client.get("/s/testgrad/small/")
    assert client.get_cookie("session") is not None
    missing = client.get("/favicon.ico")
    assert missing.status_code == 404
    assert not missing.headers.getlist("Set-Cookie")

