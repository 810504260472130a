"""The session cookie (portal.sessions): Flask's format both ways, fewer steps per request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

from portal.sessions import COMPRESS_FROM, PortalSessionInterface

TAGGED = {
    "tuple": (1, "two", [3]),
    "bytes": b"\x00\xff",
    "markup": Markup("<b>bold</b>"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "when": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    "looks_tagged": {" t": [1, 2]},  # a dict whose one key is a tag: escaped, then restored
    "nested": [{"a": (1, 2)}, {" di": "x"}],
    "plain": {"12": 4, "13": [64], "14": "dk"},
}


def _signed(app: Flask, interface: SecureCookieSessionInterface, data: dict) -> str:
    serializer = interface.get_signing_serializer(app)
    assert serializer is not None
    return serializer.dumps(data)


def _read(app: Flask, interface: SecureCookieSessionInterface, cookie: str) -> dict:
    serializer = interface.get_signing_serializer(app)
    assert serializer is not None
    return serializer.loads(cookie)


def test_the_app_uses_the_portal_session_interface(app):
    assert isinstance(app.session_interface, PortalSessionInterface)


@pytest.mark.parametrize("size", [10, COMPRESS_FROM * 4], ids=["small", "large"])
def test_cookies_are_read_both_ways_with_flasks_interface(app, size):
    data = {**TAGGED, "text": "a" * size}
    ours, flasks = PortalSessionInterface(), SecureCookieSessionInterface()
    assert _read(app, flasks, _signed(app, ours, data)) == data
    assert _read(app, ours, _signed(app, flasks, data)) == data
    restored = _read(app, ours, _signed(app, flasks, data))
    assert isinstance(restored["tuple"], tuple) and isinstance(restored["markup"], Markup)
    assert restored["looks_tagged"] == {" t": [1, 2]}


def test_only_payloads_worth_it_are_compressed(app):
    interface = PortalSessionInterface()
    small = _signed(app, interface, {"sv": {"s": 1, "l": "sq", "u": str(uuid.uuid4())}})
    assert not small.startswith(".")  # shorter than COMPRESS_FROM: not through zlib
    large = _signed(app, interface, {"answers": {str(n): 4 for n in range(200)}})
    assert large.startswith(".")  # compressed, in itsdangerous's format
    assert len(large) < len(_signed(app, interface, {"answers": {}})) + 600


def test_the_signing_serializer_is_built_once_per_key_set(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    old_cookie = _signed(app, interface, {"who": "before the rotation"})
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "another-secret-key-that-is-long-enough-9876543210"
    rotated = interface.get_signing_serializer(app)
    assert rotated is not first
    assert _read(app, interface, old_cookie) == {"who": "before the rotation"}


def test_a_session_survives_requests_and_a_tampered_cookie_is_dropped(app):
    @app.get("/_session/put")
    def put() -> str:
        session["kept"] = ("a", 1)
        return "ok"

    @app.get("/_session/get")
    def get() -> str:
        return repr(session.get("kept"))

    client = app.test_client()
    client.get("/_session/put")
    assert client.get("/_session/get").get_data(as_text=True) == "('a', 1)"
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA" else "BB"))
    assert client.get("/_session/get").get_data(as_text=True) == "None"


def test_no_secret_means_no_session(app):
    app.secret_key = None
    assert app.session_interface.get_signing_serializer(app) is None
