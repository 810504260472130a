"""The send path with CSRF on: one global token check, a translated 400 without it, no user."""

from __future__ import annotations

import re
import time

import itsdangerous.timed
import pytest
from flask_login import user_accessed
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Response
from tests.integration.surveys.conftest import choice, client_uuid, field

BASE = "/s/testgrad/small"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _responses() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)


def _ready_to_send(client, survey, lang: str = "ar") -> str:
    """Start with the consent page's token and answer both pages; return the CSRF token."""
    page = client.get(f"{BASE}/consent?lang={lang}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    uuid = re.search(r'name="uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)
    started = client.post(f"{BASE}/start", data={"csrf_token": token, "uuid": uuid, "lang": lang})
    assert started.status_code == 302
    first = client.post(f"{BASE}/p/1", data={
        "csrf_token": token, "nav": "next", field(survey, "pick"): choice(survey, "pick", "b")})
    assert first.status_code == 302, first.get_data(as_text=True)
    second = client.post(f"{BASE}/p/2", data={"csrf_token": token, "nav": "next"})
    assert second.headers["Location"].endswith("/send")
    return token


def test_the_send_page_carries_one_csrf_token_the_global_check_accepts(client, make_survey):
    survey = make_survey()
    _ready_to_send(client, survey)
    page = client.get(f"{BASE}/send").get_data(as_text=True)
    tokens = re.findall(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert len(tokens) == 1
    sent = client.post(f"{BASE}/send", data={"csrf_token": tokens[0],
                                             "uuid": client_uuid(client)})
    assert sent.status_code == 200 and _responses() == 1


def _expire_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the signer's clock past WTF_CSRF_TIME_LIMIT (12 hours)."""
    real = time.time

    class Later:
        @staticmethod
        def time() -> float:
            return real() + 13 * 3600

    monkeypatch.setattr(itsdangerous.timed, "time", Later)


@pytest.mark.parametrize("case", ["missing", "tampered", "expired"])
def test_a_send_without_a_valid_token_is_a_translated_400_and_stores_nothing(
        client, make_survey, monkeypatch, case):
    survey = make_survey()
    token = _ready_to_send(client, survey, lang="ar")
    data = {"uuid": client_uuid(client)}
    if case == "tampered":
        data["csrf_token"] = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    elif case == "expired":
        data["csrf_token"] = token
        _expire_tokens(monkeypatch)
    # Past 12 hours the session (and the language it remembers) has expired with the form:
    # the page speaks the language the resident's phone asks for.
    headers = {"Accept-Language": "ar"} if case == "expired" else {}
    response = client.post(f"{BASE}/send", data=data, headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "Reload the page" not in html  # the Arabic text of the expired-form message
    assert re.search("[\u0600-\u06ff]", html)
    assert _responses() == 0


def test_an_anonymous_send_does_not_load_a_user(app, client, make_survey):
    survey = make_survey()
    token = _ready_to_send(client, survey)
    accessed: list[object] = []

    def note(sender: object, **extra: object) -> None:
        accessed.append(sender)

    with user_accessed.connected_to(note, app):
        sent = client.post(f"{BASE}/send", data={"csrf_token": token,
                                                 "uuid": client_uuid(client)})
    assert sent.status_code == 200 and _responses() == 1
    assert accessed == []
    with client.session_transaction() as session:
        assert "_fresh" not in session and "_user_id" not in session
